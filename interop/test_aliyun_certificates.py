"""Certificate operations through the official SDKs, in all three dialects (V3, V1 new SDK, V1 old SDK)."""
import uuid

import pytest

from clients import ApiError


def upload(client, pki, chain="a.chain.pem", key="a.key", **extra):
    params = {"RegionId": "cn-hangzhou", "ServerCertificate": pki.pem(chain), "PrivateKey": pki.pem(key)}
    params.update(extra)
    return client.call("UploadServerCertificate", params)


def expect_error(code, status, call, *args, **kwargs):
    with pytest.raises(ApiError) as raised:
        call(*args, **kwargs)
    assert (raised.value.code, raised.value.status) == (code, status), raised.value
    return raised.value


def test_upload_describe_rename_delete_server_certificate(client, pki):
    name = "cert-" + uuid.uuid4().hex[:8]
    created = upload(client, pki, ServerCertificateName=name, Tag=[{"Key": "env", "Value": "a b"}])
    assert created["ServerCertificateName"] == name
    assert created["Fingerprint"] == pki.sha1("a.crt")
    assert created["CommonName"] == "a.test"
    assert created["SubjectAlternativeNames"] == {"SubjectAlternativeName": ["a.test", "www.a.test"]}
    assert created["RegionId"] == "cn-hangzhou"
    assert created["IsAliCloudCertificate"] == 0
    assert isinstance(created["CreateTimeStamp"], int) and isinstance(created["ExpireTimeStamp"], int)
    assert created["ExpireTime"].endswith("Z") and created["RequestId"]
    certificate_id = created["ServerCertificateId"]

    listed = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id})
    [entry] = listed["ServerCertificates"]["ServerCertificate"]
    assert entry["ServerCertificateId"] == certificate_id
    assert entry["Tags"] == {"Tag": [{"TagKey": "env", "TagValue": "a b"}]}
    assert "PRIVATE KEY" not in str(listed) and "BEGIN CERTIFICATE" not in str(listed)

    everything = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou"})
    assert certificate_id in [c["ServerCertificateId"] for c in everything["ServerCertificates"]["ServerCertificate"]]
    # Regional: not visible from another region.
    elsewhere = client.call("DescribeServerCertificates", {"RegionId": "cn-beijing", "ServerCertificateId": certificate_id})
    assert elsewhere["ServerCertificates"]["ServerCertificate"] == []

    client.call("SetServerCertificateName", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id,
                                             "ServerCertificateName": "*.a.test/renamed"})
    listed = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id})
    assert listed["ServerCertificates"]["ServerCertificate"][0]["ServerCertificateName"] == "*.a.test/renamed"
    expect_error("InvalidParameter", 400, client.call, "SetServerCertificateName",
                 {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id, "ServerCertificateName": "bad name!"})

    client.call("DeleteServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id})
    listed = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id})
    assert listed["ServerCertificates"]["ServerCertificate"] == []
    expect_error("ServerCertificateId.NotFound", 404, client.call, "DeleteServerCertificate",
                 {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate_id})


def test_cjk_names_and_default_name(client, pki):
    created = upload(client, pki, ServerCertificateName="证书-01.prod")
    assert created["ServerCertificateName"] == "证书-01.prod"
    unnamed = upload(client, pki)
    assert unnamed["ServerCertificateName"] == "a.test"  # named after the leaf's common name
    for certificate in (created, unnamed):
        client.call("DeleteServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificateId": certificate["ServerCertificateId"]})


def test_unknown_id_describes_as_empty_list(client):
    listed = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": "nope"})
    assert listed["ServerCertificates"] == {"ServerCertificate": []}
    listed = client.call("DescribeCACertificates", {"RegionId": "cn-hangzhou", "CACertificateId": "nope"})
    assert listed["CACertificates"] == {"CACertificate": []}


