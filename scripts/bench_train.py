"""Time training with ``cnnnotes.train`` against the notes' own ``model.fit`` call.

Prints a table; it is a benchmark, not a test. Needs the ``train`` extra (TensorFlow)::

    python scripts/bench_train.py [--pairs 3] [--epochs 2] [--subset 50000] [--source PATH]

Both sides train the same model (``build_model`` of ``--case``, default the baseline) on
the first ``--subset`` training images, batch 256, last 20 % held out for validation:

- ``ours``: :func:`cnnnotes.train.train` end to end on a temporary store (our own
  per-epoch shuffle, float32 arrays, one ``fit`` per epoch, a checkpoint after every
  epoch, then evaluation on the fit and test images — ``subset/5`` of them — and the
  results written and read back);
- ``notes f64``: ``model.fit(x=train_x / 255., y=to_categorical(train_y), epochs=E,
  batch_size=256, verbose=0, validation_split=0.2)`` as the notes do (float64 arrays);
- ``notes f32``: the same on float32 arrays.

Every run is a fresh process (same thread settings, ``--threads``), and the kinds
alternate (ours, notes f64, notes f32, ours, …) ``--pairs`` times; the table shows
medians over the runs of each kind. A Keras callback on both sides records when every
batch begins and ends, so epoch time splits into the training steps, validation and
overhead outside the steps; for ours, the checkpoint writes and the final evaluation
are timed by wrapping them in the worker process. Nothing is written to ``results/``
or the user cache: the dataset is decoded once into a temporary cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("ours", "notes f64", "notes f32")
NO_SOURCE = "pass --source PATH (or --source keras) or set CNNNOTES_CIFAR10"
BATCH = 256
now = time.perf_counter


def _timeline() -> Any:
    """A Keras callback recording epoch, training-step and validation times (seconds)."""
    import keras

    class Timeline(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.epochs: list[dict[str, Any]] = []
            self._t = 0.0

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.epochs.append({"begin": now(), "steps": [], "val": 0.0, "val_batches": []})

        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            self._t = now()

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            self.epochs[-1]["steps"].append(now() - self._t)

        def on_test_begin(self, logs: Any = None) -> None:
            self._v = now()

        def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
            self._t = now()

        def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
            self.epochs[-1]["val_batches"].append(now() - self._t)

        def on_test_end(self, logs: Any = None) -> None:
            self.epochs[-1]["val"] = now() - self._v

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self.epochs[-1]["end"] = now()

    return Timeline()


def _worker(args: argparse.Namespace) -> dict[str, Any]:
    """Train once as ``args.worker`` and return the raw timings."""
    import keras
    import numpy as np
    import tensorflow as tf

    from cnnnotes import train as train_mod
    from cnnnotes.cases import Profile, get_case
    from cnnnotes.data import load_cifar10
    from cnnnotes.model import build_model

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    data, case, timeline = load_cifar10(args.source), get_case(args.case), _timeline()
    out: dict[str, Any] = {"kind": args.worker, "fit": [], "evals": [], "ckpt": []}
    out["resume_end"] = None
    x, y = data.x_train[: args.subset], data.y_train[: args.subset]
    if args.worker == "ours":
        original, depth = {n: getattr(keras.Model, n) for n in ("fit", "evaluate", "predict")}, [0]

        def timed(name: str) -> Any:
            def call(self: Any, *a: Any, **kw: Any) -> Any:
                if name == "fit":
                    kw["callbacks"] = [*(kw.get("callbacks") or []), timeline]
                t0, depth[0] = now(), depth[0] + 1
                try:
                    return original[name](self, *a, **kw)
                finally:
                    depth[0] -= 1
                    if name == "fit" or depth[0] == 0:  # not fit's own validation
                        out["fit" if name == "fit" else "evals"].append((t0, now()))

            return call

        for name in original:
            setattr(keras.Model, name, timed(name))
        save = getattr(train_mod, "_save_checkpoint", None)
        resume = getattr(train_mod, "_resume", None)
        if save is not None and resume is not None:  # private helpers: time them if present

            def timed_save(*a: Any, **kw: Any) -> None:
                t0 = now()
                save(*a, **kw)
                out["ckpt"].append((t0, now()))

            def timed_resume(*a: Any, **kw: Any) -> Any:
                state = resume(*a, **kw)
                out["resume_end"] = now()
                return state

            train_mod._save_checkpoint, train_mod._resume = timed_save, timed_resume
        n_test = min(len(data.x_test), max(1, args.subset // 5))
        profile = Profile("bench", args.epochs, BATCH, 0.2, args.subset, n_test, seed=0)
        t0 = now()
        train_mod.train(case, profile, data, store=Path(args.store), log=lambda line: None)
        out["total"] = (t0, now())
    else:
        keras.utils.set_random_seed(0)
        t0 = now()
        if args.worker == "notes f64":
            train_x, train_y = x / 255.0, keras.utils.to_categorical(y)
        else:
            train_x = x.astype(np.float32) / np.float32(255.0)
            train_y = keras.utils.to_categorical(y).astype(np.float32)
        t1 = now()
        model = build_model(case)
        t2 = now()
        model.fit(
            x=train_x,
            y=train_y,
            epochs=args.epochs,
            batch_size=BATCH,
            verbose=0,
            validation_split=0.2,
            callbacks=[timeline],
        )
        out["fit"], out["total"], out["prep"] = [(t2, now())], (t0, now()), t1 - t0
    out["epochs"] = timeline.epochs
    out["threads"] = [
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.threading.get_inter_op_parallelism_threads(),
    ]
    return out


def _summary(raw: dict[str, Any], epochs: int) -> dict[str, Any]:
    """Per-epoch and one-off seconds of one run (see the table's row names)."""
    med = statistics.median
    eps, fits = raw["epochs"], raw["fit"]
    steps = [s for e in eps for s in e["steps"]]
    fit_wall = sum(b - a for a, b in fits)
    step_sum, val = sum(steps), sum(e["val"] for e in eps)
    total = raw["total"][1] - raw["total"][0]
    s: dict[str, Any] = {"steps": step_sum / epochs, "val": val / epochs}
    s["fit_other"] = (fit_wall - step_sum - val) / epochs
    s["step_ms"] = med(steps) * 1e3
    s["first_ms"] = eps[0]["steps"][0] * 1e3
    vb = [e["val_batches"] for e in eps if e["val_batches"]]
    s["trace"] = eps[0]["steps"][0] - med(steps) + (vb[0][0] - med(vb[0]) if vb else 0.0)
    later = [e["end"] - e["begin"] for e in eps[1:]]
    s["first_extra"] = (eps[0]["end"] - eps[0]["begin"]) - med(later) if later else None
    s["later_first_ms"] = med(e["steps"][0] for e in eps[1:]) * 1e3 if later else None
    s["end_to_end"] = total
    if raw["kind"] != "ours":
        s["epoch"], s["setup"] = fit_wall / epochs, total - fit_wall
        return s
    ckpt, evals = raw["ckpt"], raw["evals"]
    loop_start = raw["resume_end"] if raw["resume_end"] is not None else fits[0][0]
    loop_end = ckpt[-1][1] if ckpt else fits[-1][1]
    s["epoch"] = (loop_end - loop_start) / epochs
    s["ckpt"] = sum(b - a for a, b in ckpt) / epochs if ckpt else None
    s["shuffle"] = s["epoch"] - fit_wall / epochs - (s["ckpt"] or 0.0)
    s["setup"] = loop_start - raw["total"][0]
    s["eval"] = sum(b - a for a, b in evals)
    s["write"] = raw["total"][1] - loop_end - s["eval"]
    return s


ROWS = (
    ("epoch", "seconds per epoch (training loop)", "{:.3f}"),
    ("steps", "  training steps (sum of batches)", "{:.3f}"),
    ("val", "  validation", "{:.3f}"),
    ("fit_other", "  inside fit, outside steps/validation", "{:.3f}"),
    ("shuffle", "  shuffle copy + loop bookkeeping", "{:.3f}"),
    ("ckpt", "  checkpoint write", "{:.3f}"),
    ("step_ms", "median training step (ms)", "{:.1f}"),
    ("first_ms", "first step, with tracing (ms)", "{:.0f}"),
    ("later_first_ms", "first step of later epochs (ms)", "{:.1f}"),
    ("first_extra", "first epoch minus later epochs (s)", "{:.2f}"),
    ("trace", "once: tracing, first step + val batch (s)", "{:.2f}"),
    ("setup", "once: before the loop (s)", "{:.2f}"),
    ("eval", "once: final evaluation + predict (s)", "{:.2f}"),
    ("write", "once: write + read back results (s)", "{:.2f}"),
    ("end_to_end", "end to end (s)", "{:.2f}"),
)


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _report(
    runs: dict[str, list[dict[str, Any]]], order: list[tuple[str, float]], epochs: int
) -> None:
    kinds = [k for k in KINDS if runs[k]]
    m = {k: {key: _median(runs[k], key) for key, _, _ in ROWS} for k in kinds}
    head = f"{'median over runs':<40}" + "".join(f"{k:>12}" for k in kinds)
    print(head, "-" * len(head), sep="\n")
    for key, label, fmt in ROWS:
        cells = [m[k][key] for k in kinds]
        print(f"{label:<40}" + "".join(f"{'-' if c is None else fmt.format(c):>12}" for c in cells))
    print("\nruns in order (s/epoch): " + ", ".join(f"{k} {v:.3f}" for k, v in order))
    o, lines = m["ours"], []
    for k in kinds[1:]:
        ratio = o["epoch"] / m[k]["epoch"]
        spread = max(abs(r["epoch"] / m[kk]["epoch"] - 1) for kk in ("ours", k) for r in runs[kk])
        verdict = "slower" if ratio > 1 else "faster"
        if min(len(runs["ours"]), len(runs[k])) < 2:
            noise = "one run each, so the noise is unknown"
        else:
            where = "within" if abs(ratio - 1) <= spread else "beyond"
            noise = f"{where} the run-to-run spread of ±{spread:.0%}"
        lines.append(
            f"ours/{k} = {ratio:.2f}: ours is {abs(ratio - 1):.0%} {verdict} per epoch ({noise})."
        )
    n = m["notes f64"]
    parts = {
        "training steps": o["steps"] - n["steps"],
        "validation": o["val"] - n["val"],
        "fit overhead": o["fit_other"] - n["fit_other"],
        "shuffle copy": o["shuffle"] or 0.0,
        "checkpoints": o["ckpt"] or 0.0,
    }
    big = max(parts, key=lambda p: abs(parts[p]))
    lines.append(
        f"Epoch difference ours - notes f64 = {o['epoch'] - n['epoch']:+.3f} s: "
        + ", ".join(f"{p} {v:+.3f}" for p, v in parts.items())
        + f"; the largest part is {big}."
    )
    share = {k: 1 - m[k]["steps"] / m[k]["epoch"] for k in kinds}
    lines.append(
        "Time outside the training steps: "
        + ", ".join(f"{k} {v:.0%}" for k, v in share.items())
        + " of an epoch (validation, data pipeline, tracing, our checkpoints and shuffling)."
    )
    lines.append(
        f"Tracing/graph building is paid once per run; over {epochs} epoch(s) it is "
        + ", ".join(f"{k} {m[k]['trace'] / (m[k]['epoch'] * epochs):.0%}" for k in kinds)
        + " of the training loop (training steps above include the first, traced step)."
    )
    if o["later_first_ms"] is not None:
        extra = (o["later_first_ms"] - o["step_ms"]) / 1e3
        if extra > 0.5 * (o["first_ms"] / 1e3 - o["step_ms"] / 1e3):
            what = "comparable to the first tracing: fit retraces every epoch"
        elif extra > o["step_ms"] / 1e3:
            what = f"a per-fit warm-up of {extra:.2f} s ({extra / o['epoch']:.1%} of an epoch)"
        else:
            what = "nothing is retraced"
        lines.append(
            f"Ours calls fit once per epoch: the first step of later epochs takes "
            f"{o['later_first_ms']:.1f} ms vs a median step of {o['step_ms']:.1f} ms, {what}."
        )
    if "notes f32" in m:
        f64, f32 = n, m["notes f32"]
        lines.append(
            f"float64 vs float32 inputs (notes): {f64['epoch'] / f32['epoch']:.2f}x per epoch, "
            f"{f64['steps'] / f32['steps']:.2f}x in the steps."
        )
    once = (o["setup"] or 0) + (o["eval"] or 0) + (o["write"] or 0)
    lines.append(
        f"Ours' one-off costs (setup, final evaluation, results) take {once:.1f} s, "
        f"{once / o['end_to_end']:.0%} of its end-to-end time."
    )
    print("\n" + "\n".join(f"- {line}" for line in lines))


def main(argv: list[str] | None = None) -> int:
    """Parse the options; run the alternating workers and print the table (or be a worker)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pairs", type=int, default=3, help="rounds of (ours, notes f64, notes f32)")
    p.add_argument("--epochs", type=int, default=2, help="epochs per run (default 2)")
    p.add_argument("--subset", type=int, default=50000, help="first N training images")
    p.add_argument(
        "--source",
        default=os.environ.get("CNNNOTES_CIFAR10") or None,
        help="CIFAR-10 source (cnnnotes data check --help); default: $CNNNOTES_CIFAR10",
    )
    p.add_argument("--case", default="baseline", help="the case to train (default baseline)")
    p.add_argument("--threads", type=int, default=0, help="TF intra/inter-op threads (0: default)")
    p.add_argument("--skip-float32", action="store_true", help="leave out the notes f32 runs")
    p.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    for name in ("pairs", "epochs", "threads"):
        if getattr(args, name) < (0 if name == "threads" else 1):
            p.error(f"--{name}: {getattr(args, name)} is too small")
    if args.subset < 10:
        p.error(f"--subset: {args.subset} < 10 leaves no validation images")
    if not args.source:
        print(f"{p.prog}: error: no CIFAR-10 source: {NO_SOURCE}", file=sys.stderr)
        return 2
    if args.worker:
        Path(args.out).write_text(json.dumps(_worker(args)))
        return 0
    kinds = [k for k in KINDS if not (args.skip_float32 and k == "notes f32")]
    with tempfile.TemporaryDirectory(prefix="cnnnotes-bench-") as tmp:
        os.environ["CNNNOTES_CACHE_DIR"] = str(Path(tmp) / "cache")  # never the user cache
        from cnnnotes.data import load_cifar10

        t0 = now()
        data = load_cifar10(args.source)
        if args.subset > len(data.x_train):
            p.error(f"--subset: {args.subset} > {len(data.x_train)} training images")
        print(
            f"{args.case}, {args.subset} training images (80 % fit, 20 % validation), batch "
            f"{BATCH}, {args.epochs} epoch(s), {args.pairs} round(s), {os.cpu_count()} CPUs, "
            f"threads {args.threads or 'TF default'}; data {data.info.source_name} decoded "
            f"into a temporary cache in {now() - t0:.1f} s\n"
        )
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        order: list[tuple[str, float]] = []
        threads: set[tuple[int, int]] = set()
        for i in range(args.pairs):
            for kind in kinds:
                out, store = Path(tmp) / f"run{i}.json", Path(tmp) / f"store{i}"
                cmd = [sys.executable, __file__, "--worker", kind, "--out", str(out)]
                cmd += ["--store", str(store), "--source", args.source, "--case", args.case]
                cmd += [f"--epochs={args.epochs}", f"--subset={args.subset}"]
                cmd += [f"--threads={args.threads}"]
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if done.returncode:
                    print(f"{kind} run failed:\n{done.stderr[-3000:]}", file=sys.stderr)
                    return 1
                raw = json.loads(out.read_text())
                threads.add(tuple(raw["threads"]))
                runs[kind].append(_summary(raw, args.epochs))
                order.append((kind, runs[kind][-1]["epoch"]))
                print(f"  run {len(order)}: {kind:<9} {order[-1][1]:.3f} s/epoch", flush=True)
        shown = ", ".join(f"intra {a}, inter {b}" for a, b in sorted(threads))
        print(f"TF threads in every worker (0 = TF chooses): {shown}\n")
        _report(runs, order, args.epochs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
