#!/usr/bin/python3
"""Converts checkpoints between PyTorch and this book (needs Debian's python3-torch).

A checkpoint of this book is a directory holding one float32 `<state_dict key>.npy` per
parameter and a `config.json` (src_vocab, tgt_vocab, N, d_model, d_ff, h, dropout). A
PyTorch checkpoint is a file saved with torch.save(model.state_dict(), path) from the
Annotated Transformer's make_model.

    /usr/bin/python3 scripts/convert_checkpoint.py to-dir MODEL.pt OUT_DIR --heads 8 [--dropout 0.1]
    /usr/bin/python3 scripts/convert_checkpoint.py to-torch CHECKPOINT_DIR OUT.pt

`--heads` is needed one way only: the number of heads is not visible in the weights.
The positional-encoding buffers (src_embed.1.pe, tgt_embed.1.pe) are copied to the
directory (the C++ loader checks them) and recomputed when going back to PyTorch.
A model whose source embeddings, target embeddings and generator weight are one tied
tensor (chapter 10's shared subword vocabulary) is stored once, as
src_embed.0.lut.weight, with "shared_embeddings": true in config.json; going back to
PyTorch the three keys are restored, pointing at the same tensor.
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import torch

BUFFERS = ("src_embed.1.pe", "tgt_embed.1.pe")


def positional_buffer(max_len, d_model):
    """The Annotated Transformer's PositionalEncoding buffer, [1, max_len, d_model]."""
    pe = torch.zeros(max_len, d_model)
    position = torch.arange(0, max_len).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe.unsqueeze(0)


def infer_config(state_dict, heads, dropout):
    def shape(key):
        if key not in state_dict:
            sys.exit(f"convert_checkpoint: the state_dict has no '{key}': is it the Annotated Transformer's model?")
        return tuple(state_dict[key].shape)

    n_layers = 1 + max(int(m.group(1)) for k in state_dict for m in [re.match(r"encoder\.layers\.(\d+)\.", k)] if m)
    src_vocab, d_model = shape("src_embed.0.lut.weight")
    tgt_vocab, _ = shape("tgt_embed.0.lut.weight")
    d_ff, _ = shape("encoder.layers.0.feed_forward.w_1.weight")
    if d_model % heads != 0:
        sys.exit(f"convert_checkpoint: --heads {heads} does not divide d_model {d_model}")
    return {"src_vocab": src_vocab, "tgt_vocab": tgt_vocab, "N": n_layers, "d_model": d_model,
            "d_ff": d_ff, "h": heads, "dropout": dropout, "shared_embeddings": is_tied(state_dict)}


TIED = ("tgt_embed.0.lut.weight", "generator.proj.weight")


def is_tied(state_dict):
    """True if the target embeddings and the generator weight are the source embeddings' tensor."""
    src = state_dict["src_embed.0.lut.weight"]
    return all(k in state_dict and state_dict[k].data_ptr() == src.data_ptr() for k in TIED)


MARKER = ".annotated-transformer"
MARKER_TEXT = "annotated-transformer-cpp model checkpoint\n"


def is_replaceable(path):
    """Like the C++ side (files.hpp): only an empty directory or one of our model checkpoints."""
    if not os.path.lexists(path):
        return True
    if os.path.islink(path) or not os.path.isdir(path):
        return False
    if not os.listdir(path):
        return True
    try:
        with open(os.path.join(path, MARKER)) as f:
            return f.read() == MARKER_TEXT
    except OSError:
        return False


def state_dict_to_dir(state_dict, out_dir, heads, dropout=0.1):
    """Writes a state_dict as a checkpoint directory (atomically: a temporary, then a rename)."""
    config = infer_config(state_dict, heads, dropout)
    out_dir = out_dir.rstrip("/")
    if not is_replaceable(out_dir):
        sys.exit(f"convert_checkpoint: {out_dir} exists and is not a model checkpoint written by this book; "
                 "refusing to replace it (choose a new path or an empty directory)")
    tmp = out_dir + ".tmp." + str(os.getpid())
    os.makedirs(tmp)
    for key, tensor in state_dict.items():
        if config["shared_embeddings"] and key in TIED:
            continue  # stored once, as src_embed.0.lut.weight
        array = tensor.detach().cpu().numpy()
        if array.dtype != np.float32:
            array = array.astype(np.float32)
        np.save(os.path.join(tmp, key + ".npy"), np.array(array, order="C"))
    with open(os.path.join(tmp, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(tmp, MARKER), "w") as f:  # written last: the directory is complete
        f.write(MARKER_TEXT)
    if os.path.lexists(out_dir):
        import shutil
        old = out_dir + ".old." + str(os.getpid())
        os.rename(out_dir, old)
        os.rename(tmp, out_dir)
        shutil.rmtree(old)  # never follows symbolic links
    else:
        os.rename(tmp, out_dir)
    return config


def dir_to_state_dict(checkpoint_dir, max_len=5000):
    with open(os.path.join(checkpoint_dir, "config.json")) as f:
        config = json.load(f)
    state_dict = {}
    for name in sorted(os.listdir(checkpoint_dir)):
        if name.endswith(".npy"):
            key = name[:-4]
            array = np.load(os.path.join(checkpoint_dir, name))
            if array.dtype != np.float32:
                sys.exit(f"convert_checkpoint: {name}: expected float32, got {array.dtype}")
            state_dict[key] = torch.from_numpy(array)
    for key in BUFFERS:
        state_dict.setdefault(key, positional_buffer(max_len, config["d_model"]))
    if config.get("shared_embeddings", False):
        for key in TIED:
            state_dict[key] = state_dict["src_embed.0.lut.weight"]
    return state_dict, config


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("to-dir", help="PyTorch state_dict file -> checkpoint directory")
    a.add_argument("model_pt")
    a.add_argument("out_dir")
    a.add_argument("--heads", type=int, required=True)
    a.add_argument("--dropout", type=float, default=0.1)
    b = sub.add_parser("to-torch", help="checkpoint directory -> PyTorch state_dict file")
    b.add_argument("checkpoint_dir")
    b.add_argument("out_pt")
    args = parser.parse_args()
    if args.command == "to-dir":
        state_dict = torch.load(args.model_pt, map_location="cpu")
        config = state_dict_to_dir(state_dict, args.out_dir, args.heads, args.dropout)
        print(f"wrote {args.out_dir}: {config}")
    else:
        state_dict, config = dir_to_state_dict(args.checkpoint_dir)
        torch.save(state_dict, args.out_pt)
        print(f"wrote {args.out_pt}: {len(state_dict)} tensors, {config}")


if __name__ == "__main__":
    main()
