#!/usr/bin/env python3
"""Ratio table: median of PEER / median of each reference peer, per metric, from load.py's JSON lines.
   ratios.py results/FILE.jsonl [--peer gatehouse] [--ref nginx,haproxy] [--since 'YYYY-mm-dd HH:MM:SS']
Higher is better for rates (req/s, hs/s, req per CPU-s); lower is better for latency, CPU/op, memory, swap time."""
import json, statistics, sys

METRICS = [  # (test, field, better)
    ('keepalive', 'rps', 'higher'), ('keepalive', 'p50_ms', 'lower'), ('keepalive', 'p99_ms', 'lower'),
    ('keepalive', 'req_per_server_cpu_s', 'higher'),
    ('newhs', 'hs_per_s', 'higher'), ('newhs', 'server_ms_per_hs', 'lower'),
    ('resumed', 'hs_per_s', 'higher'), ('resumed', 'server_ms_per_hs', 'lower'),
    ('resumed12', 'hs_per_s', 'higher'), ('resumed12', 'server_ms_per_hs', 'lower'),
    ('mtls', 'hs_per_s', 'higher'), ('mtls', 'server_ms_per_hs', 'lower'),
    ('ecdsa', 'hs_per_s', 'higher'), ('ecdsa', 'server_ms_per_hs', 'lower'),
    ('dual', 'hs_per_s', 'higher'), ('dual', 'server_ms_per_hs', 'lower'),
    ('sniecdsa', 'hs_per_s', 'higher'), ('sniecdsa', 'server_ms_per_hs', 'lower'),
    ('memory', 'idle_pss_mb', 'lower'), ('memory', 'loaded_pss_mb', 'lower'), ('memory', 'kb_per_conn_pss', 'lower'),
    ('swap', 'swap_ms', 'lower'), ('swap', 'wrk_sock_err', 'lower'),
]


def main():
    a = sys.argv[1:]
    opt = lambda k, d: a[a.index(k) + 1] if k in a else d
    path = next((x for x in a if x.endswith('.jsonl')), 'results/results.jsonl')
    peer, refs, since = opt('--peer', 'gatehouse'), opt('--ref', 'nginx,haproxy').split(','), opt('--since', '')
    rows = [json.loads(l) for l in open(path)]
    rows = [r for r in rows if r.get('ts', '') >= since]

    def med(test, p, f):
        v = [r[f] for r in rows if r['test'] == test and r['peer'] == p and isinstance(r.get(f), (int, float))]
        return statistics.median(v) if v else None

    fmt = lambda x: '-' if x is None else (f'{x:.0f}' if abs(x) >= 100 else f'{x:.3g}')
    print(f'| test | metric | better | {peer} | ' + ' | '.join(refs) + ' | ' +
          ' | '.join(f'{peer}/{r}' for r in refs) + ' |')
    print('|' + '---|' * (4 + 2 * len(refs)))
    for test, f, better in METRICS:
        g = med(test, peer, f)
        rv = [med(test, r, f) for r in refs]
        if g is None and all(x is None for x in rv):
            continue
        ratio = [('-' if g is None or x in (None, 0) else f'{g / x:.2f}') for x in rv]
        print(f'| {test} | {f} | {better} | {fmt(g)} | ' + ' | '.join(map(fmt, rv)) + ' | ' + ' | '.join(ratio) + ' |')


if __name__ == '__main__':
    main()
