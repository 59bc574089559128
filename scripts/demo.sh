#!/usr/bin/env bash
# Builds Gatehouse and runs it on this machine with the embedded SQLite store, with a short demo:
#   - makes a sample certificate chain with openssl and shows what `gatehouse cert inspect` sees in it;
#   - starts `gatehouse serve` and checks /healthz;
#   - keeps serving until Ctrl-C (or exits at once with GATEHOUSE_DEMO_ONESHOT=1).
# Data lives in ./demo-data (delete it to start over). API port: GATEHOUSE_DEMO_ADDRESS (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
address=${GATEHOUSE_DEMO_ADDRESS:-127.0.0.1:8080}
data=${GATEHOUSE_DEMO_DATA:-demo-data}

command -v swift >/dev/null || { echo "demo.sh: Swift 6.2 or newer is needed (swift not found)" >&2; exit 1; }
command -v openssl >/dev/null && command -v curl >/dev/null || {
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl curl >/dev/null
    else echo "demo.sh: please install openssl and curl" >&2; exit 1; fi
}

if [ -n "${GATEHOUSE_DEMO_BIN:-}" ]; then
    bin=$GATEHOUSE_DEMO_BIN   # scripts/test.sh passes the binary it has just built
else
    echo "==> Building gatehouse (debug; the first build takes a while)"
    swift build --product gatehouse
    bin=$(swift build --show-bin-path)/gatehouse
fi

mkdir -p "$data/sample"
if [ ! -f "$data/sample/server.pem" ]; then
    echo "==> Making a sample certificate chain in $data/sample"
    (
        cd "$data/sample"
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Demo Root CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=demo.example.com" 2>/dev/null
        printf 'subjectAltName=DNS:demo.example.com,DNS:www.demo.example.com\nextendedKeyUsage=serverAuth\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile ext.cnf \
            -out server.crt 2>/dev/null
        cat server.crt ca.crt server.key > server.pem
    )
fi

echo "==> gatehouse cert inspect $data/sample/server.pem"
"$bin" cert inspect --policy aliyun "$data/sample/server.pem"

echo "==> gatehouse serve --data-dir $data --api-address $address"
"$bin" serve --data-dir "$data" --api-address "$address" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM
for _ in $(seq 1 100); do
    curl -fs "http://$address/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { echo "demo.sh: gatehouse serve exited" >&2; exit 1; }
    sleep 0.2
done
echo "==> curl http://$address/healthz"
curl -fsS "http://$address/healthz"
echo
echo "==> Access keys: $("$bin" access-key list --data-dir "$data" --log-level warning | tr '\n' ' ')(the secret of a generated key is printed once, above)"
if [ "${GATEHOUSE_DEMO_ONESHOT:-0}" = 1 ]; then
    echo "==> Demo done; stopping."
    exit 0
fi
echo "==> Gatehouse is running. Press Ctrl-C to stop."
wait $server
