#!/usr/bin/env python3
"""Markdown tables (median [min-max], n runs) from load.py's JSON lines.
   summarize.py [results/results.jsonl] [--since 'YYYY-mm-dd HH:MM:SS']"""
import json, statistics, sys
from collections import defaultdict

FIELDS = {  # test -> columns
    'speed': ['rsa2048_sign_s', 'rsa2048_verify_s', 'p256_sign_s', 'p256_verify_s', 'x25519_op_s',
              'aes128gcm_16B_MBps', 'aes128gcm_16KiB_MBps', 'hs_ceiling_per_core'],
    'keepalive': ['rps', 'p50_ms', 'p99_ms', 'req_per_server_cpu_s', 'server_share_pct', 'other_load_pct', 'sock_err'],
    'newhs': ['hs_per_s', 'server_ms_per_hs', 'client_ms_per_hs', 'server_share_pct', 'other_load_pct', 'resumed_pct'],
    'resumed': ['hs_per_s', 'server_ms_per_hs', 'client_ms_per_hs', 'server_share_pct', 'other_load_pct', 'resumed_pct'],
    'resumed12': ['hs_per_s', 'server_ms_per_hs', 'client_ms_per_hs', 'server_share_pct', 'other_load_pct', 'resumed_pct'],
    'mtls': ['hs_per_s', 'server_ms_per_hs', 'client_ms_per_hs', 'server_share_pct', 'other_load_pct', 'resumed_pct'],
    'ecdsa': ['hs_per_s', 'server_ms_per_hs', 'client_ms_per_hs', 'server_share_pct', 'other_load_pct', 'resumed_pct'],
    'wrkclose': ['hs_per_s', 'server_ms_per_hs', 'p99_ms', 'server_share_pct', 'other_load_pct'],
    'memory': ['idle_rss_mb', 'idle_pss_mb', 'loaded_rss_mb', 'loaded_pss_mb', 'kb_per_conn_pss', 'processes'],
    'swap': ['swap_ms', 'trigger_ms', 'wrk_sock_err', 'wrk_non2xx', 'wrk_rps'],
}


def fmt(v):
    v = sorted(x for x in v if isinstance(x, (int, float)))
    if not v:
        return '-'
    f = (lambda x: f'{x:.0f}') if abs(v[-1]) >= 100 else (lambda x: f'{x:.3g}')
    m = statistics.median(v)
    return f(m) if v[0] == v[-1] else f'{f(m)} [{f(v[0])}-{f(v[-1])}]'


def main():
    args = sys.argv[1:]
    since = args[args.index('--since') + 1] if '--since' in args else ''
    path = next((a for a in args if a.endswith('.jsonl')), 'results/results.jsonl')
    rows = defaultdict(list)
    for line in open(path):
        r = json.loads(line)
        if r.get('ts', '') >= since:
            rows[(r['test'], r['peer'])].append(r)
    for test, cols in FIELDS.items():
        peers = [p for (t, p) in rows if t == test]
        if not peers:
            continue
        print(f'\n### {test}\n\n| peer | runs | ' + ' | '.join(cols) + ' |')
        print('|' + '---|' * (len(cols) + 2))
        for p in peers:
            rs = rows[(test, p)]
            print(f'| {p} | {len(rs)} | ' + ' | '.join(fmt([r.get(c) for r in rs]) for c in cols) + ' |')
        if test == 'swap':
            for p in peers:
                print(f'\n{p}: ' + '; '.join(f"{r.get('wrk_err_detail') or 'no socket errors'}, idle keep-alive "
                                           f"conns still usable {r.get('idle_conns_still_ok')}" for r in rows[(test, p)]))
        errs = [(p, r['run'], r['error']) for p in peers for r in rows[(test, p)] if r.get('error')]
        for p, run, e in errs:
            print(f'\nERROR {p} run {run}: {e}')


if __name__ == '__main__':
    main()
