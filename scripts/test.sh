#!/usr/bin/env bash
# Runs every Gatehouse test on this machine, from a clean clone:
#   1. installs the Debian packages the tests use (openssl, curl, sqlite3, postgresql) when missing;
#   2. starts a throwaway PostgreSQL on a free loopback port (scripts/test-postgres.sh);
#   3. builds in debug and runs the Swift test suites (SQLite and PostgreSQL storage, certificates, the CLI);
#   4. runs the interop suite: the official Alibaba Cloud Python SDKs (from PyPI, in a venv) against the real binary;
#   5. runs the README's demo once, non-interactively, as a smoke test.
# Exit status 0 only if everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
command -v sqlite3 >/dev/null || need+=(sqlite3)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "test.sh: please install: ${need[*]}" >&2
        exit 1
    fi
    echo "test.sh: installing ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh
gatehouse_pg_start
trap gatehouse_pg_stop EXIT
export GATEHOUSE_REQUIRE_POSTGRES=1

swift build --build-tests
swift test --skip-build --disable-xctest

venv=${GATEHOUSE_VENV:-.venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || {
        [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    }
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r interop/requirements.txt
export GATEHOUSE_BINARY="$(swift build --show-bin-path)/gatehouse"
"$venv/bin/python" -m pytest -q interop                      # embedded SQLite
GATEHOUSE_INTEROP_POSTGRES_URL="$GATEHOUSE_TEST_POSTGRES_URL" \
    "$venv/bin/python" -m pytest -q interop                  # cluster mode: every server on its own PostgreSQL database

demo_data=$(mktemp -d)
demo_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
demo_https_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
demo_backend_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GATEHOUSE_DEMO_ONESHOT=1 GATEHOUSE_DEMO_DATA="$demo_data" GATEHOUSE_DEMO_ADDRESS="127.0.0.1:$demo_port" \
    GATEHOUSE_DEMO_HTTPS_PORT="$demo_https_port" GATEHOUSE_DEMO_BACKEND_PORT="$demo_backend_port" \
    GATEHOUSE_DEMO_BIN="$(swift build --show-bin-path)/gatehouse" scripts/demo.sh
rm -rf "$demo_data"
