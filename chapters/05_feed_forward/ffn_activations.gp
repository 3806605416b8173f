# The hidden layer after ReLU for six positions (F = 32 units): about half the units
# are exactly zero at each position, and which half depends on the input.
set terminal svg size 760,260 font "sans,11" background rgb "white"
set output dir.'/ffn_activations.svg'
set xlabel "hidden unit f"
set ylabel "position"
set xrange [-0.5:31.5]
set yrange [5.5:-0.5]
set palette defined (0 "#f7f7f7", 1 "#2166ac")
set title "relu(w_1(x)): zero (white) for every unit whose pre-activation is negative"
unset key
plot dir.'/ffn_activations.dat' matrix with image pixels
