#!/usr/bin/env bash
# Throwaway PostgreSQL server on 127.0.0.1 for tests (Debian).
#
# Function form (what scripts/test.sh uses):
#   source scripts/test-postgres.sh
#   gatehouse_pg_start   # exports GATEHOUSE_TEST_POSTGRES_URL and GATEHOUSE_TEST_PG_DIR
#   ...                  # GATEHOUSE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/gatehouse_test
#   gatehouse_pg_stop    # stops the server, deletes its directory; safe to call twice
#
# Command form:
#   eval "$(scripts/test-postgres.sh start)"   # prints export lines on stdout
#   scripts/test-postgres.sh stop "$GATEHOUSE_TEST_PG_DIR"
#
# Uses initdb + pg_ctl from the highest /usr/lib/postgresql/<version>/bin (installs
# the Debian `postgresql` package when missing and running as root). As root, the
# server runs as the `postgres` OS user, since initdb and postgres refuse root.
# Trust auth, no TLS, fsync off, superuser role `postgres`, database `gatehouse_test`.
# Everything lives in one `mktemp -d` directory: data/, server.log, the Unix socket.
# Quiet on success apart from one line on stderr; on failure it prints the server log.

_gatehouse_pg_marker=".gatehouse-test-pg"

_gatehouse_pg_err() {
    echo "test-postgres: $*" >&2
}

# Prints the bin directory of the highest installed PostgreSQL server version.
_gatehouse_pg_bindir() {
    local initdb
    initdb=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)
    [ -n "$initdb" ] || return 1
    dirname "$initdb"
}

_gatehouse_pg_ensure_installed() {
    _gatehouse_pg_bindir >/dev/null && return 0
    if [ "$(id -u)" -ne 0 ]; then
        _gatehouse_pg_err "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb)."
        _gatehouse_pg_err "Install them with: sudo apt-get install postgresql"
        return 1
    fi
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null; then
        _gatehouse_pg_err "apt-get install postgresql failed"
        return 1
    fi
    if ! _gatehouse_pg_bindir >/dev/null; then
        _gatehouse_pg_err "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
        return 1
    fi
}

# Runs a command as the `postgres` OS user when we are root, else as ourselves.
_gatehouse_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Prints a free TCP port on 127.0.0.1.
_gatehouse_pg_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
    fi
    local port i
    for i in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
        : "$i"
    done
    return 1
}

_gatehouse_pg_dump_log() {
    local dir=$1 f
    for f in "$dir/initdb.log" "$dir/server.log"; do
        if [ -s "$f" ]; then
            echo "----- $f -----" >&2
            cat "$f" >&2
        fi
    done
}

# Stops the server in DIR (default: $GATEHOUSE_TEST_PG_DIR) and deletes DIR.
gatehouse_pg_stop() {
    local dir=${1:-${GATEHOUSE_TEST_PG_DIR:-}}
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then
        if [ -z "${1:-}" ]; then
            unset GATEHOUSE_TEST_POSTGRES_URL GATEHOUSE_TEST_PG_DIR
        fi
        return 0
    fi
    if [ ! -e "$dir/$_gatehouse_pg_marker" ]; then
        _gatehouse_pg_err "refusing to delete $dir: not a test-postgres directory"
        return 1
    fi
    local bin pid
    bin=$(cat "$dir/$_gatehouse_pg_marker" 2>/dev/null)
    if [ -f "$dir/data/postmaster.pid" ]; then
        if [ -x "$bin/pg_ctl" ]; then
            _gatehouse_pg_as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null 2>&1 ||
                _gatehouse_pg_as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 10 >/dev/null 2>&1 ||
                true
        fi
        if [ -f "$dir/data/postmaster.pid" ]; then
            pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
            case $pid in
                '' | *[!0-9]*) ;;
                *) kill -9 "$pid" 2>/dev/null || true ;;
            esac
        fi
    fi
    rm -rf -- "$dir"
    if [ "$dir" = "${GATEHOUSE_TEST_PG_DIR:-}" ]; then
        unset GATEHOUSE_TEST_POSTGRES_URL GATEHOUSE_TEST_PG_DIR
    fi
    return 0
}

# Starts a fresh server; exports GATEHOUSE_TEST_POSTGRES_URL and GATEHOUSE_TEST_PG_DIR.
gatehouse_pg_start() {
    _gatehouse_pg_ensure_installed || return 1
    local bin dir port attempt started=0
    bin=$(_gatehouse_pg_bindir) || return 1

    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        _gatehouse_pg_err "running as root but there is no 'postgres' OS user to run the server as"
        return 1
    fi

    dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX) || return 1
    echo "$bin" >"$dir/$_gatehouse_pg_marker"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$dir" || { rm -rf -- "$dir"; return 1; }
    fi

    if ! _gatehouse_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust \
        --no-locale -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
        _gatehouse_pg_err "initdb failed"
        _gatehouse_pg_dump_log "$dir"
        rm -rf -- "$dir"
        return 1
    fi

    # A few attempts in case another process grabs the chosen port first.
    for attempt in 1 2 3; do
        if ! port=$(_gatehouse_pg_free_port); then
            _gatehouse_pg_err "could not find a free TCP port"
            break
        fi
        if _gatehouse_pg_as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c ssl=off -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null 2>&1; then
            started=1
            break
        fi
        grep -q 'already in use' "$dir/server.log" 2>/dev/null || break
        : "$attempt"
    done

    if [ "$started" -eq 1 ]; then
        local i
        started=0
        for i in $(seq 1 150); do
            if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; then
                started=1
                break
            fi
            sleep 0.2
            : "$i"
        done
    fi
    if [ "$started" -ne 1 ]; then
        _gatehouse_pg_err "PostgreSQL did not become ready on 127.0.0.1:${port:-?}"
        _gatehouse_pg_dump_log "$dir"
        gatehouse_pg_stop "$dir"
        return 1
    fi

    if ! "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -O postgres gatehouse_test 2>"$dir/createdb.log"; then
        _gatehouse_pg_err "createdb gatehouse_test failed: $(cat "$dir/createdb.log")"
        _gatehouse_pg_dump_log "$dir"
        gatehouse_pg_stop "$dir"
        return 1
    fi

    export GATEHOUSE_TEST_PG_DIR="$dir"
    export GATEHOUSE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/gatehouse_test"
    echo "test-postgres: PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port (dir $dir)" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        start)
            gatehouse_pg_start
            printf 'export GATEHOUSE_TEST_POSTGRES_URL=%q; export GATEHOUSE_TEST_PG_DIR=%q\n' \
                "$GATEHOUSE_TEST_POSTGRES_URL" "$GATEHOUSE_TEST_PG_DIR"
            ;;
        stop)
            if [ -z "${2:-}" ]; then
                echo "usage: $0 stop DIR" >&2
                exit 2
            fi
            gatehouse_pg_stop "$2"
            ;;
        *)
            echo "usage: $0 start | stop DIR   (or: source $0; gatehouse_pg_start; gatehouse_pg_stop)" >&2
            exit 2
            ;;
    esac
fi
