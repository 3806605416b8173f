#!/usr/bin/env bash
# Decoding speed, this book's C++ against PyTorch, side by side on one checkpoint.
#   scripts/bench_decoding.sh RUN DATA [BUILD_DIR]
# RUN: a chapter 10 training run; DATA: the Multi30k directory. Needs
# scripts/install-deps.sh --torch and a build. Both sides decode the 1,000 test sentences
# greedily at batch 1 and batch 64 with OpenBLAS on 2 threads (PyTorch with 1 and with 2
# torch threads, so its better setting can be taken); ours also without the cache and
# with beam search.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: scripts/bench_decoding.sh RUN DATA [BUILD_DIR]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
run=$1 data=$2 build=${3:-$root/build}
bench="$build/chapters/11_decoding/ch11_decoding"
[ -x "$bench" ] || { echo "bench_decoding: $bench is missing; build first" >&2; exit 1; }
ids=$(mktemp -d)
trap 'rm -rf "$ids"' EXIT
export OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=passive
echo "== C++ (this book)"
"$bench" bench --checkpoint "$run" --data "$data" --out "$ids" | tail -n +2
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), the Annotated Transformer's greedy_decode"
for threads in 1 2; do
  echo "-- $threads torch thread(s)"
  /usr/bin/python3 "$root/scripts/bench_torch_decoding.py" "$run" "$ids" --threads "$threads"
done
