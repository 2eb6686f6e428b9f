#!/usr/bin/env bash
# The whole test suite: unit tests of the core, end-to-end tests that run the built
# ringback and ringbackd on fixture files, and the systemd units' verification.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
scripts/verify-units.sh
# The short crash test: 10 × kill -9 during a 20 k-row ingest (scripts/crash-test.sh).
BUILD=debug scripts/crash-test.sh 20000 10
