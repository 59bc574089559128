#!/usr/bin/env python3
"""Load driver for the TLS load-balancer baselines (report: research/perf-baseline.md).

  load.py speed                 openssl speed ceilings (rsa2048, ecdsap256, x25519, aes-128-gcm)
  load.py keepalive PEER...     keep-alive HTTPS req/s + latency: wrk -t1 -c50 --latency
  load.py newhs PEER...         full handshakes/s: K parallel `openssl s_time -new -www /`
  load.py resumed PEER...       resumed TLS 1.3 handshakes/s (ticket + ECDHE): s_time -reuse
  load.py resumed12 PEER...     resumed TLS 1.2 handshakes/s (ticket, no ECDHE): s_time -reuse -tls1_2
  load.py mtls PEER...          full handshakes/s presenting a client cert: s_time -new -cert ...
  load.py ecdsa PEER...         full handshakes/s against the ECDSA P-256 certificate
  load.py dual PEER...          same, on a listener that has an RSA and an ECDSA certificate for one name (nginx: two
                                ssl_certificate; gatehouse: ELB SNI list, so every ClientHello is peeked at)
  load.py sniecdsa PEER...      gatehouse: the ECDSA certificate through an ELB listener whose SNI list has no dual name
                                (no peek); the baseline of `dual` (nginx: its ECDSA listener)
  load.py wrkclose PEER...      wrk -H 'Connection: close': NOT full handshakes - wrk keeps the TLS
                                session of the closed connection and resumes it (cross-check only)
  load.py memory PEER...        RSS/PSS of the peer idle and holding 1000 idle keep-alive TLS conns
  load.py swap PEER...          cert replace + reload under wrk load: time until a new handshake
                                shows the new cert, wrk errors, fate of 20 idle keep-alive conns
PEER: nginx | haproxy | caddy | gatehouse  (swap also takes haproxy-reload: SIGUSR2 instead of runtime API;
gatehouse swaps through its CLB API: UploadServerCertificate + SetLoadBalancerHTTPSListenerAttribute)
Options: --runs N (3; peers are interleaved run by run), --duration S (10), --clients K (8).
The driver pins itself and every load tool to CLIENT_CPU (default 0) at nice NICE (-10);
peers.sh pins the peers to SERVER_CPU (1), same nice. Every run prints one JSON line; a
median / min-max summary follows; raw results are appended to results/results.jsonl.
Every load loop is bounded in time.
"""
import argparse, hashlib, json, os, re, resource, socket, ssl, statistics, subprocess, sys, time

B = os.path.dirname(os.path.abspath(__file__))
RUN, CERTS = os.path.join(B, 'run'), os.path.join(B, 'certs')
PORT = {'nginx': 24443, 'haproxy': 24444, 'caddy': 24445, 'gatehouse': 24446}
MTLS_PORT = {'nginx': 24543, 'haproxy': 24544, 'caddy': 24545, 'gatehouse': 24546}
ECDSA_PORT = {'nginx': 24643, 'haproxy': 24644, 'caddy': 24645, 'gatehouse': 24646}
DUAL_PORT = {'nginx': 24743, 'gatehouse': 24746}
SNI_ECDSA_PORT = {'nginx': 24643, 'gatehouse': 24846}
CLIENT_CPU = int(os.environ.get('CLIENT_CPU', '0'))
CLK = os.sysconf('SC_CLK_TCK')
T = 'taskset -c %d ' % CLIENT_CPU


def sh(cmd, timeout):
    """Run a shell command (bounded), return its stdout."""
    return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout).stdout


def peer_pids(peer):
    return [int(p) for p in sh(f'{B}/peers.sh pids {peer}', 10).split()]


