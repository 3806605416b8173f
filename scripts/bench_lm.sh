#!/usr/bin/env bash
# Chapter 12's language model, this book's C++ against PyTorch, side by side: nanoGPT's
# CPU configuration for Tiny Shakespeare (4 layers, 4 heads, C = 128, context 64,
# batch 12, 2000 iterations, dropout 0) trained on both sides in one run.
#   scripts/bench_lm.sh [--seeds N] [--eval-iters K] [BUILD_DIR [RUN]]
# (needs scripts/install-deps.sh --torch and a build). RUN, if given, keeps our first run
# (a training run: sample from it, fine-tune it, write its losses out as a table to draw
# with scripts/run_curves.py RUN chapters/12_language_model/results/ch12_pretrain.dat).
#
# Speed: PyTorch is run in each of its thread setups (scripts/torch_setups.sh: 1 and 2 torch
# threads on the system's OpenBLAS, 2 on OpenBLAS's OpenMP build) and its fastest time is the
# one compared; times are of the training iterations only (evaluations excluded, batches
# included). Loss: each side trains N seeds (default 3: 1337, 1338, 1339; PyTorch in its
# fastest setup) and estimates the final validation loss on K batches (default 200,
# 153,600 characters: more than the whole validation split holds); the means are compared.
# Goals: ours at least 1.5x PyTorch's speed, mean validation losses within 0.01.
#
# Threads: ours runs its loops and its products on one OpenMP team (chapter 00's
# parallel.hpp), 2 threads.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=3 eval_iters=200
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --eval-iters) eval_iters=$2; shift 2 ;;
    *) break ;;
  esac
done
build=${1:-$root/build}
program="$build/chapters/12_language_model/ch12_language_model"
[ -x "$program" ] || { echo "bench_lm: $program is missing; build first" >&2; exit 1; }
data="$root/data/tinyshakespeare/input.txt.gz"
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS for a
# build from before TFM_THREADS existed (it has no effect on this one).
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2
# shellcheck source=torch_setups.sh
source "$root/scripts/torch_setups.sh"

# One run of ours: "training took <s> s (<tok/s> tokens/s); final train loss <x>, val loss <y>".
ours() {  # seed [--out DIR]
  local seed=$1; shift
  "$program" --seed "$seed" train --data "$data" --eval-interval 2000 --eval-iters "$eval_iters" "$@" \
    2>&1 > /dev/null | grep '^training took'
}
# One run of PyTorch: "torch lm: <s> s, <tok/s> tokens/s, train loss <x>, val loss <y>".
torch() {  # seed setup
  torch_run "$2" /usr/bin/python3 "$root/scripts/bench_torch_lm.py" --data "$data" --seed "$1" \
    --eval-interval 0 --eval-iters "$eval_iters" | grep '^torch lm:'
}
val_of() { sed -E 's/.*val loss ([0-9.]+).*/\1/'; }

echo "== speed (seed 1337)"
out=()
[ -n "${2:-}" ] && out=(--out "$2")
cpp=$(ours 1337 "${out[@]}")
printf '%-44s %s\n' "C++:" "$cpp"
cpp_s=$(echo "$cpp" | awk '{print $3}')
best_setup=1 torch_s="" torch_vals=()
for setup in "${torch_setups[@]}"; do
  line=$(torch 1337 "$setup")
  printf '%-44s %s\n' "PyTorch, $(torch_setup_name "$setup"):" "$line"
  seconds=$(echo "$line" | awk '{print $3}')
  if [ -z "$torch_s" ] || awk -v a="$seconds" -v b="$torch_s" 'BEGIN { exit !(a < b) }'; then
    torch_s=$seconds best_setup=$setup first_torch_val=$(echo "$line" | val_of)
  fi
done
ratio=$(awk -v a="$cpp_s" -v b="$torch_s" 'BEGIN { printf "%.2f", b / a }')
echo "speed ratio (PyTorch's best time / C++ time): ${ratio}x (goal: at least 1.50x)"

echo "== validation loss, $seeds seed(s), $eval_iters batches each (PyTorch: $(torch_setup_name "$best_setup"))"
cpp_vals=("$(echo "$cpp" | val_of)") torch_vals=("$first_torch_val")
for ((i = 1; i < seeds; i++)); do
  seed=$((1337 + i))
  cpp_vals+=("$(ours "$seed" | val_of)")
  torch_vals+=("$(torch "$seed" "$best_setup" | val_of)")
done
echo "C++ val losses:     ${cpp_vals[*]}"
echo "PyTorch val losses: ${torch_vals[*]}"
awk -v c="${cpp_vals[*]}" -v t="${torch_vals[*]}" 'BEGIN {
  n = split(c, cv, " "); split(t, tv, " ")
  for (i = 1; i <= n; i++) { cs += cv[i]; ts += tv[i] }
  cm = cs / n; tm = ts / n; d = cm - tm
  printf "mean val loss: C++ %.4f, PyTorch %.4f, difference %+.4f (goal: within 0.01)\n", cm, tm, d
}'
awk -v r="$ratio" -v c="$cpp_s" -v t="$torch_s" 'BEGIN {
  if (r >= 1.5) print "speed goal met"
  else printf "speed goal missed by %.2fx: ours would need %.1f s, %.1f s (%.0f%%) less\n", 1.5 - r, t / 1.5, c - t / 1.5, 100 * (c - t / 1.5) / c
}'
