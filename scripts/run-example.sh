#!/usr/bin/env bash
# Runs ringbackd on the bundled example configuration and sample day, with its own store
# in ./example-state, shows what the CLI answers, then stops the daemon.
# Pass --follow to keep the daemon running (Ctrl-C stops it).
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
    -e "s|/var/lib/ringback/ringback.db|$state/ringback.db|" -e 's|^time_zone = "UTC" |time_zone = "Europe/Moscow"|' \
    Config/ringback.toml > "$state/ringback.toml"

"$bin/ringbackd" --config "$state/ringback.toml" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT
# The sample day is read in well under a second; give the directory import a moment too.
sleep 3
rb() { "$bin/ringback" "$@" --config "$state/ringback.toml"; }
echo; echo "== ringback status"; rb status || true
echo; echo "== ringback pending --at '2026-03-02 12:00' (the head sees every open callback)"
rb pending --at "2026-03-02 12:00" | head -15
echo; echo "== ringback missed --since 2026-03-02 --until 2026-03-03"
rb missed --since 2026-03-02 --until 2026-03-03 | head -15
echo; echo "== ringback alerts --kind no_contact"
rb alerts --kind no_contact | head -8
if [ "${1:-}" = "--follow" ]; then
  echo; echo "ringbackd is running (pid $daemon); append to $state/cdr/Master.csv and watch. Ctrl-C stops it."
  wait $daemon
fi
