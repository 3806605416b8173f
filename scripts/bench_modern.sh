#!/usr/bin/env bash
# Chapter 14's measurements: chapter 12's GPT against the modern decoder at equal parameter
# count and equal steps, and the pieces added one at a time, on Tiny Shakespeare with
# chapter 12's run (4 blocks, 4 heads, C = 128, context 64, batch 12, 2000 iterations).
#
#   scripts/bench_modern.sh [BUILD_DIR [RUNS_DIR]]
#
# Rows (each trained with seeds 1, 2, 3; one seed gives both models the same batches):
#   gpt     chapter 12's GPT (ch12_language_model train)
#   rope    + RoPE                 (learned positions gone)
#   rms     + RMSNorm
#   swiglu  + SwiGLU               (G = H = 4 key/value heads)
#   gqa     + grouped-query attention, G = 2: the modern decoder
#   mqa     the modern decoder with G = 1 (multi-query), for the cache
# Then every run is evaluated (ch14_modern_decoder evaluate): the loss on the whole
# validation split, the loss at each position of windows of 256 characters (4 times the
# context; the GPT's stop at its 64), the sampler's key/value bytes per token and its speed.
# Finally scripts/bench_modern_summary.py writes the tables and the figures' numbers into
# chapters/14_modern_decoder/results/.
#
# Each training run and each evaluation takes the CPU lock on its own (/tmp/tfm-cpu.lock),
# so other work can run between them; a run already finished in RUNS_DIR is not trained
# again, so the script can be stopped and started. The GPT and the modern rows of one seed
# run one after the other, so their times are measured side by side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-$build/ch14_runs}
ch12="$build/chapters/12_language_model/ch12_language_model"
ch14="$build/chapters/14_modern_decoder/ch14_modern_decoder"
for p in "$ch12" "$ch14"; do
  [ -x "$p" ] || { echo "bench_modern: $p is missing; build first" >&2; exit 1; }
done
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS for a
# build from before TFM_THREADS existed (it has no effect on this one).
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2
lock=/tmp/tfm-cpu.lock
mkdir -p "$runs"

# The flags of each row of the modern decoder (F is matched to the GPT's parameter count).
declare -A flags=(
  [rope]="--position rope --norm layer --mlp gelu --kv-heads 4"
  [rms]="--position rope --norm rms --mlp gelu --kv-heads 4"
  [swiglu]="--position rope --norm rms --mlp swiglu --kv-heads 4"
  [gqa]="--position rope --norm rms --mlp swiglu --kv-heads 2"
  [mqa]="--position rope --norm rms --mlp swiglu --kv-heads 1"
)
rows=(gpt rope rms swiglu gqa mqa)

for seed in 1 2 3; do
  for row in "${rows[@]}"; do
    run="$runs/$row-$seed"
    if [ -f "$run.log" ] && grep -q '^training took' "$run.log"; then continue; fi
    echo "bench_modern: training $row, seed $seed" >&2
    if [ "$row" = gpt ]; then
      cmd=("$ch12" --seed "$seed" train --out "$run" --overwrite)
    else
      # shellcheck disable=SC2206
      cmd=("$ch14" --seed "$seed" train --out "$run" --overwrite ${flags[$row]})
    fi
    flock "$lock" "${cmd[@]}" > "$run.sample.txt" 2> "$run.log"
    grep '^training took' "$run.log" >&2
  done
done

for seed in 1 2 3; do
  for row in "${rows[@]}"; do
    run="$runs/$row-$seed"
    [ -f "$run.json" ] && continue
    # The GPT has positions up to its context only; RoPE reads 4 times as far.
    length=256
    [ "$row" = gpt ] && length=64
    echo "bench_modern: evaluating $row, seed $seed" >&2
    flock "$lock" "$ch14" --seed 1 evaluate --checkpoint "$run" --sample-tokens 2000 \
      --length "$length" --positions "$run.positions.dat" > "$run.json"
  done
done

/usr/bin/python3 "$root/scripts/bench_modern_summary.py" "$runs" "$root/chapters/14_modern_decoder/results"
