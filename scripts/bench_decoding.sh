#!/usr/bin/env bash
# Decoding speed, this book's C++ against PyTorch, side by side on one checkpoint.
#   scripts/bench_decoding.sh RUN DATA [BUILD_DIR [BEFORE_BUILD_DIR]]
# RUN: a chapter 10 training run; DATA: the Multi30k directory. Needs
# scripts/install-deps.sh --torch and a build. Both sides decode the 1,000 test sentences
# greedily at batch 1 and batch 64 with 2 threads (PyTorch in each of its thread setups,
# scripts/torch_setups.sh, so its best can be taken); ours also without the cache and with
# beam search.
# BEFORE_BUILD_DIR, if given, is another build of the book (an older commit, say), run the
# same way in the same run. Each process's peak memory (maximum resident set) is printed
# after its lines.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: scripts/bench_decoding.sh RUN DATA [BUILD_DIR [BEFORE_BUILD_DIR]]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
run=$1 data=$2 build=${3:-$root/build} before=${4:-}
bench="$build/chapters/11_decoding/ch11_decoding"
[ -x "$bench" ] || { echo "bench_decoding: $bench is missing; build first" >&2; exit 1; }
ids=$(mktemp -d)
trap 'rm -rf "$ids"' EXIT
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS for a
# build from before TFM_THREADS existed (it has no effect on this one).
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2
# shellcheck source=torch_setups.sh
source "$root/scripts/torch_setups.sh"
rss="$ids/rss"
peak() { echo "peak memory: $(awk '{printf "%.0f", $1 / 1024}' "$rss") MB"; }
echo "== C++ (this book)"
/usr/bin/time -f %M -o "$rss" "$bench" bench --checkpoint "$run" --data "$data" --out "$ids" | tail -n +2
peak
if [ -n "$before" ]; then
  echo "== C++, before ($before)"
  /usr/bin/time -f %M -o "$rss" "$before/chapters/11_decoding/ch11_decoding" bench --checkpoint "$run" \
    --data "$data" --out "$ids/before" | tail -n +2
  peak
fi
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), the Annotated Transformer's greedy_decode"
for setup in "${torch_setups[@]}"; do
  echo "-- $(torch_setup_name "$setup")"
  torch_run "$setup" /usr/bin/time -f %M -o "$rss" /usr/bin/python3 \
    "$root/scripts/bench_torch_decoding.py" "$run" "$ids"
  peak
done
