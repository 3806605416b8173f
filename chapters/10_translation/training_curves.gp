# Chapter 10's measured runs: losses and validation BLEU per epoch (numbers committed in
# results/, from the runs' state.json; see the chapter's page for the machine and times).
set terminal svg size 760,340 font "sans,11" background rgb "white"
set output dir.'/ch10_training.svg'
set multiplot layout 1,2
set xlabel "epoch"
set key top right
set grid
set title "loss per target token"
plot dir.'/ch10_default_run.dat' using 1:2 with linespoints lw 2 title "training (label-smoothed), words", \
     '' using 1:3 with linespoints lw 2 title "validation (cross-entropy), words", \
     dir.'/ch10_subword_run.dat' using 1:3 with linespoints lw 2 dt 2 title "validation, shared subwords"
set key bottom right
set title "validation BLEU (greedy)"
plot dir.'/ch10_default_run.dat' using 1:4 with linespoints lw 2 title "words", \
     dir.'/ch10_subword_run.dat' using 1:4 with linespoints lw 2 dt 2 title "shared subwords"
unset multiplot
