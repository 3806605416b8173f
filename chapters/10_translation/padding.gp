# The share of real (non-padding) tokens in training batches on Multi30k's training split.
set terminal svg size 620,320 font "sans,11" background rgb "white"
set output dir.'/ch10_padding.svg'
set xlabel "token budget per batch (padded tokens per side)"
set ylabel "real tokens (%)"
set yrange [0:100]
set logscale x
set key bottom right
set grid
set title "Padding: batches of similar length against fixed batches"
plot dir.'/ch10_padding.dat' using 1:2 with linespoints lw 2 pt 7 title "ours: sorted within pools, by token budget", \
     '' using 1:4 with lines lw 2 dt 2 title "32 sentences in order, padded to the longest", \
     '' using 1:3 with lines lw 2 dt 3 title "32 sentences padded to 72 (the Annotated Transformer)"
