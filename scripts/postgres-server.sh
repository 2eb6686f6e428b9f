#!/usr/bin/env bash
# A PostgreSQL server of the tests' own (Debian's postgresql): a new cluster in DIR, on
# 127.0.0.1:PORT and a socket in DIR, never the machine's own server. It prints the URL
# to connect as the cluster's superuser `ringback` (password in DIR/password, scram over
# TCP, trust over the socket); when it runs already, only the URL. `stop DIR` stops it.
# Usage: scripts/postgres-server.sh start DIR [PORT]  |  scripts/postgres-server.sh stop DIR
set -euo pipefail
command=$1; dir=$2; port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# PostgreSQL refuses to run as root; the tests' cluster then belongs to Debian's postgres user.
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
case "$command" in
stop)
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    exit 0 ;;
start) ;;
*) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
mkdir -p "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
if [ ! -d "$dir/data" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/password"
    chmod 644 "$dir/password"
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U ringback --pwfile="$dir/password" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
fi
url="postgresql://ringback@127.0.0.1:$port/postgres"
# Started already (by the test command, or another test process): the same server.
if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then echo "$url"; exit 0; fi
# Durability is not what the tests measure: fsync off keeps a test's many small commits cheap.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
echo "$url"
