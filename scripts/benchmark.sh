#!/usr/bin/env bash
# Training speed, this book's C++ against PyTorch, side by side on this machine, with the
# machine's sgemm peak measured in the same run.
#   scripts/benchmark.sh [--data DIR] [--sweeps OUT_DIR] [BUILD_DIR]
# Needs scripts/install-deps.sh --torch and a build. With --data (Multi30k), chapter 10's
# default configuration is measured too, on the same real batches on both sides. With
# --sweeps, the base model's speed and memory against batch size and length are written
# to OUT_DIR (the appendix's figures: benchmarks/results/) after the table.
#
# Both sides do the same work: the Annotated Transformer's model with dropout 0.1 in all
# its places, label smoothing 0.1, Adam. Threads: ours runs its products (OpenBLAS built on
# OpenMP) and its loops on one OpenMP team of 2 threads; PyTorch runs in each of its thread
# setups (scripts/torch_setups.sh) and its fastest is the one compared (its memory is that
# run's). Goal: each configuration's training at 80% of the sgemm peak or more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="" sweeps=""
while [ $# -gt 0 ]; do
  case $1 in
    --data) data=$2; shift 2 ;;
    --sweeps) sweeps=$2; shift 2 ;;
    *) break ;;
  esac
done
build=${1:-$root/build}
bench="$build/benchmarks/bench_training"
[ -x "$bench" ] || { echo "benchmark: $bench is missing; build first" >&2; exit 1; }
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS for a
# build from before TFM_THREADS existed (it has no effect on this one).
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2
# shellcheck source=torch_setups.sh
source "$root/scripts/torch_setups.sh"
# The ceiling: one 1024³ product cut into our blocks (the book's way), and handed whole to
# OpenBLAS's own partition (TFM_SGEMM_BLAS_THREADS=1); the faster of the two is the peak.
sgemm() { "$@" "$build/benchmarks/bench_sgemm" --repeats 50 | awk '/^sgemm [0-9]/{print $2}'; }
peak_blocks=$(sgemm env)
peak_blas=$(sgemm env TFM_SGEMM_BLAS_THREADS=1)
peak=$(awk -v a="$peak_blocks" -v b="$peak_blas" 'BEGIN { print (a > b ? a : b) }')
echo "sgemm peak (one 1024³ product, OpenBLAS, 2 threads): $peak GFLOP/s" \
     "(our blocks $peak_blocks, OpenBLAS's partition $peak_blas)"
printf '%-12s %10s %9s %7s %12s %7s %10s %12s  %s\n' config "C++ tok/s" "GFLOP/s" "% peak" "PyTorch tok/s" ratio "C++ RSS" "PyTorch RSS" \
  "PyTorch's fastest setup (tok/s of each)"
configs=(copy base)
[ -n "$data" ] && configs+=(translation)
declare -A steps=([copy]=12 [base]=4 [translation]=12)
goals=()
batches=$(mktemp -d)
trap 'rm -rf "$batches"' EXIT
for config in "${configs[@]}"; do
  extra=()
  [ "$config" = translation ] && extra=(--data "$data" --write-batches "$batches")
  cpp=$("$bench" --config "$config" --steps "${steps[$config]}" "${extra[@]}" | grep " cpp ")
  textra=()
  [ "$config" = translation ] && textra=(--batches "$batches")
  torch_tok="" torch_rss="" best_setup="" each=()
  for setup in "${torch_setups[@]}"; do
    torch=$(torch_run "$setup" /usr/bin/python3 "$root/scripts/bench_torch.py" --config "$config" \
            --steps "${steps[$config]}" "${textra[@]}" | grep " torch ")
    read -r tok rss <<< "$(echo "$torch" | awk '{print $3, $6}')"
    each+=("$tok")
    if [ -z "$torch_tok" ] || awk -v a="$tok" -v b="$torch_tok" 'BEGIN { exit !(a > b) }'; then
      torch_tok=$tok torch_rss=$rss best_setup=$setup
    fi
  done
  read -r cpp_tok cpp_gflops cpp_rss <<< "$(echo "$cpp" | awk '{print $3, $5, $8}')"
  awk -v c="$config" -v t="$cpp_tok" -v g="$cpp_gflops" -v p="$peak" -v pt="$torch_tok" -v r="$cpp_rss" -v pr="$torch_rss" \
      -v s="$(torch_setup_name "$best_setup") (${each[*]})" \
      'BEGIN { printf "%-12s %10.0f %9.1f %6.0f%% %12.0f %6.2fx %7.0f MB %9.0f MB  %s\n", c, t, g, 100 * g / p, pt, t / pt, r, pr, s }'
  goals+=("$(awk -v c="$config" -v g="$cpp_gflops" -v p="$peak" -v r="$cpp_rss" -v pr="$torch_rss" 'BEGIN {
    s = 100 * g / p
    if (s >= 80) printf "%s: %.0f%% of the peak, goal (80%%) met", c, s
    else printf "%s: %.0f%% of the peak, %.0f points short of 80%% (%.1f GFLOP/s to find)", c, s, 80 - s, 0.8 * p - g
    printf "; memory %s\n", (r <= pr ? "at or below PyTorch'"'"'s" : "ABOVE PyTorch'"'"'s") }')")
done
printf '%s\n' "${goals[@]}"
if [ -n "$sweeps" ]; then
  mkdir -p "$sweeps"
  echo "$peak" > "$sweeps/sgemm_peak.txt"
  for sweep in batch length; do
    "$bench" --config base --sweep "$sweep" --out "$sweeps/perf_sweep_$sweep.dat"
  done
fi
