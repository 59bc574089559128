#!/usr/bin/env python3
"""Configure a running `gatehouse serve` for the peer benchmark through its Alibaba CLB-compatible RPC API
(2014-05-15, signature V1 / HMAC-SHA1). Standard library only.

  gatehouse_setup.py setup            certificates, one load balancer, backend 127.0.0.1:24080, three HTTPS
                                      listeners (24446 RSA, 24546 RSA + client CA = mTLS, 24646 ECDSA), started;
                                      waits until the ports answer; writes run/gatehouse/state.json
                                      plus, through the ELB v3 API, 24746 (ECDSA default + RSA and ECDSA SNI
                                      certificates for `localhost`: the ClientHello peek is on) and 24846 (the same
                                      with only the ECDSA SNI certificate: no peek), each with a pool of the backend
  gatehouse_setup.py swap NAME        upload NAME.{pem,key} (under certs/, or an absolute prefix) and point the
                                      RSA listener at it (no reload)
  gatehouse_setup.py call ACTION K=V  one raw call, prints the JSON answer

Environment: GATEHOUSE_API (127.0.0.1:24090), GATEHOUSE_ACCESS_KEY_ID / GATEHOUSE_ACCESS_KEY_SECRET (the bench
values peers.sh sets), GATEHOUSE_TLS_POLICY (default `custom`: a custom policy matching the other peers'
TLS 1.2/1.3 ECDHE-GCM suites; or a system policy name such as tls_cipher_policy_1_2_strict_with_1_3).
"""
import base64, datetime, hashlib, hmac, json, os, socket, subprocess, sys, time, urllib.error, urllib.parse, urllib.request, uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts'))
import demo_client  # noqa: E402  (the SDK-HMAC-SHA256 client of the demo)

B = os.path.dirname(os.path.abspath(__file__))
RUN, CERTS = os.environ.get('RUN', os.path.join(B, 'run')), os.environ.get('CERTS', os.path.join(B, 'certs'))
STATE = os.path.join(RUN, 'gatehouse', 'state.json')
API = os.environ.get('GATEHOUSE_API', '127.0.0.1:24090')
AK = os.environ.get('GATEHOUSE_ACCESS_KEY_ID', 'LTAIbenchGatehouse01')
SECRET = os.environ.get('GATEHOUSE_ACCESS_KEY_SECRET', 'benchSecretGatehouse0123456789ab')
REGION = 'cn-hangzhou'
BACKEND_PORT = 24080
LISTENERS = {'rsa': 24446, 'mtls': 24546, 'ecdsa': 24646}
ELB_LISTENERS = {'dual': 24746, 'sniecdsa': 24846}
# What the other peers offer (peers.sh): TLS 1.2 + 1.3, TLS 1.2 only ECDHE with AES-GCM (and ChaCha20, which the
# CLB custom-policy rules do not list for TLS 1.2); TLS 1.3 suites cannot be restricted in Gatehouse.
CUSTOM_VERSIONS = ['TLSv1.2', 'TLSv1.3']
CUSTOM_CIPHERS = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
                  'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384',
                  'TLS_CHACHA20_POLY1305_SHA256']


class APIError(Exception):
    pass


def pct(s):
    return urllib.parse.quote(str(s), safe='-_.~')


def call(action, timeout=30, **params):
    """One signed RPC call; returns the parsed JSON answer or raises APIError (Code: Message)."""
    p = {k: str(v) for k, v in params.items()}
    p.update(Action=action, Format='JSON', Version='2014-05-15', AccessKeyId=AK, SignatureMethod='HMAC-SHA1',
             SignatureVersion='1.0', SignatureNonce=uuid.uuid4().hex,
             Timestamp=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
    p.setdefault('RegionId', REGION)
    canonical = '&'.join(f'{pct(k)}={pct(v)}' for k, v in sorted(p.items()))
    sts = f'POST&{pct("/")}&{pct(canonical)}'
    p['Signature'] = base64.b64encode(hmac.new((SECRET + '&').encode(), sts.encode(), hashlib.sha1).digest()).decode()
    url = f'http://{API}/?' + '&'.join(f'{pct(k)}={pct(v)}' for k, v in p.items())
    req = urllib.request.Request(url, data=b'', method='POST')
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b'{}')
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            j = json.loads(body)
            raise APIError(f'{action}: HTTP {e.code} {j.get("Code")}: {j.get("Message")}') from None
        except ValueError:
            raise APIError(f'{action}: HTTP {e.code} {body[:300]!r}') from None


def pem(path):
    """PEM text without blank lines or trailing whitespace (Gatehouse refuses blank lines inside a chain)."""
    return '\n'.join(l.rstrip() for l in open(path) if l.strip()) + '\n'


def upload_server(name, label=None):
    """Upload NAME.pem + NAME.key (NAME relative to certs/, or an absolute path prefix)."""
    base = os.path.join(CERTS, name)
    r = call('UploadServerCertificate', ServerCertificate=pem(f'{base}.pem'),
             PrivateKey=pem(f'{base}.key'), ServerCertificateName=label or f'bench-{os.path.basename(name)}')
    return r['ServerCertificateId']


def wait_ports(ports, timeout=20):
    t0 = time.monotonic()
    for port in ports:
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() - t0 > timeout:
                    raise APIError(f'port {port} did not open within {timeout}s')
                time.sleep(0.1)


