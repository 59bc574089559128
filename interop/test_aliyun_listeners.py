"""HTTPS listeners that serve real traffic, configured through the official SDK (V3) and checked with real TLS
clients: curl, openssl s_client and Python's ssl module."""
import json
import pathlib
import socket
import ssl
import subprocess
import threading
import time
import urllib.request

import pytest

from backends import Backend, free_port
from clients import ApiError
from conftest import Server, make_client

REGION = "cn-hangzhou"


def curl(port, host="a.test", path="/", pki=None, extra=(), headers=()):
    command = ["curl", "-s", "--max-time", "10", "--cacert", pki.path("root.crt"), "--resolve", f"{host}:{port}:127.0.0.1",
               *extra, f"https://{host}:{port}{path}"]
    for header in headers:
        command[1:1] = ["-H", header]
    result = subprocess.run(command + ["-w", "\n%{http_code}"], capture_output=True, text=True)
    body, _, status = result.stdout.rpartition("\n")
    return int(status or 0), body


def served_subject(port, servername, pki):
    chain = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", servername],
                           input="", capture_output=True, text=True, timeout=20).stdout
    certificate = subprocess.run(["openssl", "x509", "-noout", "-subject", "-fingerprint", "-sha1"], input=chain,
                                 capture_output=True, text=True).stdout
    return certificate


def wait_until(check, timeout=20, interval=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception:
            pass
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


@pytest.fixture(scope="module")
def world(pki):
    """A running gatehouse, two backends on 127.0.0.2/127.0.0.3, certificates, and a load balancer."""
    backend_port = free_port()
    backends = [Backend("b1", "127.0.0.2", backend_port), Backend("b2", "127.0.0.3", backend_port)]
    server = Server()
    client = make_client("v3", server.endpoint)
    upload = lambda chain, key: client.call("UploadServerCertificate", {
        "RegionId": REGION, "ServerCertificate": pki.pem(chain), "PrivateKey": pki.pem(key)})["ServerCertificateId"]
    certificates = {"a": upload("a.chain.pem", "a.key"), "rsa2048": upload("rsa2048.crt", "rsa2048.key"),
                    "rsa4096": upload("rsa4096.crt", "rsa4096.key")}
    ca = client.call("UploadCACertificate", {"RegionId": REGION, "CACertificate": pki.pem("root.crt")})["CACertificateId"]
    balancer = client.call("CreateLoadBalancer", {"RegionId": REGION, "LoadBalancerName": "web"})
    lb = balancer["LoadBalancerId"]
    assert balancer["Address"] == "127.0.0.1"
    added = client.call("AddBackendServers", {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": json.dumps([
        {"ServerId": "b1", "Type": "ip", "ServerIp": "127.0.0.2", "Weight": "100"},
        {"ServerId": "b2", "Type": "ip", "ServerIp": "127.0.0.3", "Weight": 100}])})
    assert {b["ServerId"]: b["Weight"] for b in added["BackendServers"]["BackendServer"]} == {"b1": "100", "b2": "100"}
    state = dict(server=server, client=client, lb=lb, certificates=certificates, ca=ca, backends=backends,
                 backend_port=backend_port, pki=pki)
    yield state
    state["server"].stop()
    for backend in backends:
        backend.close()


def create_https(world, port, **extra):
    params = {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port, "BackendServerPort": world["backend_port"],
              "Bandwidth": -1, "ServerCertificateId": world["certificates"]["a"], "HealthCheck": "off"}
    params.update(extra)
    world["client"].call("CreateLoadBalancerHTTPSListener", params)


def start(world, port):
    world["client"].call("StartLoadBalancerListener", {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port})


