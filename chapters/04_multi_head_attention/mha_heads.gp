# The attention maps of the four heads of one self-attention layer (random Xavier
# weights, before any training) over "the cat sat on the mat".
set terminal svg size 900,260 font "sans,10" background rgb "white"
set output dir.'/mha_heads.svg'
tokens = system("cat ".dir."/mha_tokens.txt")
n = words(tokens)
set palette defined (0 "#f7f7f7", 1 "#b2182b")
set cbrange [0:1]
unset colorbox
set xrange [-0.5:n-0.5]
set yrange [n-0.5:-0.5]
set xtics () rotate by 45 right
set ytics ()
do for [i=1:n] { set xtics add (word(tokens, i) i-1); set ytics add (word(tokens, i) i-1) }
unset key
set multiplot layout 1,4 title "four heads, four different attention maps (rows: queries, columns: keys)"
do for [h=0:3] {
  set title sprintf("head %d", h)
  plot dir.sprintf('/mha_head%d.dat', h) matrix with image pixels
}
unset multiplot
