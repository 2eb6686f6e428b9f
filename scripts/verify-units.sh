#!/usr/bin/env bash
# Checks the systemd units as CI does: `systemd-analyze verify` on copies whose ExecStart
# points at the built binaries, and the sandbox exposure of ringbackd and ringback-web (each
# must stay at or under 2.5).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v systemd-analyze >/dev/null || scripts/install-deps.sh
bin=$(swift build --show-bin-path)
[ -x "$bin/ringbackd" ] || swift build --product ringbackd >&2
[ -x "$bin/ringback" ] || swift build --product ringback >&2
[ -x "$bin/ringback-web" ] || swift build --product ringback-web >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in systemd/*; do sed "s|/usr/local/bin/|$bin/|g" "$unit" > "$work/$(basename "$unit")"; done
(cd "$work" && systemd-analyze verify ./*.service ./*.socket ./*.timer)
for service in ringbackd ringback-web; do
    exposure=$(systemd-analyze security --offline=yes "$work/$service.service" \
        | sed -n "s/.*Overall exposure level for $service.service: \([0-9.]*\).*/\1/p")
    echo "$service.service exposure: $exposure"
    awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || { echo "$service: exposure above 2.5" >&2; exit 1; }
done
