#!/usr/bin/env bash
# Builds Gatehouse and runs it on this machine with the embedded SQLite store, with a short demo:
#   - makes a sample certificate chain with openssl and shows what `gatehouse cert inspect` sees in it;
#   - starts `gatehouse serve` and checks /healthz;
#   - starts a small HTTP backend, and through the ELB API (scripts/demo_client.py, signed like the Huawei SDK)
#     uploads the certificate and builds an HTTPS listener with a pool, a member and a health check;
#   - requests https://demo.example.com through the listener with curl, verifying the chain;
#   - keeps serving until Ctrl-C (or exits at once with GATEHOUSE_DEMO_ONESHOT=1).
# Data lives in ./demo-data (delete it to start over). API port: GATEHOUSE_DEMO_ADDRESS (default 127.0.0.1:8080);
# HTTPS listener port GATEHOUSE_DEMO_HTTPS_PORT (default 8443); backend port GATEHOUSE_DEMO_BACKEND_PORT (default 8081).
set -euo pipefail
cd "$(dirname "$0")/.."
address=${GATEHOUSE_DEMO_ADDRESS:-127.0.0.1:8080}
data=${GATEHOUSE_DEMO_DATA:-demo-data}
https_port=${GATEHOUSE_DEMO_HTTPS_PORT:-8443}
backend_port=${GATEHOUSE_DEMO_BACKEND_PORT:-8081}

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
        cat server.crt ca.crt > chain.pem
    )
fi
# The demo's access key: made once, given to gatehouse through the environment, used by demo_client.py.
if [ ! -f "$data/demo-access-key" ]; then
    printf 'GHDEMO%s %s\n' "$(openssl rand -hex 8 | tr a-f A-F)" "$(openssl rand -hex 20)" > "$data/demo-access-key"
    chmod 600 "$data/demo-access-key"
fi
read -r access_key secret < "$data/demo-access-key"

echo "==> gatehouse cert inspect $data/sample/server.pem"
"$bin" cert inspect --policy aliyun "$data/sample/server.pem"

echo "==> gatehouse serve --data-dir $data --api-address $address"
mkdir -p "$data/backend"
echo "Hello from the demo backend, through Gatehouse." > "$data/backend/index.html"
python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$data/backend" >/dev/null 2>&1 &
backend=$!
GATEHOUSE_ACCESS_KEY_ID=$access_key GATEHOUSE_ACCESS_KEY_SECRET=$secret \
    "$bin" serve --data-dir "$data" --api-address "$address" &
server=$!
trap 'kill -TERM $server $backend 2>/dev/null; wait $server 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM
for _ in $(seq 1 100); do
    curl -fs "http://$address/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { echo "demo.sh: gatehouse serve exited" >&2; exit 1; }
    sleep 0.2
done
echo "==> curl http://$address/healthz"
curl -fsS "http://$address/healthz"
echo
echo "==> Access keys: $("$bin" access-key list --data-dir "$data" --log-level warning | tr '\n' ' ')(the demo's is in $data/demo-access-key)"
project=$("$bin" regions --data-dir "$data" --log-level warning | awk '$1 == "cn-hangzhou" { print $2 }')
echo "==> Building an HTTPS listener through the ELB API (project $project of cn-hangzhou)"
python3 scripts/demo_client.py "$address" "$project" "$access_key" "$secret" "$data/sample/chain.pem" \
    "$data/sample/server.key" "$https_port" "$backend_port"
echo "==> curl --cacert $data/sample/ca.crt https://demo.example.com:$https_port/ (resolved to 127.0.0.1)"
for attempt in $(seq 1 25); do
    if answer=$(curl -fsS --cacert "$data/sample/ca.crt" --resolve "demo.example.com:$https_port:127.0.0.1" \
        "https://demo.example.com:$https_port/" 2>&1); then
        break
    fi
    [ "$attempt" = 25 ] && { echo "demo.sh: the HTTPS listener did not answer: $answer" >&2; exit 1; }
    sleep 0.2
done
echo "$answer"
if [ "${GATEHOUSE_DEMO_ONESHOT:-0}" = 1 ]; then
    echo "==> Demo done; stopping."
    exit 0
fi
echo "==> Gatehouse is running: API http://$address, HTTPS listener https://demo.example.com:$https_port. Press Ctrl-C to stop."
wait $server
