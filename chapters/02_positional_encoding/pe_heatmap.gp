# The whole table (100 positions x 128 channels): fast sinusoids on the left, channels
# that barely change over 100 positions on the right.
set terminal svg size 720,420 font "sans,11" background rgb "white"
set output dir.'/pe_heatmap.svg'
set xlabel "channel"
set ylabel "position"
set xrange [-0.5:127.5]
set yrange [99.5:-0.5]
set palette defined (-1 "#2166ac", 0 "#f7f7f7", 1 "#b2182b")
set cbrange [-1:1]
set title "Positional encoding table, C = 128"
unset key
plot dir.'/pe_heatmap.dat' matrix with image pixels
