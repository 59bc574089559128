#!/usr/bin/env bash
# Start / stop / reload the benchmark peers. Everything listens on 127.0.0.1 only.
#   peers.sh start   PEER...   PEER = backend | nginx | haproxy | caddy | gatehouse
#   peers.sh stop    PEER...   (kills by the PID it recorded, waits, then SIGKILL after 10 s)
#   peers.sh reload  PEER      (nginx: SIGHUP, haproxy: SIGUSR2 to master, caddy: `caddy reload --force`,
#                               gatehouse: upload run/gatehouse/server.{pem,key} through its API + bind it)
#   peers.sh pids    PEER      (PIDs of all processes of the peer: master + workers)
# Ports:  backend 24080 (plain HTTP, returns "ok")
#         TLS (RSA-2048 cert): nginx 24443, haproxy 24444, caddy 24445, gatehouse 24446
#         mutual TLS (RSA-2048 cert, client cert required): nginx 24543, haproxy 24544, caddy 24545, gatehouse 24546
#         TLS with the ECDSA P-256 cert:  nginx 24643, haproxy 24644, caddy 24645, gatehouse 24646
#         RSA + ECDSA certs for one name: nginx 24743, gatehouse 24746 (ELB SNI list; 24846: ECDSA only, no peek)
#         gatehouse's CLB API: 24090 (plain HTTP)
# Pinning: SERVER_CPU (default 1) for the TLS peers, BACKEND_CPU (default 0) for the backend;
# all run at nice NICE (default -10).
# Each peer serves the RSA-2048 cert from run/PEER/server.{pem,key,bundle.pem} (copied from certs/rsa.*).
set -euo pipefail
B=$(cd "$(dirname "$0")" && pwd)
RUN=${RUN:-$B/run}; C=${CERTS:-$B/certs}
SERVER_CPU=${SERVER_CPU:-1}; BACKEND_CPU=${BACKEND_CPU:-0}
NICE=${NICE:--10}   # the box may be shared with other builds: run ahead of them (0 = off)
# With autogroup scheduling, nice only counts inside a session: a daemon that is its own session
# leader also gets its autogroup niced (/proc/PID/autogroup), never the caller's session.
boost() { [ "$(ps -o sid= -p "$1" | tr -d ' ')" = "$1" ] && echo "$NICE" > "/proc/$1/autogroup" 2>/dev/null || true; }
ECDHE_TLS12=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305
ulimit -n "$(ulimit -Hn)"

