#!/usr/bin/python3
"""The PyTorch side of scripts/benchmark.sh: the same training steps as bench_training.

    /usr/bin/python3 scripts/bench_torch.py --config copy|base|translation [--batches DIR]
                                            [--steps N] [--warmup K] [--threads T]

The model is the Annotated Transformer's, with its dropout (0.1) everywhere it has it:
after the embeddings and positional encoding, on the attention weights, inside the
feed-forward network, and on every sublayer's output before the residual sum — the same
work as the C++ side. Adam with the paper's betas, label smoothing 0.1 as KLDivLoss(sum)
over the tokens. copy and base make their batches like bench_training; translation reads
the batches bench_training wrote (--batches DIR: batch_<i>_src.npy, batch_<i>_tgt.npy)
and uses chapter 10's vocabulary sizes and model. Prints
"<config> torch <tokens/s> tokens/s maxrss <MB> MB".
"""
import argparse
import copy
import glob
import math
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, mask):
        B = query.size(0)
        q, k, v = [lin(x).view(B, -1, self.h, self.d_k).transpose(1, 2)
                   for lin, x in zip(self.linears, (query, key, value))]
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.masked_fill(mask.unsqueeze(1) == 0, -1e9)
        p = self.dropout(scores.softmax(dim=-1))
        x = torch.matmul(p, v).transpose(1, 2).contiguous().view(B, -1, self.h * self.d_k)
        return self.linears[3](x)


class FeedForward(nn.Module):
    def __init__(self, d_model, d_ff, dropout):
        super().__init__()
        self.w_1, self.w_2, self.dropout = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model), nn.Dropout(dropout)

    def forward(self, x):
        return self.w_2(self.dropout(self.w_1(x).relu()))


class LayerNorm(nn.Module):
    def __init__(self, features, eps=1e-6):
        super().__init__()
        self.a_2, self.b_2, self.eps = nn.Parameter(torch.ones(features)), nn.Parameter(torch.zeros(features)), eps

    def forward(self, x):
        mean, std = x.mean(-1, keepdim=True), x.std(-1, keepdim=True)
        return self.a_2 * (x - mean) / (std + self.eps) + self.b_2


class Sublayer(nn.Module):
    def __init__(self, size, dropout):
        super().__init__()
        self.norm, self.dropout = LayerNorm(size), nn.Dropout(dropout)

    def forward(self, x, sublayer):
        return x + self.dropout(sublayer(self.norm(x)))


class EncoderLayer(nn.Module):
    def __init__(self, d, attn, ff, dropout):
        super().__init__()
        self.self_attn, self.feed_forward = attn, ff
        self.sublayer = nn.ModuleList([Sublayer(d, dropout) for _ in range(2)])

    def forward(self, x, mask):
        x = self.sublayer[0](x, lambda x: self.self_attn(x, x, x, mask))
        return self.sublayer[1](x, self.feed_forward)


class DecoderLayer(nn.Module):
    def __init__(self, d, attn, src_attn, ff, dropout):
        super().__init__()
        self.self_attn, self.src_attn, self.feed_forward = attn, src_attn, ff
        self.sublayer = nn.ModuleList([Sublayer(d, dropout) for _ in range(3)])

    def forward(self, x, memory, src_mask, tgt_mask):
        x = self.sublayer[0](x, lambda x: self.self_attn(x, x, x, tgt_mask))
        x = self.sublayer[1](x, lambda x: self.src_attn(x, memory, memory, src_mask))
        return self.sublayer[2](x, self.feed_forward)


