#!/usr/bin/env bash
# The tour: runs every chapter's program in reading order (the README's first command).
#   scripts/tour.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -le 1 ] || { echo "usage: scripts/tour.sh [BUILD_DIR]" >&2; exit 2; }
if [ $# -eq 1 ]; then
  [ -n "$1" ] || { echo "tour: BUILD_DIR is empty; name a build directory, or leave it out for build" >&2; exit 2; }
  build=$1
  # A configured directory (build-asan, build-debug) keeps its own settings.
  if [ -f "$build/CMakeCache.txt" ]; then
    printf -v how 'cmake --build %q' "$build"
  else
    printf -v how 'cmake --preset default -B %q && cmake --build %q' "$build" "$build"
  fi
else
  build=$root/build
  how="cmake --preset default && cmake --build --preset default"
fi
start=$(date +%s)
for dir in "$root"/chapters/[0-9][0-9]_*/; do
  name=$(basename "$dir")
  program="$build/chapters/$name/ch$name"
  if [ ! -x "$program" ]; then
    echo "tour: $program is missing; build first: $how" >&2
    exit 1
  fi
  echo
  echo "################################################################################"
  echo "# chapters/$name"
  echo "################################################################################"
  "$program"
done
echo
echo "tour: done in $(( $(date +%s) - start )) s"