def test_https_listener_serves_both_backends_with_a_verified_chain(world):
    port, pki, client = free_port(), world["pki"], world["client"]
    create_https(world, port, XForwardedFor_proto="on", XForwardedFor_SLBID="on", XForwardedFor_SLBIP="on")
    attributes = client.call("DescribeLoadBalancerHTTPSListenerAttribute",
                             {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port})
    assert attributes["Status"] == "stopped" and attributes["ServerCertificateId"] == world["certificates"]["a"]
    assert attributes["XForwardedFor_proto"] == "on" and attributes["TLSCipherPolicy"] == "tls_cipher_policy_1_0"
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    seen = {json.loads(curl(port, pki=pki)[1])["backend"] for _ in range(8)}
    assert seen == {"b1", "b2"}
    # Headers for the backend; spoofed ones are replaced.
    status, body = curl(port, pki=pki, headers=["X-Forwarded-For: 6.6.6.6", "SLB-ID: forged"])
    headers = json.loads(body)["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["slb-id"] == world["lb"] and headers["slb-ip"] == "127.0.0.1"
    # Python's ssl module verifies the chain and host name as well.
    context = ssl.create_default_context(cafile=pki.path("root.crt"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="www.a.test") as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: www.a.test\r\nConnection: close\r\n\r\n")
            assert tls.recv(100).startswith(b"HTTP/1.1 200")
    assert "CN = a.test" in served_subject(port, "a.test", pki)
    running = client.call("DescribeLoadBalancerHTTPSListenerAttribute",
                          {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port})
    assert running["Status"] == "running"
    # A started listener cannot be started again; a certificate in use cannot be deleted.
    with pytest.raises(ApiError) as raised:
        start(world, port)
    assert raised.value.code == "OperationFailed.ListenerStatusNotSupport"
    with pytest.raises(ApiError) as raised:
        client.call("DeleteServerCertificate", {"RegionId": REGION, "ServerCertificateId": world["certificates"]["a"]})
    assert raised.value.code == "CertificateAndPrivateKeyIsRefered"


def test_sni_domain_extensions_pick_certificates(world):
    port, pki, client = free_port(), world["pki"], world["client"]
    create_https(world, port)
    key = {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port}
    exact = client.call("CreateDomainExtension", dict(key, Domain="rsa2048.test", ServerCertificateId=world["certificates"]["rsa2048"]))
    client.call("CreateDomainExtension", dict(key, Domain="*.rsa4096.test", ServerCertificateId=world["certificates"]["rsa4096"]))
    with pytest.raises(ApiError) as raised:  # the certificate must cover the domain
        client.call("CreateDomainExtension", dict(key, Domain="other.test", ServerCertificateId=world["certificates"]["rsa2048"]))
    assert raised.value.code == "InvalidParameter.DomainNotMatchCertificate"
    listed = client.call("DescribeDomainExtensions", key)["DomainExtensions"]["DomainExtension"]
    assert {e["Domain"] for e in listed} == {"rsa2048.test", "*.rsa4096.test"}
    start(world, port)
    wait_until(lambda: "rsa2048.test" in served_subject(port, "rsa2048.test", pki))
    assert "CN = rsa4096.test" in served_subject(port, "www.rsa4096.test", pki)
    assert "CN = a.test" in served_subject(port, "unknown.test", pki)
    # A certificate change on a domain extension applies to new handshakes at once.
    client.call("SetDomainExtensionAttribute", {"RegionId": REGION, "DomainExtensionId": exact["DomainExtensionId"],
                                                "ServerCertificateId": world["certificates"]["rsa2048"]})
    client.call("DeleteDomainExtension", {"RegionId": REGION, "DomainExtensionId": exact["DomainExtensionId"]})
    wait_until(lambda: "CN = a.test" in served_subject(port, "rsa2048.test", pki))


def test_mutual_tls(world):
    port, pki = free_port(), world["pki"]
    create_https(world, port, CACertificateId=world["ca"])
    start(world, port)
    client_cert = ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")]
    wait_until(lambda: curl(port, pki=pki, extra=client_cert)[0] == 200)
    assert curl(port, pki=pki)[0] == 0  # no client certificate: refused in the handshake
    assert curl(port, pki=pki, extra=["--cert", pki.path("rogue.crt"), "--key", pki.path("rogue.key")])[0] == 0


def test_certificate_change_under_load_fails_no_request(world, tmp_path):
    port, pki, client = free_port(), world["pki"], world["client"]
    create_https(world, port)
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    # A second certificate for a.test from the same intermediate.
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp_path / "a2.key", "-out", tmp_path / "a2.csr",
                    "-subj", "/CN=a.test/O=Gatehouse A2"], check=True, capture_output=True)
    (tmp_path / "ext.cnf").write_text("subjectAltName=DNS:a.test\n")
    subprocess.run(["openssl", "x509", "-req", "-in", tmp_path / "a2.csr", "-CA", pki.path("int.crt"), "-CAkey", pki.path("int.key"),
                    "-CAcreateserial", "-out", tmp_path / "a2.crt", "-days", "30", "-extfile", tmp_path / "ext.cnf"],
                   check=True, capture_output=True)
    chain = (tmp_path / "a2.crt").read_text() + pki.pem("int.crt")
    second = client.call("UploadServerCertificate", {"RegionId": REGION, "ServerCertificate": chain,
                                                     "PrivateKey": (tmp_path / "a2.key").read_text()})["ServerCertificateId"]
    failures, successes, stop = [], [], threading.Event()

    def loop():
        context = ssl.create_default_context(cafile=pki.path("root.crt"))
        while not stop.is_set():
            try:
                request = urllib.request.Request(f"https://a.test:{port}/")
                with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                        context.wrap_socket(raw, server_hostname="a.test") as tls:
                    tls.sendall(b"GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n")
                    reply = tls.recv(64)
                    (successes if reply.startswith(b"HTTP/1.1 200") else failures).append(reply)
            except Exception as error:  # noqa: BLE001 - every failure counts
                failures.append(repr(error))

    worker = threading.Thread(target=loop)
    worker.start()
    time.sleep(1)
    client.call("SetLoadBalancerHTTPSListenerAttribute", {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port,
                                                          "ServerCertificateId": second})
    wait_until(lambda: "Gatehouse A2" in served_subject(port, "a.test", pki))
    time.sleep(1)
    stop.set()
    worker.join()
    assert failures == [] and len(successes) > 10


