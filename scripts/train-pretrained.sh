#!/usr/bin/env bash
# Retrains the two models the book ships in data/pretrained/, with the book's own commands,
# and compares them with the shipped ones.
#
#   scripts/train-pretrained.sh --data DIR [--work DIR] [--install]
#
#   --data DIR    Multi30k (scripts/download-data.sh multi30k DIR)
#   --work DIR    where the runs and the new models go (default: runs/pretrained)
#   --install     copy the new models over data/pretrained/ and rewrite SHA256SUMS
#                 (then update the numbers in data/pretrained/README.md by hand)
#
# About 70 minutes on 2 cores: chapter 10's default run (18 epochs), the mean of its last
# five epochs stored as float16, its test BLEU greedy and with beam 4; chapter 12's
# nanoGPT run (2000 iterations), stored as float16, with a sample. The numbers are printed
# beside the shipped models' numbers, measured now by the same commands. Training is
# deterministic for a given machine and thread count, not across them: expect the same
# BLEU within a few tenths, not the same bytes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/chapters"
data="" work="$root/runs/pretrained" install=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --install) install=1; shift ;;
    *) echo "train-pretrained.sh: unknown option '$1' (expected --data DIR, --work DIR, --install)" >&2; exit 2 ;;
  esac
done
[ -n "$data" ] || { echo "train-pretrained.sh: --data DIR (Multi30k) is required" >&2; exit 2; }
for p in 10_translation/ch10_translation 11_decoding/ch11_decoding 12_language_model/ch12_language_model; do
  [ -x "$build/$p" ] || { echo "train-pretrained.sh: $build/$p is missing: cmake --preset default && cmake --build --preset default" >&2; exit 1; }
done
mkdir -p "$work"
echo "train-pretrained.sh: commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, $(date -u +%F)"

# 1. The translator: chapter 10's default run, then the mean of its last five epochs.
"$build/10_translation/ch10_translation" train --data "$data" --out "$work/de-en-run"
"$build/10_translation/ch10_translation" average --checkpoint "$work/de-en-run" --last 5 \
  --out "$work/de-en" --float16

# 2. The language model: chapter 12's nanoGPT run, exported without its training state.
"$build/12_language_model/ch12_language_model" train --out "$work/shakespeare-run"
"$build/12_language_model/ch12_language_model" export --checkpoint "$work/shakespeare-run" \
  --out "$work/shakespeare" --float16

# 3. The numbers, new beside shipped, by the same commands.
bleu() {  # model beam → the BLEU line
  "$build/11_decoding/ch11_decoding" bleu --checkpoint "$1" --data "$data" --beam "$2" 2>/dev/null | head -1
}
for model in "$work/de-en" "$root/data/pretrained/de-en"; do
  [ -d "$model" ] || continue
  echo "$model"
  echo "  greedy: $(bleu "$model" 1)"
  echo "  beam 4: $(bleu "$model" 4)"
done
for model in "$work/shakespeare" "$root/data/pretrained/shakespeare"; do
  [ -d "$model" ] || continue
  echo "$model: a sample"
  "$build/12_language_model/ch12_language_model" sample --checkpoint "$model" --prompt "ROMEO:" \
    --tokens 200 --temperature 0.8 2>/dev/null | sed 's/^/  /'
done

if [ "$install" = 1 ]; then
  rm -rf "$root/data/pretrained/de-en" "$root/data/pretrained/shakespeare"
  cp -r "$work/de-en" "$work/shakespeare" "$root/data/pretrained/"
  (cd "$root/data/pretrained" && find de-en shakespeare -type f | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
  echo "train-pretrained.sh: installed; now update the numbers and checksums in data/pretrained/README.md"
fi
