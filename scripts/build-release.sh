#!/usr/bin/env bash
# The one release build every script uses (install, crash test, benchmarks, the example run):
# optimized, with the Swift standard library and Foundation linked in statically, so the
# installed binaries need nothing of the toolchain on the PBX box. Prints the folder of
# the binaries. Every caller passes the same flags, so the build is made once and reused.
#   bin=$(scripts/build-release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# Its own scratch folder: it can build while `swift test` holds the lock of .build.
flags=(-c release --static-swift-stdlib --scratch-path .build-release)
for product in ringbackd ringback ringback-web ringback-cdrgen; do swift build "${flags[@]}" --product "$product" >&2; done
swift build "${flags[@]}" --show-bin-path
