# Which positions each pre-training objective lets a position see, on 13 positions:
# next-token prediction (the causal mask: row t sees columns 0..t, every row is scored)
# and masked-token prediction as BERT does it (every row sees every column; 2 of the 13
# inputs, about 15%, are replaced by [MASK], and only those 2 rows are scored).
# The data is written out below: the figure needs no program.
#   cell value 0: not seen   1: seen   2: seen, but the input there is [MASK]
set terminal svg size 760,420 font "sans,11" background rgb "white"
set output dir.'/ch12_objectives.svg'

$CAUSAL << EOD
1 0 0 0 0 0 0 0 0 0 0 0 0
1 1 0 0 0 0 0 0 0 0 0 0 0
1 1 1 0 0 0 0 0 0 0 0 0 0
1 1 1 1 0 0 0 0 0 0 0 0 0
1 1 1 1 1 0 0 0 0 0 0 0 0
1 1 1 1 1 1 0 0 0 0 0 0 0
1 1 1 1 1 1 1 0 0 0 0 0 0
1 1 1 1 1 1 1 1 0 0 0 0 0
1 1 1 1 1 1 1 1 1 0 0 0 0
1 1 1 1 1 1 1 1 1 1 0 0 0
1 1 1 1 1 1 1 1 1 1 1 0 0
1 1 1 1 1 1 1 1 1 1 1 1 0
1 1 1 1 1 1 1 1 1 1 1 1 1
EOD

$MASKED << EOD
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
1 1 1 2 1 1 1 1 1 2 1 1 1
EOD

# The rows that are scored, as dots left of the grid (x = -1, y = the row).
$EVERY_ROW << EOD
-1 0
-1 1
-1 2
-1 3
-1 4
-1 5
-1 6
-1 7
-1 8
-1 9
-1 10
-1 11
-1 12
EOD

$MASKED_ROWS << EOD
-1 3
-1 9
EOD

set palette defined (0 "white", 1 "#4c72b0", 2 "#dd8452")
set cbrange [0:2]
unset colorbox
set size ratio -1
set xrange [-1.5:12.5]
set yrange [12.5:-0.5]
set xtics 0,1,12 font ",8"
set ytics 0,1,12 font ",8"
set mxtics 2
set mytics 2
set grid noxtics noytics mxtics mytics front linecolor rgb "#cccccc" linewidth 0.5, linecolor rgb "#cccccc" linewidth 0.5
set xlabel "position seen"
set ylabel "position predicting"

set multiplot layout 1,2 margins 0.08,0.98,0.2,0.88 spacing 0.1
set title "next-token prediction (causal)"
plot $CAUSAL matrix with image notitle, \
     $EVERY_ROW using 1:2 with points pt 7 ps 0.8 lc rgb "black" notitle
set title "masked-token prediction (BERT)"
set label 1 "blue: seen     orange: seen, but the input there is [MASK]     dot: a scored row" at screen 0.5,0.05 center
plot $MASKED matrix with image notitle, \
     $MASKED_ROWS using 1:2 with points pt 7 ps 0.8 lc rgb "black" notitle
unset multiplot
