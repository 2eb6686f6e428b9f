#!/usr/bin/env bash
# Installs into a staging folder as a package would (scripts/install.sh with DESTDIR) and
# checks that the installed binaries run on a PBX box without Swift: nothing they load
# resolves into the toolchain, and they start with an empty environment.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR="$stage" scripts/install.sh >/dev/null
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
for program in ringbackd ringback ringback-web; do
    binary="$stage/usr/local/bin/$program"
    libraries=$(ldd "$binary")
    if grep -q "not found" <<<"$libraries" || grep -qF "$toolchain" <<<"$libraries"; then
        echo "$program needs the toolchain or a missing library:" >&2
        echo "$libraries" >&2
        exit 1
    fi
    if readelf -d "$binary" | grep -qF "$toolchain"; then
        echo "$program has a RUNPATH into the toolchain ($toolchain)" >&2
        exit 1
    fi
    env -i "$binary" --help >/dev/null
done
echo "installed binaries: no library from $toolchain, start with an empty environment"
