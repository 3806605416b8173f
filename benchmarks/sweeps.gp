# The appendix's figures: training speed and memory of the base model as the work grows,
# from the sweeps of bench_training committed in benchmarks/results/ (see
# docs/appendix_performance.md for the machine and the commands).
# The sgemm peak measured in the same run as the sweeps (GFLOP/s, one number).
stats results.'/sgemm_peak.txt' using 1 nooutput
peak = STATS_max
set terminal svg size 760,320 font "sans,11" background rgb "white"
set grid
set key bottom right
set output dir.'/perf_batch.svg'
set multiplot layout 1,2
set title "tokens per second against batch size (L = 32)"
set xlabel "sentences per batch"
set ylabel "target tokens / s"
set logscale x 2
plot results.'/perf_sweep_batch.dat' using 1:2 with linespoints lw 2 pt 7 title "C++"
set title "GFLOP/s against batch size"
set ylabel "GFLOP/s"
plot results.'/perf_sweep_batch.dat' using 1:3 with linespoints lw 2 pt 7 title "C++", \
     peak with lines dt 2 lc rgb "gray" title "sgemm peak"
unset multiplot
set output dir.'/perf_length.svg'
set multiplot layout 1,2
set title "tokens per second against length (B = 8)"
set xlabel "tokens per sentence (source and target)"
set ylabel "target tokens / s"
plot results.'/perf_sweep_length.dat' using 1:2 with linespoints lw 2 pt 7 title "C++"
set title "peak memory against length (B = 8)"
set ylabel "max RSS (MB)"
unset logscale y
plot results.'/perf_sweep_length.dat' using 1:4 with linespoints lw 2 pt 7 title "C++"
unset multiplot
