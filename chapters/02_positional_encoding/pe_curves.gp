# Channels 4-7 of the positional encoding (C = 20) over the first 100 positions: one
# sine/cosine pair per frequency, each pair a quarter-period apart.
set terminal svg size 720,320 font "sans,11" background rgb "white"
set output dir.'/pe_curves.svg'
set xlabel "position"
set ylabel "PE[position, channel]"
set yrange [-1.1:1.1]
set key outside right
set title "Positional encoding, C = 20: channels 4 to 7"
plot for [c=2:5] dir.'/pe_curves.dat' using 1:c with lines lw 2 title sprintf("channel %d", c+2)
