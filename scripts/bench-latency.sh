#!/usr/bin/env bash
# Live latency through a release ringbackd, each sample measured alone: a row appended to
# the watched Master.csv, and an AMI `Event: Cdr` sent by a scripted peer on real TCP, until
# the callback is in the pending list (the query `ringback pending` runs); and a row
# appended until its callback shows on a manager's page open in headless chromium (release
# ringback-web), then resolved by the CLI until it has left (SPEC §8.3: 2 s; at most 200
# samples). Prints p50, p99 and the worst over N samples each (default 1000).
#   scripts/bench-latency.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Some test files read the store's internals (@testable), which a release build allows only
# when compiled for testing; the flags are the same for both commands, or the second rebuilds.
flags=(-c release -Xswiftc -enable-testing)
swift build "${flags[@]}" --build-tests >&2
RINGBACK_BENCH=${1:-1000} swift test "${flags[@]}" --skip-build --filter LatencyBenchmarkTests 2>&1 \
    | grep -E " over [0-9]+ samples: |error:"
