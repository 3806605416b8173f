# The appendix's figure of training speed against model width: chapter 12's language model
# at C = 64 ... 512, ours and PyTorch's, from scripts/bench_width.sh's output committed in
# benchmarks/results/lm_width.dat (columns: C, ours, PyTorch, PyTorch's threads, and ours
# before the products and the loops shared one team of threads).
set terminal svg size 760,340 font "sans,11" background rgb "white"
set output dir.'/perf_width.svg'
set grid
set key top right
set title "chapter 12's model: training tokens per second against the width C"
set xlabel "C (n_embd), 4 layers, 4 heads, 12 windows of 64 characters"
set ylabel "tokens (characters) / s"
set logscale xy 2
set xtics (64, 128, 192, 256, 384, 512)
plot results.'/lm_width.dat' using 1:2 with linespoints lw 2 pt 7 title "C++, one team of threads", \
     results.'/lm_width.dat' using 1:5 with linespoints lw 2 pt 6 dt 2 title "C++, two pools (before)", \
     results.'/lm_width.dat' using 1:3 with linespoints lw 2 pt 5 title "PyTorch 1.13 (its faster thread count)"