def test_health_checks_take_failing_backends_out(world):
    port, pki, client = free_port(), world["pki"], world["client"]
    b1, b2 = world["backends"]
    create_https(world, port, HealthCheck="on", HealthCheckURI="/health", HealthCheckInterval=1, HealthyThreshold=2,
                 UnhealthyThreshold=2, HealthCheckTimeout=1, HealthCheckHttpCode="http_2xx")
    start(world, port)
    key = {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port}
    status = lambda: {b["ServerId"]: b["ServerHealthStatus"] for b in client.call("DescribeHealthStatus", key)["BackendServers"]["BackendServer"]}
    wait_until(lambda: status() == {"b1": "normal", "b2": "normal"})
    try:
        b2.health_status = 500
        wait_until(lambda: status()["b2"] == "abnormal")
        assert {json.loads(curl(port, pki=pki)[1])["backend"] for _ in range(6)} == {"b1"}
        b1.health_status = 500
        wait_until(lambda: status() == {"b1": "abnormal", "b2": "abnormal"})
        assert curl(port, pki=pki)[0] == 503
    finally:
        b1.health_status = b2.health_status = 200
    wait_until(lambda: status() == {"b1": "normal", "b2": "normal"})


def test_stop_start_delete_and_port_conflicts(world):
    port, pki, client = free_port(), world["pki"], world["client"]
    key = {"RegionId": REGION, "LoadBalancerId": world["lb"], "ListenerPort": port}
    create_https(world, port)
    with pytest.raises(ApiError) as raised:
        create_https(world, port)
    assert raised.value.code == "ListenerAlreadyExists"
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    client.call("StopLoadBalancerListener", key)
    wait_until(lambda: curl(port, pki=pki)[0] == 0)
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    client.call("DeleteLoadBalancerListener", key)
    wait_until(lambda: curl(port, pki=pki)[0] == 0)
    with pytest.raises(ApiError) as raised:
        client.call("DescribeLoadBalancerHTTPSListenerAttribute", key)
    assert (raised.value.code, raised.value.status) == ("ListenerNotFound", 404)
    # A port something else holds: a clear error, and the listener stays stopped.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        create_https(world, busy)
        with pytest.raises(ApiError) as raised:
            start(world, busy)
        assert raised.value.code == "OperationFailed.ListenerPortUnavailable"
        described = client.call("DescribeLoadBalancerHTTPSListenerAttribute", dict(key, ListenerPort=busy))
        assert described["Status"] == "stopped"


