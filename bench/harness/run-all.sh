#!/usr/bin/env bash
# Whole baseline in one go (about 30-45 min on the 2-core box with 3 peers, depending on waits for a quiet machine):
# certs (if missing) -> start backend + peers pinned -> every measurement RUNS times, peers
# interleaved -> stop everything it started (by PID, also on Ctrl-C / error).
# Log: results/run-YYYYmmdd-HHMMSS.log; raw JSON lines: results/results.jsonl.
#   RUNS=3 DURATION=10 PEERS="nginx haproxy gatehouse" bench/harness/run-all.sh
#   TESTS="speed keepalive newhs resumed resumed12 mtls ecdsa memory swap" (default: all of them) selects tests.
# gatehouse: release binary from GATEHOUSE_BIN (default /work/main/.build-release/release/gatehouse).
set -euo pipefail
# own session = own scheduler autogroup, so NICE (peers.sh, load.py) also holds against other process sessions
[ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ] || exec setsid -w "$0" "$@"
cd "$(dirname "$0")"
RUNS=${RUNS:-3}; DURATION=${DURATION:-10}; PEERS=${PEERS:-nginx haproxy caddy}
TESTS=${TESTS:-speed keepalive newhs resumed resumed12 mtls ecdsa dual sniecdsa memory swap}
has() { [[ " $TESTS " == *" $1 "* ]]; }
[ -f certs/rsa.pem ] || ./certs.sh
mkdir -p results; LOG=results/run-$(date +%Y%m%d-%H%M%S).log
trap './peers.sh stop gatehouse caddy haproxy nginx backend' EXIT
./peers.sh start backend $PEERS
{
  ver() { command -v "$1" >/dev/null && "$@" 2>&1 | head -1 || echo "$1 not installed"; }
  echo "# $(date -Is) $(nproc) cores; $(openssl version); nginx $(nginx -v 2>&1 | cut -d/ -f2);" \
       "$(haproxy -v | head -1 | cut -d' ' -f1-3); $(ver caddy version | cut -d' ' -f1); wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  if [[ " $PEERS " == *" gatehouse "* ]]; then
    GB=${GATEHOUSE_BIN:-/work/main/.build-release/release/gatehouse}
    echo "# gatehouse $GB ($(stat -c '%y' "$GB" | cut -d. -f1)), source commit $(git -C /work/main rev-parse --short HEAD 2>/dev/null)," \
         "tls policy ${GATEHOUSE_TLS_POLICY:-custom}; RUNS=$RUNS DURATION=$DURATION PEERS=\"$PEERS\" TESTS=\"$TESTS\""
  fi
  t() { has "$1" || return 0; echo "# $1 $(date +%T)"; setsid -w ./load.py "$@" || echo "# $1 FAILED (exit $?)"; }
  t speed --runs "$RUNS"
  for x in keepalive newhs resumed resumed12 mtls ecdsa dual sniecdsa; do
    t $x $PEERS --runs "$RUNS" --duration "$DURATION"
  done
  t memory $PEERS --runs "$RUNS"
  SWAP=$(echo " $PEERS " | sed 's/ haproxy / haproxy haproxy-reload /')
  t swap $SWAP --runs "$RUNS"
  echo "# done $(date -Is)"
} 2>&1 | tee "$LOG"
