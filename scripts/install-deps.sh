#!/usr/bin/env bash
# Installs the Debian packages the build needs, when they are missing:
# libsqlite3-dev and libsystemd-dev (the two system libraries), pkg-config (to find
# them), tzdata (IANA zones), sqlite3, python3, time and procps (the benchmark's references,
# clock and process control), systemd (systemd-analyze, to verify the units in CI),
# libpq-dev (PostgreSQL's client library, SPEC §10) and postgresql (the tests' own server,
# scripts/postgres-server.sh), python3-venv (the test tools' environment, scripts/install-test-tools.sh), curl (the
# README's API examples), wrk (the API's load benchmark), chromium, chromium-driver and
# fonts-dejavu-core (the browser tests of the pages, headless, and readable screenshots).
set -euo pipefail
packages=(libsqlite3-dev libsystemd-dev libpq-dev postgresql pkg-config tzdata sqlite3 python3 python3-venv time procps systemd curl wrk
          chromium chromium-driver fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
