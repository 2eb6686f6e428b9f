#!/usr/bin/env bash
# libFuzzer on every decoder (asterisk, freeswitch/mapped, AMI) and on the configuration
# parser, with AddressSanitizer; seed corpora from Tests/Fixtures and shared/samples.
#   scripts/fuzz.sh [RUNS]          default 1000000 inputs per target
#   TARGETS=FuzzAMI scripts/fuzz.sh  only some targets
# A crash leaves its input in .build-fuzz/findings/<target>/ and fails the script.
# TOMLKit leaks a few bytes per parse (its C++ table and key lists): the configuration is
# parsed once per start, so the config target runs with leak detection off.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
scripts/install-deps.sh
scratch="$PWD/.build-fuzz"
# lld: gold trips over the sanitizer runtime's symbols.
(cd Fuzz && swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2)
samples=../shared/samples
seed() {  # target, files…
    local dir="$scratch/corpus/$1"; shift
    mkdir -p "$dir"
    for file in "$@"; do [ -f "$file" ] && cp "$file" "$dir/"; done
}
seed FuzzAsterisk Tests/Fixtures/calls/*.csv Config/sample-cdr/Master.csv "$samples"/*.csv
seed FuzzMapped Tests/Fixtures/mapped/* "$samples"/freeswitch-*.csv "$samples"/asterisk-cdr_custom-*.csv
seed FuzzAMI Tests/Fixtures/ami/* "$samples"/ami-*.txt
seed FuzzConfig Config/ringback.toml Config/presets/*.toml Tests/Fixtures/directory/ringback.toml
status=0
printf '%-14s %12s %9s  %s\n' target inputs seconds result
for target in ${TARGETS:-FuzzAsterisk FuzzMapped FuzzAMI FuzzConfig}; do
    findings="$scratch/findings/$target"
    extra=()
    leaks=1
    [ "$target" = FuzzConfig ] && extra=(-detect_leaks=0) && leaks=0
    mkdir -p "$findings"
    start=$(date +%s)
    if ASAN_OPTIONS="detect_leaks=$leaks" "$scratch/release/$target" "$scratch/corpus/$target" -runs="$runs" -max_len=8192 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" "${extra[@]}" > "$scratch/$target.log" 2>&1; then result="no crash"; else result="CRASH: see $findings"; status=1; fi
    done_runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$scratch/$target.log" | tail -1)
    printf '%-14s %12s %9s  %s\n' "$target" "${done_runs:-?}" "$(( $(date +%s) - start ))" "$result"
done
exit $status
