#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs CTest
# (unit tests, rule cases, end-to-end builds of the testdata extensions).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/get-pythons.sh  # Python 3.13-3.15 from Debian sid; their tests skip without it
# From PyPI, pinned, in build/venv: abi3audit for test_verify.py's
# side-by-side check, and the build backends test_build_config.py builds
# wheels with.
if [ ! -x build/venv/bin/meson ]; then
  /usr/bin/python3 -m venv build/venv
  build/venv/bin/pip install -q "abi3audit==0.0.26" "setuptools==75.8.0" "wheel==0.45.1" \
    "scikit-build-core==0.10.7" "meson-python==0.17.1" "meson==1.6.1" "ninja==1.11.1.3" \
    "cmake==3.31.4"
fi
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
