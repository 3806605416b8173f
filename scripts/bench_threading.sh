#!/usr/bin/env bash
# How the threads are arranged, side by side in one run: the same programs timed with the
# book's arrangement and with the alternatives the performance appendix compares.
#   scripts/bench_threading.sh [--data DIR] [BUILD_DIR [BEFORE_BUILD_DIR]]
# For each arrangement: the training speed (GFLOP/s of the counted products) of the copy
# task, the base model and, with --data (Multi30k), chapter 10's default configuration, and
# the wall time of 250 training iterations of chapter 12's language model. All on 2 threads.
#
# The arrangements (the programs are the same; only the environment changes):
#   one team, our blocks     the book's default: OpenBLAS built on OpenMP, products large
#                            enough to share cut into one block per thread (chapter 00)
#   one team, BLAS partition the same library and team, each product handed to OpenBLAS
#                            whole (TFM_SGEMM_BLAS_THREADS=1)
#   one team, bound          our blocks with OMP_PROC_BIND=true (each thread on one core)
#   BLIS on OpenMP           Debian's BLIS (its OpenMP build) in place of OpenBLAS, by
#                            LD_PRELOAD, products handed to it whole
#   two pools                OpenBLAS's pthreads build (LD_LIBRARY_PATH) under our OpenMP
#                            loops: its own pool beside the team, products handed to it whole
#   before                   BEFORE_BUILD_DIR, if given: another build of the book (the one
#                            before the single team: our pthreads pool and OpenBLAS's)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=""
if [ "${1:-}" = --data ]; then data=$2; shift 2; fi
build=${1:-$root/build} before=${2:-}
lib=/usr/lib/$(gcc -print-multiarch)
[ -x "$build/benchmarks/bench_training" ] || { echo "bench_threading: build first" >&2; exit 1; }
# Two threads on any machine: TFM_THREADS for this build, OPENBLAS_NUM_THREADS and
# BLIS_NUM_THREADS for the builds from before TFM_THREADS existed.
export TFM_THREADS=2 OPENBLAS_NUM_THREADS=2 BLIS_NUM_THREADS=2
tinyshakespeare="$root/data/tinyshakespeare/input.txt.gz"

row() {  # label build env...
  local label=$1 dir=$2 cells=()
  shift 2
  local configs=(copy base)
  [ -n "$data" ] && configs+=(translation)
  for config in "${configs[@]}"; do
    local steps=12 extra=()
    [ "$config" = base ] && steps=4
    [ "$config" = translation ] && extra=(--data "$data")
    cells+=("$(env "$@" "$dir/benchmarks/bench_training" --config "$config" --steps "$steps" \
      "${extra[@]}" 2> /dev/null | awk '/ cpp /{print $5}')")
  done
  cells+=("$(env "$@" "$dir/chapters/12_language_model/ch12_language_model" train \
    --data "$tinyshakespeare" --max-iters 250 --eval-interval 250 --eval-iters 1 2>&1 > /dev/null |
    sed -nE 's/^training took ([0-9.]+) s.*/\1/p')")
  printf '%-26s' "$label"
  printf ' %12s' "${cells[@]}"
  printf '\n'
}

header=("copy GF/s" "base GF/s")
[ -n "$data" ] && header+=("ch10 GF/s")
header+=("LM 250 it, s")
printf '%-26s' arrangement
printf ' %12s' "${header[@]}"
printf '\n'
row "one team, our blocks" "$build" X=1
row "one team, BLAS partition" "$build" TFM_SGEMM_BLAS_THREADS=1
row "one team, bound" "$build" OMP_PROC_BIND=true
row "BLIS on OpenMP" "$build" TFM_SGEMM_BLAS_THREADS=1 LD_PRELOAD="$lib/blis-openmp/libblis.so.4"
row "two pools" "$build" TFM_SGEMM_BLAS_THREADS=1 LD_LIBRARY_PATH="$lib/openblas-pthread"
[ -n "$before" ] && row "before" "$before" X=1
exit 0
