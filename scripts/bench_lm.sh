#!/usr/bin/env bash
# Chapter 12's language model, this book's C++ against PyTorch, side by side: nanoGPT's
# CPU configuration for Tiny Shakespeare (4 layers, 4 heads, C = 128, context 64,
# batch 12, 2000 iterations, dropout 0) trained on both sides in one run.
#   scripts/bench_lm.sh [BUILD_DIR [RUN]]  (needs scripts/install-deps.sh --torch and a build)
# RUN, if given, keeps our run (checkpoint, vocabulary, ch12_pretrain.dat) for sampling and
# fine-tuning. Both sides: OpenBLAS on 2 threads; PyTorch is run with 1 and with 2 torch
# threads and its faster time is the one compared.
# Times are of the training iterations only (evaluations excluded, batches included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
program="$build/chapters/12_language_model/ch12_language_model"
[ -x "$program" ] || { echo "bench_lm: $program is missing; build first" >&2; exit 1; }
data="$root/data/tinyshakespeare/input.txt.gz"
export OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=passive
out=()
[ -n "${2:-}" ] && out=(--out "$2")
cpp=$("$program" train --data "$data" "${out[@]}" | grep '^training took')
echo "C++:                 $cpp"
torch=""
for threads in 1 2; do
  line=$(/usr/bin/python3 "$root/scripts/bench_torch_lm.py" --data "$data" --threads "$threads" | grep '^torch lm:')
  echo "PyTorch, $threads thread(s): $line"
  seconds=$(echo "$line" | awk '{print $3}')
  if [ -z "$torch" ] || awk -v a="$seconds" -v b="$(echo "$torch" | awk '{print $3}')" 'BEGIN { exit !(a < b) }'; then
    torch=$line
  fi
done
cpp_s=$(echo "$cpp" | awk '{print $3}')
torch_s=$(echo "$torch" | awk '{print $3}')
awk -v a="$cpp_s" -v b="$torch_s" 'BEGIN { printf "speed ratio (PyTorch time / C++ time): %.2fx\n", b / a }'