def test_ca_certificate_lifecycle(client, pki):
    created = client.call("UploadCACertificate", {"RegionId": "cn-hangzhou", "CACertificate": pki.pem("root.crt"),
                                                  "CACertificateName": "myca01"})
    assert created["CACertificateName"] == "myca01"
    assert created["Fingerprint"] == pki.sha1("root.crt")
    assert created["CommonName"] == "Gatehouse Test Root CA"
    assert "RegionId" not in created
    ca_id = created["CACertificateId"]
    [entry] = client.call("DescribeCACertificates", {"RegionId": "cn-hangzhou", "CACertificateId": ca_id})[
        "CACertificates"]["CACertificate"]
    assert entry["RegionId"] == "cn-hangzhou" and entry["CACertificateName"] == "myca01"
    client.call("SetCACertificateName", {"RegionId": "cn-hangzhou", "CACertificateId": ca_id, "CACertificateName": "myca02"})
    [entry] = client.call("DescribeCACertificates", {"RegionId": "cn-hangzhou", "CACertificateId": ca_id})[
        "CACertificates"]["CACertificate"]
    assert entry["CACertificateName"] == "myca02"
    # A CA certificate is not a server certificate.
    expect_error("ServerCertificateId.NotFound", 404, client.call, "DeleteServerCertificate",
                 {"RegionId": "cn-hangzhou", "ServerCertificateId": ca_id})
    client.call("DeleteCACertificate", {"RegionId": "cn-hangzhou", "CACertificateId": ca_id})
    expect_error("CACertificateId.NotFound", 404, client.call, "DeleteCACertificate",
                 {"RegionId": "cn-hangzhou", "CACertificateId": ca_id})


@pytest.mark.parametrize("chain,key,code", [
    ("a.misordered.pem", "a.key", "IllegalParam.ServerCertificate"),
    ("a.chain.pem", "rsa2048.key", "InvalidParameter"),
    ("sm2.crt", "sm2.key", "ServerCertificate.NotSupport"),
    ("rsa3072.crt", "rsa3072.key", "OperationDenied.IllegalKeyLength"),
    ("p256.crt", "p256.key", "EccCertificateNotSupport"),
    ("rsa2048.with-dh.pem", "rsa2048.key", "CertificateFormatInvalid"),
    ("a.key", "a.key", "CertificateFormatInvalid"),
    ("rsa2048.crt", "rsa2048.enc.trad.key", "PrivateKeyEncryption"),
    ("rsa2048.crt", "rsa2048.enc.pk8.key", "PrivateKeyEncryption"),
])
def test_upload_rules(client, pki, chain, key, code):
    expect_error(code, 400, upload, client, pki, chain, key)


def test_upload_errors_without_pem(client, pki):
    expect_error("CertificateFormatInvalid", 400, client.call, "UploadServerCertificate",
                 {"RegionId": "cn-hangzhou", "ServerCertificate": "not a certificate", "PrivateKey": pki.pem("a.key")})
    expect_error("InvalidParameter", 400, client.call, "UploadServerCertificate",
                 {"RegionId": "cn-hangzhou", "ServerCertificate": pki.pem("a.crt")})
    expect_error("InvalidParameter.AliCloudCertificateId", 400, client.call, "UploadServerCertificate",
                 {"RegionId": "cn-hangzhou", "AliCloudCertificateId": "999", "AliCloudCertificateName": "x"})
    expect_error("UnauthorizedRegion", 403, upload, client, pki, "a.chain.pem", "a.key", RegionId="cn-nowhere")
    expect_error("InvalidParameter", 400, upload, client, pki, "a.chain.pem", "a.key", ServerCertificateName="1starts-with-digit")


@pytest.mark.parametrize("tags,code", [
    ([{"Key": "aliyun-key", "Value": "v"}], "InvalidParam.TagKey"),
    ([{"Key": "k" * 65, "Value": "v"}], "InvalidParam.TagKey"),
    ([{"Key": "k", "Value": "https://example.com"}], "InvalidParam.TagValue"),
    ([{"Key": "k", "Value": "v" * 129}], "InvalidParam.TagValue"),
    ([{"Key": f"k{i}", "Value": "v"} for i in range(21)], "SizeLimitExceeded.Tag"),
    ([{"Key": "", "Value": "v"}], "MissingParam.TagKey"),
])
def test_upload_tag_rules(client, pki, tags, code):
    expect_error(code, 400, upload, client, pki, "a.chain.pem", "a.key", Tag=tags)


