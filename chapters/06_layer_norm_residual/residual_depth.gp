# Through a stack of N residual feed-forward blocks at initialisation: the size of the
# output relative to the input, and of the input's gradient relative to the output's.
set terminal svg size 820,320 font "sans,11" background rgb "white"
set output dir.'/residual_depth.svg'
set multiplot layout 1,2
set xlabel "number of blocks N"
set key top left
set title "activations: |y| / |x|"
plot dir.'/residual_depth.dat' using 1:2 with linespoints lw 2 title "pre-norm", \
     '' using 1:4 with linespoints lw 2 title "post-norm"
set title "gradients: |dL/dx| / |dL/dy|"
plot dir.'/residual_depth.dat' using 1:3 with linespoints lw 2 title "pre-norm", \
     '' using 1:5 with linespoints lw 2 title "post-norm"
unset multiplot
