"""Certificates through the official Huawei Cloud SDK (huaweicloudsdkelb), against the ELB v3 front."""
import os
import subprocess
import tempfile

import pytest

os.environ["HOME"] = tempfile.mkdtemp(prefix="hwsdk-home-")  # the SDK writes ~/.huaweicloud/application_id

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # noqa: E402
from huaweicloudsdkelb.v3 import ElbClient  # noqa: E402
from huaweicloudsdkelb.v3.model import (  # noqa: E402
    BatchDeleteCertificatesRequest, BatchDeleteCertificatesRequestBody, CreateCertificateOption, CreateCertificateRequest,
    CreateCertificateRequestBody, CreateCertificatePrivateKeyEchoRequest, CreateCertificatePrivateKeyEchoRequestBody,
    DeleteCertificateRequest, ListCertificatesRequest, ShowCertificatePrivateKeyEchoRequest, ShowCertificateRequest,
    UpdateCertificateOption, UpdateCertificateRequest, UpdateCertificateRequestBody)

from clients import AK, SK, make_aliyun  # noqa: E402


def project_of(server, region="cn-hangzhou"):
    return next(line.split()[1] for line in server.cli("regions").splitlines() if line.startswith(region + " "))


@pytest.fixture(scope="module")
def elb(server):
    credentials = BasicCredentials(AK, SK, project_of(server))
    return ElbClient.new_builder().with_credentials(credentials).with_endpoint(f"http://{server.endpoint}").build()


def create(elb, **fields):
    return elb.create_certificate(CreateCertificateRequest(CreateCertificateRequestBody(
        certificate=CreateCertificateOption(**fields)))).certificate


def expect(status, code, call, *args, **kwargs):
    with pytest.raises(ClientRequestException) as raised:
        call(*args, **kwargs)
    assert (raised.value.status_code, raised.value.error_code) == (status, code), raised.value.error_msg
    assert raised.value.request_id
    return raised.value


def test_server_certificate_lifecycle(elb, pki):
    created = create(elb, certificate=pki.pem("a.chain.pem"), private_key=pki.pem("a.key"), name="web", description="d",
                     domain="a.test,www.a.test")
    assert len(created.id) == 32 and created.type == "server" and created.common_name == "a.test"
    assert created.private_key == "******"  # echo is off by default: the key is never returned
    assert created.subject_alternative_names == ["a.test", "www.a.test"] and created.domain == "a.test,www.a.test"
    assert created.expire_time.endswith("Z") and created.fingerprint
    shown = elb.show_certificate(ShowCertificateRequest(certificate_id=created.id)).certificate
    assert (shown.name, shown.description) == ("web", "d")
    listed = elb.list_certificates(ListCertificatesRequest(id=[created.id]))
    assert [c.id for c in listed.certificates] == [created.id] and listed.page_info.current_count == 1
    # In-place content replacement keeps the id.
    updated = elb.update_certificate(UpdateCertificateRequest(certificate_id=created.id, body=UpdateCertificateRequestBody(
        certificate=UpdateCertificateOption(certificate=pki.pem("b.chain.pem"), private_key=pki.pem("b.key"), name="web2",
                                            domain="b.test"))))
    assert (updated.certificate.id, updated.certificate.common_name, updated.certificate.name) == (created.id, "b.test", "web2")
    response = elb.delete_certificate(DeleteCertificateRequest(certificate_id=created.id))
    assert response.status_code == 204
    expect(404, "ELB.8904", elb.show_certificate, ShowCertificateRequest(certificate_id=created.id))


def test_client_and_sm_certificates(elb, server, pki):
    ca = create(elb, type="client", certificate=pki.pem("root.crt"))
    assert ca.type == "client"
    sm = create(elb, type="server_sm", certificate=pki.pem("sm-sign.crt"), private_key=pki.pem("sm-sign.key"),
                enc_certificate=pki.pem("sm-enc.crt"), enc_private_key=pki.pem("sm-enc.key"), domain="sm.test")
    assert sm.type == "server_sm" and sm.enc_certificate.startswith("-----BEGIN CERTIFICATE-----")
    assert sm.enc_private_key == "******"
    # Stored and valid, but not servable: binding it to a listener is a clear error (no TLCP in BoringSSL).
    aliyun = make_aliyun(server.endpoint)
    lb = aliyun.call("CreateLoadBalancer", {"RegionId": "cn-hangzhou"})["LoadBalancerId"]
    with pytest.raises(Exception) as raised:
        aliyun.call("CreateLoadBalancerHTTPSListener", {"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": 443,
                                                        "BackendServerPort": 80, "Bandwidth": -1, "ServerCertificateId": sm.id})
    assert raised.value.code == "ServerCertificate.NotSupport" and "TLCP" in raised.value.message
    aliyun.call("DeleteLoadBalancer", {"RegionId": "cn-hangzhou", "LoadBalancerId": lb})
    # Signing and encryption certificates swapped: wrong key usage.
    expect(400, "ELB.8902", create, elb, type="server_sm", certificate=pki.pem("sm-enc.crt"), private_key=pki.pem("sm-enc.key"),
           enc_certificate=pki.pem("sm-sign.crt"), enc_private_key=pki.pem("sm-sign.key"))
    for certificate in (ca, sm):
        elb.delete_certificate(DeleteCertificateRequest(certificate_id=certificate.id))