def proc_cpu(pids):
    """user+sys CPU seconds of processes (all threads)."""
    t = 0
    for p in pids:
        try:
            f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
            t += int(f[11]) + int(f[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return t / CLK


def cpu_stat():
    """{cpuN: (busy_user_sys, softirq, total)} jiffies from /proc/stat."""
    out = {}
    for line in open('/proc/stat'):
        if line.startswith('cpu'):
            n, *v = line.split()
            v = list(map(int, v[:8]))          # user nice system idle iowait irq softirq steal
            out[n] = (v[0] + v[1] + v[2], v[5] + v[6] + v[7], sum(v))
    return out


class Meter:
    """CPU accounting around one measurement: server (peer) CPU, client (our children) CPU,
    busy % of the server core, and the CPU used by everything else on the box ('other')."""
    def __init__(self, peer):
        self.peer = peer.split('-')[0]

    def __enter__(self):
        self.pids, self.bpids = peer_pids(self.peer), peer_pids('backend')
        self.s0, self.b0 = proc_cpu(self.pids), proc_cpu(self.bpids)
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.c0 = r.ru_utime + r.ru_stime
        self.st0, self.t0 = cpu_stat(), time.monotonic()
        return self

    def __exit__(self, *a):
        self.wall = time.monotonic() - self.t0
        st1 = cpu_stat()
        self.server_cpu = proc_cpu(self.pids) - self.s0
        self.backend_cpu = proc_cpu(self.bpids) - self.b0
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.client_cpu = r.ru_utime + r.ru_stime - self.c0
        d = {k: [b - a for a, b in zip(self.st0[k], st1[k])] for k in st1}
        srv = 'cpu%s' % os.environ.get('SERVER_CPU', '1')
        self.server_core_busy = 100 * (d[srv][0] + d[srv][1]) / max(d[srv][2], 1)
        ours = (self.server_cpu + self.backend_cpu + self.client_cpu) * CLK
        ncpu = len(d) - 1
        self.other_pct = 100 * max(d['cpu'][0] - ours, 0) / max(d['cpu'][2], 1) * ncpu
        self.softirq_pct = 100 * d['cpu'][1] / max(d['cpu'][2], 1) * ncpu

    def fields(self):
        return dict(wall=round(self.wall, 2), server_cpu_s=round(self.server_cpu, 2),
                    client_cpu_s=round(self.client_cpu, 2), backend_cpu_s=round(self.backend_cpu, 2),
                    server_core_busy_pct=round(self.server_core_busy), other_load_pct=round(self.other_pct),
                    server_share_pct=round(100 * self.server_cpu / self.wall),
                    softirq_pct=round(self.softirq_pct))


def wait_quiet():
    """Bounded wait until the rest of the machine (e.g. a compiler in another process group) is quiet:
    total busy CPU over 1 s below QUIET_PCT (15) % of one core, for at most QUIET_WAIT (20) s."""
    limit, max_wait = float(os.environ.get('QUIET_PCT', 15)), float(os.environ.get('QUIET_WAIT', 20))
    t0 = time.monotonic()
    while True:
        a = cpu_stat()
        time.sleep(1)
        b = cpu_stat()
        busy = 100 * (b['cpu'][0] - a['cpu'][0]) / max(b['cpu'][2] - a['cpu'][2], 1) * (len(b) - 1)
        if busy < limit or time.monotonic() - t0 > max_wait:
            return dict(pre_busy_pct=round(busy), waited_s=round(time.monotonic() - t0))


def dur(s):
    m = re.match(r'([\d.]+)(us|ms|s|m)', s)
    return float(m.group(1)) * {'us': 1e-3, 'ms': 1, 's': 1e3, 'm': 6e4}[m.group(2)]


def parse_wrk(out):
    r = {'rps': float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))}
    r['requests'] = int(re.search(r'(\d+) requests in', out).group(1))
    for p in ('50', '90', '99'):
        m = re.search(r'^\s+%s%%\s+(\S+)' % p, out, re.M)
        if m:
            r['p' + p + '_ms'] = round(dur(m.group(1)), 2)
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', out)
    r['sock_err'] = sum(map(int, m.groups())) if m else 0
    r['sock_err_detail'] = m.group(0) if m else ''
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    r['non2xx'] = int(m.group(1)) if m else 0
    return r


def wrk(url, d, conns=50, extra=''):
    return f'{T}wrk -t1 -c{conns} -d{d}s --latency {extra} {url}'


# ---------------------------------------------------------------- tests
def t_keepalive(peer, a):
    cmd = wrk(f'https://127.0.0.1:{PORT[peer]}/', a.duration)
    with Meter(peer) as m:
        r = parse_wrk(sh(cmd, a.duration + 30))
    r.update(m.fields(), cmd=cmd, req_per_server_cpu_s=round(r['requests'] / max(m.server_cpu, 1e-9)))
    return r


def t_wrkclose(peer, a):
    cmd = wrk(f'https://127.0.0.1:{PORT[peer]}/', a.duration, extra="-H 'Connection: close'")
    with Meter(peer) as m:
        r = parse_wrk(sh(cmd, a.duration + 30))
    r.update(m.fields(), cmd=cmd, hs_per_s=r['rps'],
             server_ms_per_hs=round(1000 * m.server_cpu / max(r['requests'], 1), 3))
    return r


