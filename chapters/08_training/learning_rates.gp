# The Noam schedule for the three settings the Annotated Transformer draws.
set terminal svg size 720,320 font "sans,11" background rgb "white"
set output dir.'/learning_rates.svg'
set xlabel "step"
set ylabel "learning rate"
set key top right
set title "rate = factor · C^{-0.5} · min(step^{-0.5}, step · warmup^{-1.5})"
plot dir.'/learning_rates.dat' using 1:2 with lines lw 2 title "C = 512, warmup 4000", \
     '' using 1:3 with lines lw 2 title "C = 512, warmup 8000", \
     '' using 1:4 with lines lw 2 title "C = 256, warmup 4000"
