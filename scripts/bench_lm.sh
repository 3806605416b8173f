#!/usr/bin/env bash
# Chapter 12's language model, this book's C++ against PyTorch, side by side: nanoGPT's
# CPU configuration for Tiny Shakespeare (4 layers, 4 heads, C = 128, context 64,
# batch 12, 2000 iterations, dropout 0) trained on both sides in one run.
#   scripts/bench_lm.sh [BUILD_DIR]       (needs scripts/install-deps.sh --torch and a build)
# Both sides: OpenBLAS on 2 threads; PyTorch with 1 torch thread (its fastest setting here).
# Times are of the training iterations only (evaluations excluded, batches included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
program="$build/chapters/12_language_model/ch12_language_model"
[ -x "$program" ] || { echo "bench_lm: $program is missing; build first" >&2; exit 1; }
data="$root/data/tinyshakespeare/input.txt.gz"
export OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=passive
cpp=$("$program" train --data "$data" | grep '^training took')
torch=$(/usr/bin/python3 "$root/scripts/bench_torch_lm.py" --data "$data" --threads 1 | grep '^torch lm:')
echo "C++:     $cpp"
echo "PyTorch: $torch"
cpp_s=$(echo "$cpp" | awk '{print $3}')
torch_s=$(echo "$torch" | awk '{print $3}')
awk -v a="$cpp_s" -v b="$torch_s" 'BEGIN { printf "speed ratio (PyTorch time / C++ time): %.2fx\n", b / a }'
