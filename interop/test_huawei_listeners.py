"""Huawei ELB v3 load balancers, listeners, pools, members, health monitors and security policies, driven through the
official SDK (huaweicloudsdkelb) and checked with real traffic: HTTP backends from backends.py, curl, openssl s_client
and Python's ssl module against the listeners the API binds.

An ELB listener serves from the moment it is created (there is no start call) and stops when it is deleted.
"""
import collections
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest

os.environ["HOME"] = tempfile.mkdtemp(prefix="hwsdk-home-")  # the SDK writes ~/.huaweicloud/application_id

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # noqa: E402
from huaweicloudsdkelb.v3 import ElbClient  # noqa: E402
from huaweicloudsdkelb.v3.model import (  # noqa: E402
    CreateCertificateOption, CreateCertificateRequest, CreateCertificateRequestBody, CreateHealthMonitorOption,
    CreateHealthMonitorRequest, CreateHealthMonitorRequestBody, CreateListenerOption, CreateListenerRequest,
    CreateListenerRequestBody, CreateLoadBalancerOption, CreateLoadBalancerRequest, CreateLoadBalancerRequestBody,
    CreateMemberOption, CreateMemberRequest, CreateMemberRequestBody, CreatePoolOption, CreatePoolRequest,
    CreatePoolRequestBody, CreateSecurityPolicyOption, CreateSecurityPolicyRequest, CreateSecurityPolicyRequestBody,
    DeleteCertificateRequest, DeleteHealthMonitorRequest, DeleteListenerRequest, DeleteLoadBalancerRequest,
    DeleteMemberRequest, DeletePoolRequest, DeleteSecurityPolicyRequest, ListenerInsertHeaders, ListListenersRequest,
    ListMembersRequest, ListSystemSecurityPoliciesRequest, ShowHealthMonitorRequest, ShowListenerRequest,
    ShowLoadBalancerRequest, ShowMemberRequest, ShowPoolRequest, ShowSecurityPolicyRequest, UpdateCertificateOption,
    UpdateCertificateRequest, UpdateCertificateRequestBody, UpdateHealthMonitorOption, UpdateHealthMonitorRequest,
    UpdateHealthMonitorRequestBody, UpdateListenerOption, UpdateListenerRequest, UpdateListenerRequestBody)

from backends import Backend, free_port  # noqa: E402
from clients import AK, SK, make_aliyun  # noqa: E402

REGION = "cn-hangzhou"

# The organization (O=) of each test certificate: how a test tells which certificate a handshake got.
ORG = {
    "default": "Gatehouse A", "b": "Gatehouse B", "wild": "Gatehouse SNI Wild", "deep": "Gatehouse SNI Deep",
    "exact": "Gatehouse SNI Exact", "dual-rsa": "Gatehouse Dual RSA", "dual-ecc": "Gatehouse Dual ECC",
}

# Server name sent in the ClientHello (None: no SNI) -> certificate under `wildcard`, under `longest_suffix`.
# `wildcard` lets `*` cover exactly one label; `longest_suffix` lets it cover several and prefers the longest
# suffix; an exact name beats any wildcard; no match and no SNI get the listener's default certificate.
SNI_CASES = [
    ("a.sni.test", "wild", "wild"),
    ("exact.sni.test", "exact", "exact"),
    ("deep.sni.test", "wild", "wild"),
    ("x.deep.sni.test", "deep", "deep"),
    ("y.x.deep.sni.test", "default", "deep"),
    ("q.r.sni.test", "default", "wild"),
    ("unknown.test", "default", "default"),
    (None, "default", "default"),
]


# ----------------------------------------------------------------------------------------------------------------
# SDK plumbing


def project_of(server, region=REGION):
    return next(line.split()[1] for line in server.cli("regions").splitlines() if line.startswith(region + " "))


@pytest.fixture(scope="module")
def elb(server):
    credentials = BasicCredentials(AK, SK, project_of(server))
    return ElbClient.new_builder().with_credentials(credentials).with_endpoint(f"http://{server.endpoint}").build()


def expect(status, code, call, *args, **kwargs):
    """The call fails with this HTTP status and ELB error code (and a request id, as the SDK reads it)."""
    with pytest.raises(ClientRequestException) as raised:
        call(*args, **kwargs)
    assert (raised.value.status_code, raised.value.error_code) == (status, code), raised.value.error_msg
    assert raised.value.request_id
    return raised.value


def ignore_errors(action):
    try:
        action()
        return True
    except ClientRequestException as error:
        return error.status_code == 404
    except Exception:  # noqa: BLE001 - cleanup is best effort
        return False


@pytest.fixture
def cleanup():
    """A stack of undo actions, run newest first after the test. Actions that fail (say, a pool still in use because
    its listener comes later in the stack) get two more passes; 404s count as done."""
    actions = []
    yield actions
    for _ in range(3):
        actions = [action for action in reversed(actions) if not ignore_errors(action)]
        actions.reverse()
        if not actions:
            break


def create_certificate(elb, **fields):
    return elb.create_certificate(CreateCertificateRequest(CreateCertificateRequestBody(
        certificate=CreateCertificateOption(**fields)))).certificate


def delete_certificate(elb, certificate_id):
    return elb.delete_certificate(DeleteCertificateRequest(certificate_id=certificate_id))


def create_lb(elb, cleanup, **fields):
    response = elb.create_load_balancer(CreateLoadBalancerRequest(CreateLoadBalancerRequestBody(
        loadbalancer=CreateLoadBalancerOption(**fields))))
    assert response.status_code == 201
    balancer = response.loadbalancer
    cleanup.append(lambda: elb.delete_load_balancer(DeleteLoadBalancerRequest(loadbalancer_id=balancer.id)))
    return balancer


def show_lb(elb, balancer_id):
    return elb.show_load_balancer(ShowLoadBalancerRequest(loadbalancer_id=balancer_id)).loadbalancer


def create_listener(elb, cleanup, **fields):
    response = elb.create_listener(CreateListenerRequest(CreateListenerRequestBody(listener=CreateListenerOption(**fields))))
    assert response.status_code == 201
    listener = response.listener
    cleanup.append(lambda: elb.delete_listener(DeleteListenerRequest(listener_id=listener.id)))
    return listener


def try_create_listener(elb, **fields):
    """A create that is expected to fail (no cleanup registered)."""
    return elb.create_listener(CreateListenerRequest(CreateListenerRequestBody(listener=CreateListenerOption(**fields))))


def update_listener(elb, listener_id, **fields):
    response = elb.update_listener(UpdateListenerRequest(listener_id=listener_id, body=UpdateListenerRequestBody(
        listener=UpdateListenerOption(**fields))))
    assert response.status_code == 200
    return response.listener


def show_listener(elb, listener_id):
    return elb.show_listener(ShowListenerRequest(listener_id=listener_id)).listener


def create_pool(elb, cleanup, **fields):
    response = elb.create_pool(CreatePoolRequest(CreatePoolRequestBody(pool=CreatePoolOption(**fields))))
    assert response.status_code == 201
    pool = response.pool
    cleanup.append(lambda: elb.delete_pool(DeletePoolRequest(pool_id=pool.id)))
    return pool


