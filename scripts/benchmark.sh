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
# its places, label smoothing 0.1, Adam. Threads, as measured on the reference machine:
# ours runs its products (OpenBLAS built on OpenMP) and its loops on one OpenMP team of 2
# threads. Debian's torch runs its products on the system's OpenBLAS (libblas.so.3, its
# own pthreads pool), which torch.set_num_threads does not control; its fastest setup on
# 2 cores is 1 torch thread with OpenBLAS on 2 threads and OMP_WAIT_POLICY=passive (so
# that libgomp's idle threads sleep at once instead of taking cores from OpenBLAS's).
# Goal: each configuration's training at 80% of the sgemm peak or more.
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
export OPENBLAS_NUM_THREADS=2
torch_env=(env OMP_WAIT_POLICY=passive)
peak=$("$build/benchmarks/bench_sgemm" --repeats 50 | awk '/^sgemm [0-9]/{print $2}')
echo "sgemm peak (one 1024³ product, OpenBLAS, 2 threads): $peak GFLOP/s"
printf '%-12s %10s %9s %7s %12s %7s %10s %12s\n' config "C++ tok/s" "GFLOP/s" "% peak" "PyTorch tok/s" ratio "C++ RSS" "PyTorch RSS"
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
  torch=$("${torch_env[@]}" /usr/bin/python3 "$root/scripts/bench_torch.py" --config "$config" --steps "${steps[$config]}" --threads 1 \
          "${textra[@]}" | grep " torch ")
  read -r cpp_tok cpp_gflops cpp_rss <<< "$(echo "$cpp" | awk '{print $3, $5, $8}')"
  read -r torch_tok torch_rss <<< "$(echo "$torch" | awk '{print $3, $6}')"
  awk -v c="$config" -v t="$cpp_tok" -v g="$cpp_gflops" -v p="$peak" -v pt="$torch_tok" -v r="$cpp_rss" -v pr="$torch_rss" \
      'BEGIN { printf "%-12s %10.0f %9.1f %6.0f%% %12.0f %6.2fx %7.0f MB %9.0f MB\n", c, t, g, 100 * g / p, pt, t / pt, r, pr }'
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
