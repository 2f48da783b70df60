#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, then
# audits the example extension and prints the port (diff and report).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
EXAMPLE=testdata/e2e/vector2d/vector2d.c
echo "== abi3port check --target 3.11 $EXAMPLE"
./build/abi3port check --target 3.11 "$EXAMPLE" || true
if ./build/abi3port --help | grep -q '^ *port'; then
  echo
  echo "== abi3port port --target 3.11 $EXAMPLE"
  ./build/abi3port port --target 3.11 "$EXAMPLE" --report-format text || true
fi