def t_newhs(peer, a, mode='new'):
    """K parallel `openssl s_time` loops: one TLS connection per HTTP/1.0 request (GET /).
    mode new: full handshakes; reuse / reuse12: resumed TLS 1.3 / TLS 1.2; mtls: full + client cert."""
    port = {'mtls': MTLS_PORT, 'ecdsa': ECDSA_PORT, 'dual': DUAL_PORT, 'sniecdsa': SNI_ECDSA_PORT}.get(mode, PORT)[peer]
    opt = {'new': '-new', 'ecdsa': '-new', 'dual': '-new', 'sniecdsa': '-new', 'mtls': f'-new -cert {CERTS}/client.pem -key {CERTS}/client.key',
           'reuse': '-reuse', 'reuse12': '-reuse -tls1_2'}[mode]
    cmd = (f'{T}openssl s_time -connect 127.0.0.1:{port} {opt} -time {a.duration} -www / '
           '-no-CAfile -no-CApath -no-CAstore')
    with Meter(peer) as m:
        ps = [subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True) for _ in range(a.clients)]
        outs = [p.communicate(timeout=a.duration + 30)[0] for p in ps]
    n = sum(int(re.search(r'(\d+) connections in [\d.]+s', o).group(1)) for o in outs)
    # s_time prints one mark per connection: 'r' = resumed, '*' = full handshake
    marks = ''.join(re.findall(r'^[r*]+$', o, re.M)[0] if re.search(r'^[r*]+$', o, re.M) else '' for o in outs)
    r = dict(handshakes=n, hs_per_s=round(n / m.wall, 1),
             resumed_pct=round(100 * marks.count('r') / max(len(marks), 1), 1),
             response_read=all(re.search(r'[1-9]\d* bytes read per connection', o) for o in outs),
             server_ms_per_hs=round(1000 * m.server_cpu / max(n, 1), 3),
             client_ms_per_hs=round(1000 * m.client_cpu / max(n, 1), 3))
    r.update(m.fields(), cmd=f'{a.clients} x [{cmd}]')
    return r


def t_resumed(peer, a):
    return t_newhs(peer, a, 'reuse')


def t_resumed12(peer, a):
    return t_newhs(peer, a, 'reuse12')


def t_mtls(peer, a):
    return t_newhs(peer, a, 'mtls')


def t_ecdsa(peer, a):
    return t_newhs(peer, a, 'ecdsa')


def t_dual(peer, a):
    return t_newhs(peer, a, 'dual')


def t_sniecdsa(peer, a):
    return t_newhs(peer, a, 'sniecdsa')


def mem(pids):
    rss = pss = 0
    for p in pids:
        try:
            rss += int(re.search(r'VmRSS:\s+(\d+)', open(f'/proc/{p}/status').read()).group(1))
            pss += int(re.search(r'^Pss:\s+(\d+)', open(f'/proc/{p}/smaps_rollup').read(), re.M).group(1))
        except (FileNotFoundError, AttributeError):
            pass
    return rss // 1024, pss // 1024   # MiB


def client_ctx():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname, c.verify_mode = False, ssl.CERT_NONE
    return c


def read_response(s):
    """One whole HTTP/1.1 response (headers + Content-Length body); returns the bytes. A peer may send the head
    and the body in separate TLS records (Gatehouse does), so one recv() is not enough: leftover body bytes would
    be mistaken for the next response."""
    buf = b''
    while b'\r\n\r\n' not in buf:
        c = s.recv(4096)
        if not c:
            return buf
        buf += c
    head, _, body = buf.partition(b'\r\n\r\n')
    m = re.search(rb'(?im)^content-length:\s*(\d+)', head)
    need = int(m.group(1)) if m else 0
    while len(body) < need:
        c = s.recv(4096)
        if not c:
            break
        body += c
    return head + b'\r\n\r\n' + body


def open_keepalive(port, n, deadline):
    """n TLS connections, one GET each, left open (HTTP/1.1 keep-alive)."""
    ctx, conns, req = client_ctx(), [], b'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        raw = socket.create_connection(('127.0.0.1', port), timeout=5)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # else Nagle + delayed ACK add 40 ms
        s = ctx.wrap_socket(raw)
        s.sendall(req)
        if not read_response(s).startswith(b'HTTP/1.1 200'):
            raise RuntimeError('bad response')
        conns.append(s)
    return conns


