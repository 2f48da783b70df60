#!/usr/bin/env bash
# Python 3.13, 3.14 and 3.15 (release and debug builds, with their headers)
# from Debian's unstable suite, unpacked into a folder and run from there:
# no root, nothing installed on the system.
#
#   scripts/get-pythons.sh [VERSION...]      (default: 3.13 3.14 3.15)
#
# The folder is $ABI3PORT_PYTHONS, or build/pythons; the mirror is
# $ABI3PORT_DEBIAN_MIRROR, or the first URIs: of the machine's debian.sources.
# For each version X the folder holds ROOT = <folder>/X (the unpacked
# packages) and two wrapper scripts, <folder>/bin/pythonX and
# <folder>/bin/pythonXd, which run the interpreter with sid's own loader and
# libraries. Headers: -I ROOT/usr/include -I ROOT/usr/include/pythonX.
# Idempotent: a version already unpacked is not downloaded again (about
# 110 MB per version otherwise). A version that cannot be fetched is
# reported, and the script still exits 0: the tests for that version skip
# and say why.
set -uo pipefail
cd "$(dirname "$0")/.."

DEST=${ABI3PORT_PYTHONS:-$PWD/build/pythons}
VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(3.13 3.14 3.15)
ARCH=x86_64-linux-gnu
# The libraries sid's interpreter links with (the rest comes with it).
LIBS=(libc6 libexpat1 zlib1g libffi8 libssl3t64 libbz2-1.0 liblzma5 libmpdec4 libsqlite3-0
      libzstd1 libuuid1 libtinfo6 libncursesw6 libreadline8t64 libgcc-s1 libcrypt1)
# pytest for the behaviour tests (pure Python, found in ROOT/usr/lib/python3/dist-packages).
PYTEST=(python3-pytest python3-pluggy python3-iniconfig python3-packaging python3-pygments)

mkdir -p "$DEST/bin" "$DEST/apt/lists/partial" "$DEST/apt/cache/archives/partial" "$DEST/debs"

works() {  # the wrapper runs, reports the expected version and has pytest
  "$1" -c "import sys, pytest; assert '%d.%d' % sys.version_info[:2] == '$2'" >/dev/null 2>&1
}
unpacked() {  # both interpreters, their headers and pytest are in ROOT
  local u="$DEST/$1/usr"
  [ -x "$u/bin/python$1" ] && [ -x "$u/bin/python${1}d" ] && [ -f "$u/include/python$1/Python.h" ] &&
    [ -d "$u/lib/python3/dist-packages/pytest" ]
}

missing=()
for v in "${VERSIONS[@]}"; do
  unpacked "$v" || missing+=("$v")
done

if [ ${#missing[@]} -gt 0 ]; then
  # A private apt configuration: the machine's mirror, suite sid, private state.
  mirror=${ABI3PORT_DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null)}
  mirror=${mirror:-http://deb.debian.org/debian}
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  cat > "$DEST/apt/sid.sources" <<EOF
Types: deb
URIs: $mirror
Suites: sid
Components: main
Signed-By: $keyring
EOF
  APT=(apt-get -q -o "Dir::Etc::sourcelist=$DEST/apt/sid.sources" -o Dir::Etc::sourceparts=-
       -o "Dir::State::Lists=$DEST/apt/lists" -o "Dir::Cache=$DEST/apt/cache"
       -o "Dir::State::status=$DEST/apt/status" -o APT::Architecture=amd64)
  touch "$DEST/apt/status"
  rm -f "$DEST"/apt/lists/*_Packages*
  # apt-get update exits 0 even when the mirror cannot be reached: look for the index.
  if ! "${APT[@]}" update >"$DEST/apt/update.log" 2>&1 ||
     ! ls "$DEST"/apt/lists/*_sid_main_binary-amd64_Packages* >/dev/null 2>&1; then
    echo "get-pythons: cannot read Debian sid from $mirror (see $DEST/apt/update.log);" \
         "tests for ${missing[*]} will skip" >&2
    tail -3 "$DEST/apt/update.log" >&2
    missing=()
    failed=1
  fi
fi

for v in "${missing[@]}"; do
  root="$DEST/$v"
  pkgs=("${LIBS[@]}" "${PYTEST[@]}")
  for p in python$v-minimal libpython$v-minimal libpython$v-stdlib libpython$v libpython$v-dev \
           python$v-dev python$v-dbg libpython$v-dbg; do
    pkgs+=("$p")
  done
  debs="$DEST/debs/$v"
  mkdir -p "$debs"
  if ! (cd "$debs" && "${APT[@]}" download "${pkgs[@]}") >"$debs/download.log" 2>&1; then
    echo "get-pythons: download of Python $v failed (see $debs/download.log); its tests will skip" >&2
    tail -3 "$debs/download.log" >&2
    failed=1
    continue
  fi
  rm -rf "$root.tmp"
  mkdir -p "$root.tmp"
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root.tmp" || { echo "get-pythons: cannot unpack $deb" >&2; failed=1; continue 2; }
  done
  rm -rf "$root"
  mv "$root.tmp" "$root"
  rm -f "$debs"/*.deb  # keep only what is unpacked
done

# The wrappers, rewritten every time (cheap). --argv0 makes sys.executable
# the wrapper, so a test that starts sys.executable again gets sid's loader.
for v in "${VERSIONS[@]}"; do
  root="$DEST/$v"
  [ -d "$root/usr/bin" ] || continue
  for suffix in "" d; do
    cat > "$DEST/bin/python$v$suffix" <<EOF
#!/bin/sh
# Python $v$suffix from Debian sid, run with sid's own loader (scripts/get-pythons.sh).
PYTHONHOME="$root/usr" exec "$root/usr/lib/$ARCH/ld-linux-x86-64.so.2" --argv0 "\$0" \\
  --library-path "$root/usr/lib/$ARCH" "$root/usr/bin/python$v$suffix" "\$@"
EOF
    chmod +x "$DEST/bin/python$v$suffix"
  done
done

status=0
for v in "${VERSIONS[@]}"; do
  for suffix in "" d; do
    wrapper="$DEST/bin/python$v$suffix"
    if works "$wrapper" "$v"; then
      echo "get-pythons: $wrapper: $("$wrapper" -c 'import sys; print(sys.version.split()[0], "debug" if hasattr(sys, "gettotalrefcount") else "release")')," \
           "headers -I $DEST/$v/usr/include -I $DEST/$v/usr/include/python$v"
    else
      echo "get-pythons: Python $v$suffix is not available: its tests will skip" >&2
      status=1
    fi
  done
done
[ "${failed:-0}" = 0 ] && [ $status = 0 ] || echo "get-pythons: some versions are missing (see above)" >&2
exit 0