def create_member(elb, cleanup, pool_id, **fields):
    response = elb.create_member(CreateMemberRequest(pool_id=pool_id, body=CreateMemberRequestBody(
        member=CreateMemberOption(**fields))))
    assert response.status_code == 201
    member = response.member
    cleanup.append(lambda: elb.delete_member(DeleteMemberRequest(pool_id=pool_id, member_id=member.id)))
    return member


def member_status(elb, pool_id, member_id):
    return elb.show_member(ShowMemberRequest(pool_id=pool_id, member_id=member_id)).member.operating_status


def create_monitor(elb, cleanup, **fields):
    response = elb.create_health_monitor(CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(
        healthmonitor=CreateHealthMonitorOption(**fields))))
    assert response.status_code == 201
    monitor = response.healthmonitor
    cleanup.append(lambda: elb.delete_health_monitor(DeleteHealthMonitorRequest(healthmonitor_id=monitor.id)))
    return monitor


def update_monitor(elb, monitor_id, **fields):
    return elb.update_health_monitor(UpdateHealthMonitorRequest(healthmonitor_id=monitor_id, body=UpdateHealthMonitorRequestBody(
        healthmonitor=UpdateHealthMonitorOption(**fields)))).healthmonitor


def create_policy(elb, cleanup, **fields):
    response = elb.create_security_policy(CreateSecurityPolicyRequest(CreateSecurityPolicyRequestBody(
        security_policy=CreateSecurityPolicyOption(**fields))))
    assert response.status_code == 201
    policy = response.security_policy
    cleanup.append(lambda: elb.delete_security_policy(DeleteSecurityPolicyRequest(security_policy_id=policy.id)))
    return policy


def ids(references):
    return [reference.id for reference in references or []]


@pytest.fixture(scope="module")
def certs(elb, pki):
    """Certificates most tests bind, created through the Huawei API; deleted when the module is done."""
    made = {}

    def server(key, chain, private_key, **fields):
        made[key] = create_certificate(elb, certificate=pki.pem(chain), private_key=pki.pem(private_key), name=f"hw-{key}",
                                       **fields).id

    server("default", "a.chain.pem", "a.key")
    server("wild", "sni-wild.chain.pem", "sni-wild.key", domain="*.sni.test")
    server("deep", "sni-deep.chain.pem", "sni-deep.key", domain="*.deep.sni.test")
    server("exact", "sni-exact.chain.pem", "sni-exact.key", domain="exact.sni.test")
    server("dual-rsa", "dual-rsa.chain.pem", "dual-rsa.key", domain="dual.sni.test")
    server("dual-ecc", "dual-ecc.chain.pem", "dual-ecc.key", domain="dual.sni.test")
    made["ca"] = create_certificate(elb, type="client", certificate=pki.pem("root.crt"), name="hw-ca").id
    made["other-ca"] = create_certificate(elb, type="client", certificate=pki.pem("other-ca.crt"), name="hw-other-ca").id
    made["sm"] = create_certificate(elb, type="server_sm", certificate=pki.pem("sm-sign.crt"), private_key=pki.pem("sm-sign.key"),
                                    enc_certificate=pki.pem("sm-enc.crt"), enc_private_key=pki.pem("sm-enc.key"),
                                    domain="sm.test", name="hw-sm").id
    yield made
    for certificate_id in made.values():
        ignore_errors(lambda: delete_certificate(elb, certificate_id))


@pytest.fixture(scope="module")
def shared_lb(elb):
    """One load balancer for the error tests, which must leave no listener on it."""
    actions = []
    balancer = create_lb(elb, actions, name="hw-errors")
    yield balancer
    for action in actions:
        ignore_errors(action)


@pytest.fixture
def backend():
    """Starts HTTP backends on free ports (each its own port) and stops them after the test."""
    started = []

    def start(name, host="127.0.0.1"):
        started.append(Backend(name, host, free_port(host)))
        return started[-1]

    yield start
    for running in started:
        running.close()


# ----------------------------------------------------------------------------------------------------------------
# Traffic