pidfile() { echo "$RUN/$1/$1.pid"; }
alive() { [ -f "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
copy_cert() { cp "$C/rsa.pem" "$RUN/$1/server.pem"; cp "$C/rsa.key" "$RUN/$1/server.key"
              cp "$C/rsa.bundle.pem" "$RUN/$1/server.bundle.pem"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 already in use" >&2; exit 1; }; }
wait_port() { for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
              echo "port $1 did not open" >&2; return 1; }

start_backend() {
  port_free 24080; local d=$RUN/backend; mkdir -p "$d"
  cat > "$d/nginx.conf" <<EOF
worker_processes 1;
pid $d/backend.pid;
error_log $d/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $d/tmp; proxy_temp_path $d/tmp; fastcgi_temp_path $d/tmp;
  uwsgi_temp_path $d/tmp; scgi_temp_path $d/tmp;
  keepalive_requests 1000000; keepalive_timeout 300s;
  server { listen 127.0.0.1:24080; location / { return 200 "ok\n"; } }
}
EOF
  nice -n "$NICE" taskset -c "$BACKEND_CPU" nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf"; wait_port 24080
}

start_nginx() {
  port_free 24443; port_free 24543; port_free 24643; port_free 24743; local d=$RUN/nginx; mkdir -p "$d"; copy_cert nginx
  cat > "$d/nginx.conf" <<EOF
worker_processes 2;                     # one worker per core
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $d/tmp; proxy_temp_path $d/tmp; fastcgi_temp_path $d/tmp;
  uwsgi_temp_path $d/tmp; scgi_temp_path $d/tmp;
  keepalive_timeout 75s; keepalive_requests 100000;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_ciphers $ECDHE_TLS12; ssl_prefer_server_ciphers on;
  ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
  ssl_session_cache shared:SSL:10m; ssl_session_timeout 1h; ssl_session_tickets on;
  ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key;
  upstream backend { server 127.0.0.1:24080; keepalive 64; }
  server {
    listen 127.0.0.1:24443 ssl;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {                              # same, ECDSA P-256 certificate
    listen 127.0.0.1:24643 ssl;
    ssl_certificate $C/ecdsa.pem; ssl_certificate_key $C/ecdsa.key;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {                              # RSA and ECDSA certificates for one name: nginx picks per client
    listen 127.0.0.1:24743 ssl;
    ssl_certificate $C/ecdsa.pem; ssl_certificate_key $C/ecdsa.key;
    ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {                              # mutual TLS listener
    listen 127.0.0.1:24543 ssl;
    ssl_client_certificate $C/client-ca.pem; ssl_verify_client on; ssl_verify_depth 2;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
  nice -n "$NICE" taskset -c "$SERVER_CPU" nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf"; wait_port 24443
}

start_haproxy() {
  port_free 24444; port_free 24544; port_free 24644; local d=$RUN/haproxy; mkdir -p "$d"; copy_cert haproxy
  cat > "$d/haproxy.cfg" <<EOF
global
  nbthread 2                            # one thread per core
  maxconn 8000                          # FD hard limit here is 20000
  stats socket $d/admin.sock mode 600 level admin expose-fd listeners
  ssl-default-bind-ciphers $ECDHE_TLS12
  ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
  ssl-default-bind-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3
defaults
  mode http
  timeout connect 5s
  timeout client 75s
  timeout server 30s
  timeout http-keep-alive 75s
  option http-keep-alive
  http-reuse safe
frontend tls
  bind 127.0.0.1:24444 ssl crt $d/server.bundle.pem
  bind 127.0.0.1:24544 ssl crt $d/server.bundle.pem ca-file $C/client-ca.pem verify required
  bind 127.0.0.1:24644 ssl crt $C/ecdsa.bundle.pem
  default_backend app
backend app
  server s1 127.0.0.1:24080
EOF
  # -W master-worker, -D daemon; the pid file holds the master PID; tickets are on by default
  nice -n "$NICE" taskset -c "$SERVER_CPU" haproxy -W -D -f "$d/haproxy.cfg" -p "$d/haproxy.pid" -S "$d/master.sock"
  wait_port 24444
}

start_caddy() {
  port_free 24445; port_free 24545; port_free 24645; port_free 24019; local d=$RUN/caddy; mkdir -p "$d"; copy_cert caddy
  cat > "$d/Caddyfile" <<EOF
{
  admin 127.0.0.1:24019
  auto_https off
  default_sni 127.0.0.1
  servers {
    protocols h1 h2
    strict_sni_host insecure_off  # test clients dial an IP and send no SNI; mTLS would force 421
  }
}
(tlsopts) {
  protocols tls1.2 tls1.3
  ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
}
https://:24445 {
  bind 127.0.0.1
  tls $d/server.pem $d/server.key {
    import tlsopts
  }
  reverse_proxy 127.0.0.1:24080
}
https://:24645 {
  bind 127.0.0.1
  tls $C/ecdsa.pem $C/ecdsa.key {
    import tlsopts
  }
  reverse_proxy 127.0.0.1:24080
}
https://:24545 {
  bind 127.0.0.1
  tls $d/server.pem $d/server.key {
    import tlsopts
    client_auth {
      mode require_and_verify
      trusted_ca_cert_file $C/client-ca.pem
    }
  }
  reverse_proxy 127.0.0.1:24080
}
EOF
  # GOMAXPROCS=2 = "one worker per core" (Go would pick 1 from the taskset mask otherwise)
  XDG_DATA_HOME=$d XDG_CONFIG_HOME=$d GOMAXPROCS=2 setsid nice -n "$NICE" taskset -c "$SERVER_CPU" \
    caddy run --config "$d/Caddyfile" --adapter caddyfile --pidfile "$d/caddy.pid" >"$d/caddy.log" 2>&1 &
  wait_port 24445
}

start_gatehouse() {
  # Gatehouse (Swift, swift-nio-ssl/BoringSSL). Configured only through its Alibaba CLB-compatible API:
  # gatehouse_setup.py uploads the certs and creates/starts the three listeners. Fresh data dir every start.
  local bin=${GATEHOUSE_BIN:-/work/main/.build-release/release/gatehouse}
  [ -x "$bin" ] || { echo "gatehouse binary $bin not found (GATEHOUSE_BIN)" >&2; exit 1; }
  port_free 24446; port_free 24546; port_free 24646; port_free 24746; port_free 24846; port_free 24090; local d=$RUN/gatehouse
  rm -rf "$d/data"; mkdir -p "$d/data"; copy_cert gatehouse
  export GATEHOUSE_ACCESS_KEY_ID=${GATEHOUSE_ACCESS_KEY_ID:-LTAIbenchGatehouse01}
  export GATEHOUSE_ACCESS_KEY_SECRET=${GATEHOUSE_ACCESS_KEY_SECRET:-benchSecretGatehouse0123456789ab}
  # setsid: own session (and autogroup, so `boost` applies); not a group leader here, so setsid execs in place
  # and $! is the gatehouse PID (nice and taskset exec too)
  setsid nice -n "$NICE" taskset -c "$SERVER_CPU" "$bin" serve --data-dir "$d/data" --api-address 127.0.0.1:24090 \
    --key-policy cn-hangzhou=aliyun-ecc ${GATEHOUSE_ARGS:-} >"$d/gatehouse.log" 2>&1 &
  echo $! > "$d/gatehouse.pid"
  local ok=
  for _ in $(seq 300); do   # up to 30 s (first start creates the database and runs migrations)
    kill -0 "$(cat "$d/gatehouse.pid")" 2>/dev/null || break
    curl -fsS -m 1 http://127.0.0.1:24090/healthz >/dev/null 2>&1 && { ok=1; break; }; sleep 0.1
  done
  [ -n "$ok" ] || { echo "gatehouse did not become healthy; log: $d/gatehouse.log" >&2; tail -20 "$d/gatehouse.log" >&2
                    stop_one gatehouse; exit 1; }
  [ "$(ps -o comm= -p "$(cat "$d/gatehouse.pid")")" = "$(basename "$bin" | cut -c1-15)" ] || echo "warning: pid file does not name gatehouse" >&2
  GATEHOUSE_BIN=$bin RUN=$RUN CERTS=$C python3 "$B/gatehouse_setup.py" setup > "$d/setup.json" \
    || { echo "gatehouse setup failed; log: $d/gatehouse.log" >&2; stop_one gatehouse; exit 1; }
  wait_port 24446
}

pids() { # master PID + its children
  alive "$1" || return 0
  local m; m=$(cat "$(pidfile "$1")"); echo "$m"; ps -o pid= --ppid "$m" | tr -d ' ' || true
}

stop_one() {
  alive "$1" || { rm -f "$(pidfile "$1")"; return 0; }
  local m kids; m=$(cat "$(pidfile "$1")"); kids=$(ps -o pid= --ppid "$m" | tr -d ' ' || true)
  kill -TERM "$m"
  for _ in $(seq 100); do kill -0 "$m" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$m" 2>/dev/null && { echo "SIGKILL $1 ($m)" >&2; kill -KILL "$m"; }
  for k in $kids; do kill -0 "$k" 2>/dev/null && kill -KILL "$k" || true; done   # leftover workers, if any
  rm -f "$(pidfile "$1")"
}

reload_one() {
  case $1 in
    nginx)   kill -HUP "$(cat "$(pidfile nginx)")" ;;
    haproxy) kill -USR2 "$(cat "$(pidfile haproxy)")" ;;
    caddy)   XDG_DATA_HOME=$RUN/caddy XDG_CONFIG_HOME=$RUN/caddy caddy reload --force \
               --config "$RUN/caddy/Caddyfile" --adapter caddyfile --address 127.0.0.1:24019 ;;
    gatehouse) RUN=$RUN CERTS=$C python3 "$B/gatehouse_setup.py" swap "$RUN/gatehouse/server" ;;
  esac
}

cmd=${1:?usage: $0 start|stop|reload|pids PEER...}; shift
for p in "$@"; do
  case $cmd in
    start)  alive "$p" && { echo "$p already running" >&2; continue; }; "start_$p"; boost "$(cat "$(pidfile "$p")")"
            echo "$p started: pids $(pids "$p" | tr '\n' ' ')" ;;
    stop)   stop_one "$p" ;;
    reload) reload_one "$p" ;;
    pids)   pids "$p" ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
  esac
done
