#!/usr/bin/env bash
# The whole test suite: unit tests of the core, the store's tests on SQLite and on a real
# PostgreSQL server, end-to-end tests that run the built
# ringback and ringbackd on fixture files (on SQLite, then on PostgreSQL), the systemd units' verification, then on one
# release build (static standard library, as installed): the install check, a short crash
# test, two daemons on one PostgreSQL store, and a smoke run of the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-test-tools.sh >/dev/null
swift build --build-tests
# The release build takes the CPU while the tests mostly wait (on daemons, sockets, child
# processes), so it runs beside them, in its own scratch folder.
release_log=$(mktemp)
scripts/build-release.sh >"$release_log" 2>&1 &
release=$!
# The PostgreSQL store's tests run on a server of their own (a new cluster, a private port
# and socket folder), stopped when the suite ends.
export RINGBACK_TEST_POSTGRES_DIR=$(mktemp -d /tmp/ringback-test-postgres.XXXXXX)
export RINGBACK_TEST_POSTGRES_PORT=${RINGBACK_TEST_POSTGRES_PORT:-55433}
trap 'kill "$release" 2>/dev/null || true; scripts/postgres-server.sh stop "$RINGBACK_TEST_POSTGRES_DIR"; rm -rf "$RINGBACK_TEST_POSTGRES_DIR" "$RINGBACK_TEST_POSTGRES_DIR.lock"' EXIT
scripts/postgres-server.sh start "$RINGBACK_TEST_POSTGRES_DIR" "$RINGBACK_TEST_POSTGRES_PORT" >/dev/null
# Each test in a process of its own, six at a time.
swift test --skip-build --parallel --num-workers 6
# The end-to-end tests and the store's tests (those on a `TestStore`) again, every program
# on the PostgreSQL store (SPEC §10); the few about the SQLite file itself skip.
RINGBACK_TEST_STORE=postgres swift test --skip-build --parallel --num-workers 6 --filter \
    'RingbackEndToEndTests|IngestPipelineTests|FileIngestorTests|ArrivalOrderPropertyTests|RetentionTests|WebhookOutboxTests|CallRequestStoreTests|PBXSilenceTests'
wait "$release" || { cat "$release_log" >&2; exit 1; }
rm -f "$release_log"
scripts/verify-units.sh
scripts/check-install.sh
# The short crash test: 10 × kill -9 during a 20 k-row ingest (scripts/crash-test.sh).
scripts/crash-test.sh 20000 10
# Two daemons on one PostgreSQL store, one of them killed -9 10 times (SPEC §10).
scripts/two-daemons-test.sh 20000 10
# The benchmark at a smoke size: it must run end to end and print its table; its figures
# mean something only at full size (README, "Measured").
scripts/bench.sh 2000 20000 2 0