def wait_until(check, timeout=20, interval=0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
            last = result
        except Exception as error:  # noqa: BLE001 - keep trying until the deadline
            last = error
        time.sleep(interval)
    raise AssertionError(f"condition not reached in {timeout} s (last: {last!r})")


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


Leaf = collections.namedtuple("Leaf", "org cn key names")


def describe(pem):
    """Organization, common name, key type (RSA/EC) and DNS names of a PEM certificate."""
    text = subprocess.run(["openssl", "x509", "-noout", "-text", "-nameopt", "RFC2253"], input=pem, capture_output=True,
                          text=True, check=True).stdout
    subject = re.search(r"Subject: (.*)", text).group(1)
    org = re.search(r"(?:^|,)O=([^,]+)", subject)
    cn = re.search(r"(?:^|,)CN=([^,]+)", subject)
    algorithm = re.search(r"Public Key Algorithm: (\S+)", text).group(1)
    return Leaf(org.group(1) if org else None, cn.group(1) if cn else None,
                "EC" if algorithm == "id-ecPublicKey" else "RSA" if algorithm == "rsaEncryption" else algorithm,
                re.findall(r"DNS:([^,\s]+)", text))


Handshake = collections.namedtuple("Handshake", "protocol cipher leaf")


def handshake(port, servername=None, *options):
    """An `openssl s_client` handshake with 127.0.0.1:port: (protocol, cipher, leaf), or None when it fails.
    servername None sends no SNI."""
    command = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}"]
    command += ["-servername", servername] if servername else ["-noservername"]
    result = subprocess.run(command + list(options), input="", capture_output=True, text=True, timeout=20)
    # "New, <version>, Cipher is <suite>" names the version that introduced the suite (TLSv1.0 for a TLS 1.1
    # handshake with ECDHE-RSA-AES128-SHA); the negotiated version is in the SSL-Session block, which TLS 1.3
    # handshakes (whose suites exist only in 1.3) may not print when stdin closes at once.
    negotiated = re.search(r"^New, (\S+), Cipher is (\S+)", result.stdout, re.M)
    session = re.search(r"^\s+Protocol\s*: (\S+)", result.stdout, re.M)
    pem = re.search(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", result.stdout, re.S)
    if result.returncode != 0 or not negotiated or negotiated.group(2) == "(NONE)" or not pem:
        return None
    protocol = session.group(1) if session else negotiated.group(1)
    return Handshake(protocol, negotiated.group(2), describe(pem.group(0)))


def served(port, servername=None, *options):
    """The organization of the leaf a handshake gets (None if the handshake fails)."""
    result = handshake(port, servername, *options)
    return result.leaf.org if result else None


def python_leaf(port, servername):
    """The leaf Python's ssl module gets, without verification (servername None: no SNI)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=servername) as tls:
            return describe(ssl.DER_cert_to_PEM_cert(tls.getpeercert(binary_form=True)))


def https_get(port, host, pki, path="/", cert=None):
    """A verified HTTPS request with Python's ssl (chain to the test root, host name checked): (status, body, peer)."""
    context = ssl.create_default_context(cafile=pki.path("root.crt"))
    if cert:
        context.load_cert_chain(pki.path(cert + ".crt"), pki.path(cert + ".key"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname=host)
    try:
        peer = connection.sock.getpeercert()
        connection.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = connection.getresponse()
        return response.status, response.read(), peer
    finally:
        connection.close()


def backend_of(port, host, pki, **kwargs):
    """Which backend answered a verified HTTPS request (asserting 200)."""
    status, body, _ = https_get(port, host, pki, **kwargs)
    assert status == 200, (status, body)
    return json.loads(body)["backend"]


def curl(port, host, pki, path="/", extra=()):
    """curl over HTTPS with the test root, host resolved to 127.0.0.1: (status, body); status 0 when TLS fails."""
    command = ["curl", "-s", "--max-time", "10", "--cacert", pki.path("root.crt"), "--resolve", f"{host}:{port}:127.0.0.1",
               *extra, f"https://{host}:{port}{path}", "-w", "\n%{http_code}"]
    result = subprocess.run(command, capture_output=True, text=True)
    body, _, status = result.stdout.rpartition("\n")
    return int(status or 0), body


def http_get(port, path="/"):
    """Plain HTTP to 127.0.0.1:port: (status, body)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_backend(port, path="/"):
    status, body = http_get(port, path)
    assert status == 200, (status, body)
    return json.loads(body)


# ----------------------------------------------------------------------------------------------------------------
# (1) A full build through the SDK


def test_full_build_round_robin_over_tls(elb, certs, pki, backend, cleanup):
    """Load balancer -> pool -> two members on their own ports -> HTTPS listener: round robin over real TLS, then
    tear-down in the order ELB demands."""
    m1, m2 = backend("m1"), backend("m2")
    assert m1.port != m2.port
    balancer = create_lb(elb, cleanup, name="hw-web", description="built by the SDK")
    assert balancer.vip_address == "127.0.0.1" and balancer.provisioning_status == "ACTIVE"
    assert balancer.name == "hw-web" and ids(balancer.listeners) == [] and ids(balancer.pools) == []
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN", name="web")
    assert (pool.protocol, pool.lb_algorithm) == ("HTTP", "ROUND_ROBIN") and ids(pool.loadbalancers) == [balancer.id]
    members = [create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=b.port, name=b.name) for b in (m1, m2)]
    assert [(m.address, m.protocol_port, m.weight) for m in members] == [("127.0.0.1", m1.port, 1), ("127.0.0.1", m2.port, 1)]
    listed = elb.list_members(ListMembersRequest(pool_id=pool.id)).members
    assert sorted(m.id for m in listed) == sorted(m.id for m in members)
    assert sorted(ids(elb.show_pool(ShowPoolRequest(pool_id=pool.id)).pool.members)) == sorted(m.id for m in members)

    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port, name="https",
                               default_tls_container_ref=certs["default"], default_pool_id=pool.id)
    assert port_open(port)  # bound by the create call: no start call
    assert (listener.protocol, listener.protocol_port, listener.default_pool_id) == ("HTTPS", port, pool.id)
    assert listener.default_tls_container_ref == certs["default"] and ids(listener.loadbalancers) == [balancer.id]
    shown = show_lb(elb, balancer.id)
    assert ids(shown.listeners) == [listener.id] and ids(shown.pools) == [pool.id]

    # Round robin over verified TLS (chain to the root, host name a.test). The very first request after the 201
    # must already be served: no start call, no grace period.
    assert backend_of(port, "a.test", pki) in {"m1", "m2"}
    answers = collections.Counter(backend_of(port, "a.test", pki) for _ in range(10))
    assert set(answers) == {"m1", "m2"} and min(answers.values()) >= 3, answers
    status, body, peer = https_get(port, "www.a.test", pki, path="/round")
    assert status == 200 and json.loads(body)["path"] == "/round"
    assert ("organizationName", "Gatehouse A") in [field for rdn in peer["subject"] for field in rdn]
    assert json.loads(body)["headers"]["x-forwarded-for"] == "127.0.0.1"
    status, body = curl(port, "a.test", pki)
    assert status == 200 and json.loads(body)["backend"] in {"m1", "m2"}
    full = handshake(port, "a.test", "-CAfile", pki.path("root.crt"), "-verify_return_error")
    assert full and full.leaf.org == ORG["default"] and full.protocol == "TLSv1.2"  # tls-1-2 is the default policy
    for member in members:  # no health monitor: members are usable
        assert member_status(elb, pool.id, member.id) in ("ONLINE", "NO_MONITOR")

    # Tear-down: a load balancer with listeners or pools cannot go.
    expect(409, "ELB.8907", elb.delete_load_balancer, DeleteLoadBalancerRequest(loadbalancer_id=balancer.id))
    assert elb.delete_listener(DeleteListenerRequest(listener_id=listener.id)).status_code == 204
    wait_until(lambda: not port_open(port), timeout=10)
    expect(404, "ELB.8904", elb.show_listener, ShowListenerRequest(listener_id=listener.id))
    assert ids(show_lb(elb, balancer.id).listeners) == []
    expect(409, "ELB.8907", elb.delete_load_balancer, DeleteLoadBalancerRequest(loadbalancer_id=balancer.id))
    for member in members:
        assert elb.delete_member(DeleteMemberRequest(pool_id=pool.id, member_id=member.id)).status_code == 204
    expect(404, "ELB.8904", elb.show_member, ShowMemberRequest(pool_id=pool.id, member_id=members[0].id))
    assert elb.delete_pool(DeletePoolRequest(pool_id=pool.id)).status_code == 204
    assert elb.delete_load_balancer(DeleteLoadBalancerRequest(loadbalancer_id=balancer.id)).status_code == 204
    expect(404, "ELB.8904", elb.show_load_balancer, ShowLoadBalancerRequest(loadbalancer_id=balancer.id))


def test_listener_attributes(elb, certs, cleanup):
    """TERMINATED_HTTPS is HTTPS; the ELB defaults (wildcard SNI matching, tls-1-2) and the echoed attributes."""
    balancer = create_lb(elb, cleanup, name="hw-attributes")
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="TERMINATED_HTTPS", protocol_port=port,
                               name="attrs", description="echo", default_tls_container_ref=certs["default"],
                               http2_enable=True, keepalive_timeout=120, client_timeout=30, member_timeout=40)
    assert port_open(port)
    for shown in (listener, show_listener(elb, listener.id)):
        assert (shown.protocol, shown.protocol_port, shown.name, shown.description) == ("HTTPS", port, "attrs", "echo")
        assert (shown.sni_match_algo, shown.tls_ciphers_policy, shown.sni_container_refs) == ("wildcard", "tls-1-2", [])
        assert shown.http2_enable is True
        assert (shown.keepalive_timeout, shown.client_timeout, shown.member_timeout) == (120, 30, 40)
        assert not shown.client_ca_tls_container_ref and not shown.default_pool_id
    listed = elb.list_listeners(ListListenersRequest(loadbalancer_id=[balancer.id])).listeners
    assert [l.id for l in listed] == [listener.id]
    updated = update_listener(elb, listener.id, name="renamed", keepalive_timeout=300, http2_enable=False)
    assert (updated.name, updated.keepalive_timeout, updated.http2_enable, updated.protocol_port) == ("renamed", 300, False, port)
    assert served(port, "a.test") == ORG["default"]


# ----------------------------------------------------------------------------------------------------------------
# (2) SNI: wildcard vs longest_suffix


def test_sni_wildcard_and_longest_suffix(elb, certs, pki, backend, cleanup):
    web = backend("sni")
    balancer = create_lb(elb, cleanup, name="hw-sni")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=web.port)
    port = free_port()
    sni = [certs["wild"], certs["deep"], certs["exact"]]
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                               default_tls_container_ref=certs["default"], sni_container_refs=sni, default_pool_id=pool.id)
    assert listener.sni_match_algo == "wildcard" and sorted(listener.sni_container_refs) == sorted(sni)

    def check(algorithm):
        for name, under_wildcard, under_suffix in SNI_CASES:
            want = ORG[under_wildcard if algorithm == "wildcard" else under_suffix]
            assert served(port, name) == want, (algorithm, name)

    wait_until(lambda: served(port, "a.sni.test") == ORG["wild"], timeout=5)
    check("wildcard")
    assert python_leaf(port, None).org == ORG["default"]
    assert python_leaf(port, "q.r.sni.test").org == ORG["default"]
    assert python_leaf(port, "x.deep.sni.test").org == ORG["deep"]
    # An SNI certificate verifies for its names and proxies like the default one.
    assert backend_of(port, "a.sni.test", pki) == "sni" and backend_of(port, "exact.sni.test", pki) == "sni"
    status, body = curl(port, "x.deep.sni.test", pki)
    assert status == 200 and json.loads(body)["backend"] == "sni"

    # Switching the algorithm reaches new handshakes at once.
    assert update_listener(elb, listener.id, sni_match_algo="longest_suffix").sni_match_algo == "longest_suffix"
    assert show_listener(elb, listener.id).sni_match_algo == "longest_suffix"
    wait_until(lambda: served(port, "y.x.deep.sni.test") == ORG["deep"], timeout=5)
    check("longest_suffix")
    assert python_leaf(port, "q.r.sni.test").org == ORG["wild"]
    assert python_leaf(port, "y.x.deep.sni.test").org == ORG["deep"]
    update_listener(elb, listener.id, sni_match_algo="wildcard")
    wait_until(lambda: served(port, "y.x.deep.sni.test") == ORG["default"], timeout=5)
    check("wildcard")

    # A certificate bound through sni_container_refs cannot be deleted; an empty list unbinds them all.
    expect(409, "ELB.8907", delete_certificate, elb, certs["wild"])
    assert update_listener(elb, listener.id, sni_container_refs=[]).sni_container_refs == []
    wait_until(lambda: served(port, "a.sni.test") == ORG["default"], timeout=5)
    assert served(port, "exact.sni.test") == ORG["default"]
    assert show_listener(elb, listener.id).sni_container_refs == []


# ----------------------------------------------------------------------------------------------------------------
# (3) One domain, an ECC and an RSA certificate


def test_ecc_preferred_over_rsa_for_one_domain(elb, certs, pki, backend, cleanup):
    web = backend("dual")
    balancer = create_lb(elb, cleanup, name="hw-dual")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=web.port)
    port = free_port()
    # RSA listed first, so that picking ECC is a preference and not list order.
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                               default_tls_container_ref=certs["default"], default_pool_id=pool.id,
                               sni_container_refs=[certs["dual-rsa"], certs["dual-ecc"]])
    wait_until(lambda: served(port, "dual.sni.test"), timeout=5)
    default = handshake(port, "dual.sni.test")
    assert (default.leaf.org, default.leaf.key, default.protocol) == (ORG["dual-ecc"], "EC", "TLSv1.2")
    assert "ECDSA" in default.cipher
    rsa_only = handshake(port, "dual.sni.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
    assert (rsa_only.leaf.org, rsa_only.leaf.key, rsa_only.cipher) == (ORG["dual-rsa"], "RSA", "ECDHE-RSA-AES128-GCM-SHA256")
    ecdsa_only = handshake(port, "dual.sni.test", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")
    assert (ecdsa_only.leaf.org, ecdsa_only.leaf.key) == (ORG["dual-ecc"], "EC")
    assert served(port, "a.test") == ORG["default"]  # other names still get the default certificate
    status, body, peer = https_get(port, "dual.sni.test", pki)
    assert status == 200 and json.loads(body)["backend"] == "dual"
    assert ("organizationName", ORG["dual-ecc"]) in [field for rdn in peer["subject"] for field in rdn]
    assert curl(port, "dual.sni.test", pki, extra=["--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384"])[0] == 200

    # With TLS 1.3 the signature algorithms decide.
    update_listener(elb, listener.id, tls_ciphers_policy="tls-1-2-fs-with-1-3")
    wait_until(lambda: handshake(port, "dual.sni.test").protocol == "TLSv1.3", timeout=5)
    assert handshake(port, "dual.sni.test").leaf.key == "EC"
    rsa13 = handshake(port, "dual.sni.test", "-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256:RSA+SHA256")
    assert (rsa13.protocol, rsa13.leaf.org, rsa13.leaf.key) == ("TLSv1.3", ORG["dual-rsa"], "RSA")
    ecdsa13 = handshake(port, "dual.sni.test", "-tls1_3", "-sigalgs", "ecdsa_secp256r1_sha256")
    assert (ecdsa13.protocol, ecdsa13.leaf.org) == ("TLSv1.3", ORG["dual-ecc"])


# ----------------------------------------------------------------------------------------------------------------
# (4) Mutual TLS


def test_mutual_tls(elb, certs, pki, backend, cleanup):
    web = backend("mtls")
    balancer = create_lb(elb, cleanup, name="hw-mtls")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=web.port)
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                               default_tls_container_ref=certs["default"], client_ca_tls_container_ref=certs["ca"],
                               default_pool_id=pool.id)
    assert show_listener(elb, listener.id).client_ca_tls_container_ref == certs["ca"]
    with_client = ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")]
    with_rogue = ["--cert", pki.path("rogue.crt"), "--key", pki.path("rogue.key")]
    wait_until(lambda: curl(port, "a.test", pki, extra=with_client)[0] == 200, timeout=5)
    assert json.loads(curl(port, "a.test", pki, extra=with_client)[1])["backend"] == "mtls"
    assert backend_of(port, "a.test", pki, cert="client") == "mtls"
    assert curl(port, "a.test", pki)[0] == 0  # no client certificate
    assert curl(port, "a.test", pki, extra=with_rogue)[0] == 0  # issued by another CA
    served_before = web.requests

    # Another CA through an update: the running listener trusts the new CA at once.
    update_listener(elb, listener.id, client_ca_tls_container_ref=certs["other-ca"])
    assert show_listener(elb, listener.id).client_ca_tls_container_ref == certs["other-ca"]
    wait_until(lambda: curl(port, "a.test", pki, extra=with_rogue)[0] == 200, timeout=5)
    assert curl(port, "a.test", pki, extra=with_client)[0] == 0
    assert curl(port, "a.test", pki)[0] == 0
    assert web.requests > served_before


# ----------------------------------------------------------------------------------------------------------------
# (5) Health monitors


def test_health_monitor_takes_failing_members_out(elb, backend, cleanup):
    b1, b2 = backend("b1"), backend("b2")
    dead_port = free_port()  # nothing listens here
    balancer = create_lb(elb, cleanup, name="hw-health")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    live1 = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=b1.port)
    live2 = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=b2.port)
    dead = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=dead_port)
    port = free_port()
    create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", protocol_port=port, default_pool_id=pool.id)
    statuses = lambda: {name: member_status(elb, pool.id, m.id) for name, m in (("b1", live1), ("b2", live2), ("dead", dead))}
    assert set(statuses().values()) <= {"ONLINE", "NO_MONITOR"}  # no monitor yet

    monitor = create_monitor(elb, cleanup, pool_id=pool.id, type="HTTP", delay=1, timeout=1, max_retries=2, max_retries_down=2,
                             url_path="/health", expected_codes="200", http_method="GET", name="hm")
    assert (monitor.type, monitor.delay, monitor.timeout, monitor.max_retries, monitor.max_retries_down) == ("HTTP", 1, 1, 2, 2)
    assert (monitor.url_path, monitor.expected_codes, monitor.http_method) == ("/health", "200", "GET")
    assert ids(monitor.pools) == [pool.id]
    assert elb.show_health_monitor(ShowHealthMonitorRequest(healthmonitor_id=monitor.id)).healthmonitor.url_path == "/health"
    assert elb.show_pool(ShowPoolRequest(pool_id=pool.id)).pool.healthmonitor_id == monitor.id
    # One monitor per pool.
    expect(409, "ELB.8907", elb.create_health_monitor, CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(
        healthmonitor=CreateHealthMonitorOption(pool_id=pool.id, type="TCP", delay=1, timeout=1, max_retries=2))))

    wait_until(lambda: statuses() == {"b1": "ONLINE", "b2": "ONLINE", "dead": "OFFLINE"})
    answers = collections.Counter(http_backend(port)["backend"] for _ in range(12))  # never the dead member (502)
    assert set(answers) == {"b1", "b2"}, answers

    b2.health_status = 500
    wait_until(lambda: statuses()["b2"] == "OFFLINE")
    assert {http_backend(port)["backend"] for _ in range(8)} == {"b1"}
    b2.health_status = 200
    wait_until(lambda: statuses() == {"b1": "ONLINE", "b2": "ONLINE", "dead": "OFFLINE"})
    assert {http_backend(port)["backend"] for _ in range(8)} == {"b1", "b2"}

    # expected_codes: a list that excludes 200 takes every member out; a range that includes it brings them back.
    assert update_monitor(elb, monitor.id, expected_codes="201,202").expected_codes == "201,202"
    wait_until(lambda: set(statuses().values()) == {"OFFLINE"})
    update_monitor(elb, monitor.id, expected_codes="200-204")
    wait_until(lambda: statuses() == {"b1": "ONLINE", "b2": "ONLINE", "dead": "OFFLINE"})
    update_monitor(elb, monitor.id, expected_codes="200,202")
    time.sleep(3)
    assert statuses() == {"b1": "ONLINE", "b2": "ONLINE", "dead": "OFFLINE"}

    assert elb.delete_health_monitor(DeleteHealthMonitorRequest(healthmonitor_id=monitor.id)).status_code == 204
    expect(404, "ELB.8904", elb.show_health_monitor, ShowHealthMonitorRequest(healthmonitor_id=monitor.id))
    assert not elb.show_pool(ShowPoolRequest(pool_id=pool.id)).pool.healthmonitor_id


def test_tcp_listener_with_tcp_health_monitor(elb, backend, cleanup):
    live = backend("tcp-live")
    balancer = create_lb(elb, cleanup, name="hw-tcp")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="TCP", lb_algorithm="LEAST_CONNECTIONS")
    assert (pool.protocol, pool.lb_algorithm) == ("TCP", "LEAST_CONNECTIONS")
    up = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=live.port)
    down = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=free_port())
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="TCP", protocol_port=port, default_pool_id=pool.id)
    assert listener.protocol == "TCP" and port_open(port)
    create_monitor(elb, cleanup, pool_id=pool.id, type="TCP", delay=1, timeout=1, max_retries=1, max_retries_down=1)
    wait_until(lambda: (member_status(elb, pool.id, up.id), member_status(elb, pool.id, down.id)) == ("ONLINE", "OFFLINE"))
    for _ in range(6):
        answer = http_backend(port, "/tcp")
        # TCP passes bytes through: the backend sees the client's own request, no X-Forwarded-For.
        assert answer["backend"] == "tcp-live" and answer["path"] == "/tcp" and "x-forwarded-for" not in answer["headers"]


def test_tls_listener_terminates_and_relays(elb, certs, pki, backend, cleanup):
    """A TLS listener terminates TLS (certificate, SNI) and relays the decrypted bytes to a TCP pool: an HTTPS client
    reaches a plain HTTP backend, which sees the client's own request and no X-Forwarded-For."""
    live = backend("tls-live")
    balancer = create_lb(elb, cleanup, name="hw-tls")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="TCP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=live.port)
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="TLS", protocol_port=port,
                               default_pool_id=pool.id, default_tls_container_ref=certs["default"],
                               sni_container_refs=[certs["wild"]], tls_ciphers_policy="tls-1-2-fs-with-1-3")
    assert (listener.protocol, listener.tls_ciphers_policy) == ("TLS", "tls-1-2-fs-with-1-3")
    status, body = curl(port, "a.test", pki, path="/over-tls")
    answer = json.loads(body)
    assert status == 200 and answer["backend"] == "tls-live" and answer["path"] == "/over-tls"
    assert "x-forwarded-for" not in answer["headers"]
    assert served(port, "x.sni.test") == ORG["wild"] and served(port) == ORG["default"]
    # The policy is enforced: no TLS 1.1, no suite outside it.
    assert handshake(port, "a.test", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0") is None
    assert handshake(port, "a.test", "-tls1_2", "-cipher", "AES128-SHA") is None
    # A TCP pool is required: an HTTP pool is refused, and TLS fields are refused on TCP listeners.
    http_pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    expect(400, "ELB.8902", update_listener, elb, listener.id, default_pool_id=http_pool.id)
    expect(400, "ELB.8902", update_listener, elb, listener.id, http2_enable=True)
    expect(400, "ELB.8902", try_create_listener, elb, loadbalancer_id=balancer.id, protocol="TCP", protocol_port=free_port(),
           default_tls_container_ref=certs["default"])


# ----------------------------------------------------------------------------------------------------------------
# HTTP listeners, pools attached through listener_id, weights and default pool changes


def test_http_listener_pools_and_weights(elb, backend, cleanup):
    b1, idle, b2 = backend("w1"), backend("w0"), backend("pool2")
    balancer = create_lb(elb, cleanup, name="hw-http")
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", protocol_port=port,
                               insert_headers=ListenerInsertHeaders(x_forwarded_elb_ip=True))
    assert port_open(port) and listener.insert_headers.x_forwarded_elb_ip is True
    # A pool created with listener_id becomes that listener's default pool.
    pool = create_pool(elb, cleanup, listener_id=listener.id, protocol="HTTP", lb_algorithm="LEAST_CONNECTIONS")
    assert ids(pool.listeners) == [listener.id] and ids(pool.loadbalancers) == [balancer.id]
    assert show_listener(elb, listener.id).default_pool_id == pool.id
    assert pool.id in ids(show_lb(elb, balancer.id).pools)
    member = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=b1.port)
    assert member.weight == 1  # the default
    zero = create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=idle.port, weight=0)
    assert zero.weight == 0
    wait_until(lambda: http_backend(port), timeout=5)
    answers = [http_backend(port, "/w") for _ in range(8)]
    assert {a["backend"] for a in answers} == {"w1"} and idle.requests == 0  # weight 0: no new requests
    headers = answers[0]["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1" and headers["x-forwarded-elb-ip"] == "127.0.0.1"

    # Changing the default pool reaches the running listener.
    second = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, second.id, address="127.0.0.1", protocol_port=b2.port, weight=100)
    assert update_listener(elb, listener.id, default_pool_id=second.id).default_pool_id == second.id
    wait_until(lambda: http_backend(port)["backend"] == "pool2", timeout=5)
    assert {http_backend(port)["backend"] for _ in range(6)} == {"pool2"}

    # SOURCE_IP may not be supported: a clean 400 then, else it is echoed.
    try:
        hashed = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="SOURCE_IP")
    except ClientRequestException as error:
        assert (error.status_code, error.error_code) == (400, "ELB.8902")
    else:
        assert hashed.lb_algorithm == "SOURCE_IP"


