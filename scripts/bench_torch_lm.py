#!/usr/bin/python3
"""The PyTorch side of the chapter 12 benchmark: nanoGPT's CPU run on Tiny Shakespeare.

    /usr/bin/python3 scripts/bench_torch_lm.py --data input.txt.gz [--max-iters 2000]
        [--eval-iters 20] [--threads 1] [--seed 1337] [--n-embd 128]

Trains what nanoGPT's README suggests for a laptop,

    python train.py config/train_shakespeare_char.py --device=cpu --compile=False
        --eval_iters=20 --log_interval=1 --block_size=64 --batch_size=12 --n_layer=4
        --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0

with every setting of nanoGPT's train.py and config/train_shakespeare_char.py that changes
the computation: a character vocabulary (65 characters, sorted), the first 90% of the text
to train and the last 10% to validate; nanoGPT's model (fused query/key/value projection
c_attn, learned positions, pre-norm blocks, exact GELU, LayerNorm with eps 1e-5, no biases
because train.py's default is bias = False, output head tied to wte, its initialisation);
AdamW with betas (0.9, 0.99), eps 1e-8, weight decay 0.1 on parameters of two or more
dimensions only; gradients clipped to norm 1.0; learning rate 1e-3 with 100 warm-up
iterations and a cosine down to 1e-4 at iteration 2000; one micro-batch per step; float32.

The model is written out here (nanoGPT is not a dependency), module for module as nanoGPT
builds it, so that with the same seed it draws the same initial weights and the same
batches from torch's global generator as nanoGPT's train.py does. Evaluation happens at
iteration 0, every --eval-interval iterations (250, as nanoGPT's config) and after the last
step; it uses the same generator, so the intermediate evaluations are needed to reproduce
nanoGPT's batches exactly, but they are not timed. The final evaluation, after
--max-iters updates, is the one nanoGPT prints as "step 2000: train loss …, val loss …"
(nanoGPT then makes one more update, at iteration 2000, that it never evaluates; we stop).

Timed: the training loop only (sampling a batch, forward, backward, clipping, AdamW step),
not reading the data and not evaluation. The last line reads
    torch lm: <seconds> s, <tokens/s> tokens/s, train loss <x>, val loss <y>
"""
import argparse
import gzip
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# nanoGPT's settings for this run (train.py defaults, the config file, the README command).
BATCH_SIZE = 12
BLOCK_SIZE = 64
N_LAYER, N_HEAD, N_EMBD = 4, 4, 128
DROPOUT = 0.0
LEARNING_RATE, MIN_LR = 1e-3, 1e-4
WARMUP_ITERS = 100
WEIGHT_DECAY = 0.1
BETAS = (0.9, 0.99)
GRAD_CLIP = 1.0


# ---- data: nanoGPT's data/shakespeare_char/prepare.py and get_batch ----

def load_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def encode_splits(text):
    chars = sorted(set(text))                    # the vocabulary: every character, sorted
    stoi = {ch: i for i, ch in enumerate(chars)}
    ids = np.array([stoi[c] for c in text], dtype=np.uint16)
    n = int(len(text) * 0.9)                     # first 90% train, last 10% val
    return chars, ids[:n], ids[n:]


def get_batch(data):
    # Random windows of BLOCK_SIZE characters, targets shifted by one; the offsets come
    # from torch's global generator, as in nanoGPT.
    ix = torch.randint(len(data) - BLOCK_SIZE, (BATCH_SIZE,))
    x = torch.stack([torch.from_numpy(data[i:i + BLOCK_SIZE].astype(np.int64)) for i in ix])
    y = torch.stack([torch.from_numpy(data[i + 1:i + 1 + BLOCK_SIZE].astype(np.int64)) for i in ix])
    return x, y


# ---- the model: nanoGPT's model.py, restated ----

