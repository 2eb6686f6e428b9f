#!/usr/bin/env bash
# Renders the HTML report of the bundled sample day to PNG with headless Chromium, to look
# at it as the head of sales will (not run in CI). Output: report-sample/report.{html,png}.
#   scripts/render-report.sh            # installs chromium if it is missing
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; }
swift build -c release --product ringback >&2
bin=$(swift build -c release --show-bin-path)

out="$PWD/report-sample"
rm -rf "$out" && mkdir -p "$out"
sed -e "s|/var/lib/ringback/ringback.db|$out/ringback.db|" Config/ringback.toml > "$out/ringback.toml"
rb() { "$bin/ringback" "$@" --config "$out/ringback.toml"; }
for kind in managers clients contacts; do rb import "$kind" "Config/$kind.csv" >&2; done
rb ingest Config/sample-cdr/Master.csv >&2
rb report --day 2026-03-02 --at "2026-03-03 09:00" --format html > "$out/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=820,2400 \
    --screenshot="$out/report.png" "file://$out/report.html" 2>/dev/null
echo "$out/report.png"