# ----------------------------------------------------------------------------------------------------------------
# (6) Security policies


def test_system_security_policies(elb):
    response = elb.list_system_security_policies(ListSystemSecurityPoliciesRequest())
    assert response.status_code == 200
    policies = {p.name: p for p in response.system_security_policies}
    assert {"tls-1-0", "tls-1-1", "tls-1-2", "tls-1-2-strict", "tls-1-2-fs", "tls-1-0-with-1-3", "tls-1-2-fs-with-1-3",
            "tls-1-2-strict-no-cbc", "hybrid-policy-1-0"} <= set(policies)
    assert policies["tls-1-2"].protocols.split() == ["TLSv1.2"]
    assert set(policies["tls-1-0"].protocols.split()) == {"TLSv1", "TLSv1.1", "TLSv1.2"}
    assert set(policies["tls-1-1"].protocols.split()) == {"TLSv1.1", "TLSv1.2"}
    assert "TLSv1.3" in policies["tls-1-0-with-1-3"].protocols.split()
    assert "TLSv1.3" in policies["tls-1-2-fs-with-1-3"].protocols.split()
    assert "ECDHE-RSA-AES128-GCM-SHA256" in policies["tls-1-2"].ciphers.split(":")
    assert all(c.startswith("ECDHE-") for c in policies["tls-1-2-fs"].ciphers.split(":") if not c.startswith("TLS_"))


