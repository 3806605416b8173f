# Training and validation loss per epoch of the chapter's tiny run.
set terminal svg size 620,320 font "sans,11" background rgb "white"
set output dir.'/loss_curves.svg'
set xlabel "epoch"
set ylabel "loss per token"
set key top right
set title "a tiny model (N = 1, C = 32) learning to copy"
plot dir.'/loss_curves.dat' using 1:2 with linespoints lw 2 title "training", \
     '' using 1:3 with linespoints lw 2 title "validation"
