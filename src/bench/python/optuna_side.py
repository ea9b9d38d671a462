#!/usr/bin/env python3
"""The Optuna side of the search benchmark (SearchBench.java): one study per call, one JSON line out.

    python3 optuna_side.py --sampler tpe --pruner sha --function lr-width --seed 3 --trials 40 \
        --epochs 27 --workers 8 --sleep 0.02
    python3 optuna_side.py --sampler random --trainer "java -cp DIR Train --model mlp --data F --seed 3 --epochs=15" \
        --space mlp --metric val.accuracy --trials 20 --workers 1

Samplers: tpe = TPESampler(seed, n_startup_trials=--startup (10), constant_liar=workers > 1);
random = RandomSampler(seed); quasi-random = QMCSampler(seed, scramble=True).
Pruners: none; sha = SuccessiveHalvingPruner(min_resource=1, reduction_factor=3) (Optuna's ASHA);
median = MedianPruner(n_startup_trials=--startup, n_warmup_steps=0).
Every epoch's value is reported (step = epoch) and the pruner asked after it.

With --function the objective is curves.py's, called in-process (no process per trial: Optuna's own
overhead stays visible), sleeping --sleep per epoch so that n_jobs threads overlap as parallel
workers do. With --trainer the command is started per trial with --NAME=VALUE parameters appended
(as tracker's {args} writes them), its JSON lines read as they come, and a pruned trial's command
gets SIGTERM - what `tracker run` does with its child.

Output, one JSON line: the definitions SearchBench.java uses for tracker too -
  best          the largest validation value any trial reached at any epoch (pruned trials count:
                a trial's value is the best over the epochs it trained, as tracker's objective_best)
  best_test     the test value of that trial at that epoch (curves: the noise-free curve there)
  epochs        epochs trained, summed over all trials
  trials        trials started; pruned: how many were pruned
  duplicates    trials whose parameters equal an earlier trial's
  wall          seconds for study.optimize
"""
import argparse
import json
import math
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import warnings

import optuna

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import curves  # noqa: E402

# The real trainer's space (experiments/tabular-baselines.yaml's mlp), as SearchBench.java writes it.
TRAINER_SPACES = {
    "mlp": {
        "hidden": ("categorical", [32, 64, 128]),
        "depth": ("int", 1, 3),
        "lr": ("log_float", 1e-4, 1e-2),
    },
}


def suggest(trial, space):
    params = {}
    for name, spec in space.items():
        kind = spec[0]
        if kind == "categorical":
            params[name] = trial.suggest_categorical(name, spec[1])
        elif kind in ("int", "log_int"):
            params[name] = trial.suggest_int(name, spec[1], spec[2], log=kind == "log_int")
        else:
            params[name] = trial.suggest_float(name, spec[1], spec[2], log=kind == "log_float")
    return params


