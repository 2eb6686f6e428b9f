#!/usr/bin/env bash
# Runs ringbackd and ringback-web on the bundled example configuration and sample day, with
# their own store in ./example-state, shows what the CLI and the API answer, then stops them.
# Pass --follow to keep them running (Ctrl-C stops them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
bin=$(scripts/build-release.sh)

state="$PWD/example-state"
rm -rf "$state" && mkdir -p "$state/cdr" "$state/import"
cp Config/sample-cdr/Master.csv "$state/cdr/Master.csv"
cp Config/managers.csv Config/clients.csv Config/contacts.csv "$state/import/"
# The example configuration, pointed at the example state instead of /var.
sed -e "s|/var/log/asterisk/cdr-csv|$state/cdr|" -e "s|/var/lib/ringback/import|$state/import|" \
    -e "s|/var/lib/ringback/ringback.db|$state/ringback.db|" -e "s|/var/lib/ringback/web.db|$state/web.db|" \
    -e 's|^listen = "127.0.0.1:8080"|listen = "127.0.0.1:18080"|' -e 's|^time_zone = "UTC" |time_zone = "Europe/Moscow"|' \
    Config/ringback.toml > "$state/ringback.toml"

"$bin/ringbackd" --config "$state/ringback.toml" &
daemon=$!
trap 'kill -TERM $daemon ${web:-} 2>/dev/null; wait $daemon ${web:-} 2>/dev/null' EXIT
rb() { "$bin/ringback" "$@" --config "$state/ringback.toml"; }
# The sample day is read in well under a second; give the directory import a moment too.
for _ in $(seq 50); do [ -e "$state/ringback.db" ] && rb status >/dev/null 2>&1 && break; sleep 0.1; done
sleep 2
key=$(rb api-key create example --scope read)
"$bin/ringback-web" --config "$state/ringback.toml" &
web=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
echo; echo "== ringback status"; rb status || true
echo; echo "== ringback pending --at '2026-03-02 12:00' (the head sees every open callback)"
rb pending --at "2026-03-02 12:00" | head -15
echo; echo "== ringback missed --since 2026-03-02 --until 2026-03-03"
rb missed --since 2026-03-02 --until 2026-03-03 | head -15
echo; echo "== ringback alerts --kind no_contact"
rb alerts --kind no_contact | head -8
echo; echo "== the API: curl -H 'Authorization: Bearer $key' 'http://127.0.0.1:18080/api/v1/callbacks?at=2026-03-02T12:00:00%2B03:00'"
curl -s -H "Authorization: Bearer $key" 'http://127.0.0.1:18080/api/v1/callbacks?at=2026-03-02T12:00:00%2B03:00' | head -5
if [ "${1:-}" = "--follow" ]; then
  echo; echo "ringbackd (pid $daemon) and ringback-web (pid $web) are running; append to $state/cdr/Master.csv and watch. Ctrl-C stops them."
  wait $daemon
fi