def test_custom_security_policy_is_enforced(elb, certs, cleanup):
    balancer = create_lb(elb, cleanup, name="hw-policy")
    port = free_port()
    legacy = ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                               default_tls_container_ref=certs["default"], tls_ciphers_policy="tls-1-0")
    assert listener.tls_ciphers_policy == "tls-1-0"
    wait_until(lambda: handshake(port, "a.test", *legacy), timeout=5)
    assert handshake(port, "a.test", *legacy).protocol == "TLSv1.1"  # the system policy allows TLS 1.1

    strict = create_policy(elb, cleanup, name="only-1-2", protocols=["TLSv1.2"],
                           ciphers=["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"])
    assert strict.protocols == ["TLSv1.2"]
    assert sorted(strict.ciphers) == ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"]
    assert elb.show_security_policy(ShowSecurityPolicyRequest(security_policy_id=strict.id)).security_policy.name == "only-1-2"
    assert update_listener(elb, listener.id, security_policy_id=strict.id).security_policy_id == strict.id
    assert show_listener(elb, listener.id).security_policy_id == strict.id
    wait_until(lambda: handshake(port, "a.test", *legacy) is None, timeout=5)
    assert handshake(port, "a.test", "-tls1_2").cipher == "ECDHE-RSA-AES128-GCM-SHA256"
    assert handshake(port, "a.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384") is None  # not in the policy
    assert handshake(port, "a.test", "-tls1_3") is None
    expect(409, "ELB.8907", elb.delete_security_policy, DeleteSecurityPolicyRequest(security_policy_id=strict.id))

    # Another custom policy with TLS 1.3, switched in with an update.
    modern = create_policy(elb, cleanup, name="modern-1-3", protocols=["TLSv1.2", "TLSv1.3"],
                           ciphers=["ECDHE-RSA-AES256-GCM-SHA384", "TLS_AES_128_GCM_SHA256"])
    assert sorted(modern.protocols) == ["TLSv1.2", "TLSv1.3"]
    update_listener(elb, listener.id, security_policy_id=modern.id)
    wait_until(lambda: handshake(port, "a.test", "-tls1_3"), timeout=5)
    assert handshake(port, "a.test", "-tls1_3").protocol == "TLSv1.3"
    assert handshake(port, "a.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384").cipher == "ECDHE-RSA-AES256-GCM-SHA384"
    assert handshake(port, "a.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256") is None
    assert elb.delete_security_policy(DeleteSecurityPolicyRequest(security_policy_id=strict.id)).status_code == 204

    # security_policy_id wins over tls_ciphers_policy when both are given.
    both_port = free_port()
    both = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=both_port,
                           default_tls_container_ref=certs["default"], tls_ciphers_policy="tls-1-0", security_policy_id=modern.id)
    assert both.security_policy_id == modern.id
    wait_until(lambda: handshake(both_port, "a.test", "-tls1_3"), timeout=5)
    assert handshake(both_port, "a.test", *legacy) is None
    expect(409, "ELB.8907", elb.delete_security_policy, DeleteSecurityPolicyRequest(security_policy_id=modern.id))
    for listener_id in (listener.id, both.id):
        elb.delete_listener(DeleteListenerRequest(listener_id=listener_id))
    assert elb.delete_security_policy(DeleteSecurityPolicyRequest(security_policy_id=modern.id)).status_code == 204


