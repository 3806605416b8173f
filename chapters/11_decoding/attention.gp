# The trained model's attention on test sentences: for each kind (encoder self-attention,
# decoder self-attention, decoder→source), every layer (rows) and head (columns). The
# numbers are the model's weights, written by `ch11_decoding attention` (committed in
# results/); rows are labelled with the token a position reads, columns with the tokens
# attended to.
set terminal svg size 1800,760 font "sans,8" background rgb "white"
set palette defined (0 "white", 1 "#08306b")
set cbrange [0:1]
unset colorbox
set tics scale 0
set xtics rotate by 60 right
set yrange [:] reverse
titles = "encoder self-attention|decoder self-attention|decoder attending to the source"
kinds = "enc dec src"
sentences = "0 7"   # the test sentences whose maps are in results/
do for [i=1:words(sentences)] {
  s = int(word(sentences, i))
  do for [k=1:3] {
    kind = word(kinds, k)
    set output sprintf("%s/ch11_attention_%d_%s.svg", dir, s, kind)
    set multiplot layout 3,8 title sprintf("%s, test sentence %d (layer 1 at the top, heads left to right)", \
        (k == 1 ? "encoder self-attention" : (k == 2 ? "decoder self-attention" : "decoder attending to the source")), s)
    do for [l=0:2] {
      do for [h=0:7] {
        set title sprintf("layer %d, head %d", l + 1, h + 1)
        plot sprintf("%s/ch11_attention_%d_%s_l%d_h%d.dat", dir, s, kind, l, h) matrix rowheaders columnheaders with image notitle
      }
    }
    unset multiplot
  }
}

# One head large enough to read every label: test sentence 7's cross-attention in
# layer 2, head 4, one of the heads that align each English word with its German source.
set terminal svg size 900,800 font "sans,12" background rgb "white"
set output sprintf("%s/ch11_attention_7_src_zoom.svg", dir)
set colorbox
set title "decoder attending to the source, test sentence 7, layer 2, head 4"
plot sprintf("%s/ch11_attention_7_src_l1_h3.dat", dir) matrix rowheaders columnheaders with image notitle
