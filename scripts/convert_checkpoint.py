#!/usr/bin/python3
"""Converts checkpoints between PyTorch and this book (needs Debian's python3-torch).

A checkpoint of this book is a directory holding one `<state_dict key>.npy` per
parameter and a `config.json` (src_vocab, tgt_vocab, N, d_model, d_ff, h, dropout): a
model saved by chapter 07, or the model/ inside a chapter 10 run or translator (for
data/pretrained/de-en, give data/pretrained/de-en/model). A PyTorch checkpoint is a
file saved with torch.save(model.state_dict(), path) from the Annotated Transformer's
make_model.

    /usr/bin/python3 scripts/convert_checkpoint.py to-dir MODEL.pt OUT_DIR --heads 8 [--dropout 0.1]
    /usr/bin/python3 scripts/convert_checkpoint.py to-torch CHECKPOINT_DIR OUT.pt

`--heads` is needed one way only: the number of heads is not visible in the weights.
`to-dir` writes float32. `to-torch` reads float32 and float16 (the models in
data/pretrained/ and every --float16 export store halves) and hands PyTorch float32:
every half is a float32 exactly, so the widening loses nothing.
The positional-encoding buffers (src_embed.1.pe, tgt_embed.1.pe) are copied to the
directory (the C++ loader checks them) and recomputed when going back to PyTorch.
A model whose source embeddings, target embeddings and generator weight are one tied
tensor (chapter 10's shared subword vocabulary) is stored once, as
src_embed.0.lut.weight, with "shared_embeddings": true in config.json; going back to
PyTorch the three keys are restored, pointing at the same tensor.

Both ways write under a temporary name beside the output and rename it into place, so
a failed or interrupted conversion leaves the previous output as it was and no
temporary behind. A wrong input (a missing file, a run directory instead of its model/,
a language model's config, --heads 0) is one line naming it, and exit status 1.
"""
import argparse
import json
import math
import os
import re
import shutil
import sys

try:
    import numpy as np
    import torch
except ImportError as e:  # not installed, or another Python than Debian's
    sys.exit(f"convert_checkpoint: {e}: expected Debian's python3-numpy and python3-torch "
             "(scripts/install-deps.sh --torch), run with /usr/bin/python3")

BUFFERS = ("src_embed.1.pe", "tgt_embed.1.pe")
# What config.json must hold: the encoder-decoder's sizes (chapter 07's field table).
CONFIG_KEYS = ("src_vocab", "tgt_vocab", "N", "d_model", "d_ff", "h")
# The dropout range the C++ loader accepts (ModelConfig::fields).
MAX_DROPOUT = 0.999


def fail(message):
    """Bad input is one line naming the problem and exit status 1, never a traceback."""
    sys.exit(f"convert_checkpoint: {message}")


def positional_buffer(max_len, d_model):
    """The Annotated Transformer's PositionalEncoding buffer, [1, max_len, d_model]."""
    pe = torch.zeros(max_len, d_model)
    position = torch.arange(0, max_len).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe.unsqueeze(0)


def check_options(heads, dropout):
    """--heads and --dropout, checked before the (slow) load of the state_dict."""
    if heads < 1:
        fail(f"--heads {heads}: expected a positive number of attention heads")
    if not 0.0 <= dropout <= MAX_DROPOUT:  # also refuses nan
        fail(f"--dropout {dropout}: expected a rate from 0 to {MAX_DROPOUT}")


def infer_config(state_dict, heads, dropout, source="the state_dict"):
    check_options(heads, dropout)

    def shape(key):
        if key not in state_dict:
            fail(f"{source} has no '{key}': expected a state_dict of the Annotated Transformer's make_model")
        found = tuple(state_dict[key].shape)
        if len(found) != 2:
            fail(f"{source}: '{key}' has shape {list(found)}: expected a matrix")
        return found

    # The named keys first: a state_dict of another model is refused with the key it
    # lacks, and encoder.layers.0 then exists, so the layers below are never none.
    src_vocab, d_model = shape("src_embed.0.lut.weight")
    tgt_vocab, _ = shape("tgt_embed.0.lut.weight")
    d_ff, _ = shape("encoder.layers.0.feed_forward.w_1.weight")
    n_layers = 1 + max(int(m.group(1)) for k in state_dict for m in [re.match(r"encoder\.layers\.(\d+)\.", k)] if m)
    if d_model % heads != 0:
        fail(f"--heads {heads} does not divide d_model {d_model} (the width of {source}'s embeddings)")
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


def check_writable_beside(path):
    """The output's directory must exist: found before any work, not after the load."""
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        fail(f"cannot write {path}: its directory {parent} does not exist")


