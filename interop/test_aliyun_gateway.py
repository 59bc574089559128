"""Authentication and gateway behaviour: bad signatures, unknown keys, clock skew, replays, sizes, unknown
actions and routes. SDK clients where the SDK can produce the case, raw HTTP (with the research note's V1
signer) where it cannot."""
import base64
import datetime
import hashlib
import hmac
import json
import pathlib
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from clients import AK, SK, ApiError
from conftest import DIALECTS, Server, make_client


def pct(text):
    return urllib.parse.quote(text, safe="-_.~")


def signed_v1_url(endpoint, params, secret=SK, timestamp=None, nonce=None, method="POST"):
    params = dict(params)
    params.update({
        "Format": "JSON", "Version": "2014-05-15", "AccessKeyId": AK, "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0", "SignatureNonce": nonce or uuid.uuid4().hex,
        "Timestamp": timestamp or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{pct('/')}&{pct(canonical)}"
    params["Signature"] = base64.b64encode(
        hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
    return f"http://{endpoint}/?{urllib.parse.urlencode(params)}"


def raw(url, method="POST", body=None, headers=None):
    request = urllib.request.Request(url, method=method, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, error.headers, json.loads(payload)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_wrong_secret_is_signature_does_not_match(server, dialect):
    client = make_client(dialect, server.endpoint, secret="not-the-secret")
    with pytest.raises(ApiError) as raised:
        client.call("DescribeRegions", {})
    # The old SDK recognises its own string to sign after the colon and reports a wrong secret.
    assert raised.value.code in ("SignatureDoesNotMatch", "InvalidAccessKeySecret")
    assert raised.value.status == 400


@pytest.mark.parametrize("dialect", DIALECTS)
def test_unknown_access_key(server, dialect):
    client = make_client(dialect, server.endpoint, access_key="GHNOSUCHKEY")
    with pytest.raises(ApiError) as raised:
        client.call("DescribeRegions", {})
    assert (raised.value.code, raised.value.status) == ("InvalidAccessKeyId.NotFound", 404)


def test_error_body_shape(server):
    status, headers, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}, secret="wrong"))
    assert status == 400
    assert headers["Content-Type"] == "application/json;charset=utf-8"
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert body["Code"] == "SignatureDoesNotMatch"
    assert "server string to sign is:POST&%2F&AccessKeyId" in body["Message"]


def test_expired_and_future_timestamps(server):
    old = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}, timestamp=old))
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Expired")
    future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}, timestamp=future))
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Expired")
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}, timestamp="yesterday"))
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Format")


def test_replayed_nonce(server):
    url = signed_v1_url(server.endpoint, {"Action": "DescribeRegions"})
    assert raw(url)[0] == 200
    status, _, body = raw(url)
    assert (status, body["Code"]) == (400, "SignatureNonceUsed")


def test_get_and_form_body_are_accepted(server):
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}, method="GET"), method="GET")
    assert status == 200 and body["Regions"]["Region"]
    # CommonRequest users send a form body; its fields are signed with the query.
    params = {"Action": "DescribeRegions", "Format": "JSON", "Version": "2014-05-15", "AccessKeyId": AK,
              "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
              "Timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
    params["Signature"] = base64.b64encode(hmac.new((SK + "&").encode(), f"POST&%2F&{pct(canonical)}".encode(),
                                                    hashlib.sha1).digest()).decode()
    status, _, body = raw(f"http://{server.endpoint}/", body=urllib.parse.urlencode(params).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and body["Regions"]["Region"]


def test_missing_parameters_unknown_action_and_version(server):
    status, _, body = raw(f"http://{server.endpoint}/?Action=DescribeRegions")
    assert (status, body["Code"]) == (400, "MissingParameter")
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "NoSuchAction"}))
    assert (status, body["Code"]) == (404, "InvalidAction.NotFound")
    url = signed_v1_url(server.endpoint, {"Action": "DescribeRegions"}).replace("2014-05-15", "2099-01-01")
    status, _, body = raw(url)
    assert (status, body["Code"]) == (400, "InvalidVersion")


