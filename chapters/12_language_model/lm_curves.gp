# Chapter 12's measured runs (numbers committed in results/): pre-training on Tiny
# Shakespeare, and fine-tuning on English captions against training from scratch.
set terminal svg size 620,320 font "sans,11" background rgb "white"
set output dir.'/ch12_pretrain_loss.svg'
set xlabel "iteration"
set ylabel "loss per character"
set key top right
set grid
set title "Pre-training on Tiny Shakespeare (nanoGPT's CPU configuration)"
plot dir.'/ch12_pretrain.dat' using 1:2 with linespoints lw 2 title "training", \
     '' using 1:3 with linespoints lw 2 title "validation", \
     1.88 with lines dt 2 lc rgb "gray" title "1.88"
set output dir.'/ch12_finetune.svg'
set title "English captions: fine-tuned from Shakespeare against from scratch"
set ylabel "validation loss per character"
plot dir.'/ch12_finetune.dat' using 1:2 with linespoints lw 2 title "fine-tuned from the Shakespeare model", \
     '' using 1:3 with linespoints lw 2 title "the same model from scratch"