def setup():
    st = {}
    st['cert'] = {'rsa': upload_server('rsa'), 'ecdsa': upload_server('ecdsa')}
    st['ca'] = call('UploadCACertificate', CACertificate=pem(f'{CERTS}/client-ca.pem'),
                    CACertificateName='bench-client-ca')['CACertificateId']
    policy = os.environ.get('GATEHOUSE_TLS_POLICY', 'custom')
    if policy == 'custom':
        q = {f'TLSVersions.{i + 1}': v for i, v in enumerate(CUSTOM_VERSIONS)}
        q.update({f'Ciphers.{i + 1}': v for i, v in enumerate(CUSTOM_CIPHERS)})
        policy = call('CreateTLSCipherPolicy', Name='bench-ecdhe-gcm', **q)['TLSCipherPolicyId']
    st['tls_policy'] = policy
    lb = call('CreateLoadBalancer', LoadBalancerName='bench')
    st['lb'], st['address'] = lb['LoadBalancerId'], lb.get('Address')
    call('AddBackendServers', LoadBalancerId=st['lb'], BackendServers=json.dumps(
        [{'ServerId': 'backend', 'Type': 'ip', 'ServerIp': '127.0.0.1', 'Weight': '100'}]))
    common = dict(LoadBalancerId=st['lb'], BackendServerPort=BACKEND_PORT, Bandwidth=-1, HealthCheck='off',
                  TLSCipherPolicy=policy,
                  # closest to the other peers: they add no X-Forwarded-For, keep idle client connections 75 s
                  # (Gatehouse allows at most 60) and use HTTP/1.1 only towards the load tools
                  XForwardedFor='off', IdleTimeout=60, EnableHttp2='off')
    call('CreateLoadBalancerHTTPSListener', ListenerPort=LISTENERS['rsa'], ServerCertificateId=st['cert']['rsa'], **common)
    call('CreateLoadBalancerHTTPSListener', ListenerPort=LISTENERS['mtls'], ServerCertificateId=st['cert']['rsa'],
         CACertificateId=st['ca'], **common)
    call('CreateLoadBalancerHTTPSListener', ListenerPort=LISTENERS['ecdsa'], ServerCertificateId=st['cert']['ecdsa'], **common)
    for port in LISTENERS.values():
        call('StartLoadBalancerListener', LoadBalancerId=st['lb'], ListenerPort=port)
    st['elb'] = elb_setup(st['lb'], policy)
    wait_ports(list(LISTENERS.values()) + list(ELB_LISTENERS.values()))
    with open(STATE + '.tmp', 'w') as f:
        json.dump(st, f, indent=1)
    os.replace(STATE + '.tmp', STATE)
    return st


def elb_setup(lb, policy):
    """The two ELB listeners of the dual-certificate test, on the same load balancer, same policy."""
    regions = subprocess.run([os.environ.get('GATEHOUSE_BIN', '/work/main/.build-release/release/gatehouse'), 'regions',
                              '--data-dir', os.path.join(RUN, 'gatehouse', 'data'), '--log-level', 'warning'],
                             capture_output=True, text=True, check=True).stdout
    project = next(line.split()[1] for line in regions.splitlines() if line.startswith(REGION + ' '))
    elb = demo_client.Client(API, project, AK, SECRET)

    def certificate(name):
        return elb.call('POST', 'certificates', {'certificate': {
            'name': f'bench-elb-{name}', 'certificate': pem(f'{CERTS}/{name}.pem'), 'private_key': pem(f'{CERTS}/{name}.key'),
            'domain': 'localhost'}})['certificate']['id']

    rsa, ecdsa = certificate('rsa'), certificate('ecdsa')
    made = {}
    for name, sni in (('dual', [rsa, ecdsa]), ('sniecdsa', [ecdsa])):
        listener = elb.call('POST', 'listeners', {'listener': {
            'loadbalancer_id': lb, 'protocol': 'HTTPS', 'protocol_port': ELB_LISTENERS[name], 'default_tls_container_ref': ecdsa,
            'sni_container_refs': sni, 'security_policy_id': policy, 'keepalive_timeout': 75}})['listener']
        pool = elb.call('POST', 'pools', {'pool': {'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                                                   'listener_id': listener['id']}})['pool']
        elb.call('POST', f'pools/{pool["id"]}/members', {'member': {'address': '127.0.0.1', 'protocol_port': BACKEND_PORT}})
        made[name] = listener['id']
    return made


def swap(name):
    """Upload certs/NAME and bind it to the RSA listener; returns a short description of what was done."""
    st = json.load(open(STATE))
    cid = upload_server(name, f'bench-{os.path.basename(name)}-{uuid.uuid4().hex[:8]}')
    call('SetLoadBalancerHTTPSListenerAttribute', LoadBalancerId=st['lb'], ListenerPort=LISTENERS['rsa'],
         ServerCertificateId=cid)
    return f'UploadServerCertificate {cid} + SetLoadBalancerHTTPSListenerAttribute'


def main():
    a = sys.argv[1:]
    try:
        if a[:1] == ['setup']:
            print(json.dumps(setup()))
        elif a[:1] == ['swap'] and len(a) == 2:
            print(swap(a[1]))
        elif a[:1] == ['call'] and len(a) >= 2:
            print(json.dumps(call(a[1], **dict(x.split('=', 1) for x in a[2:])), indent=1))
        else:
            sys.exit(__doc__)
    except (APIError, OSError, KeyError) as e:
        sys.exit(f'gatehouse_setup: {type(e).__name__}: {e}')


if __name__ == '__main__':
    main()