class Embed(nn.Module):
    """Embeddings × √C, plus the positional encoding, then dropout."""
    def __init__(self, vocab, d_model, dropout, max_len=5000):
        super().__init__()
        self.lut, self.d_model, self.dropout = nn.Embedding(vocab, d_model), d_model, nn.Dropout(dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(position * div), torch.cos(position * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(self.lut(x) * math.sqrt(self.d_model) + self.pe[:, : x.size(1)])


class Model(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, N, d_model, d_ff, h, dropout=0.1):
        super().__init__()
        attn, ff, c = MultiHeadedAttention(h, d_model, dropout), FeedForward(d_model, d_ff, dropout), copy.deepcopy
        self.enc = nn.ModuleList([EncoderLayer(d_model, c(attn), c(ff), dropout) for _ in range(N)])
        self.dec = nn.ModuleList([DecoderLayer(d_model, c(attn), c(attn), c(ff), dropout) for _ in range(N)])
        self.enc_norm, self.dec_norm = LayerNorm(d_model), LayerNorm(d_model)
        self.src_embed, self.tgt_embed = Embed(src_vocab, d_model, dropout), Embed(tgt_vocab, d_model, dropout)
        self.proj = nn.Linear(d_model, tgt_vocab)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def forward(self, src, tgt, src_mask, tgt_mask):
        x = self.src_embed(src)
        for layer in self.enc:
            x = layer(x, src_mask)
        memory = self.enc_norm(x)
        y = self.tgt_embed(tgt)
        for layer in self.dec:
            y = layer(y, memory, src_mask, tgt_mask)
        return torch.log_softmax(self.proj(self.dec_norm(y)), dim=-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", choices=["copy", "base", "translation"], default="copy")
    parser.add_argument("--batches", help="bench_training --write-batches DIR (translation)")
    parser.add_argument("--vocab", type=int, nargs=2, default=[8049, 6197], help="translation: source, target")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    pad = 0
    if args.config == "copy":
        model = Model(11, 11, 2, 512, 2048, 8)
        V = 11
        data = [torch.randint(1, V, (80, 10)) for _ in range(args.steps + args.warmup)]
        for d in data:
            d[:, 0] = 1
        batches = [(d, d) for d in data]
    elif args.config == "base":
        V = 8000
        model = Model(V, V, 6, 512, 2048, 8)
        batches = [(torch.randint(1, V, (32, 32)), torch.randint(1, V, (32, 33)))
                   for _ in range(args.steps + args.warmup)]
    else:
        if not args.batches:
            raise SystemExit("bench_torch: --config translation needs --batches DIR")
        V, pad = args.vocab[1], 2
        model = Model(args.vocab[0], args.vocab[1], 3, 256, 512, 8)
        count = len(glob.glob(os.path.join(args.batches, "batch_*_src.npy")))
        batches = [(torch.from_numpy(np.load(os.path.join(args.batches, f"batch_{i}_src.npy"))),
                    torch.from_numpy(np.load(os.path.join(args.batches, f"batch_{i}_tgt.npy")))) for i in range(count)]
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    crit = nn.KLDivLoss(reduction="sum")

    def step(batch):
        src, tgt = batch
        tgt_in, tgt_y = tgt[:, :-1], tgt[:, 1:]
        L = tgt_in.size(1)
        src_mask = (src != pad).unsqueeze(-2)
        tgt_mask = (tgt_in != pad).unsqueeze(-2) & torch.tril(torch.ones(1, L, L, dtype=torch.bool))
        logp = model(src, tgt_in, src_mask, tgt_mask).view(-1, V)
        y = tgt_y.reshape(-1)
        q = torch.full_like(logp, 0.1 / (V - 2))
        q.scatter_(1, y.unsqueeze(1), 0.9)
        q[:, pad] = 0
        q[y == pad] = 0
        ntokens = (y != pad).sum()
        loss = crit(logp, q) / ntokens
        loss.backward()
        opt.step()
        opt.zero_grad()
        return int(ntokens)

    warm, timed = batches[: args.warmup], batches[args.warmup:]
    for b in warm:
        step(b)
    start = time.perf_counter()
    tokens = sum(step(b) for b in timed)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.config} torch {tokens / seconds:.1f} tokens/s maxrss {rss:.0f} MB "
          f"({len(timed)} steps, {seconds / len(timed):.2f} s/step)")


if __name__ == "__main__":
    main()
