#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs CTest
# (unit tests, rule cases, end-to-end builds of the testdata extensions).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/get-pythons.sh  # Python 3.13-3.15 from Debian sid; their tests skip without it
# abi3audit from PyPI, pinned, for test_verify.py's side-by-side check
if [ ! -x build/venv/bin/abi3audit ]; then
  /usr/bin/python3 -m venv build/venv
  build/venv/bin/pip install -q "abi3audit==0.0.26"
fi
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