def arg(value):
    return repr(value) if isinstance(value, float) else str(value)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sampler", choices=["tpe", "random", "quasi-random"], required=True)
    ap.add_argument("--pruner", choices=["none", "sha", "asha", "median"], default="none")
    ap.add_argument("--function", help="a curves.py function")
    ap.add_argument("--trainer", help="a trainer command (parameters are appended as --NAME=VALUE)")
    ap.add_argument("--space", default="mlp", help="with --trainer: " + ", ".join(list(TRAINER_SPACES) + list(curves.SPACES)))
    ap.add_argument("--metric", default="val.score", help="with --trainer: PHASE.METRIC to maximize")
    ap.add_argument("--test-metric", default="test.score", help="with --trainer: PHASE.METRIC reported as best_test")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--startup", type=int, default=10)
    ap.add_argument("--epochs", type=int, default=27)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--sleep", type=float, default=0.0)
    ap.add_argument("--tracker-params", action="store_true", help="print the space as a definition's params and exit")
    args = ap.parse_args()
    if args.tracker_params:
        space = curves.SPACES[args.function] if args.function else TRAINER_SPACES.get(args.space) or curves.SPACES[args.space]
        sys.stdout.write(curves.tracker_params(space))
        return
    if (args.function is None) == (args.trainer is None):
        ap.error("give --function or --trainer")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

    if args.sampler == "tpe":
        sampler = optuna.samplers.TPESampler(seed=args.seed, n_startup_trials=args.startup,
                                             constant_liar=args.workers > 1)
    elif args.sampler == "random":
        sampler = optuna.samplers.RandomSampler(seed=args.seed)
    else:
        sampler = optuna.samplers.QMCSampler(seed=args.seed, scramble=True, warn_independent_sampling=False)
    if args.pruner in ("sha", "asha"):
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    elif args.pruner == "median":
        pruner = optuna.pruners.MedianPruner(n_startup_trials=args.startup, n_warmup_steps=0)
    else:
        pruner = optuna.pruners.NopPruner()
    study = optuna.create_study(direction="maximize", sampler=sampler, pruner=pruner)

    lock = threading.Lock()
    record = {"epochs": 0, "pruned": 0, "best": -math.inf, "best_test": None, "settings": []}

    def seen(best, test, epochs, pruned, params):
        with lock:
            record["epochs"] += epochs
            record["pruned"] += pruned
            record["settings"].append(tuple(sorted((k, arg(v)) for k, v in params.items())))
            if best > record["best"]:
                record["best"], record["best_test"] = best, test

    # --trainer with --space NAME: the real trainer's space, or a curves.py function's (curves.py
    # spawned per trial, as tracker runs it: SearchBench's -Dbench.optuna.spawn=true).
    space = curves.SPACES[args.function] if args.function else TRAINER_SPACES.get(args.space) or curves.SPACES[args.space]

    def objective(trial):
        params = suggest(trial, space)
        best, best_test, epochs = -math.inf, None, 0
        try:
            for epoch, val, test in epochs_of(params):
                epochs = epoch
                if val > best:
                    best, best_test = val, test
                trial.report(val, epoch)
                if trial.should_prune():
                    seen(best, best_test, epochs, 1, params)
                    raise optuna.TrialPruned()
        except optuna.TrialPruned:
            raise
        seen(best, best_test, epochs, 0, params)
        return best

    def epochs_of(params):
        if args.function:
            for epoch in range(1, args.epochs + 1):
                if args.sleep > 0:
                    time.sleep(args.sleep)
                val, test = curves.value(args.function, args.seed, params, epoch)
                yield epoch, val, test
            return
        cmd = shlex.split(args.trainer) + ["--%s=%s" % (k, arg(v)) for k, v in params.items()]
        vphase, vname = args.metric.split(".", 1)
        tphase, tname = args.test_metric.split(".", 1)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        try:
            for text in proc.stdout:
                text = text.strip()
                if not text.startswith("{"):
                    continue
                obj = json.loads(text)
                if "epoch" not in obj:
                    continue
                val = obj.get(vphase, {}).get(vname)
                if val is None:
                    continue
                yield obj["epoch"], val, obj.get(tphase, {}).get(tname)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            proc.stdout.close()
            proc.wait()
        if proc.returncode not in (0, -signal.SIGTERM):
            raise RuntimeError("trainer exited %d: %s" % (proc.returncode, " ".join(cmd)))

    start = time.monotonic()
    study.optimize(objective, n_trials=args.trials, n_jobs=args.workers)
    wall = time.monotonic() - start
    settings = record["settings"]
    print(json.dumps({"side": "optuna", "sampler": args.sampler, "pruner": args.pruner,
                      "function": args.function or args.space, "seed": args.seed, "workers": args.workers,
                      "best": record["best"], "best_test": record["best_test"], "epochs": record["epochs"],
                      "trials": len(settings), "pruned": record["pruned"],
                      "duplicates": len(settings) - len(set(settings)), "wall": wall,
                      "optuna": optuna.__version__}))


if __name__ == "__main__":
    main()
