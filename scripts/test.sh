#!/usr/bin/env bash
# The whole test suite: unit tests of the core, end-to-end tests that run the built
# ringback and ringbackd on fixture files, the systemd units' verification, a short crash
# test and a smoke run of the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
scripts/verify-units.sh
# The short crash test: 10 × kill -9 during a 20 k-row ingest (scripts/crash-test.sh).
BUILD=debug scripts/crash-test.sh 20000 10
# The benchmark at a smoke size (release build): it must run end to end and print its table;
# its figures mean something only at full size (README, "Measured").
scripts/bench.sh 2000 20000 2 0