# ----------------------------------------------------------------------------------------------------------------
# (7) Errors


def assert_no_listener(elb, balancer_id, port):
    assert ids(show_lb(elb, balancer_id).listeners) == []
    listed = elb.list_listeners(ListListenersRequest(loadbalancer_id=[balancer_id])).listeners
    assert [l for l in listed if l.protocol_port == port] == []
    assert not port_open(port)


@pytest.mark.parametrize("protocol", ["UDP", "QUIC", "IP"])
def test_unsupported_protocols_are_refused(elb, certs, shared_lb, protocol):
    port = free_port()
    expect(400, "ELB.8902", try_create_listener, elb, loadbalancer_id=shared_lb.id, protocol=protocol, protocol_port=port,
           default_tls_container_ref=certs["default"])
    assert_no_listener(elb, shared_lb.id, port)


def test_https_certificate_errors(elb, certs, pki, shared_lb, cleanup):
    port = free_port()
    https = dict(loadbalancer_id=shared_lb.id, protocol="HTTPS", protocol_port=port)
    expect(400, "ELB.8902", try_create_listener, elb, **https)  # no default_tls_container_ref
    expect(400, "ELB.8902", try_create_listener, elb, **https, default_tls_container_ref=certs["ca"])  # a client (CA) certificate
    expect(400, "ELB.8902", try_create_listener, elb, **https, default_tls_container_ref=certs["sm"])  # server_sm
    expect(404, "ELB.8904", try_create_listener, elb, **https, default_tls_container_ref=uuid.uuid4().hex)
    expect(400, "ELB.8902", try_create_listener, elb, **https, default_tls_container_ref=certs["default"],
           client_ca_tls_container_ref=certs["default"])  # a server certificate as the client CA
    ok = dict(https, default_tls_container_ref=certs["default"])
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["default"]])  # no domain
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["ca"]])  # not a server certificate
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["sm"]])
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_match_algo="regex")
    expect(400, "ELB.8902", try_create_listener, elb, **ok, tls_ciphers_policy="tls-9-9")
    # No domain twice, except one ECC and one RSA certificate for the same domain.
    wild_copy = create_certificate(elb, certificate=pki.pem("sni-wild.chain.pem"), private_key=pki.pem("sni-wild.key"),
                                   domain="*.sni.test", name="hw-wild-copy").id
    cleanup.append(lambda: delete_certificate(elb, wild_copy))
    ecc_copy = create_certificate(elb, certificate=pki.pem("dual-ecc.chain.pem"), private_key=pki.pem("dual-ecc.key"),
                                  domain="dual.sni.test", name="hw-ecc-copy").id
    cleanup.append(lambda: delete_certificate(elb, ecc_copy))
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["wild"], wild_copy])
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["dual-ecc"], ecc_copy])
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[certs["dual-rsa"], certs["dual-ecc"], ecc_copy])
    assert_no_listener(elb, shared_lb.id, port)

    # The same rules on update; a refused update changes nothing.
    listener = create_listener(elb, cleanup, **ok, sni_container_refs=[certs["dual-rsa"], certs["dual-ecc"]])
    for fields in (dict(sni_container_refs=[certs["wild"], wild_copy]), dict(default_tls_container_ref=certs["ca"]),
                   dict(default_tls_container_ref=certs["sm"]), dict(sni_match_algo="regex"),
                   dict(tls_ciphers_policy="tls-9-9")):
        expect(400, "ELB.8902", update_listener, elb, listener.id, **fields)
    shown = show_listener(elb, listener.id)
    assert sorted(shown.sni_container_refs) == sorted([certs["dual-rsa"], certs["dual-ecc"]])
    assert (shown.default_tls_container_ref, shown.sni_match_algo, shown.tls_ciphers_policy) == (certs["default"], "wildcard", "tls-1-2")
    wait_until(lambda: served(port, "dual.sni.test") in (ORG["dual-ecc"], ORG["dual-rsa"]), timeout=5)
    elb.delete_listener(DeleteListenerRequest(listener_id=listener.id))
    wait_until(lambda: not port_open(port), timeout=10)


