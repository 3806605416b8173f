#!/usr/bin/env bash
# The tour: runs every chapter's program in reading order (the README's first command).
#   scripts/tour.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
start=$(date +%s)
for dir in "$root"/chapters/[0-9][0-9]_*/; do
  name=$(basename "$dir")
  program="$build/chapters/$name/ch$name"
  if [ ! -x "$program" ]; then
    echo "tour: $program is missing; build first: cmake --preset default && cmake --build --preset default" >&2
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
