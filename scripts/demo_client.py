#!/usr/bin/env python3
"""The demo's API client: configures an HTTPS listener on a running gatehouse through its Huawei ELB v3 API.

Standard library only. Requests are signed with SDK-HMAC-SHA256 exactly as the official SDK signs them
(research/huawei-elb.md section 3), so this is also a readable reference of the signature. Idempotent: what already
exists (the certificate by name, the load balancer by name, the listener by port) is reused.

usage: demo_client.py ENDPOINT PROJECT_ID ACCESS_KEY SECRET CHAIN KEY HTTPS_PORT BACKEND_PORT
"""
import datetime
import hashlib
import hmac
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


class Client:
    def __init__(self, endpoint, project, access_key, secret):
        self.endpoint, self.project, self.access_key, self.secret = endpoint, project, access_key, secret

    def call(self, method, path, body=None, query=None):
        """One signed call to /v3/{project}/elb/{path}; returns the decoded JSON (None for 204)."""
        path = f"/v3/{self.project}/elb/{path}"
        query_string = urllib.parse.urlencode(sorted((query or {}).items()), quote_via=urllib.parse.quote)
        payload = json.dumps(body).encode() if body is not None else b""
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        headers = {"content-type": "application/json", "host": self.endpoint, "x-project-id": self.project,
                   "x-sdk-date": date}
        signed = sorted(headers)
        canonical_uri = "/".join(urllib.parse.quote(s, safe="~") for s in urllib.parse.unquote(path).split("/")) + "/"
        canonical = "\n".join([method, canonical_uri, query_string,
                               "".join(f"{name}:{headers[name].strip()}\n" for name in signed), ";".join(signed),
                               hashlib.sha256(payload).hexdigest()])
        to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        signature = hmac.new(self.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"SDK-HMAC-SHA256 Access={self.access_key}, SignedHeaders={';'.join(signed)}, "
                                    f"Signature={signature}")
        url = f"http://{self.endpoint}{path}" + (f"?{query_string}" if query_string else "")
        request = urllib.request.Request(url, data=payload if body is not None else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            sys.exit(f"demo_client: {method} {path} -> {error.code} {error.read().decode()}")


def main(endpoint, project, access_key, secret, chain_path, key_path, https_port, backend_port):
    elb = Client(endpoint, project, access_key, secret)
    https_port, backend_port = int(https_port), int(backend_port)

    certificates = elb.call("GET", "certificates", query={"name": "demo"})["certificates"]
    certificate = certificates[0] if certificates else elb.call("POST", "certificates", {"certificate": {
        "name": "demo", "certificate": open(chain_path).read(), "private_key": open(key_path).read()}})["certificate"]
    print(f"    certificate {certificate['id']}: {certificate['common_name']}, "
          f"SANs {', '.join(certificate['subject_alternative_names'])}, expires {certificate['expire_time']}")

    balancers = elb.call("GET", "loadbalancers", query={"name": "demo"})["loadbalancers"]
    balancer = balancers[0] if balancers else elb.call("POST", "loadbalancers", {"loadbalancer": {"name": "demo"}})[
        "loadbalancer"]
    print(f"    load balancer {balancer['id']} on {balancer['vip_address']}")

    listeners = elb.call("GET", "listeners", query={"loadbalancer_id": balancer["id"]})["listeners"]
    listener = next((item for item in listeners if item["protocol_port"] == https_port), None)
    if listener is None:
        listener = elb.call("POST", "listeners", {"listener": {
            "name": "demo-https", "loadbalancer_id": balancer["id"], "protocol": "HTTPS", "protocol_port": https_port,
            "default_tls_container_ref": certificate["id"]}})["listener"]
        pool = elb.call("POST", "pools", {"pool": {
            "name": "demo", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "listener_id": listener["id"]}})["pool"]
        elb.call("POST", f"pools/{pool['id']}/members", {"member": {"address": "127.0.0.1", "protocol_port": backend_port}})
        elb.call("POST", "healthmonitors", {"healthmonitor": {
            "pool_id": pool["id"], "type": "HTTP", "delay": 2, "timeout": 1, "max_retries": 2, "url_path": "/"}})
    print(f"    listener {listener['id']}: {listener['protocol']} {balancer['vip_address']}:{https_port}, "
          f"policy {listener['tls_ciphers_policy']}, pool {listener['default_pool_id'] or '(created now)'}"
          f" -> 127.0.0.1:{backend_port}")


if __name__ == "__main__":
    if len(sys.argv) != 9:
        sys.exit(__doc__)
    main(*sys.argv[1:])