def test_tag_untag_list(client, pki):
    first = upload(client, pki)["ServerCertificateId"]
    second = client.call("UploadCACertificate", {"RegionId": "cn-hangzhou", "CACertificate": pki.pem("root.crt")})["CACertificateId"]
    client.call("TagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [first, second],
                                 "Tag": [{"Key": "team", "Value": "edge"}, {"Key": "env", "Value": "prod"}]})
    rows = client.call("ListTagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate",
                                            "ResourceId": [first, second]})
    pairs = {(r["ResourceId"], r["TagKey"], r["TagValue"]) for r in rows["TagResources"]["TagResource"]}
    assert pairs == {(first, "team", "edge"), (first, "env", "prod"), (second, "team", "edge"), (second, "env", "prod")}
    assert rows["NextToken"] == ""
    filtered = client.call("ListTagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate",
                                                "Tag": [{"Key": "team", "Value": "edge"}]})
    assert {first, second} <= {r["ResourceId"] for r in filtered["TagResources"]["TagResource"]}
    client.call("UntagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [first],
                                   "TagKey": ["team"]})
    rows = client.call("ListTagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [first]})
    assert [(r["TagKey"], r["TagValue"]) for r in rows["TagResources"]["TagResource"]] == [("env", "prod")]
    client.call("UntagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [second],
                                   "All": True})
    rows = client.call("ListTagResources", {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [second]})
    assert rows["TagResources"]["TagResource"] == []
    expect_error("InvalidResourceId.NotFound", 404, client.call, "TagResources",
                 {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": ["missing"],
                  "Tag": [{"Key": "k", "Value": "v"}]})
    expect_error("SizeLimitExceeded.Tag", 400, client.call, "TagResources",
                 {"RegionId": "cn-hangzhou", "ResourceType": "certificate", "ResourceId": [first],
                  "Tag": [{"Key": f"more{i}", "Value": "v"} for i in range(20)]})
    # Described certificates carry their tags.
    [entry] = client.call("DescribeServerCertificates", {"RegionId": "cn-hangzhou", "ServerCertificateId": first})[
        "ServerCertificates"]["ServerCertificate"]
    assert entry["Tags"]["Tag"] == [{"TagKey": "env", "TagValue": "prod"}]
    client.call("DeleteServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificateId": first})
    client.call("DeleteCACertificate", {"RegionId": "cn-hangzhou", "CACertificateId": second})


def test_describe_regions(client, server):
    regions = client.call("DescribeRegions", {})["Regions"]["Region"]
    hangzhou = next(r for r in regions if r["RegionId"] == "cn-hangzhou")
    assert hangzhou == {"RegionId": "cn-hangzhou", "RegionEndpoint": server.endpoint, "LocalName": "China (Hangzhou)"}


def test_4096_bit_chain(client, pki):
    created = upload(client, pki, "big.chain.pem", "big.pkcs1.key")
    assert created["CommonName"] == "big.test"
    client.call("DeleteServerCertificate", {"RegionId": "cn-hangzhou", "ServerCertificateId": created["ServerCertificateId"]})


def test_region_key_policy_allows_ecc_where_configured(client, pki):
    created = upload(client, pki, "p256.crt", "p256.key", RegionId="cn-shanghai")
    assert created["RegionId"] == "cn-shanghai"
    expect_error("EccCertificateNotSupport", 400, upload, client, pki, "p256.crt", "p256.key")
    client.call("DeleteServerCertificate", {"RegionId": "cn-shanghai", "ServerCertificateId": created["ServerCertificateId"]})
