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
#
# Interrupted, it can be run again with the same flags: each training run in --work is
# continued where its last save left it (--resume; a finished run has nothing left to
# train), and the quick steps after it (averaging, exporting, measuring) run again.
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

# Whether a run directory holds a training run: its marker (files.hpp), or a complete
# copy that a save interrupted between its two renames left beside it as RUN.tmp.PID or
# RUN.old.PID, which --resume puts back.
holds_run() {
  local copy
  for copy in "$1" "$1".tmp.* "$1".old.*; do
    [ -f "$copy/.annotated-transformer" ] && return 0
  done
  return 1
}

# train_or_resume PROGRAM RUN [FLAGS...]: starts the run in RUN, or continues the one
# already there (a new start would refuse it: "already holds a run").
train_or_resume() {
  local program=$1 run=$2
  shift 2
  if holds_run "$run"; then
    echo "train-pretrained.sh: continuing the run in $run"
    "$program" train --out "$run" --resume "$@"
  else
    "$program" train --out "$run" "$@"
  fi
}

# 1. The translator: chapter 10's default run, then the mean of its last five epochs.
train_or_resume "$build/10_translation/ch10_translation" "$work/de-en-run" --data "$data"
"$build/10_translation/ch10_translation" average --checkpoint "$work/de-en-run" --last 5 \
  --out "$work/de-en" --float16

# 2. The language model: chapter 12's nanoGPT run, exported without its training state.
train_or_resume "$build/12_language_model/ch12_language_model" "$work/shakespeare-run"
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
  # Both models are copied beside their places first (NAME.tmp.PID), then swapped in:
  # the shipped models step aside (NAME.old.PID), the new ones are renamed into place with
  # their SHA256SUMS, and only then are the old ones removed. A copy that fails (a full
  # disk) or an interruption before the end puts the shipped models and their checksums
  # back as they were, never an empty or half-new data/pretrained/.
  dest="$root/data/pretrained"
  undo_install() {
    local name
    for name in de-en shakespeare; do
      rm -rf "$dest/$name.tmp.$$"
      if [ -e "$dest/$name.old.$$" ]; then
        rm -rf "${dest:?}/$name"
        mv "$dest/$name.old.$$" "$dest/$name"
      fi
    done
    if [ -e "$dest/SHA256SUMS.old.$$" ]; then mv "$dest/SHA256SUMS.old.$$" "$dest/SHA256SUMS"; fi
    rm -f "$dest/SHA256SUMS.tmp.$$"
  }
  trap undo_install EXIT
  trap 'exit 130' INT TERM  # through the EXIT trap
  for name in de-en shakespeare; do
    rm -rf "$dest/$name.tmp.$$"  # a leftover of a killed run with this process id
    cp -r "$work/$name" "$dest/$name.tmp.$$"
  done
  for name in de-en shakespeare; do
    if [ -e "$dest/$name" ]; then mv "$dest/$name" "$dest/$name.old.$$"; fi
    mv "$dest/$name.tmp.$$" "$dest/$name"
  done
  (cd "$dest" && find de-en shakespeare -type f | LC_ALL=C sort | xargs sha256sum > "SHA256SUMS.tmp.$$")
  if [ -e "$dest/SHA256SUMS" ]; then mv "$dest/SHA256SUMS" "$dest/SHA256SUMS.old.$$"; fi
  mv "$dest/SHA256SUMS.tmp.$$" "$dest/SHA256SUMS"
  trap - EXIT INT TERM
  for name in de-en shakespeare; do rm -rf "$dest/$name.old.$$"; done
  rm -f "$dest/SHA256SUMS.old.$$"
  echo "train-pretrained.sh: installed; now update the numbers and checksums in data/pretrained/README.md"
fi
