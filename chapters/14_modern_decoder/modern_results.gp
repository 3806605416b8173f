# Chapter 14's measured runs (scripts/bench_modern.sh; the numbers are committed in
# results/ and copied here by `ch14_modern_decoder --figures`): chapter 12's GPT and the
# modern decoder at equal size, the pieces one at a time, the loss at each position up to
# four times the context, and the key/value cache against the loss. Every loss is the
# mean over three seeds.
set terminal svg size 620,340 font "sans,11" background rgb "white"
set grid

# 1. The two models during training (the loop's estimate on 20 batches).
set output dir.'/ch14_curves.svg'
set title "Chapter 12's GPT and the modern decoder, equal size, equal steps"
set xlabel "iteration"
set ylabel "validation loss per character"
set key top right
plot dir.'/ch14_curves.dat' using 1:2 with linespoints lw 2 title "GPT (chapter 12)", \
     '' using 1:3 with linespoints lw 2 title "modern decoder (G = 2)"

# 2. One piece at a time: the loss on the whole validation split, mean and range of the
#    seeds.
set output dir.'/ch14_ablation.svg'
set title "One piece at a time (whole validation split; bars: the three seeds' range)"
set xlabel ""
set ylabel "validation loss per character"
set key off
set xrange [-0.5:5.5]
set offsets 0, 0, graph 0.1, graph 0.1
set xtics ("GPT" 0, "+ RoPE" 1, "+ RMSNorm" 2, "+ SwiGLU" 3, "+ GQA, G = 2" 4, "G = 1" 5)
plot dir.'/ch14_ablation.dat' using 1:3:4:5 with yerrorbars pt 7 ps 0.8 lw 2, \
     '' using 1:3:(sprintf("%.3f", $3)) with labels offset 3.2, 0 font "sans,9"
unset xtics
set xtics
set autoscale x
set offsets 0, 0, 0, 0

# 3. Past the context: the loss at each position of windows of 256 characters. The GPT
#    has positions 0 to 63 only.
set output dir.'/ch14_positions.svg'
set terminal svg size 680,360 font "sans,11" background rgb "white"
set title "Loss at each position; every model trained on windows of 64"
set xlabel "position in the window"
set ylabel "loss per character"
set key top right
set xrange [0:255]
set yrange [1.2:*]
set arrow 1 from 64, graph 0 to 64, graph 1 nohead dt 2 lc rgb "gray"
set label 1 "the training context" at 66, graph 0.93 textcolor rgb "gray40" font "sans,9"
plot dir.'/ch14_positions.dat' using 1:2 with lines lw 2 title "GPT (learned positions)", \
     '' using 1:3 with lines lw 1.5 title "+ RoPE", \
     '' using 1:6 with lines lw 1.5 title "modern decoder (G = 2)", \
     '' using 1:7 with lines lw 1.5 title "G = 1"
unset arrow 1
unset label 1
set autoscale
set terminal svg size 620,340 font "sans,11" background rgb "white"

# 4. The cache: bytes a sequence keeps per token against the loss, G = 4, 2, 1.
set output dir.'/ch14_cache.svg'
set title "The key/value cache against the loss (whole validation split)"
set xlabel "key/value cache, bytes per token"
set ylabel "validation loss per character"
set key off
set xrange [0:4800]
set offsets 0, 0, graph 0.15, graph 0.15
plot dir.'/ch14_cache.dat' using 2:3:4:5 with yerrorbars pt 7 ps 0.8 lw 2, \
     '' using 2:3:(sprintf("G = %d", $1)) with labels offset 4, 0 font "sans,10"
