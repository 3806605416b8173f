# Attention weights of "the cat sat on the mat" with queries = keys = values = the
# embedded, position-encoded sentence (one head, no learned projections yet).
set terminal svg size 520,440 font "sans,11" background rgb "white"
set output dir.'/attention_weights.svg'
tokens = system("cat ".dir."/attention_weights_tokens.txt")
set xtics ()
set ytics ()
do for [i=1:words(tokens)] { set xtics add (word(tokens, i) i-1); set ytics add (word(tokens, i) i-1) }
set xrange [-0.5:words(tokens)-0.5]
set yrange [words(tokens)-0.5:-0.5]
set xlabel "key (attended to)"
set ylabel "query"
set palette defined (0 "#f7f7f7", 1 "#b2182b")
set cbrange [0:1]
set title "softmax(QKᵀ/√K), one head, Q = K = V = x"
unset key
plot dir.'/attention_weights.dat' matrix with image pixels, \
     '' matrix using 1:2:(sprintf("%.2f", $3)) with labels font ",9"