def check_out_dir(out_dir):
    check_writable_beside(out_dir)
    if not is_replaceable(out_dir):
        fail(f"{out_dir} exists and is not a model checkpoint written by this book; "
             "refusing to replace it (choose a new path or an empty directory)")


def state_dict_to_dir(state_dict, out_dir, heads, dropout=0.1, source="the state_dict"):
    """Writes a state_dict as a checkpoint directory (atomically: a temporary, then a rename)."""
    config = infer_config(state_dict, heads, dropout, source)
    out_dir = out_dir.rstrip("/")
    check_out_dir(out_dir)
    tmp = out_dir + ".tmp." + str(os.getpid())
    os.makedirs(tmp)
    try:
        for key, tensor in state_dict.items():
            if config["shared_embeddings"] and key in TIED:
                continue  # stored once, as src_embed.0.lut.weight
            # Widened or narrowed to float32 by torch, not NumPy: NumPy has no bfloat16.
            array = tensor.detach().cpu().to(torch.float32).numpy()
            np.save(os.path.join(tmp, key + ".npy"), np.array(array, order="C"))
        with open(os.path.join(tmp, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        with open(os.path.join(tmp, MARKER), "w") as f:  # written last: the directory is complete
            f.write(MARKER_TEXT)
        if os.path.lexists(out_dir):
            old = out_dir + ".old." + str(os.getpid())
            os.rename(out_dir, old)
            try:
                os.rename(tmp, out_dir)
            except BaseException:
                os.rename(old, out_dir)  # the previous checkpoint goes back where it was
                raise
            shutil.rmtree(old)  # never follows symbolic links
        else:
            os.rename(tmp, out_dir)
    except BaseException:
        # A failed or interrupted conversion (a full disk, Ctrl-C, a bad tensor) leaves
        # no half-written directory beside the output.
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return config


def read_config(checkpoint_dir):
    """config.json, checked: a wrong directory or another model's config is named."""
    what = "expected a checkpoint directory (config.json and one .npy per parameter)"
    if not os.path.exists(checkpoint_dir):
        fail(f"{checkpoint_dir} does not exist: {what}")
    if not os.path.isdir(checkpoint_dir):
        fail(f"{checkpoint_dir} is not a directory: {what}")
    path = os.path.join(checkpoint_dir, "config.json")
    if not os.path.isfile(path):
        model = os.path.join(checkpoint_dir, "model")
        if os.path.isfile(os.path.join(model, "config.json")):
            # A training run, a translator (data/pretrained/de-en) or a language model
            # keeps its weights in model/: a language model's config is named as such
            # (read_config refuses it), anything else gets the path to give.
            read_config(model)
            fail(f"{checkpoint_dir} has no config.json but holds model/ (a run or a translator): "
                 f"give {model}")
        fail(f"{checkpoint_dir} has no config.json: {what}")
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError) as e:  # ValueError: not JSON, or not UTF-8
        fail(f"cannot read {path}: {e}")
    if not isinstance(config, dict):
        fail(f"{path}: expected a JSON object, got {type(config).__name__}")
    missing = [k for k in CONFIG_KEYS if k not in config]
    if missing:
        if "n_embd" in config:
            # Chapter 12's and 14's decoder-only models have no PyTorch twin here.
            fail(f"{path} is a language model's config (n_layer, n_embd): this script converts the "
                 f"encoder-decoder of chapters 07-11, whose config.json has {', '.join(CONFIG_KEYS)}")
        fail(f"{path} lacks {', '.join(missing)}: expected the encoder-decoder's config "
             f"({', '.join(CONFIG_KEYS)})")
    return config


def dir_to_state_dict(checkpoint_dir, max_len=5000):
    config = read_config(checkpoint_dir)
    names = sorted(name for name in os.listdir(checkpoint_dir) if name.endswith(".npy"))
    if not names:
        fail(f"{checkpoint_dir} holds no .npy files: expected one per parameter")
    state_dict = {}
    for name in names:
        path = os.path.join(checkpoint_dir, name)
        try:
            array = np.load(path)
        except (OSError, ValueError, EOFError) as e:  # EOFError: an empty file
            fail(f"cannot read {path}: {e}")
        if not isinstance(array, np.ndarray):
            fail(f"{path}: expected one array (.npy), got an archive")
        if array.dtype == np.float16:
            # The shipped models and --float16 exports: every half is a float32 exactly.
            array = array.astype(np.float32)
        elif array.dtype != np.float32:
            fail(f"{path}: expected float32 or float16, got {array.dtype}")
        state_dict[name[:-4]] = torch.from_numpy(array)
    missing_buffers = [key for key in BUFFERS if key not in state_dict]
    if missing_buffers:
        d_model = config["d_model"]
        # The table interleaves sines and cosines, so it needs an even width.
        if isinstance(d_model, bool) or not isinstance(d_model, int) or d_model < 2 or d_model % 2:
            fail(f"{os.path.join(checkpoint_dir, 'config.json')}: d_model {d_model!r}: "
                 "expected an even integer of at least 2")
        for key in missing_buffers:
            state_dict[key] = positional_buffer(max_len, d_model)
    if config.get("shared_embeddings", False):
        if "src_embed.0.lut.weight" not in state_dict:
            fail(f"{checkpoint_dir} has shared_embeddings but no src_embed.0.lut.weight.npy")
        for key in TIED:
            state_dict[key] = state_dict["src_embed.0.lut.weight"]
    return state_dict, config


def load_state_dict_file(model_pt):
    """torch.load, checked: the file must exist and hold a state_dict of tensors."""
    what = "expected a PyTorch file saved with torch.save(model.state_dict(), path)"
    if not os.path.exists(model_pt):
        fail(f"{model_pt} does not exist: {what}")
    if os.path.isdir(model_pt):
        if os.path.isfile(os.path.join(model_pt, "config.json")):
            fail(f"{model_pt} is a checkpoint directory, and to-dir reads a PyTorch file; "
                 f"to go the other way: to-torch {model_pt} OUT.pt")
        fail(f"{model_pt} is a directory: {what}")
    # torch.load raises many kinds of exception for a file that is not its own
    # (UnpicklingError, RuntimeError, EOFError, ...); here they all mean the same.
    try:
        state_dict = torch.load(model_pt, map_location="cpu")
    except Exception as e:
        fail(f"cannot read {model_pt} as a PyTorch file ({type(e).__name__}: {e}): {what}")
    if not isinstance(state_dict, dict):
        fail(f"{model_pt} holds a {type(state_dict).__name__}, not a state_dict: {what}")
    for key, value in state_dict.items():
        if not isinstance(value, torch.Tensor):
            fail(f"{model_pt}: entry '{key}' is a {type(value).__name__}, not a tensor: {what}")
    return state_dict


def save_torch_file(state_dict, out_pt):
    """torch.save to OUT.pt.tmp.<pid> beside OUT.pt, then a rename: a failed or interrupted
    save leaves the previous OUT.pt as it was and no temporary behind."""
    tmp = f"{out_pt}.tmp.{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            torch.save(state_dict, f)
            f.flush()
            os.fsync(f.fileno())  # on the disk before the rename makes it the file
        os.replace(tmp, out_pt)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("to-dir", help="PyTorch state_dict file -> checkpoint directory (float32)")
    a.add_argument("model_pt")
    a.add_argument("out_dir")
    a.add_argument("--heads", type=int, required=True)
    a.add_argument("--dropout", type=float, default=0.1)
    b = sub.add_parser("to-torch", help="checkpoint directory (float32 or float16) -> PyTorch state_dict file")
    b.add_argument("checkpoint_dir")
    b.add_argument("out_pt")
    args = parser.parse_args()
    source, target = (args.model_pt, args.out_dir) if args.command == "to-dir" else (args.checkpoint_dir, args.out_pt)
    try:
        if args.command == "to-dir":
            # Everything that can be checked before the load is: a typo must not cost it.
            check_options(args.heads, args.dropout)
            check_out_dir(args.out_dir.rstrip("/"))
            state_dict = load_state_dict_file(args.model_pt)
            config = state_dict_to_dir(state_dict, args.out_dir, args.heads, args.dropout, source=args.model_pt)
            print(f"wrote {args.out_dir}: {config}")
        else:
            if os.path.isdir(args.out_pt):
                fail(f"{args.out_pt} is a directory: expected the name of the PyTorch file to write")
            check_writable_beside(args.out_pt)
            state_dict, config = dir_to_state_dict(args.checkpoint_dir)
            save_torch_file(state_dict, args.out_pt)
            print(f"wrote {args.out_pt}: {len(state_dict)} tensors, {config}")
    except (OSError, KeyError, ValueError, ZeroDivisionError) as e:
        # The last resort: the checks above name the usual mistakes; anything they miss
        # (a full disk, an unreadable file) is still one line, not a traceback.
        fail(f"converting {source} to {target} failed ({type(e).__name__}: {e})")
    except KeyboardInterrupt:
        fail("interrupted")


if __name__ == "__main__":
    main()
