#!/usr/bin/python3
"""The PyTorch side of scripts/bench_decoding.sh: greedy decoding as the Annotated
Transformer writes it, on the same checkpoint and the same test sentences.

    /usr/bin/python3 scripts/bench_torch_decoding.py CHECKPOINT_DIR IDS_DIR [--threads 1]

CHECKPOINT_DIR is chapter 10's run (its model/ is read with convert_checkpoint.py);
IDS_DIR holds sources.npy written by `ch11_decoding bench`, and greedy_cpp_b1.npy /
greedy_cpp_b64.npy, our tokens, to compare. The decoding loop is the Annotated
Transformer's greedy_decode — every step decodes the whole prefix again — batched, and
with one change that only helps PyTorch: a batch stops once every sentence has written
</s>, and each sentence stops at its own limit (source length + 50), as ours do.
Prints tokens per second for batch 1 and batch 64 and how many sentences agree with ours.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures"))
sys.path.insert(0, HERE)
from convert_checkpoint import dir_to_state_dict  # noqa: E402
from make_fixtures import EncoderDecoder  # noqa: E402

BOS, EOS, PAD = 0, 1, 2


def subsequent_mask(size):
    return torch.tril(torch.ones(1, size, size, dtype=torch.bool))


def greedy_decode(model, src, src_mask, limits):
    """The Annotated Transformer's greedy_decode for a batch: the whole prefix each step."""
    memory = model.encoder(model.src_embed(src), src_mask)
    B = src.size(0)
    ys = torch.full((B, 1), BOS, dtype=src.dtype)
    done = torch.zeros(B, dtype=torch.bool)
    for i in range(int(limits.max())):
        out = model.decoder(model.tgt_embed(ys), memory, src_mask, subsequent_mask(ys.size(1)))
        prob = model.generator(out[:, -1])
        _, next_word = torch.max(prob, dim=1)
        ys = torch.cat([ys, next_word.unsqueeze(1)], dim=1)
        done |= (next_word == EOS) | (i + 1 >= limits)
        if bool(done.all()):
            break
    return ys[:, 1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("ids")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    state_dict, config = dir_to_state_dict(os.path.join(args.checkpoint, "model"))
    model = EncoderDecoder(config["src_vocab"], config["tgt_vocab"], config["N"], config["d_model"], config["d_ff"],
                           config["h"], max_len=5000)
    model.load_state_dict(state_dict)
    model.eval()
    sources = torch.from_numpy(np.load(os.path.join(args.ids, "sources.npy")))
    lengths = (sources != PAD).sum(dim=1) - 2  # without <s> and </s>
    order = torch.sort(lengths, stable=True).indices  # similar lengths together, as ours
    for batch in (1, 64):
        results = [None] * sources.size(0)
        tokens = 0
        start = time.perf_counter()
        with torch.no_grad():
            for first in range(0, sources.size(0), batch):
                idx = order[first:first + batch]
                src = sources[idx]
                width = int((src != PAD).sum(dim=1).max())
                src = src[:, :width]
                ys = greedy_decode(model, src, (src != PAD).unsqueeze(-2), lengths[idx] + 50)
                for row, i in enumerate(idx.tolist()):
                    out = []
                    for t in ys[row].tolist():
                        out.append(t)
                        if t == EOS or len(out) == int(lengths[i]) + 50:
                            break
                    tokens += len(out)
                    results[i] = [t for t in out if t != EOS]
        seconds = time.perf_counter() - start
        ours = np.load(os.path.join(args.ids, f"greedy_cpp_b{batch}.npy"))
        same = sum(1 for i, r in enumerate(results) if [t for t in ours[i].tolist() if t >= 0] == r)
        print(f"torch greedy batch {batch}: {tokens / seconds:.1f} tokens/s, {seconds:.2f} s, "
              f"{same}/{len(results)} sentences identical to ours")


if __name__ == "__main__":
    main()