def t_memory(peer, a, n=1000, hold=5):
    sh(f'{B}/peers.sh stop {peer}; {B}/peers.sh start {peer}', 60)   # fresh process
    time.sleep(2)
    idle = mem(peer_pids(peer))
    t0 = time.monotonic()
    conns = open_keepalive(PORT[peer], n, t0 + 60)
    t_open = time.monotonic() - t0
    time.sleep(hold)
    loaded = mem(peer_pids(peer))
    for s in conns:
        s.close()
    return dict(idle_rss_mb=idle[0], idle_pss_mb=idle[1], conns=len(conns), loaded_rss_mb=loaded[0],
                loaded_pss_mb=loaded[1], kb_per_conn_pss=round((loaded[1] - idle[1]) * 1024 / len(conns), 1),
                open_s=round(t_open, 1), processes=len(peer_pids(peer)))


def fingerprint(port, ctx):
    with socket.create_connection(('127.0.0.1', port), timeout=2) as raw:
        with ctx.wrap_socket(raw) as s:
            return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()


def haproxy_api(cmd, payload=b''):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(f'{RUN}/haproxy/admin.sock')
    s.sendall(cmd.encode() + b'\n' + payload)
    out = b''
    while (c := s.recv(65536)):
        out += c
    s.close()
    return out.decode().strip()


