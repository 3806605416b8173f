#!/usr/bin/env python3
"""Writes a chapter 10 training run's per-epoch numbers as a table for gnuplot.

    scripts/run_curves.py RUN OUT.dat

RUN is a training run's directory (its state.json); OUT.dat gets one line per epoch:
epoch, training loss, validation loss, validation BLEU, seconds. The chapter's figures
are drawn from such files, committed under chapters/10_translation/results/.
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    run, out = sys.argv[1], sys.argv[2]
    try:
        with open(f"{run}/state.json", encoding="utf-8") as f:
            state = json.load(f)
        train, val = state["train_loss"], state["eval_loss"]
        bleu, seconds = state["extra"]["val_bleu"], state["extra"]["seconds"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"run_curves: {run}/state.json: {e}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# epoch train_loss val_loss val_bleu seconds\n")
        for i, row in enumerate(zip(train, val, bleu, seconds)):
            f.write(f"{i + 1} {row[0]:.6f} {row[1]:.6f} {row[2]:.4f} {row[3]:.1f}\n")
    print(f"run_curves: {len(train)} epochs written to {out}")


if __name__ == "__main__":
    main()
