#!/usr/bin/env bash
# Checks that every C++ file follows .clang-format (100 columns: the docs site's code
# boxes show that much). To fix: scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: needs clang-format (scripts/install-deps.sh --dev-tools)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2> /tmp/check-format.$$; then
  # sed -n (not head) reads all its input, so pipefail never sees a SIGPIPE.
  grep -E '^[^ ].*(warning|error):' /tmp/check-format.$$ \
    | sed -E 's/: (warning|error): code should be clang-formatted.*//' | sort -u | sed -n '1,40p'
  rm -f /tmp/check-format.$$
  echo "check-format: the files above are not formatted; run scripts/check-format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files formatted"
