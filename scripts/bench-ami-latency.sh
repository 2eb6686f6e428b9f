#!/usr/bin/env bash
# Latency from an AMI `Event: Cdr` sent by a scripted peer (real TCP) to its callback in
# the store's pending list (the query `ringback pending` runs), through a release
# ringbackd: p50 and p99 over N events (default 1000).
#   scripts/bench-ami-latency.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --build-tests >&2
RINGBACK_BENCH_AMI=${1:-1000} swift test -c release --skip-build \
    --filter AMIDaemonTests/testBenchmarkLatencyFromCdrEventToPending 2>&1 | grep -E "AMI latency|error" 
