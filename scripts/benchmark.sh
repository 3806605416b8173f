#!/usr/bin/env bash
# Training steps per second, this book's C++ against PyTorch, side by side on this machine.
#   scripts/benchmark.sh [BUILD_DIR]      (needs scripts/install-deps.sh --torch and a build)
#
# Threads, as measured on the reference machine: Debian's torch runs its
# products on OpenBLAS (libblas.so.3), whose thread pool torch.set_num_threads does not
# control; the fastest PyTorch setup on 2 cores is torch 1 thread + OpenBLAS 2 threads.
# Both sides get OpenBLAS with 2 threads.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bench="$build/chapters/09_copy_task/bench_training"
[ -x "$bench" ] || { echo "benchmark: $bench is missing; build first" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=passive
declare -A steps=([copy]=12 [base]=4)
printf '%-6s %14s %14s %8s\n' config "C++ tok/s" "PyTorch tok/s" ratio
for config in copy base; do
  cpp=$("$bench" --config "$config" --steps "${steps[$config]}" | awk '/ cpp /{print $3}')
  torch=$(/usr/bin/python3 "$root/scripts/bench_torch.py" --config "$config" --steps "${steps[$config]}" --threads 1 | awk '/ torch /{print $3}')
  ratio=$(awk -v a="$cpp" -v b="$torch" 'BEGIN{printf "%.2f", a/b}')
  printf '%-6s %14s %14s %7sx\n' "$config" "$cpp" "$torch" "$ratio"
done
