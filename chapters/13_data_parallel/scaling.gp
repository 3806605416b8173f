# The cost model's projection of data-parallel speed-up (a projection, not a measurement).
set terminal svg size 640,360 font "sans,11" background rgb "white"
set output dir.'/ch13_scaling.svg'
set logscale xy 2
set xlabel "machines (2 cores each, like the reference machine)"
set ylabel "speed-up over one machine"
set key top left
set grid
set title "Projected: chapter 10's model, 36.8 MB of gradients per step, ring allreduce"
plot dir.'/ch13_scaling.dat' using 1:1 with lines dt 2 lc rgb "gray" title "perfect", \
     '' using 1:4 with linespoints lw 2 title "batch per machine fixed, 10 Gbit/s", \
     '' using 1:3 with linespoints lw 2 title "global batch fixed, 100 Gbit/s", \
     '' using 1:2 with linespoints lw 2 title "global batch fixed, 10 Gbit/s"
