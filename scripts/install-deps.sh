#!/usr/bin/env bash
# Installs the Debian 12 packages abi3port needs, if any is missing.
# Runs apt-get as root, or through sudo.
set -euo pipefail
PACKAGES=(
  cmake ninja-build g++ git
  clang-19 libclang-19-dev llvm-19-dev
  libcli11-dev googletest libgtest-dev
  python3-dev python3.11-dbg python3-pytest
  clang-tools-19 neovim zlib1g-dev python3-venv
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "abi3port: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