def t_swap(peer, a):
    base = peer.split('-')[0]
    port, d, ctx = PORT[base], f'{RUN}/{base}', client_ctx()
    fp = {n: hashlib.sha256(ssl.PEM_cert_to_DER_cert(open(f'{CERTS}/{n}.pem').read())).hexdigest()
          for n in ('rsa', 'rsa-b')}
    new = 'rsa-b' if fingerprint(port, ctx) == fp['rsa'] else 'rsa'
    idle = open_keepalive(port, 20, time.monotonic() + 20)
    wd = 8
    w = subprocess.Popen(wrk(f'https://127.0.0.1:{port}/', wd), shell=True, stdout=subprocess.PIPE, text=True)
    time.sleep(3)
    t0 = time.monotonic()
    for src, dst in (('.pem', 'server.pem'), ('.key', 'server.key'), ('.bundle.pem', 'server.bundle.pem')):
        open(f'{d}/{dst}.tmp', 'wb').write(open(f'{CERTS}/{new}{src}', 'rb').read())
        os.replace(f'{d}/{dst}.tmp', f'{d}/{dst}')
    if peer == 'haproxy':   # runtime API: set + commit, no process reload
        api = haproxy_api(f'set ssl cert {d}/server.bundle.pem <<', open(f'{d}/server.bundle.pem', 'rb').read() + b'\n')
        api += ' | ' + haproxy_api(f'commit ssl cert {d}/server.bundle.pem')
    elif peer == 'gatehouse':   # CLB API: upload the new cert, bind it to the listener; no process reload
        import gatehouse_setup
        try:
            api = gatehouse_setup.swap(f'{d}/server')
        except Exception as e:   # keep measuring: the poll below then shows the swap did not happen
            api = f'failed: {e}'[:200]
    else:
        api = sh(f'{B}/peers.sh reload {base} 2>&1', 30).strip()[-200:]
    t_trigger = time.monotonic() - t0
    seen, polls = None, 0
    while time.monotonic() - t0 < 30:
        polls += 1
        try:
            if fingerprint(port, ctx) == fp[new]:
                seen = time.monotonic() - t0
                break
        except OSError:
            pass
        time.sleep(0.005)
    r = parse_wrk(w.communicate(timeout=wd + 30)[0])
    ok = 0
    for s in idle:   # reuse the idle keep-alive connections opened before the swap
        try:
            s.sendall(b'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
            ok += read_response(s).startswith(b'HTTP/1.1 200')
        except OSError:
            pass
        s.close()
    return dict(to=new, swap_ms=round(1000 * seen, 1) if seen else None, trigger_ms=round(1000 * t_trigger, 1),
                polls=polls, trigger_out=api, wrk_rps=r['rps'], wrk_sock_err=r['sock_err'],
                wrk_err_detail=r['sock_err_detail'], wrk_non2xx=r['non2xx'], idle_conns_still_ok=f'{ok}/{len(idle)}')


def t_speed(_, a):
    # openssl speed divides by the process's user CPU time (no -elapsed), so it is robust to load
    # from others; run on CLIENT_CPU. Ceiling = 1 RSA sign + 2 X25519 ops (keygen + derive).
    out = sh('openssl speed -seconds 3 rsa2048 ecdsap256 ecdhx25519 2>/dev/null; '
             'openssl speed -seconds 3 -evp aes-128-gcm 2>/dev/null', 120)
    r = {}
    m = re.search(r'rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)', out)
    r['rsa2048_sign_s'], r['rsa2048_verify_s'] = float(m.group(1)), float(m.group(2))
    m = re.search(r'ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)', out)
    r['p256_sign_s'], r['p256_verify_s'] = float(m.group(1)), float(m.group(2))
    r['x25519_op_s'] = float(re.search(r'ecdh \(X25519\)\s+\S+\s+([\d.]+)', out).group(1))
    g = re.search(r'^AES-128-GCM\s+(.*)$', out, re.M).group(1).split()
    r['aes128gcm_16B_MBps'], r['aes128gcm_16KiB_MBps'] = float(g[0][:-1]) / 1e3, float(g[5][:-1]) / 1e3
    r['hs_ceiling_per_core'] = round(1 / (1 / r['rsa2048_sign_s'] + 2 / r['x25519_op_s']))
    return r


TESTS = dict(speed=t_speed, keepalive=t_keepalive, newhs=t_newhs, resumed=t_resumed, resumed12=t_resumed12,
             mtls=t_mtls, ecdsa=t_ecdsa, dual=t_dual, sniecdsa=t_sniecdsa, wrkclose=t_wrkclose,
             memory=t_memory, swap=t_swap)
KEY = dict(speed='hs_ceiling_per_core', keepalive='rps', newhs='hs_per_s', resumed='hs_per_s', resumed12='hs_per_s',
           mtls='hs_per_s', ecdsa='hs_per_s', dual='hs_per_s', sniecdsa='hs_per_s', wrkclose='hs_per_s',
           memory='loaded_pss_mb', swap='swap_ms')


KEY2 = dict(keepalive='req_per_server_cpu_s', newhs='server_ms_per_hs', resumed='server_ms_per_hs',
            resumed12='server_ms_per_hs', mtls='server_ms_per_hs', ecdsa='server_ms_per_hs', dual='server_ms_per_hs',
            sniecdsa='server_ms_per_hs',
            wrkclose='server_ms_per_hs', memory='idle_pss_mb', swap='wrk_sock_err')


def summary(rs, k):
    v = [r[k] for r in rs if r.get(k) is not None]
    if not v:
        return ''
    med, f = statistics.median(v), (lambda x: f'{x:.0f}' if abs(x) >= 100 else f'{x:.3g}')
    return f'{k} {f(med)} [{f(min(v))} - {f(max(v))}] spread {100 * (max(v) - min(v)) / max(med, 1e-9):.0f}%'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('test', choices=TESTS)
    ap.add_argument('peers', nargs='*', default=['-'])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--duration', type=int, default=10)
    ap.add_argument('--clients', type=int, default=8)
    a = ap.parse_args()
    os.sched_setaffinity(0, {CLIENT_CPU})
    nice = int(os.environ.get('NICE', -10))     # same priority as the peers (peers.sh)
    os.nice(nice)
    if os.getsid(0) == os.getpid():             # own session (run-all.sh uses setsid): nice the autogroup too
        open('/proc/self/autogroup', 'w').write(str(nice))
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
    os.makedirs(f'{B}/results', exist_ok=True)
    res = {}
    for i in range(a.runs):
        for peer in a.peers:
            q = wait_quiet() if a.test != 'memory' else {}
            try:
                r = TESTS[a.test](peer, a)
            except Exception as e:   # one failing peer must not abort the batch for the others
                r = dict(error=f'{type(e).__name__}: {e}'[:300])
            r.update(q)
            r.update(test=a.test, peer=peer, run=i + 1, ts=time.strftime('%F %T'),
                     loadavg=open('/proc/loadavg').read().split()[0])
            res.setdefault(peer, []).append(r)
            print(json.dumps(r), flush=True)
            with open(f'{B}/results/results.jsonl', 'a') as f:
                f.write(json.dumps(r) + '\n')
            time.sleep(1)
    print(f'\n{a.test}: median [min - max] over {a.runs} runs')
    for peer, rs in res.items():
        print(f'  {peer:15s} {summary(rs, KEY[a.test])};  {summary(rs, KEY2.get(a.test, ""))};  '
              f'other load <= {max(r.get("other_load_pct", 0) for r in rs)}%')


if __name__ == '__main__':
    main()
