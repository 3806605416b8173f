#!/usr/bin/env bash
# Training speed against model width: chapter 12's language model (nanoGPT's CPU
# configuration: 4 layers, 4 heads, context 64, batch 12) at C = 64 ... 512, this book's
# C++ against PyTorch, side by side in one run.
#   scripts/bench_width.sh OUT [BUILD_DIR [BEFORE_BUILD_DIR]]
# (needs scripts/install-deps.sh --torch and a build). Each point is 100 training
# iterations (evaluations excluded); PyTorch runs in each of its thread setups
# (scripts/torch_setups.sh) and the fastest is kept. BEFORE_BUILD_DIR, if given, is another build of the book (an older
# commit, say) timed the same way, as a third column. Writes OUT (the appendix's figure
# reads benchmarks/results/lm_width.dat):
#   # C cpp_tokens/s torch_tokens/s torch_setup [before_tokens/s]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/bench_width.sh OUT [BUILD_DIR [BEFORE_BUILD_DIR]]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1 build=${2:-$root/build} before=${3:-}
program="$build/chapters/12_language_model/ch12_language_model"
[ -x "$program" ] || { echo "bench_width: $program is missing; build first" >&2; exit 1; }
data="$root/data/tinyshakespeare/input.txt.gz"
iters=100
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS for a
# build from before TFM_THREADS existed (it has no effect on this one).
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2
# shellcheck source=torch_setups.sh
source "$root/scripts/torch_setups.sh"

ours() {  # program C → tokens/s
  "$1" train --data "$data" --d-model "$2" --max-iters "$iters" --eval-interval "$iters" \
    --eval-iters 1 2>&1 > /dev/null | sed -nE 's/^training took .*\(([0-9.]+) tokens\/s\).*/\1/p'
}
torch() {  # C setup → tokens/s
  torch_run "$2" /usr/bin/python3 "$root/scripts/bench_torch_lm.py" --data "$data" \
    --n-embd "$1" --max-iters "$iters" --eval-interval 0 --eval-iters 1 |
    sed -nE 's/^torch lm: [0-9.]+ s, ([0-9.]+) tokens\/s.*/\1/p'
}

{
  echo "# C cpp_tokens/s torch_tokens/s torch_setup${before:+ before_tokens/s}"
  for C in 64 128 192 256 384 512; do
    cpp=$(ours "$program" "$C")
    best="" setup_of_best="" each=()
    for setup in "${torch_setups[@]}"; do
      t=$(torch "$C" "$setup")
      each+=("$setup: $t")
      if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a > b) }'; then
        best=$t setup_of_best=$setup
      fi
    done
    line="$C $cpp $best $setup_of_best"
    [ -n "$before" ] && line="$line $(ours "$before/chapters/12_language_model/ch12_language_model" "$C")"
    echo "$line"
    echo "C = $C: C++ $cpp tokens/s, PyTorch $best (${each[*]})${before:+, before $(echo "$line" | awk '{print $5}')}" >&2
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
