"""Fixtures for the interop suite: a test PKI, running gatehouse servers, and SDK clients in each dialect.

The suite starts the real `gatehouse` binary (GATEHOUSE_BINARY, default .build/debug/gatehouse) on free
loopback ports and talks to it only through the official SDKs and, for the gateway checks, raw HTTP.
"""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import pytest

from clients import AK, SK, NewSDK, OldSDK

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = os.environ.get("GATEHOUSE_BINARY", str(ROOT / ".build" / "debug" / "gatehouse"))


class PKI:
    """The files scripts/make-test-pki.sh makes, by name."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)

    def pem(self, name):
        return (self.directory / name).read_text()

    def path(self, name):
        return str(self.directory / name)

    def sha1(self, name):
        out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha1", "-in", self.path(name)],
                             check=True, capture_output=True, text=True).stdout
        return out.split("=", 1)[1].strip().lower()


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    subprocess.run(["bash", str(ROOT / "scripts" / "make-test-pki.sh")], cwd=directory, check=True)
    return PKI(directory)


POSTGRES = os.environ.get("GATEHOUSE_INTEROP_POSTGRES_URL")


def fresh_database():
    """With GATEHOUSE_INTEROP_POSTGRES_URL set, a new empty database on that server for one gatehouse (cluster mode);
    without it, None (embedded SQLite)."""
    if not POSTGRES:
        return None
    name = "gh_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", POSTGRES, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(POSTGRES)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class Server:
    """A `gatehouse serve` process on a free loopback port (on PostgreSQL when the suite runs in cluster mode)."""

    def __init__(self, *arguments, data_dir=None):
        reuse = data_dir is not None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="gatehouse-interop-")
        database_file = pathlib.Path(self.data_dir) / "database-url"
        if not reuse and (url := fresh_database()):
            database_file.write_text(url)
        if database_file.exists():
            arguments = (*arguments, "--database-url", database_file.read_text())
        self.arguments = arguments
        env = dict(os.environ, GATEHOUSE_ACCESS_KEY_ID=AK, GATEHOUSE_ACCESS_KEY_SECRET=SK)
        env.pop("GATEHOUSE_MASTER_KEY", None)
        self.log_path = pathlib.Path(self.data_dir) / "serve.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--data-dir", self.data_dir, "--api-address", "127.0.0.1:0", *arguments],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            match = re.search(r"listening on http://([0-9.]+:[0-9]+)", self.log_path.read_text())
            if match:
                self.endpoint = match.group(1)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("gatehouse serve did not start:\n" + self.log_path.read_text())

    def cli(self, *arguments):
        database_file = pathlib.Path(self.data_dir) / "database-url"
        database = ["--database-url", database_file.read_text()] if database_file.exists() else []
        return subprocess.run([BINARY, *arguments, "--data-dir", self.data_dir, *database], check=True, capture_output=True,
                              text=True).stdout

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        return self.process.returncode


@pytest.fixture(scope="session")
def server():
    server = Server("--key-policy", "cn-shanghai=aliyun-ecc")
    yield server
    assert server.stop() == 0, server.log_path.read_text()
    shutil.rmtree(server.data_dir, ignore_errors=True)


DIALECTS = ["v3", "v1-new", "v1-old"]


def make_client(dialect, endpoint, secret=SK, access_key=AK):
    if dialect == "v3":
        return NewSDK(endpoint, access_key, secret, signature_v1=False)
    if dialect == "v1-new":
        return NewSDK(endpoint, access_key, secret, signature_v1=True)
    return OldSDK(endpoint, access_key, secret)


@pytest.fixture(params=DIALECTS)
def client(request, server):
    """One SDK client per dialect: new SDK with V3, new SDK with V1, old SDK with V1."""
    return make_client(request.param, server.endpoint)