class LayerNorm(nn.Module):
    """LayerNorm with eps 1e-5 and an optional bias (torch 1.13's nn.LayerNorm always has one)."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, bias, dropout):
        super().__init__()
        self.n_head, self.n_embd = n_head, n_embd
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)   # query, key, value stacked
        self.c_proj = nn.Linear(n_embd, n_embd, bias=bias)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)
        self.dropout = dropout
        # PyTorch >= 2.0 has a fused kernel and nanoGPT uses it; before that (Debian's 1.13)
        # nanoGPT falls back to the explicit masked softmax below.
        self.flash = hasattr(F, "scaled_dot_product_attention")
        if not self.flash:
            mask = torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size)
            self.register_buffer("bias", mask)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = [t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v)]
        if self.flash:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=None,
                                               dropout_p=self.dropout if self.training else 0.0,
                                               is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            att = self.attn_dropout(F.softmax(att, dim=-1))
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, n_embd, bias, dropout):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.gelu = nn.GELU()                                   # exact (erf) form
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size, bias, dropout):
        super().__init__()
        self.ln_1 = LayerNorm(n_embd, bias)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size, bias, dropout)
        self.ln_2 = LayerNorm(n_embd, bias)
        self.mlp = MLP(n_embd, bias, dropout)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, bias, dropout):
        super().__init__()
        # Same modules, registered in the same order as nanoGPT, so that the initialisation
        # below consumes torch's generator exactly as nanoGPT's does.
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            drop=nn.Dropout(dropout),
            h=nn.ModuleList([Block(n_embd, n_head, block_size, bias, dropout) for _ in range(n_layer)]),
            ln_f=LayerNorm(n_embd, bias),
        ))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight       # weight tying
        self.apply(self._init_weights)
        # GPT-2's scaled init of the projections that end a residual branch.
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss

    def configure_optimizer(self):
        # Weight decay on every tensor of two or more dimensions (matmul weights and
        # embeddings), none on biases and LayerNorm weights.
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": WEIGHT_DECAY},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=BETAS)


def get_lr(it, lr_decay_iters):
    # nanoGPT's get_lr on its master branch (warm-up (it+1)/(warmup_iters+1), PR #578).
    if it < WARMUP_ITERS:
        return LEARNING_RATE * (it + 1) / (WARMUP_ITERS + 1)
    if it > lr_decay_iters:
        return MIN_LR
    decay_ratio = (it - WARMUP_ITERS) / (lr_decay_iters - WARMUP_ITERS)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * decay_ratio)) * (LEARNING_RATE - MIN_LR)


@torch.no_grad()
def estimate_loss(model, splits, eval_iters):
    # nanoGPT's estimate_loss: the mean loss of eval_iters random batches per split.
    model.eval()
    out = {}
    for split, data in splits.items():
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            _, loss = model(*get_batch(data))
            losses[k] = loss.item()
        out[split] = losses.mean().item()
    model.train()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="Tiny Shakespeare input.txt.gz (or input.txt)")
    parser.add_argument("--max-iters", type=int, default=2000)
    parser.add_argument("--eval-iters", type=int, default=20)
    parser.add_argument("--eval-interval", type=int, default=250,
                        help="also evaluate every N iterations, untimed (0: only at the start and the end)")
    parser.add_argument("--lr-decay-iters", type=int, default=2000)
    parser.add_argument("--log-interval", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1337, help="nanoGPT's torch.manual_seed(1337)")
    parser.add_argument("--n-embd", type=int, default=N_EMBD,
                        help="the width C (128 in nanoGPT's configuration; the width sweep varies it)")
    args = parser.parse_args()
    if args.max_iters < 1 or args.eval_iters < 1 or args.eval_interval < 0:
        parser.error("--max-iters and --eval-iters must be at least 1, --eval-interval at least 0")
    torch.set_num_threads(args.threads)

    chars, train_data, val_data = encode_splits(load_text(args.data))
    splits = {"train": train_data, "val": val_data}
    print(f"vocabulary {len(chars)} characters, train {len(train_data):,} tokens, val {len(val_data):,} tokens")

    torch.manual_seed(args.seed)
    model = GPT(len(chars), BLOCK_SIZE, N_LAYER, N_HEAD, args.n_embd, bias=False, dropout=DROPOUT)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params:,} parameters ({n_params - model.transformer.wpe.weight.numel():,} without wpe), "
          f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"{'fused' if model.transformer.h[0].attn.flash else 'explicit'} attention")
    optimizer = model.configure_optimizer()

    X, Y = get_batch(train_data)  # nanoGPT fetches the first batch before its loop
    train_seconds = 0.0
    losses = None
    for it in range(args.max_iters + 1):
        if it == args.max_iters or (it == 0) or (args.eval_interval and it % args.eval_interval == 0):
            losses = estimate_loss(model, splits, args.eval_iters)
            print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}", flush=True)
        if it == args.max_iters:
            break

        t0 = time.perf_counter()
        lr = get_lr(it, args.lr_decay_iters)
        for group in optimizer.param_groups:
            group["lr"] = lr
        _, loss = model(X, Y)
        X, Y = get_batch(train_data)  # nanoGPT samples the next batch between forward and backward
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        train_seconds += time.perf_counter() - t0

        if it % args.log_interval == 0:
            print(f"iter {it}: loss {loss.item():.4f}, lr {lr:.3e}, "
                  f"{train_seconds / (it + 1) * 1000:.1f} ms/iter so far", flush=True)

    tokens = args.max_iters * BATCH_SIZE * BLOCK_SIZE
    print(f"torch lm: {train_seconds:.2f} s, {tokens / train_seconds:.0f} tokens/s, "
          f"train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")


if __name__ == "__main__":
    main()