def test_unknown_route_is_json(server):
    status, headers, body = raw(f"http://{server.endpoint}/no/such/path", method="GET")
    assert status == 404 and body["Code"] == "InvalidAction.NotFound"
    assert headers["Content-Type"].startswith("application/json")


def test_request_line_of_70k_is_accepted_and_larger_is_json(server):
    padding = "x" * 70_000
    status, _, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions", "OwnerAccount": padding}))
    assert status == 200, body
    status, headers, body = raw(signed_v1_url(server.endpoint, {"Action": "DescribeRegions", "OwnerAccount": "x" * 300_000}))
    assert status in (413, 414, 431) and body["Code"]
    assert headers["Content-Type"].startswith("application/json")


def test_quota_is_enforced_per_region(pki):
    server = Server("--server-certificate-quota", "2", "--ca-certificate-quota", "1")
    try:
        client = make_client("v3", server.endpoint)
        params = {"RegionId": "cn-hangzhou", "ServerCertificate": pki.pem("a.chain.pem"), "PrivateKey": pki.pem("a.key")}
        client.call("UploadServerCertificate", params)
        client.call("UploadServerCertificate", params)
        with pytest.raises(ApiError) as raised:
            client.call("UploadServerCertificate", params)
        assert (raised.value.code, raised.value.status) == ("QuotaExceeded.ServerCertificate", 400)
        client.call("UploadServerCertificate", dict(params, RegionId="cn-beijing"))  # another region has its own quota
        client.call("UploadCACertificate", {"RegionId": "cn-hangzhou", "CACertificate": pki.pem("root.crt")})
        with pytest.raises(ApiError) as raised:
            client.call("UploadCACertificate", {"RegionId": "cn-hangzhou", "CACertificate": pki.pem("root.crt")})
        assert raised.value.code == "QuotaExceeded.CACertificate"
    finally:
        assert server.stop() == 0


def test_import_from_the_certificate_store(pki):
    server = Server()
    try:
        line = server.cli("store", "add", "shop", "--cert", pki.path("a.chain.pem"), "--key", pki.path("a.key"))
        store_id = line.split()[0]
        assert store_id in server.cli("store", "list")
        for dialect in DIALECTS:
            client = make_client(dialect, server.endpoint)
            created = client.call("UploadServerCertificate", {
                "RegionId": "cn-hangzhou", "AliCloudCertificateId": store_id, "AliCloudCertificateName": "shop",
                "AliCloudCertificateRegionId": "cn-hangzhou"})
            assert created["IsAliCloudCertificate"] == 1
            assert (created["AliCloudCertificateId"], created["AliCloudCertificateName"]) == (store_id, "shop")
            assert created["Fingerprint"] == pki.sha1("a.crt")
            with pytest.raises(ApiError) as raised:
                client.call("UploadServerCertificate", {"RegionId": "cn-hangzhou", "AliCloudCertificateId": store_id,
                                                        "AliCloudCertificateRegionId": "eu-central-1"})
            assert raised.value.code == "InvalidParameter.AliCloudCertificateId"
    finally:
        assert server.stop() == 0


def test_private_keys_are_not_in_the_database_file(server, pki):
    client = make_client("v3", server.endpoint)
    client.call("UploadServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificate": pki.pem("a.chain.pem"),
                                            "PrivateKey": pki.pem("a.key")})
    database = pathlib.Path(server.data_dir) / "database-url"
    if database.exists():  # cluster mode: the PostgreSQL rows
        dump = subprocess.run(["psql", database.read_text(), "-At", "-c", "SELECT private_key_sealed FROM certificates"],
                              check=True, capture_output=True, text=True).stdout
        assert dump.startswith("v1:")
    else:
        dump = subprocess.run(["sqlite3", f"{server.data_dir}/gatehouse.sqlite", ".dump"], check=True, capture_output=True,
                              text=True).stdout
    key_line = pki.pem("a.key").splitlines()[1]
    assert "PRIVATE KEY" not in dump and key_line not in dump
    assert "PRIVATE KEY" not in server.log_path.read_text()