def test_sni_list_limits(elb, certs, pki, shared_lb, cleanup):
    """At most 50 SNI certificates and 200 domains per listener."""
    chain, key = pki.pem("sni-many.chain.pem"), pki.pem("sni-many.key")  # covers d1..d210.many.sni.test

    def certificate(domains):
        made = create_certificate(elb, certificate=chain, private_key=key, domain=",".join(f"d{i}.many.sni.test" for i in domains)).id
        cleanup.append(lambda: delete_certificate(elb, made))
        return made

    singles = [certificate([i]) for i in range(1, 52)]
    port = free_port()
    ok = dict(loadbalancer_id=shared_lb.id, protocol="HTTPS", protocol_port=port, default_tls_container_ref=certs["default"])
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=singles)
    assert_no_listener(elb, shared_lb.id, port)
    fifty = create_listener(elb, cleanup, **ok, sni_container_refs=singles[:50])
    assert len(fifty.sni_container_refs) == 50
    wait_until(lambda: served(port, "d1.many.sni.test") == "Gatehouse SNI Many", timeout=5)
    assert served(port, "d50.many.sni.test") == "Gatehouse SNI Many" and served(port, "d51.many.sni.test") == ORG["default"]
    expect(400, "ELB.8902", update_listener, elb, fifty.id, sni_container_refs=singles)
    elb.delete_listener(DeleteListenerRequest(listener_id=fifty.id))
    wait_until(lambda: not port_open(port), timeout=10)

    first, second, third = certificate(range(1, 101)), certificate(range(101, 201)), certificate([201])
    port = free_port()
    ok["protocol_port"] = port
    expect(400, "ELB.8902", try_create_listener, elb, **ok, sni_container_refs=[first, second, third])  # 201 domains
    assert_no_listener(elb, shared_lb.id, port)
    two_hundred = create_listener(elb, cleanup, **ok, sni_container_refs=[first, second])  # exactly 200
    wait_until(lambda: served(port, "d1.many.sni.test") == "Gatehouse SNI Many", timeout=5)
    assert served(port, "d200.many.sni.test") == "Gatehouse SNI Many"
    expect(400, "ELB.8902", update_listener, elb, two_hundred.id, sni_container_refs=[first, second, third])


def test_port_conflicts_leave_nothing_behind(elb, certs, cleanup):
    balancer = create_lb(elb, cleanup, name="hw-ports")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        expect(409, "ELB.8907", try_create_listener, elb, loadbalancer_id=balancer.id, protocol="HTTP", protocol_port=busy)
        expect(409, "ELB.8907", try_create_listener, elb, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=busy,
               default_tls_container_ref=certs["default"])
        assert ids(show_lb(elb, balancer.id).listeners) == []
        assert elb.list_listeners(ListListenersRequest(loadbalancer_id=[balancer.id])).listeners == []
    # Nothing was left holding the port: once free, it can be used.
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", protocol_port=busy)
    assert port_open(busy) and ids(show_lb(elb, balancer.id).listeners) == [listener.id]
    # The same port again, on this load balancer or another one with the same address.
    expect(409, "ELB.8907", try_create_listener, elb, loadbalancer_id=balancer.id, protocol="TCP", protocol_port=busy)
    other = create_lb(elb, cleanup, name="hw-ports-2")
    assert other.vip_address == balancer.vip_address
    expect(409, "ELB.8907", try_create_listener, elb, loadbalancer_id=other.id, protocol="HTTP", protocol_port=busy)
    assert ids(show_lb(elb, other.id).listeners) == [] and ids(show_lb(elb, balancer.id).listeners) == [listener.id]
    assert port_open(busy)


