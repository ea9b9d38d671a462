#!/usr/bin/env python3
"""Synthetic trainers with learning curves, for the search benchmark (SearchBench.java, optuna_side.py).

    python3 curves.py --function lr-width --seed 3 --epochs 27 --lr=0.01 --width=64 [--sleep 0.02]

prints one trainer line per epoch (docs/trainer-protocol.md), flushed at once:

    {"epoch": 1, "val": {"score": 0.41}, "test": {"score": 0.39}}

- val.score is what a search sees: the curve at that epoch plus noise (seeded, larger in early epochs,
  so that early epochs mislead a little) plus a small per-setting offset (a "seed effect").
- test.score is the noise-free curve at that epoch: the setting's true quality after that many
  epochs (what the benchmark reports as the true value of the setting a search picked).

Every value is a pure function of (function, seed, parameters, epoch): the same arguments print the
same lines, and optuna_side.py, which imports this module and calls value() in-process, sees exactly
the values that `tracker run` logs from this script. Parameters are keyed by repr() of their parsed
value, and tracker writes floats as Python's repr() does, so a setting reads back to the same key.

Functions (maximize; 0 is worst, about 0.95 the best):

lr-width      lr (log-uniform 1e-5..1), width (integer 8..1024, log scale).
              The asymptote is a Gaussian bump in (log10 lr, log2 width) whose best lr falls as
              width grows (wide nets want smaller steps); the curve rises as 1 - exp(-k epoch) with
              k growing with lr and shrinking with width: large learning rates look best in the first
              epochs and end below the optimum - the trap that early stopping has to survive.
lr-width-opt  the same plus optimizer (sgd | adam | rmsprop: each moves the best lr, the speed and
              the ceiling) and dropout (uniform 0..0.5: slows learning, best near 0.2).
"""
import argparse
import hashlib
import json
import math
import random
import sys
import time

SPACES = {
    # name -> {param: (kind, low, high | choices)}; kinds as optuna_side.py suggests them and
    # SearchBench.java writes them into the definition.
    "lr-width": {
        "lr": ("log_float", 1e-5, 1.0),
        "width": ("log_int", 8, 1024),
    },
    "lr-width-opt": {
        "lr": ("log_float", 1e-5, 1.0),
        "width": ("log_int", 8, 1024),
        "optimizer": ("categorical", ["sgd", "adam", "rmsprop"]),
        "dropout": ("float", 0.0, 0.5),
    },
}

# optimizer -> (shift of the best log10 lr, speed factor, ceiling factor)
OPTIMIZERS = {"sgd": (0.8, 1.0, 0.97), "adam": (-0.7, 2.0, 1.0), "rmsprop": (-0.4, 1.5, 0.98)}


def _shape(function, params):
    """(asymptote, rate) of the curve of one setting."""
    x = math.log10(params["lr"])
    w = math.log2(params["width"])
    shift, speed, ceiling = 0.0, 1.0, 1.0
    slow = 1.0
    if function == "lr-width-opt":
        shift, speed, ceiling = OPTIMIZERS[params["optimizer"]]
        d = params["dropout"]
        ceiling *= 1.0 - 0.6 * (d - 0.2) ** 2
        slow = 1.0 - 0.8 * d
    elif function != "lr-width":
        raise ValueError("no function " + repr(function) + "; known: " + ", ".join(SPACES))
    x_opt = -2.5 - 0.3 * (w - 6.0) + shift
    asymptote = 0.95 * ceiling * math.exp(-0.5 * ((x - x_opt) / 0.9) ** 2 - 0.5 * ((w - 7.5) / 2.5) ** 2)
    rate = 0.12 * 10 ** (0.5 * (x + 2.5)) * (7.0 / w) * speed * slow
    return asymptote, rate


def true_value(function, params, epoch):
    """The noise-free curve after `epoch` epochs (epochs count from 1)."""
    asymptote, rate = _shape(function, params)
    return asymptote * (1.0 - math.exp(-rate * epoch))


def _key(params):
    return "|".join(k + "=" + repr(params[k]) for k in sorted(params))


def _rng(*parts):
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def value(function, seed, params, epoch):
    """(val.score, test.score) at `epoch`: the noisy value a search sees and the noise-free one."""
    clean = true_value(function, params, epoch)
    offset = _rng(function, seed, _key(params), "offset").gauss(0.0, 0.005)
    noise = _rng(function, seed, _key(params), epoch).gauss(0.0, 0.03 / math.sqrt(epoch))
    return clean + offset + noise, clean


def line(function, seed, params, epoch):
    val, test = value(function, seed, params, epoch)
    return json.dumps({"epoch": epoch, "val": {"score": val}, "test": {"score": test}})


def parse_params(function, words):
    """--name=value words (tracker's {args}) into typed parameters of `function`."""
    space = SPACES[function]
    params = {}
    i = 0
    while i < len(words):
        word = words[i]
        if not word.startswith("--"):
            raise SystemExit("curves.py: error: not a --name=value parameter: " + word)
        if "=" in word:
            name, text = word[2:].split("=", 1)
        else:
            name, text = word[2:], words[i + 1]
            i += 1
        i += 1
        if name not in space:
            raise SystemExit("curves.py: error: %s has no parameter %r (it has %s)" % (function, name, ", ".join(space)))
        kind = space[name][0]
        params[name] = int(text) if kind.endswith("int") else text if kind == "categorical" else float(text)
    missing = [p for p in space if p not in params]
    if missing:
        raise SystemExit("curves.py: error: missing parameters: " + ", ".join(missing))
    return params


def tracker_params(space):
    """The definition's params block (YAML flow mappings, 6 spaces in) of a space: the same ranges on both sides."""
    out = []
    for name, spec in space.items():
        kind = spec[0]
        if kind == "categorical":
            text = json.dumps(spec[1])
        elif kind in ("int", "log_int"):
            text = "{distribution: int_uniform, min: %d, max: %d%s}" % (spec[1], spec[2], ", log: true" if kind == "log_int" else "")
        else:
            text = "{distribution: %s, min: %r, max: %r}" % ("log_uniform" if kind == "log_float" else "uniform",
                                                            float(spec[1]), float(spec[2]))
        out.append("      %s: %s" % (name, text))
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description="A synthetic trainer: one JSON trainer line per epoch.")
    ap.add_argument("--function", required=True, choices=sorted(SPACES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=27)
    ap.add_argument("--sleep", type=float, default=0.0, help="seconds per epoch, so that parallel workers overlap")
    ap.add_argument("--tracker-params", action="store_true", help="print the function's space as a definition's params and exit")
    args, rest = ap.parse_known_args(argv)
    if args.tracker_params:
        sys.stdout.write(tracker_params(SPACES[args.function]))
        return
    params = parse_params(args.function, rest)
    for epoch in range(1, args.epochs + 1):
        if args.sleep > 0:
            time.sleep(args.sleep)
        sys.stdout.write(line(args.function, args.seed, params, epoch) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