def test_http_and_tcp_listeners(world):
    client = world["client"]
    http_port, tcp_port = free_port(), free_port()
    common = {"RegionId": REGION, "LoadBalancerId": world["lb"], "BackendServerPort": world["backend_port"], "Bandwidth": -1}
    client.call("CreateLoadBalancerHTTPListener", dict(common, ListenerPort=http_port, HealthCheck="off"))
    client.call("CreateLoadBalancerTCPListener", dict(common, ListenerPort=tcp_port))
    for port in (http_port, tcp_port):
        start(world, port)
    fetch = lambda port: json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/x", timeout=10).read())
    assert wait_until(lambda: fetch(http_port))["headers"]["x-forwarded-for"] == "127.0.0.1"
    # TCP passes bytes through: the backend sees the client's own headers, no X-Forwarded-For.
    assert "x-forwarded-for" not in wait_until(lambda: fetch(tcp_port))["headers"]
    listeners = client.call("DescribeLoadBalancerListeners", {"RegionId": REGION, "LoadBalancerId": [world["lb"]]})["Listeners"]
    protocols = {(l["ListenerPort"], l["ListenerProtocol"]) for l in listeners}
    assert {(http_port, "http"), (tcp_port, "tcp")} <= protocols


def test_tls_policies(world):
    port, pki, client = free_port(), world["pki"], world["client"]
    policy = client.call("CreateTLSCipherPolicy", {"RegionId": REGION, "Name": "modern", "TLSVersions": ["TLSv1.2"],
                                                   "Ciphers": ["ECDHE-RSA-AES128-GCM-SHA256"]})["TLSCipherPolicyId"]
    with pytest.raises(ApiError) as raised:  # only suites BoringSSL lacks: refused before it can reach the data plane
        client.call("CreateTLSCipherPolicy", {"RegionId": REGION, "Name": "dead", "TLSVersions": ["TLSv1.2"],
                                              "Ciphers": ["AES128-SHA256"]})
    assert raised.value.code == "InvalidParameter.TLSCipherPolicy"
    create_https(world, port, TLSCipherPolicy=policy)
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    old = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
                         input="", capture_output=True, text=True, timeout=20)
    assert "Cipher is (NONE)" in old.stdout or old.returncode != 0
    listed = client.call("ListTLSCipherPolicies", {"RegionId": REGION, "IncludeListener": True})["TLSCipherPolicies"]
    [entry] = [p for p in listed if p["InstanceId"] == policy]
    assert entry["RelateListeners"] == [{"LoadBalancerId": world["lb"], "Port": port, "Protocol": "HTTPS"}]
    with pytest.raises(ApiError) as raised:
        client.call("DeleteTLSCipherPolicy", {"RegionId": REGION, "TLSCipherPolicyId": policy})
    assert raised.value.code == "ResourceInUse.TLSCipherPolicy"


def test_running_listeners_come_back_after_a_restart(world, pki):
    port = free_port()
    create_https(world, port)
    start(world, port)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
    server = world["server"]
    assert server.stop() == 0
    world["server"] = restarted = Server(data_dir=server.data_dir)
    world["client"] = make_client("v3", restarted.endpoint)
    wait_until(lambda: curl(port, pki=pki)[0] == 200)