def test_not_found(elb, certs, shared_lb):
    missing = str(uuid.uuid4())
    for call, request in [
        (elb.show_load_balancer, ShowLoadBalancerRequest(loadbalancer_id=missing)),
        (elb.delete_load_balancer, DeleteLoadBalancerRequest(loadbalancer_id=missing)),
        (elb.show_listener, ShowListenerRequest(listener_id=missing)),
        (elb.delete_listener, DeleteListenerRequest(listener_id=missing)),
        (elb.update_listener, UpdateListenerRequest(listener_id=missing, body=UpdateListenerRequestBody(
            listener=UpdateListenerOption(name="x")))),
        (elb.show_pool, ShowPoolRequest(pool_id=missing)),
        (elb.delete_pool, DeletePoolRequest(pool_id=missing)),
        (elb.list_members, ListMembersRequest(pool_id=missing)),
        (elb.create_member, CreateMemberRequest(pool_id=missing, body=CreateMemberRequestBody(
            member=CreateMemberOption(address="127.0.0.1", protocol_port=80)))),
        (elb.show_health_monitor, ShowHealthMonitorRequest(healthmonitor_id=missing)),
        (elb.delete_health_monitor, DeleteHealthMonitorRequest(healthmonitor_id=missing)),
        (elb.create_health_monitor, CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(
            healthmonitor=CreateHealthMonitorOption(pool_id=missing, type="TCP", delay=1, timeout=1, max_retries=1)))),
        (elb.show_security_policy, ShowSecurityPolicyRequest(security_policy_id=missing)),
        (elb.delete_security_policy, DeleteSecurityPolicyRequest(security_policy_id=missing)),
    ]:
        expect(404, "ELB.8904", call, request)
    port = free_port()
    expect(404, "ELB.8904", try_create_listener, elb, loadbalancer_id=missing, protocol="HTTP", protocol_port=port)
    expect(404, "ELB.8904", try_create_listener, elb, loadbalancer_id=shared_lb.id, protocol="HTTPS", protocol_port=port,
           default_tls_container_ref=certs["default"], security_policy_id=missing)
    expect(404, "ELB.8904", elb.create_pool, CreatePoolRequest(CreatePoolRequestBody(pool=CreatePoolOption(
        loadbalancer_id=missing, protocol="HTTP", lb_algorithm="ROUND_ROBIN"))))
    assert_no_listener(elb, shared_lb.id, port)


def test_bad_parameters(elb, shared_lb, cleanup):
    def pool(**fields):
        return elb.create_pool(CreatePoolRequest(CreatePoolRequestBody(pool=CreatePoolOption(
            **dict(dict(loadbalancer_id=shared_lb.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN"), **fields)))))

    expect(400, "ELB.8902", pool, protocol="FTP")
    expect(400, "ELB.8902", pool, lb_algorithm="RANDOM")
    expect(400, "ELB.8902", try_create_listener, elb, loadbalancer_id=shared_lb.id, protocol="HTTP", protocol_port=0)
    expect(400, "ELB.8902", try_create_listener, elb, loadbalancer_id=shared_lb.id, protocol="HTTP", protocol_port=70000)
    target = create_pool(elb, cleanup, loadbalancer_id=shared_lb.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")

    def member(**fields):
        return elb.create_member(CreateMemberRequest(pool_id=target.id, body=CreateMemberRequestBody(member=CreateMemberOption(
            **dict(dict(address="127.0.0.1", protocol_port=8080), **fields)))))

    for fields in (dict(weight=101), dict(weight=-1), dict(protocol_port=0), dict(protocol_port=70000),
                   dict(address="not-an-ip")):
        expect(400, "ELB.8902", member, **fields)
    assert ids(elb.show_pool(ShowPoolRequest(pool_id=target.id)).pool.members) == []
    expect(400, "ELB.8902", elb.create_health_monitor, CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(
        healthmonitor=CreateHealthMonitorOption(pool_id=target.id, type="PING", delay=1, timeout=1, max_retries=1))))

    def policy(**fields):
        return elb.create_security_policy(CreateSecurityPolicyRequest(CreateSecurityPolicyRequestBody(
            security_policy=CreateSecurityPolicyOption(**fields))))

    expect(400, "ELB.8902", policy, name="bad-version", protocols=["TLSv9"], ciphers=["ECDHE-RSA-AES128-GCM-SHA256"])
    expect(400, "ELB.8902", policy, name="bad-cipher", protocols=["TLSv1.2"], ciphers=["NOT-A-CIPHER"])


# ----------------------------------------------------------------------------------------------------------------
# (8) Certificate content replaced in place


def test_certificate_replaced_in_place_reaches_running_listener(elb, pki, backend, cleanup):
    web = backend("replace")
    live = create_certificate(elb, certificate=pki.pem("a.chain.pem"), private_key=pki.pem("a.key"), name="hw-live").id
    cleanup.append(lambda: delete_certificate(elb, live))
    balancer = create_lb(elb, cleanup, name="hw-replace")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=web.port)
    port = free_port()
    create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                    default_tls_container_ref=live, default_pool_id=pool.id)
    wait_until(lambda: backend_of(port, "a.test", pki) == "replace", timeout=5)
    assert served(port, "a.test") == ORG["default"]
    expect(409, "ELB.8907", delete_certificate, elb, live)  # in use as a default certificate
    updated = elb.update_certificate(UpdateCertificateRequest(certificate_id=live, body=UpdateCertificateRequestBody(
        certificate=UpdateCertificateOption(certificate=pki.pem("b.chain.pem"), private_key=pki.pem("b.key")))))
    assert (updated.certificate.id, updated.certificate.common_name) == (live, "b.test")
    wait_until(lambda: served(port, "b.test") == ORG["b"], timeout=5)
    assert served(port, None) == ORG["b"] and python_leaf(port, "a.test").key == "EC"
    assert backend_of(port, "www.b.test", pki) == "replace"  # b.test's chain verifies, for its own names
    assert curl(port, "a.test", pki)[0] == 0  # ... and no longer for a.test


# ----------------------------------------------------------------------------------------------------------------
# (9) One model, two APIs


def test_alibaba_certificate_on_huawei_listener(elb, server, pki, backend, cleanup):
    web = backend("cross")
    aliyun = make_aliyun(server.endpoint)
    uploaded = aliyun.call("UploadServerCertificate", {"RegionId": REGION, "ServerCertificate": pki.pem("a.chain.pem"),
                                                       "PrivateKey": pki.pem("a.key"), "ServerCertificateName": "from-clb"})
    certificate_id = uploaded["ServerCertificateId"]
    cleanup.append(lambda: aliyun.call("DeleteServerCertificate", {"RegionId": REGION, "ServerCertificateId": certificate_id}))
    balancer = create_lb(elb, cleanup, name="hw-cross")
    pool = create_pool(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTP", lb_algorithm="ROUND_ROBIN")
    create_member(elb, cleanup, pool.id, address="127.0.0.1", protocol_port=web.port)
    port = free_port()
    listener = create_listener(elb, cleanup, loadbalancer_id=balancer.id, protocol="HTTPS", protocol_port=port,
                               default_tls_container_ref=certificate_id, default_pool_id=pool.id)
    assert listener.default_tls_container_ref == certificate_id
    wait_until(lambda: backend_of(port, "a.test", pki) == "cross", timeout=5)
    assert curl(port, "www.a.test", pki)[0] == 200 and served(port, "a.test") == ORG["default"]
    expect(409, "ELB.8907", delete_certificate, elb, certificate_id)

    # The Huawei load balancer through the CLB API, in the project's region.
    [described] = aliyun.call("DescribeLoadBalancers", {"RegionId": REGION, "LoadBalancerId": balancer.id})["LoadBalancers"]["LoadBalancer"]
    assert (described["LoadBalancerId"], described["LoadBalancerName"], described["Address"]) == (balancer.id, "hw-cross", "127.0.0.1")
