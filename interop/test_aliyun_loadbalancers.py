"""Load balancers, backend servers, listener configuration and tags through both SDKs (no traffic here; see
test_aliyun_listeners.py for the data plane)."""
import json

import pytest

from clients import ApiError

REGION = "cn-hangzhou"


def expect(code, status, call, *args):
    with pytest.raises(ApiError) as raised:
        call(*args)
    assert (raised.value.code, raised.value.status) == (code, status), raised.value


def test_load_balancer_lifecycle_and_backends(client, server, pki):
    created = client.call("CreateLoadBalancer", {"RegionId": REGION, "LoadBalancerName": "shop", "AddressType": "intranet",
                                                 "Tag": [{"Key": "env", "Value": "test"}]})
    lb = created["LoadBalancerId"]
    assert lb.startswith("lb-") and created["Address"] == "127.0.0.1" and created["OrderId"] == 0
    [listed] = client.call("DescribeLoadBalancers", {"RegionId": REGION, "LoadBalancerId": lb})["LoadBalancers"]["LoadBalancer"]
    assert listed["LoadBalancerName"] == "shop" and listed["LoadBalancerStatus"] == "active"
    assert listed["Tags"] == {"Tag": [{"TagKey": "env", "TagValue": "test"}]}
    assert isinstance(listed["CreateTimeStamp"], int)
    page = client.call("DescribeLoadBalancers", {"RegionId": REGION, "PageSize": 1, "PageNumber": 1})
    assert page["PageSize"] == 1 and page["TotalCount"] >= 1 and len(page["LoadBalancers"]["LoadBalancer"]) == 1
    client.call("SetLoadBalancerName", {"RegionId": REGION, "LoadBalancerId": lb, "LoadBalancerName": "shop2"})

    server.cli("server", "add", "i-web1", "127.0.0.9")
    backends = [{"ServerId": "i-web1", "Weight": "50", "Type": "ecs"}, {"ServerId": "eni-1", "Type": "eni", "ServerIp": "127.0.0.8"}]
    added = client.call("AddBackendServers", {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": json.dumps(backends)})
    assert {(b["ServerId"], b["Weight"]) for b in added["BackendServers"]["BackendServer"]} == {("i-web1", "50"), ("eni-1", "100")}
    expect("BackendServer.AlreadyExist", 400, client.call, "AddBackendServers",
           {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": json.dumps(backends[:1])})
    expect("InvalidBackendServer.NotFound", 400, client.call, "AddBackendServers",
           {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": json.dumps([{"ServerId": "i-unknown", "Type": "ecs"}])})
    expect("InvalidParameter", 400, client.call, "AddBackendServers",
           {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": json.dumps([{"ServerId": "x", "Type": "ip", "ServerIp": "999.1.1.1"}])})
    expect("InvalidParameter", 400, client.call, "AddBackendServers",
           {"RegionId": REGION, "LoadBalancerId": lb, "BackendServers": "not json"})
    changed = client.call("SetBackendServers", {"RegionId": REGION, "LoadBalancerId": lb,
                                                "BackendServers": json.dumps([{"ServerId": "i-web1", "Weight": "0"}])})
    assert {b["ServerId"]: b["Weight"] for b in changed["BackendServers"]["BackendServer"]}["i-web1"] == "0"
    attribute = client.call("DescribeLoadBalancerAttribute", {"RegionId": REGION, "LoadBalancerId": lb})
    assert attribute["LoadBalancerName"] == "shop2"
    assert {b["ServerId"]: b["ServerIp"] for b in attribute["BackendServers"]["BackendServer"]} == {"i-web1": "127.0.0.9", "eni-1": "127.0.0.8"}
    removed = client.call("RemoveBackendServers", {"RegionId": REGION, "LoadBalancerId": lb,
                                                   "BackendServers": json.dumps([{"ServerId": "eni-1"}])})
    assert [b["ServerId"] for b in removed["BackendServers"]["BackendServer"]] == ["i-web1"]

    # Listener configuration (stopped listeners only here).
    certificate = client.call("UploadServerCertificate", {"RegionId": REGION, "ServerCertificate": pki.pem("a.chain.pem"),
                                                          "PrivateKey": pki.pem("a.key")})["ServerCertificateId"]
    listener = {"RegionId": REGION, "LoadBalancerId": lb, "ListenerPort": 8443}
    expect("MissingParameter", 400, client.call, "CreateLoadBalancerHTTPSListener",
           dict(listener, BackendServerPort=80, Bandwidth=-1))
    client.call("CreateLoadBalancerHTTPSListener", dict(listener, BackendServerPort=80, Bandwidth=-1, ServerCertificateId=certificate,
                                                        HealthCheck="on", HealthCheckURI="/health", StickySession="off",
                                                        XForwardedFor_proto="on", IdleTimeout=30))
    expect("ListenerAlreadyExists", 400, client.call, "CreateLoadBalancerHTTPListener",
           dict(listener, BackendServerPort=80, Bandwidth=-1))
    expect("InvalidParameter", 400, client.call, "SetLoadBalancerHTTPSListenerAttribute", dict(listener, IdleTimeout=99))
    expect("ResourceNotFound.TLSCipherPolicy", 404, client.call, "SetLoadBalancerHTTPSListenerAttribute",
           dict(listener, TLSCipherPolicy="tls_cipher_policy_9"))
    client.call("SetLoadBalancerHTTPSListenerAttribute", dict(listener, RequestTimeout=90, TLSCipherPolicy="tls_cipher_policy_1_2"))
    described = client.call("DescribeLoadBalancerHTTPSListenerAttribute", listener)
    assert (described["Status"], described["IdleTimeout"], described["RequestTimeout"]) == ("stopped", 30, 90)
    assert (described["HealthCheck"], described["HealthCheckURI"], described["XForwardedFor_proto"]) == ("on", "/health", "on")
    assert described["TLSCipherPolicy"] == "tls_cipher_policy_1_2" and described["DomainExtensions"] == {"DomainExtension": []}
    [entry] = client.call("DescribeLoadBalancerListeners", {"RegionId": REGION, "LoadBalancerId": [lb]})["Listeners"]
    assert entry["ListenerProtocol"] == "https" and entry["HTTPSListenerConfig"]["ServerCertificateId"] == certificate
    expect("CertificateAndPrivateKeyIsRefered", 400, client.call, "DeleteServerCertificate",
           {"RegionId": REGION, "ServerCertificateId": certificate})
    expect("ListenerNotFound", 404, client.call, "DescribeLoadBalancerHTTPSListenerAttribute", dict(listener, ListenerPort=9))

    # Tags on the load balancer and the listener.
    client.call("TagResources", {"RegionId": REGION, "ResourceType": "listener", "ResourceId": [f"{lb}_https_8443"],
                                 "Tag": [{"Key": "tier", "Value": "edge"}]})
    rows = client.call("ListTagResources", {"RegionId": REGION, "ResourceType": "listener", "ResourceId": [f"{lb}_https_8443"]})
    assert [(r["TagKey"], r["TagValue"]) for r in rows["TagResources"]["TagResource"]] == [("tier", "edge")]
    expect("InvalidResourceId.NotFound", 404, client.call, "TagResources",
           {"RegionId": REGION, "ResourceType": "instance", "ResourceId": ["lb-nope"], "Tag": [{"Key": "k", "Value": "v"}]})

    health = client.call("DescribeHealthStatus", {"RegionId": REGION, "LoadBalancerId": lb})["BackendServers"]["BackendServer"]
    assert [(h["ServerId"], h["ServerHealthStatus"], h["ListenerPort"]) for h in health] == [("i-web1", "unavailable", 8443)]

    client.call("DeleteLoadBalancer", {"RegionId": REGION, "LoadBalancerId": lb})
    expect("InvalidLoadBalancerId.NotFound", 404, client.call, "DescribeLoadBalancerAttribute", {"RegionId": REGION, "LoadBalancerId": lb})
    client.call("DeleteServerCertificate", {"RegionId": REGION, "ServerCertificateId": certificate})  # no longer in use


def test_domain_extension_rules(client, pki):
    lb = client.call("CreateLoadBalancer", {"RegionId": REGION})["LoadBalancerId"]
    upload = lambda chain, key: client.call("UploadServerCertificate", {
        "RegionId": REGION, "ServerCertificate": pki.pem(chain), "PrivateKey": pki.pem(key)})["ServerCertificateId"]
    default, wildcard = upload("a.chain.pem", "a.key"), upload("rsa2048.crt", "rsa2048.key")
    key = {"RegionId": REGION, "LoadBalancerId": lb, "ListenerPort": 443}
    client.call("CreateLoadBalancerHTTPSListener", dict(key, BackendServerPort=80, Bandwidth=-1, ServerCertificateId=default))
    created = client.call("CreateDomainExtension", dict(key, Domain="*.rsa2048.test", ServerCertificateId=wildcard))
    assert created["ListenerPort"] == 443 and created["DomainExtensionId"].startswith("de-")
    expect("InvalidParameter.Domain", 400, client.call, "CreateDomainExtension", dict(key, Domain="bad_domain!", ServerCertificateId=wildcard))
    expect("DomainExtensionAlreadyExists", 400, client.call, "CreateDomainExtension",
           dict(key, Domain="*.rsa2048.test", ServerCertificateId=wildcard))
    attribute = client.call("DescribeDomainExtensionAttribute", {"RegionId": REGION, "DomainExtensionId": created["DomainExtensionId"]})
    assert (attribute["Domain"], attribute["LoadBalancerId"], attribute["ListenerPort"]) == ("*.rsa2048.test", lb, 443)
    client.call("CreateDomainExtension", dict(key, Domain="rsa2048.test", ServerCertificateId=wildcard))
    client.call("CreateDomainExtension", dict(key, Domain="x.rsa2048.test", ServerCertificateId=wildcard))
    expect("DomainExtensionNumberOverLimit", 400, client.call, "CreateDomainExtension",
           dict(key, Domain="y.rsa2048.test", ServerCertificateId=wildcard))
    client.call("DeleteDomainExtension", {"RegionId": REGION, "DomainExtensionId": created["DomainExtensionId"]})
    expect("InvalidDomainExtensionId.NotFound", 404, client.call, "DescribeDomainExtensionAttribute",
           {"RegionId": REGION, "DomainExtensionId": created["DomainExtensionId"]})
    client.call("DeleteLoadBalancer", {"RegionId": REGION, "LoadBalancerId": lb})