@pytest.mark.parametrize("case", [
    "not pem", "missing key", "enc on server", "mismatched key", "domain not covered", "bad wildcard", "encrypted key",
    "unknown type",
])
def test_create_errors(elb, pki, case):
    chain, key = pki.pem("a.chain.pem"), pki.pem("a.key")
    fields = {
        "not pem": dict(certificate="not pem", private_key=key),
        "missing key": dict(certificate=chain),
        "enc on server": dict(certificate=chain, private_key=key, enc_certificate=chain),
        "mismatched key": dict(certificate=chain, private_key=pki.pem("rsa2048.key")),
        "domain not covered": dict(certificate=chain, private_key=key, domain="other.test"),
        "bad wildcard": dict(certificate=chain, private_key=key, domain="bad*.a.test"),
        "encrypted key": dict(certificate=chain, private_key=pki.pem("rsa2048.enc.pk8.key")),
        "unknown type": dict(type="weird", certificate=chain, private_key=key),
    }[case]
    error = expect(400, "ELB.8902", create, elb, **fields)
    assert error.error_msg


def test_private_key_echo_and_batch_delete(elb, pki):
    assert elb.show_certificate_private_key_echo(ShowCertificatePrivateKeyEchoRequest()).private_key_echo is False
    elb.create_certificate_private_key_echo(CreateCertificatePrivateKeyEchoRequest(CreateCertificatePrivateKeyEchoRequestBody(
        private_key_echo=True)))
    try:
        created = create(elb, certificate=pki.pem("a.chain.pem"), private_key=pki.pem("a.key"))
        assert created.private_key == pki.pem("a.key")
    finally:
        elb.create_certificate_private_key_echo(CreateCertificatePrivateKeyEchoRequest(CreateCertificatePrivateKeyEchoRequestBody(
            private_key_echo=False)))
    result = elb.batch_delete_certificates(BatchDeleteCertificatesRequest(BatchDeleteCertificatesRequestBody(
        certificates=[created.id, "0" * 32])))
    assert {(r.id, r.ret_status) for r in result.certificates} == {(created.id, "successful"), ("0" * 32, "not found")}


def test_pagination_with_markers(elb, pki):
    created = [create(elb, certificate=pki.pem("a.chain.pem"), private_key=pki.pem("a.key"), name=f"page{i}").id for i in range(3)]
    ids = [c.id for c in elb.list_certificates(ListCertificatesRequest(name=["page0", "page1", "page2"])).certificates]
    assert sorted(ids) == sorted(created)
    first = elb.list_certificates(ListCertificatesRequest(limit=2, name=["page0", "page1", "page2"]))
    assert [c.id for c in first.certificates] == ids[:2]
    second = elb.list_certificates(ListCertificatesRequest(limit=2, marker=first.page_info.next_marker, name=["page0", "page1", "page2"]))
    assert [c.id for c in second.certificates] == ids[2:]
    back = elb.list_certificates(ListCertificatesRequest(limit=2, marker=second.page_info.previous_marker, page_reverse=True,
                                                         name=["page0", "page1", "page2"]))
    assert [c.id for c in back.certificates] == ids[:2]
    elb.batch_delete_certificates(BatchDeleteCertificatesRequest(BatchDeleteCertificatesRequestBody(certificates=ids)))


def test_authentication_failures(server, pki):
    project = project_of(server)
    wrong = ElbClient.new_builder().with_credentials(BasicCredentials(AK, "wrong-secret", project)).with_endpoint(
        f"http://{server.endpoint}").build()
    expect(401, "APIGW.0301", wrong.list_certificates, ListCertificatesRequest())
    unknown = ElbClient.new_builder().with_credentials(BasicCredentials(AK, SK, "f" * 32)).with_endpoint(
        f"http://{server.endpoint}").build()
    expect(404, "ELB.8904", unknown.list_certificates, ListCertificatesRequest())


def test_one_model_two_apis(elb, server, pki):
    """A certificate uploaded with the Alibaba API is the same object through the Huawei API, and the other way."""
    aliyun = make_aliyun(server.endpoint)
    from_aliyun = aliyun.call("UploadServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificate": pki.pem("a.chain.pem"),
                                                          "PrivateKey": pki.pem("a.key"), "ServerCertificateName": "shared"})
    shown = elb.show_certificate(ShowCertificateRequest(certificate_id=from_aliyun["ServerCertificateId"])).certificate
    assert (shown.name, shown.common_name, shown.type) == ("shared", "a.test", "server")
    from_huawei = create(elb, certificate=pki.pem("a.chain.pem"), private_key=pki.pem("a.key"), name="fromhw")
    described = aliyun.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": from_huawei.id})
    assert described["ServerCertificates"]["ServerCertificate"][0]["ServerCertificateName"] == "fromhw"
    # Bindable where the concepts meet: a Huawei-created certificate on a CLB HTTPS listener.
    lb = aliyun.call("CreateLoadBalancer", {"RegionId": "cn-hangzhou"})["LoadBalancerId"]
    aliyun.call("CreateLoadBalancerHTTPSListener", {"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": 443,
                                                    "BackendServerPort": 80, "Bandwidth": -1, "ServerCertificateId": from_huawei.id})
    expect(409, "ELB.8907", elb.delete_certificate, DeleteCertificateRequest(certificate_id=from_huawei.id))
    aliyun.call("DeleteLoadBalancer", {"RegionId": "cn-hangzhou", "LoadBalancerId": lb})
    elb.delete_certificate(DeleteCertificateRequest(certificate_id=from_huawei.id))
    aliyun.call("DeleteServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificateId": from_aliyun["ServerCertificateId"]})
