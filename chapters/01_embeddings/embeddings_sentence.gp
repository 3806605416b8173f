# The scaled embeddings of a six-token sentence: one row per token, one column per
# channel. The two "the" rows are identical: nothing in an embedding says where a token is.
set terminal svg size 640,300 font "sans,11" background rgb "white"
set output dir.'/embeddings_sentence.svg'
tokens = system("cat ".dir."/embeddings_sentence_tokens.txt")
set ytics () 
do for [i=1:words(tokens)] { set ytics add (word(tokens, i) i-1) }
set yrange [5.5:-0.5]
set xrange [-0.5:7.5]
set xlabel "channel c"
set title "x = lut[id] · √C for \"the cat sat on the mat\" (C = 8)"
set palette defined (-1 "#2166ac", 0 "#f7f7f7", 1 "#b2182b")
set cbrange [-4:4]
unset key
plot dir.'/embeddings_sentence.dat' matrix with image pixels
