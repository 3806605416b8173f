# The smoothed target distribution of the Annotated Transformer's example: 5 classes,
# smoothing 0.4, labels 2 1 0 3 3 — class 0 is padding, so its column and row are 0.
set terminal svg size 460,360 font "sans,11" background rgb "white"
set output dir.'/label_smoothing.svg'
set xlabel "class"
set ylabel "example (its label)"
set xrange [-0.5:4.5]
set yrange [4.5:-0.5]
set ytics ("label 2" 0, "label 1" 1, "label 0 (pad)" 2, "label 3" 3, "label 3" 4)
set palette defined (0 "#f7f7f7", 1 "#b2182b")
set cbrange [0:0.6]
set title "target distribution with label smoothing 0.4"
unset key
plot dir.'/label_smoothing.dat' matrix with image pixels, \
     '' matrix using 1:2:(sprintf("%.3g", $3)) with labels font ",9"
