#!/usr/bin/env python3
"""Writes a training run's evaluations as a table for gnuplot.

    scripts/run_curves.py RUN OUT.dat

RUN is a training run's directory (chapter 08's layout); its state.json keeps one record
per evaluation, and that record is the only copy of the run's losses. OUT.dat gets one
line per evaluation, its columns named in its first line:

    a run that counts epochs (chapters 09, 10, 13):
        epoch train_loss val_loss val_bleu seconds     (val_bleu: NaN where none was measured)
    a run that counts iterations (chapters 12, 14: every record's epoch is 0):
        step train_loss val_loss

The chapters' figures are drawn from such files, committed under their results/.
"""
import json
import math
import sys


def fail(message):
    sys.exit(f"run_curves: {message}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    run, out = sys.argv[1], sys.argv[2]
    source = f"{run}/state.json"
    try:
        with open(source, encoding="utf-8") as f:
            state = json.load(f)
    except OSError as e:
        fail(f"{source}: {e.strerror} (is {run} a training run?)")
    except ValueError as e:  # not JSON, or not UTF-8
        fail(f"{source}: not a run's state ({e})")
    evaluations = state.get("evaluations") if isinstance(state, dict) else None
    if not isinstance(evaluations, list) or not evaluations:
        fail(f"{source}: no list of evaluations (a run saved by an older version?)")
    try:
        rows = [(int(e["epoch"]), int(e["step"]), float(e["train_loss"]), float(e["val_loss"]),
                 float(e.get("score", math.nan)), float(e["seconds"])) for e in evaluations]
    except KeyError as e:
        fail(f"{source}: an evaluation has no {e}")
    except (TypeError, ValueError, AttributeError) as e:
        fail(f"{source}: an evaluation is not a record of numbers ({e})")
    by_epoch = any(epoch > 0 for epoch, *_ in rows)
    if by_epoch:
        table = "# epoch train_loss val_loss val_bleu seconds\n" + "".join(
            f"{epoch} {train:.6f} {val:.6f} {score:.4f} {seconds:.1f}\n"
            for epoch, _, train, val, score, seconds in rows)
    else:
        table = "# step train_loss val_loss\n" + "".join(
            f"{step} {train:.6f} {val:.6f}\n" for _, step, train, val, _, _ in rows)
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(table)
    except OSError as e:
        fail(f"{out}: {e.strerror}")
    count = f"{len(rows)} evaluation" + ("" if len(rows) == 1 else "s")
    print(f"run_curves: {count} (by {'epoch' if by_epoch else 'step'}) written to {out}")


if __name__ == "__main__":
    main()
