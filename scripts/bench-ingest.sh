#!/usr/bin/env bash
# Backfill speed: `ringback ingest` of N generated rows (release build, calls, callbacks and
# alerts all computed) against the sqlite3 shell's `.import` of the same file into a plain
# table, measured in the same run. Usage: scripts/bench-ingest.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
scripts/install-deps.sh
bin=$(scripts/build-release.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/ringback-cdrgen" --rows "$rows" --seed 5 > "$work/Master.csv"
lines=$(wc -l < "$work/Master.csv")
size=$(du -m "$work/Master.csv" | cut -f1)

seconds() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
read -r ringback_s ringback_kb < <(seconds "$bin/ringback" ingest "$work/Master.csv" \
    --config Tests/Fixtures/directory/ringback.toml --db "$work/ringback.db")
cat > "$work/import.sql" <<SQL
CREATE TABLE cdr(accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,start,answer,"end",
                 duration,billsec,disposition,amaflags,uniqueid,userfield,peeraccount,linkedid,sequence);
.mode csv
.import $work/Master.csv cdr
SQL
read -r import_s _ < <(seconds sqlite3 "$work/import.db" ".read $work/import.sql")

awk -v rows="$lines" -v mb="$size" -v r="$ringback_s" -v kb="$ringback_kb" -v i="$import_s" 'BEGIN {
    printf "rows                       %d (%d MB)\n", rows, mb
    printf "ringback ingest            %.1f s  %.0f rows/s  peak RSS %.0f MiB\n", r, rows / r, kb / 1024
    printf "sqlite3 .import (floor)    %.1f s  %.0f rows/s\n", i, rows / i
    printf "ratio ringback / .import   %.2f\n", r / i
}'
