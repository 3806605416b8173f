#!/usr/bin/env bash
# Training speed against model width: chapter 12's language model (nanoGPT's CPU
# configuration: 4 layers, 4 heads, context 64, batch 12) at C = 64 ... 512, this book's
# C++ against PyTorch, side by side in one run.
#   scripts/bench_width.sh OUT [BUILD_DIR [BEFORE_BUILD_DIR]]
# (needs scripts/install-deps.sh --torch and a build). Each point is 100 training
# iterations (evaluations excluded); PyTorch runs with 1 and with 2 torch threads and the
# faster is kept. BEFORE_BUILD_DIR, if given, is another build of the book (an older
# commit, say) timed the same way, as a third column. Writes OUT (the appendix's figure
# reads benchmarks/results/lm_width.dat):
#   # C cpp_tokens/s torch_tokens/s torch_threads [before_tokens/s]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/bench_width.sh OUT [BUILD_DIR [BEFORE_BUILD_DIR]]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1 build=${2:-$root/build} before=${3:-}
program="$build/chapters/12_language_model/ch12_language_model"
[ -x "$program" ] || { echo "bench_width: $program is missing; build first" >&2; exit 1; }
data="$root/data/tinyshakespeare/input.txt.gz"
iters=100
export OPENBLAS_NUM_THREADS=2

ours() {  # program C → tokens/s
  "$1" train --data "$data" --d-model "$2" --max-iters "$iters" --eval-interval "$iters" \
    --eval-iters 1 2>&1 > /dev/null | sed -nE 's/^training took .*\(([0-9.]+) tokens\/s\).*/\1/p'
}
torch() {  # C threads → tokens/s (PyTorch's threads: see scripts/bench_lm.sh)
  OMP_WAIT_POLICY=passive /usr/bin/python3 "$root/scripts/bench_torch_lm.py" --data "$data" \
    --n-embd "$1" --threads "$2" --max-iters "$iters" --eval-interval 0 --eval-iters 1 |
    sed -nE 's/^torch lm: [0-9.]+ s, ([0-9.]+) tokens\/s.*/\1/p'
}

{
  echo "# C cpp_tokens/s torch_tokens/s torch_threads${before:+ before_tokens/s}"
  for C in 64 128 192 256 384 512; do
    cpp=$(ours "$program" "$C")
    t1=$(torch "$C" 1)
    t2=$(torch "$C" 2)
    if awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(a >= b) }'; then best=$t1 threads=1; else best=$t2 threads=2; fi
    line="$C $cpp $best $threads"
    [ -n "$before" ] && line="$line $(ours "$before/chapters/12_language_model/ch12_language_model" "$C")"
    echo "$line"
    echo "C = $C: C++ $cpp tokens/s, PyTorch $best ($threads thread(s); $t1 and $t2)${before:+, before $(echo "$line" | awk '{print $5}')}" >&2
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
