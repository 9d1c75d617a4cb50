#!/usr/bin/env bash
# Installs CPython's own test_asyncio (Debian's libpython3.11-testsuite) where the asyncio
# conformance runner finds it, and prints the path of its `test` directory
# (.../usr/lib/python3.11/test). GraalPy ships no test_asyncio; nothing of it is committed.
#
#   scripts/asyncio-testsuite.sh          install once (idempotent), print the path
#   scripts/asyncio-testsuite.sh --path   print the path only if installed (exit 1 if not)
#
# The package is fetched with `apt-get download` (no root needed) and unpacked with
# `dpkg-deb -x` into the cache directory, $BRAID_TESTSUITE_CACHE or, by default,
# ${XDG_CACHE_HOME:-$HOME/.cache}/braid/asyncio-testsuite. Its dependencies (python3.11,
# net-tools) are not needed: the tests run on GraalPy, and test_asyncio calls no ifconfig.
# Messages go to standard error; standard output holds the path alone.
set -euo pipefail

package=libpython3.11-testsuite
cache="${BRAID_TESTSUITE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/braid/asyncio-testsuite}"
root="$cache/root"
test_dir="$root/usr/lib/python3.11/test"
stamp="$cache/installed"

installed() { [ -f "$stamp" ] && [ -f "$test_dir/test_asyncio/__init__.py" ]; }

if [ "${1:-}" = --path ]; then
  installed || exit 1
  echo "$test_dir"
  exit 0
fi

if installed; then
  echo "$test_dir"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "asyncio-testsuite: '$tool' is not on the PATH: this needs a Debian-based system" >&2
    exit 1
  fi
done

mkdir -p "$cache"
cd "$cache"
rm -f ./*.deb
if ! apt-get download "$package" >download.log 2>&1; then
  # apt-get download needs the package lists; as root they can be fetched here.
  if [ "$(id -u)" -eq 0 ]; then
    echo "asyncio-testsuite: refreshing apt's package lists (apt-get update)" >&2
    apt-get update >>download.log 2>&1 || true
  fi
  if ! apt-get download "$package" >>download.log 2>&1; then
    cat download.log >&2
    echo "asyncio-testsuite: could not download $package (see above)" >&2
    exit 1
  fi
fi
deb=$(ls ./"$package"_*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ]; then
  echo "asyncio-testsuite: apt-get download left no $package .deb in $cache" >&2
  exit 1
fi
# Unpacked afresh into a new directory, then moved into place: a run stopped halfway leaves
# no half-extracted tree behind that looks installed.
rm -rf "$root.new"
mkdir -p "$root.new"
dpkg-deb -x "$deb" "$root.new"
if [ ! -f "$root.new/usr/lib/python3.11/test/test_asyncio/__init__.py" ]; then
  echo "asyncio-testsuite: $deb holds no usr/lib/python3.11/test/test_asyncio" >&2
  exit 1
fi
rm -rf "$root"
mv "$root.new" "$root"
basename "$deb" >"$stamp"
rm -f "$deb" download.log
echo "$test_dir"
