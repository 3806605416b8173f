# The subsequent ("causal") mask for L = 20: query row l may attend to key columns 0..l.
set terminal svg size 420,400 font "sans,11" background rgb "white"
set output dir.'/causal_mask.svg'
set xlabel "key position (attended to)"
set ylabel "query position"
set xrange [-0.5:19.5]
set yrange [19.5:-0.5]
set palette defined (0 "#f7f7f7", 1 "#2166ac")
set cbrange [0:1]
set cbtics ("masked" 0, "allowed" 1)
set title "subsequent_mask(20)"
unset key
plot dir.'/causal_mask.dat' matrix with image pixels
