#!/usr/bin/python3
"""The PyTorch side of scripts/benchmark.sh: the same training steps as bench_training.

    /usr/bin/python3 scripts/bench_torch.py --config copy|base [--steps N] [--warmup K]

Uses the Annotated Transformer's model as tests/fixtures/make_fixtures.py writes it
(Debian's python3-torch), Adam with the paper's betas, label smoothing 0.1 as
KLDivLoss(sum) / tokens, dropout 0.1 in training mode. Prints "<config> torch <tokens/s>".
"""
import argparse
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from make_fixtures import EncoderDecoder  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", choices=["copy", "base"], default="copy")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.config == "copy":
        V, N, B, S, T = 11, 2, 80, 10, 10
    else:
        V, N, B, S, T = 8000, 6, 32, 32, 33
    model = EncoderDecoder(V, V, N, 512, 2048, 8, max_len=5000)
    # The fixture model has no dropout (it runs in eval mode); add the Annotated
    # Transformer's dropout 0.1 where it sits, so both sides do the same work.
    drop = torch.nn.Dropout(0.1)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    crit = torch.nn.KLDivLoss(reduction="sum")

    def batch():
        if args.config == "copy":
            data = torch.randint(1, V, (B, S))
            data[:, 0] = 1
            src, tgt = data, data
        else:
            src, tgt = torch.randint(1, V, (B, S)), torch.randint(1, V, (B, T))
        tgt_in, tgt_y = tgt[:, :-1], tgt[:, 1:]
        L = tgt_in.size(1)
        src_mask = (src != 0).unsqueeze(-2)
        tgt_mask = (tgt_in != 0).unsqueeze(-2) & torch.tril(torch.ones(1, L, L, dtype=torch.bool))
        return src, tgt_in, tgt_y, src_mask, tgt_mask

    def step(b):
        src, tgt_in, tgt_y, src_mask, tgt_mask = b
        out = model.decoder(drop(model.tgt_embed(tgt_in)),
                            model.encoder(drop(model.src_embed(src)), src_mask), src_mask, tgt_mask)
        logp = model.generator(out).view(-1, V)
        y = tgt_y.reshape(-1)
        q = torch.full_like(logp, 0.1 / (V - 2))
        q.scatter_(1, y.unsqueeze(1), 0.9)
        q[:, 0] = 0
        ntokens = (y != 0).sum()
        loss = crit(logp, q) / ntokens
        loss.backward()
        opt.step()
        opt.zero_grad()
        return int(ntokens)

    batches = [batch() for _ in range(args.steps + args.warmup)]
    for b in batches[: args.warmup]:
        step(b)
    start = time.perf_counter()
    tokens = sum(step(b) for b in batches[args.warmup:])
    seconds = time.perf_counter() - start
    print(f"{args.config} torch {tokens / seconds:.1f} tokens/s ({args.steps} steps, {seconds / args.steps:.2f} s/step)")


if __name__ == "__main__":
    main()
