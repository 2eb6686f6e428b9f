#!/usr/bin/env bash
# Crash test (SPEC §5.1): ringbackd ingests a generated file and is killed with SIGKILL at
# random points, then restarted, KILLS times; the store is then compared with a clean
# single run of the same file: rows lost, rows doubled, and any difference in calls,
# callbacks or alerts.
#   scripts/crash-test.sh [ROWS] [KILLS]    default 100000 rows, 50 kills
#   scripts/crash-test.sh 20000 10          the short version CI runs
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
kills=${2:-50}
scripts/install-deps.sh
bin=$(scripts/build-release.sh)
work=$(mktemp -d)
trap 'kill -9 "${daemon:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/spool"
"$bin/ringback-cdrgen" --rows "$rows" --seed 11 > "$work/all.csv"
rows=$(wc -l < "$work/all.csv")
{ cat Tests/Fixtures/directory/ringback.toml; printf '\n[[source]]\nkind = "spool"\nname = "pbx"\npath = "%s"\n' "$work/spool"; } > "$work/ringback.toml"
rb() { "$bin/ringback" "$@" --config "$work/ringback.toml"; }
for db in clean crash; do
    for kind in managers clients; do rb import "$kind" "Tests/Fixtures/directory/$kind.csv" --db "$work/$db.db" >/dev/null; done
done
rb ingest "$work/all.csv" --db "$work/clean.db" >/dev/null

stored() { sqlite3 "$work/crash.db" "SELECT count(*) FROM legs" 2>/dev/null || echo 0; }
cp "$work/all.csv" "$work/spool/Master.csv"
midway=0
for ((kill = 1; kill <= kills; kill++)); do
    "$bin/ringbackd" --config "$work/ringback.toml" --db "$work/crash.db" 2>/dev/null &
    daemon=$!
    sleep "$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", 0.02 + rand() * 0.2 }')"
    kill -9 "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    [ "$(stored)" -lt "$rows" ] && midway=$((midway + 1))
done
"$bin/ringbackd" --config "$work/ringback.toml" --db "$work/crash.db" 2>/dev/null &
daemon=$!
for ((wait = 0; wait < 1200 && $(stored) < rows; wait++)); do sleep 0.5; done
sleep 1
kill -TERM "$daemon"; wait "$daemon" || true

# The same queries on both stores; any line that differs is a difference.
dump() {
    sqlite3 "$1" "SELECT 'leg', digest FROM legs ORDER BY digest" \
        "SELECT 'call', call_id, started_at, direction, number, answered, extension, client_id, manager_id FROM calls ORDER BY call_id" \
        "SELECT 'callback', number, client_id, manager_id, first_call_id, first_missed_at, due_at, state, resolved_at, resolved_by FROM callbacks ORDER BY first_call_id" \
        "SELECT 'alert', kind, raised_at, manager_id, client_id, number, call_id, resolved_at, resolution FROM alerts ORDER BY kind, call_id"
}
dump "$work/clean.db" > "$work/clean.txt"
dump "$work/crash.db" > "$work/crash.txt"
stored_rows=$(stored)
distinct=$(sqlite3 "$work/crash.db" "SELECT count(DISTINCT digest) FROM legs")
differences=$(diff "$work/clean.txt" "$work/crash.txt" | grep -c '^[<>]' || true)
lost=$((rows - distinct))
doubled=$((stored_rows - distinct))
printf 'rows %d, kill -9 %d times (%d before the file was all stored), rows lost %d, rows doubled %d, differences in calls/callbacks/alerts %d\n' \
    "$rows" "$kills" "$midway" "$lost" "$doubled" "$differences"
printf 'calls %s, callbacks %s, alerts %s in both stores\n' \
    "$(sqlite3 "$work/clean.db" 'SELECT count(*) FROM calls')" "$(sqlite3 "$work/clean.db" 'SELECT count(*) FROM callbacks')" \
    "$(sqlite3 "$work/clean.db" 'SELECT count(*) FROM alerts')"
# What differs, for whoever has to find out why (the work folder is removed on exit).
[ "$differences" -eq 0 ] || diff "$work/clean.txt" "$work/crash.txt" | head -40
[ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ] && [ "$differences" -eq 0 ]
