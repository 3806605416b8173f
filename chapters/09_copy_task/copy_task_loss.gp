# Training and validation loss per epoch of the copy task.
set terminal svg size 620,320 font "sans,11" background rgb "white"
set output dir.'/copy_task_loss.svg'
set xlabel "epoch"
set ylabel "loss per token"
set logscale y
set key top right
set title "the copy task (C = 128): learning to copy"
plot dir.'/copy_task_loss.dat' using 1:2 with linespoints lw 2 title "training", \
     '' using 1:3 with linespoints lw 2 title "validation"
