#!/usr/bin/env bash
# The Python tools the tests use, from PyPI, in a virtual environment of the checkout's own
# (.build-tools/venv, ignored by git): jsonschema and PyYAML to check real API answers
# against openapi.yaml, Schemathesis to throw generated requests at the API, Selenium to
# drive Debian's chromium through its chromium-driver for the pages. Prints the
# folder of the environment's programs.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-tools/venv
mkdir -p .build-tools
# Tests running side by side may call this at once: one installs, the others wait for it.
exec 9>.build-tools/lock
flock 9
if ! "$venv/bin/python" -c "import jsonschema, yaml, schemathesis, selenium" 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "jsonschema>=4.18" "PyYAML>=6" "schemathesis>=4.0,<5" "selenium>=4.20,<5" >&2
fi
echo "$PWD/$venv/bin"
