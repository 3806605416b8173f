# PyTorch's thread setups, shared by the side-by-side benchmarks (sourced, not run).
# Each benchmark runs PyTorch in every setup below and compares ours with the fastest:
#   1, 2   Debian's torch as installed: its products on the system's OpenBLAS
#          (libblas.so.3, by default the build with its own pthreads pool) beside libgomp's
#          team for its own loops, with 1 or 2 torch threads. The two pools fight over 2
#          cores unless libgomp's idle threads sleep at once, so these get
#          OMP_WAIT_POLICY=passive (their faster setting).
#   2-omp  the same torch with OpenBLAS's OpenMP build first on its library path: its
#          products and its loops on one libgomp team, as ours are; 2 torch threads.
# (1 torch thread with the OpenMP build was slower than both 1 and 2 above in every trial.)
torch_setups=(1 2 2-omp)

# torch_run SETUP PROGRAM ARGS...: runs PROGRAM ARGS --threads N in SETUP's environment.
torch_run() {
  local setup=$1
  shift
  case $setup in
    1 | 2) env OMP_WAIT_POLICY=passive "$@" --threads "$setup" ;;
    2-omp)
      env LD_LIBRARY_PATH="/usr/lib/$(gcc -print-multiarch)/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$@" --threads 2
      ;;
    *) echo "torch_run: unknown setup $setup" >&2; return 2 ;;
  esac
}

# torch_setup_name SETUP: how the pages name it.
torch_setup_name() {
  case $1 in
    1) echo "1 torch thread" ;;
    2) echo "2 torch threads" ;;
    2-omp) echo "2 torch threads, OpenBLAS on OpenMP" ;;
  esac
}
