#!/usr/bin/env bash
# Several daemons on one PostgreSQL store (SPEC §10): a generated day is split in two by
# call, each half read by a ringbackd of its own (its own source, its own spool) into one
# database, while one of them is killed with SIGKILL at random points and restarted, KILLS
# times. The database is then compared with a clean single load of the whole day into
# another: rows lost, rows doubled, and any difference in calls, callbacks or alerts.
#   scripts/two-daemons-test.sh [ROWS] [KILLS]     default 20000 rows, 10 kills
# It starts a PostgreSQL server of its own (scripts/postgres-server.sh) unless
# RINGBACK_TEST_POSTGRES_DIR names a running one.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-20000}
kills=${2:-10}
scripts/install-deps.sh
bin=$(scripts/build-release.sh)
work=$(mktemp -d)
server=${RINGBACK_TEST_POSTGRES_DIR:-$work/postgres}
port=${RINGBACK_TEST_POSTGRES_PORT:-55434}
[ -n "${RINGBACK_TEST_POSTGRES_DIR:-}" ] || own_server=1
cleanup() {
    kill -9 "${daemon_a:-0}" "${daemon_b:-0}" 2>/dev/null || true
    [ -n "${own_server:-}" ] && scripts/postgres-server.sh stop "$server"
    rm -rf "$work"
}
trap cleanup EXIT
# Root runs the server as postgres, who must reach its folder.
[ -n "${own_server:-}" ] && chmod 755 "$work"
flock -o "$server.lock" scripts/postgres-server.sh start "$server" "$port" >/dev/null
psql_on() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$server" -p "$port" -U ringback -d "$1" -c "$2"; }
suffix=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
clean=clean_$suffix split=split_$suffix
psql_on postgres "CREATE DATABASE $clean" && psql_on postgres "CREATE DATABASE $split"

"$bin/ringback-cdrgen" --rows "$rows" --seed 12 --start 2026-03-02 > "$work/all.csv"
rows=$(wc -l < "$work/all.csv")
# By call (its linkedid): both halves hold calls of the same numbers, so a client who
# called one office may be called back from the other.
mkdir -p "$work/spool-a" "$work/spool-b"
python3 - "$work/all.csv" "$work/spool-a/Master.csv" "$work/spool-b/Master.csv" <<'EOF'
import csv, sys, zlib
# Each line as the PBX wrote it, to the half its linkedid (the 20th field) falls in.
with open(sys.argv[1], newline="") as rows, open(sys.argv[2], "w", newline="") as a, open(sys.argv[3], "w", newline="") as b:
    for line in rows:
        (a, b)[zlib.crc32(next(csv.reader([line]))[19].encode()) % 2].write(line)
EOF

config() {  # NAME DATABASE [SPOOL-NAME...]
    local name=$1 database=$2; shift 2
    { cat Tests/Fixtures/directory/ringback.toml
      printf '\n[store]\nurl = "postgresql://ringback@127.0.0.1:%s/%s"\npassword_file = "%s/password"\n' "$port" "$database" "$server"
      for spool in "$@"; do printf '\n[[source]]\nkind = "spool"\nname = "pbx-%s"\npath = "%s/spool-%s"\n' "$spool" "$work" "$spool"; done
    } > "$work/$name.toml"
}
config clean "$clean"
config a "$split" a
config b "$split" b
for name in clean a; do
    for kind in managers clients; do "$bin/ringback" import "$kind" "Tests/Fixtures/directory/$kind.csv" --config "$work/$name.toml" >/dev/null; done
done
"$bin/ringback" ingest "$work/all.csv" --config "$work/clean.toml" >/dev/null

stored() { psql_on "$split" "SELECT count(*) FROM legs" 2>/dev/null || echo 0; }
"$bin/ringbackd" --config "$work/b.toml" 2>"$work/b.log" &
daemon_b=$!
midway=0
for ((kill = 1; kill <= kills; kill++)); do
    "$bin/ringbackd" --config "$work/a.toml" 2>>"$work/a.log" &
    daemon_a=$!
    sleep "$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", 0.05 + rand() * 0.3 }')"
    kill -9 "$daemon_a" 2>/dev/null || true
    wait "$daemon_a" 2>/dev/null || true
    [ "$(stored)" -lt "$rows" ] && midway=$((midway + 1))
done
"$bin/ringbackd" --config "$work/a.toml" 2>>"$work/a.log" &
daemon_a=$!
# Every row stored, and every call settled and judged.
waiting() { psql_on "$split" "SELECT count(*) FROM legs WHERE call_id IS NULL" 2>/dev/null || echo 1; }
for ((wait = 0; wait < 1200 && ($(stored) < rows || $(waiting) > 0); wait++)); do sleep 0.5; done
sleep 2
kill -TERM "$daemon_a" "$daemon_b"; wait "$daemon_a" || true; wait "$daemon_b" || true

# The same queries on both databases, without the ids each numbers its own way.
dump() {
    psql_on "$1" "SELECT 'leg', encode(digest, 'hex') FROM legs ORDER BY 2"
    psql_on "$1" "SELECT 'call', call_id, started_at, direction, number, answered, extension, client_id, manager_id FROM calls ORDER BY call_id"
    psql_on "$1" "SELECT 'callback', number, client_id, manager_id, first_call_id, first_missed_at, due_at, state, resolved_at, resolved_by,
                         resolution_call_id FROM callbacks ORDER BY first_call_id"
    psql_on "$1" "SELECT 'alert', kind, raised_at, manager_id, client_id, number, call_id, resolved_at, resolution FROM alerts ORDER BY kind, call_id"
}
dump "$clean" > "$work/clean.txt"
dump "$split" > "$work/split.txt"
stored_rows=$(stored)
distinct=$(psql_on "$split" "SELECT count(DISTINCT digest) FROM legs")
differences=$(diff "$work/clean.txt" "$work/split.txt" | grep -c '^[<>]' || true)
lost=$((rows - distinct))
doubled=$((stored_rows - distinct))
printf 'rows %d in two halves, daemon a killed -9 %d times (%d before every row was stored), rows lost %d, rows doubled %d, differences in calls/callbacks/alerts %d\n' \
    "$rows" "$kills" "$midway" "$lost" "$doubled" "$differences"
printf 'calls %s, callbacks %s, alerts %s in both databases\n' \
    "$(psql_on "$clean" 'SELECT count(*) FROM calls')" "$(psql_on "$clean" 'SELECT count(*) FROM callbacks')" \
    "$(psql_on "$clean" 'SELECT count(*) FROM alerts')"
if [ "$lost" -ne 0 ] || [ "$doubled" -ne 0 ] || [ "$differences" -ne 0 ]; then
    diff "$work/clean.txt" "$work/split.txt" | head -20 >&2
    # Both dumps and the daemons' logs stay for a look.
    kept=$(mktemp -d /tmp/two-daemons-failed.XXXXXX)
    cp "$work"/*.txt "$work"/*.log "$kept/" && echo "kept in $kept" >&2
    grep -v '^$' "$work/a.log" "$work/b.log" | grep -iv 'info' | head -20 >&2
    exit 1
fi
