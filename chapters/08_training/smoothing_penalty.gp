# The label-smoothed loss as the predicted probability of the right class grows: it
# falls, then rises again — the model is penalised for becoming too sure.
set terminal svg size 620,320 font "sans,11" background rgb "white"
set output dir.'/smoothing_penalty.svg'
set xlabel "probability the model gives the right class"
set ylabel "loss (KL divergence)"
unset key
set title "label smoothing 0.1: over-confidence costs"
plot dir.'/smoothing_penalty.dat' using 1:2 with lines lw 2
