#!/usr/bin/env python3
"""Summarises scripts/bench_modern.sh's runs into chapter 14's results.

    scripts/bench_modern_summary.py RUNS_DIR RESULTS_DIR

Reads, for every row and seed, RUNS_DIR/<row>-<seed>.log (the training's last lines),
<row>-<seed>.json (the evaluation), <row>-<seed>.positions.dat (the loss at each position)
and <row>-<seed>/state.json (the training run's record of every evaluation: the estimated
losses during training), and writes:

    ch14_summary.json    every number, per run and averaged over the seeds, and the machine
    ch14_ablation.dat    row, validation loss (mean, min, max over seeds), training seconds
    ch14_positions.dat   position, then each row's loss there (mean over seeds; NaN past
                         the GPT's context)
    ch14_cache.dat       key/value heads G, cache bytes per token, validation loss, its
                         min and max, sampled characters per second
    ch14_curves.dat      iteration, then the GPT's and the modern decoder's estimated
                         validation loss (mean over seeds)
"""
import json
import math
import os
import platform
import re
import statistics
import sys

ROWS = [("gpt", "GPT (chapter 12)"), ("rope", "+ RoPE"), ("rms", "+ RMSNorm"),
        ("swiglu", "+ SwiGLU"), ("gqa", "+ GQA, G = 2 (the modern decoder)"),
        ("mqa", "G = 1 (multi-query)")]
SEEDS = [1, 2, 3]
KV_HEADS = {"swiglu": 4, "gqa": 2, "mqa": 1}


def read_run(runs, row, seed):
    stem = os.path.join(runs, f"{row}-{seed}")
    with open(stem + ".log", encoding="utf-8") as f:
        log = f.read()
    took = re.search(r"training took ([0-9.]+) s \(([0-9]+) tokens/s\); final train loss "
                     r"([0-9.]+), val loss ([0-9.]+)", log)
    if not took:
        sys.exit(f"bench_modern_summary: {stem}.log has no 'training took' line")
    with open(stem + ".json", encoding="utf-8") as f:
        evaluation = json.load(f)
    positions = []
    with open(stem + ".positions.dat", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                positions.append(float(line.split()[1]))
    with open(os.path.join(stem, "state.json"), encoding="utf-8") as f:
        curve = [(int(e["step"]), float(e["val_loss"])) for e in json.load(f)["evaluations"]]
    return {"train_seconds": float(took.group(1)), "tokens_per_second": int(took.group(2)),
            "estimated_train_loss": float(took.group(3)), "estimated_val_loss": float(took.group(4)),
            **evaluation, "positions": positions, "curve": curve}


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform()}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    runs, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    data = {row: [read_run(runs, row, s) for s in SEEDS] for row, _ in ROWS}
    summary = {"machine": machine(), "seeds": SEEDS, "rows": []}
    for row, label in ROWS:
        r = data[row]
        val = [x["val_loss"] for x in r]
        secs = [x["train_seconds"] for x in r]
        summary["rows"].append({
            "row": row, "label": label, "parameters": r[0]["parameters"],
            "val_loss_mean": statistics.mean(val), "val_loss_sd": statistics.stdev(val),
            "val_loss": val, "train_seconds_mean": statistics.mean(secs), "train_seconds": secs,
            "tokens_per_second_mean": statistics.mean(x["tokens_per_second"] for x in r),
            "cache_bytes_per_token": r[0]["cache_bytes_per_token"],
            "sample_tokens_per_second_mean": statistics.mean(x["sample_tokens_per_second"] for x in r),
            "val_characters": r[0]["val_characters"],
            # Past the context (RoPE rows): mean loss over positions 64-127, 128-255.
            "loss_positions_0_63": statistics.mean(statistics.mean(x["positions"][:64]) for x in r),
            "loss_positions_64_127": statistics.mean(statistics.mean(x["positions"][64:128]) for x in r)
            if len(r[0]["positions"]) > 64 else None,
            "loss_positions_128_255": statistics.mean(statistics.mean(x["positions"][128:256]) for x in r)
            if len(r[0]["positions"]) > 128 else None,
        })
    # Side by side: the modern decoder's time over the GPT's, seed by seed.
    ratios = [g["train_seconds"] / m["train_seconds"] for g, m in zip(data["gpt"], data["gqa"])]
    summary["gpt_over_modern_time"] = ratios
    summary["gpt_over_modern_time_mean"] = statistics.mean(ratios)
    with open(os.path.join(out, "ch14_summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")

    with open(os.path.join(out, "ch14_ablation.dat"), "w", encoding="utf-8") as f:
        f.write("# index row val_loss_mean val_loss_min val_loss_max train_seconds_mean parameters\n")
        for i, s in enumerate(summary["rows"]):
            f.write(f"{i} {s['row']} {s['val_loss_mean']:.4f} {min(s['val_loss']):.4f} "
                    f"{max(s['val_loss']):.4f} {s['train_seconds_mean']:.1f} {s['parameters']}\n")

    length = max(len(data[row][0]["positions"]) for row, _ in ROWS)
    with open(os.path.join(out, "ch14_positions.dat"), "w", encoding="utf-8") as f:
        f.write("# position " + " ".join(row for row, _ in ROWS) + "\n")
        for p in range(length):
            cells = []
            for row, _ in ROWS:
                values = [x["positions"][p] for x in data[row] if p < len(x["positions"])]
                cells.append(f"{statistics.mean(values):.4f}" if values else "NaN")
            f.write(f"{p} " + " ".join(cells) + "\n")

    with open(os.path.join(out, "ch14_cache.dat"), "w", encoding="utf-8") as f:
        f.write("# G bytes_per_token val_loss_mean val_loss_min val_loss_max sample_chars_per_second\n")
        for row in ("swiglu", "gqa", "mqa"):
            s = next(x for x in summary["rows"] if x["row"] == row)
            f.write(f"{KV_HEADS[row]} {s['cache_bytes_per_token']} {s['val_loss_mean']:.4f} "
                    f"{min(s['val_loss']):.4f} {max(s['val_loss']):.4f} "
                    f"{s['sample_tokens_per_second_mean']:.0f}\n")

    with open(os.path.join(out, "ch14_curves.dat"), "w", encoding="utf-8") as f:
        f.write("# iteration gpt_val modern_val (estimated on 20 batches, mean over seeds)\n")
        for i, (it, _) in enumerate(data["gpt"][0]["curve"]):
            g = statistics.mean(x["curve"][i][1] for x in data["gpt"])
            m = statistics.mean(x["curve"][i][1] for x in data["gqa"])
            f.write(f"{it} {g:.4f} {m:.4f}\n")

    for s in summary["rows"]:
        print(f"{s['label']:36s} {s['parameters']:7d} params  val {s['val_loss_mean']:.4f} "
              f"(sd {s['val_loss_sd']:.4f})  {s['train_seconds_mean']:6.1f} s  "
              f"cache {s['cache_bytes_per_token']} B/token")
    print(f"GPT time / modern time, seed by seed: {', '.join(f'{r:.3f}' for r in ratios)}")
    if any(math.isnan(s["val_loss_mean"]) for s in summary["rows"]):
        sys.exit("bench_modern_summary: a NaN loss")


if __name__ == "__main__":
    main()
