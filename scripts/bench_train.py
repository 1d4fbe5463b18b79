"""Measure training speed: matmul peak, model FLOPs, and ours against the notes' own script.

A benchmark, not a test. Needs the ``train`` extra (TensorFlow) and CIFAR-10 from
``--source PATH`` or ``$CNNNOTES_CIFAR10`` (there is no default; nothing is downloaded)::

    python scripts/bench_train.py --source PATH [--pairs 3] [--epochs 3] [--subset 50000]
                                  [--case baseline] [--threads 0] [--matmul 1024,2048,4096]
                                  [--skip-float32] [--json FILE]

One invocation prints, as one table (and ``--json FILE`` writes the same numbers and every
run's raw timings):

- **peak**: the best float32 ``tf.linalg.matmul`` rate of square matrices (sizes
  ``--matmul``, 5 timed products each after a warm-up), ``2 n³`` FLOPs per product, in its
  own process with the workers' thread settings; measured before and after the runs, and
  the better of the two is the peak.
- **FLOPs per image**, from the case's layer shapes (:class:`cnnnotes.experiments.runs.cases.Case`):
  convolution and dense multiply-adds count 2 FLOPs; biases, activations, pooling,
  dropout, softmax, loss and the optimizer update are not counted; a training image counts
  3× the forward pass (forward, input gradient, weight gradient). TensorFlow skips the
  first convolution's input gradient, so the work it really does is a little less; the
  output says how much.
- **ours**: :func:`cnnnotes.experiments.training.loop.train` end to end on a temporary store
  (one continuous loop of :func:`cnnnotes.experiments.training.numerics.train_epoch`, a
  checkpoint after every epoch, the final evaluation on the fit and test images, the run
  written and read back), with the profile
  ``notes`` settings (batch 256, last 20 % held out) on the first ``--subset`` training
  images and ``--subset // 5`` test images (all 10,000 at the full size, as ``notes``).
- **notes f64**: ``model.fit(x=train_x/255., y=to_categorical(train_y), epochs=E,
  batch_size=256, validation_split=0.2, verbose=0)`` as the notes do (float64 arrays);
  **notes f32**: the same on float32 arrays (``--skip-float32`` leaves it out). Both
  build the model with :func:`cnnnotes.experiments.training.model.build_model`.

Every run is a fresh process. ``--pairs`` rounds each run every kind once, in alternating
order (ours, notes f64, notes f32, then the reverse), so slow drift of the machine falls
on both sides; ``ours/notes`` ratios are taken within a round. Cells show the median over
the runs of a kind with the min–max spread.

How the times are taken, inside the worker processes only (nothing in the package is changed):
every call of Keras' compiled ``train_function``/``test_function`` is timed (the same on both
sides; the first training call traces the graph, and a partial last batch is left out of the
median step). Epochs of ours end when :func:`~cnnnotes.experiments.training.loop.train` logs
them (after the checkpoint); the first begins after the ``setup_seconds`` the run records, and
``evaluation_seconds`` is the final evaluation. Epochs of the notes' script are bounded by a
Keras callback. An epoch's seconds include validation; its FLOPs are the training images ×
training FLOPs + validation images × forward FLOPs. "Steady" epochs are those after the first
(the first is used alone when ``--epochs 1``).

Targets (issue "Ready to sweep", 2-core machine):

- whole epochs: median over the rounds of ours/notes f64 (steady epochs) ≤ 1;
- steps: ours' median training step ≥ 50 % of the peak (stated for the baseline);
- one-off costs: setup + final evaluation ≤ 10 % of a ``notes``-length run (20 epochs),
  extrapolated as setup + evaluation + first epoch + 19 steady epochs (meaningful at the
  full ``--subset``, where the evaluation covers the notes' image counts).

Nothing is written to ``results/``, the user cache or ``~/.keras``: the dataset is decoded
once into a temporary cache, and stores, cache and Keras home are temporary folders.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KINDS = ("ours", "notes f64", "notes f32")
BATCH = 256  # the notes' batch size, and the notes profile's
VALIDATION_SPLIT = 0.2  # the notes' validation_split, and the notes profile's
MATMUL_REPEATS = 5
TARGET_EPOCH_RATIO = 1.0
TARGET_STEP_SHARE = 0.5
TARGET_ONE_OFF_SHARE = 0.1
_EPOCH_LINE = re.compile(r"\bepoch (\d+)/(\d+)\b")
now = time.perf_counter


# --- FLOPs ---------------------------------------------------------------------------------------


def layer_macs(case: Any) -> list[tuple[str, int]]:
    """Multiply-adds of one forward pass of one image, per convolution and dense layer."""
    from cnnnotes.experiments.training.model import INPUT_SHAPE, NUM_CLASSES

    k, f = case.kernel_size, case.filters
    side = case.feature_sizes(INPUT_SHAPE[0])  # input, conv1, pool1, conv2, pool2, conv3
    convs = (("conv1", 1, INPUT_SHAPE[2], f[0]), ("conv2", 3, f[0], f[1]), ("conv3", 5, f[1], f[2]))
    macs = [(name, side[i] ** 2 * k * k * c_in * c_out) for name, i, c_in, c_out in convs]
    flat = side[5] ** 2 * f[2]
    return [*macs, ("dense1", flat * case.dense_units), ("dense2", case.dense_units * NUM_CLASSES)]


def flops_per_image(case: Any) -> dict[str, int]:
    """``forward`` and ``training`` (3× forward) FLOPs of one image; see the module docstring.

    ``skipped`` is the first convolution's input gradient, counted in ``training`` but
    not computed by TensorFlow (nothing needs the gradient of the images).
    """
    macs = layer_macs(case)
    forward = 2 * sum(m for _, m in macs)
    return {"forward": forward, "training": 3 * forward, "skipped": 2 * macs[0][1]}


# --- worker processes ----------------------------------------------------------------------------


def _set_threads(threads: int) -> Any:
    import tensorflow as tf

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    return tf


def _peak_worker(args: argparse.Namespace) -> dict[str, Any]:
    """GFLOP/s of every timed float32 matmul, by size."""
    tf = _set_threads(args.threads)
    rates: dict[str, list[float]] = {}
    for n in args.matmul:
        a = tf.random.uniform((n, n), dtype=tf.float32, seed=1)
        b = tf.random.uniform((n, n), dtype=tf.float32, seed=2)
        float(tf.linalg.matmul(a, b)[0, 0])  # warm-up
        rates[str(n)] = []
        for _ in range(MATMUL_REPEATS):
            t0 = now()
            c = tf.linalg.matmul(a, b)
            float(c[0, 0])  # CPU ops run synchronously; this only makes sure
            rates[str(n)].append(2 * n**3 / (now() - t0) / 1e9)
    return {"gflops": rates}


def _time_compiled_calls(calls: dict[str, list[tuple[float, float]]]) -> None:
    """Record (start, end) of every call of a model's train_function and test_function."""
    import keras

    def wrap(maker: Any, attr: str) -> Any:
        def make(self: Any, force: bool = False) -> Any:
            made = maker(self, force)
            fn = getattr(self, attr)
            if fn is not None and not getattr(fn, "_bench_timed", False):

                def timed(*a: Any, **kw: Any) -> Any:
                    t0 = now()
                    try:
                        return fn(*a, **kw)
                    finally:
                        calls[attr].append((t0, now()))

                timed._bench_timed = True  # type: ignore[attr-defined]
                setattr(self, attr, timed)
            return made

        return make

    for attr in ("train_function", "test_function"):
        maker_name = "make_" + attr
        setattr(keras.Model, maker_name, wrap(getattr(keras.Model, maker_name), attr))


def _ours(args: argparse.Namespace, data: Any, case: Any, out: dict[str, Any]) -> None:
    from cnnnotes.experiments.runs.cases import Profile
    from cnnnotes.experiments.training.loop import train

    n_test = min(len(data.x_test), max(1, args.subset // 5))
    profile = Profile("bench", args.epochs, BATCH, VALIDATION_SPLIT, args.subset, n_test)
    log: list[tuple[float, float, str]] = []
    t0 = now()
    run = train(
        case,
        profile,
        data,
        seed=0,
        store=Path(args.store),
        log=lambda line: log.append((now(), time.process_time(), line)),
    ).run
    out["total"] = (t0, now())
    out["log"] = log
    out["history_seconds"] = [float(s) for s in run.epoch_seconds]
    prov = run.provenance
    times = {"setup_seconds": prov.setup_seconds, "evaluation_seconds": prov.evaluation_seconds}
    missing = [k for k, v in times.items() if v is None]
    if missing:
        raise SystemExit(f"the run record lacks provenance {', '.join(missing)}")
    out["setup"], out["evaluation"] = prov.setup_seconds, prov.evaluation_seconds


def _notes(args: argparse.Namespace, data: Any, case: Any, out: dict[str, Any]) -> None:
    import keras
    import numpy as np

    from cnnnotes.experiments.training.model import build_model

    epochs: list[dict[str, float]] = []

    class Epochs(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            epochs.append({"begin": now(), "cpu_begin": time.process_time()})

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            epochs[-1].update(end=now(), cpu_end=time.process_time())

    train_x, train_y = data.x_train[: args.subset], data.y_train[: args.subset]
    keras.utils.set_random_seed(0)
    t0 = now()
    if args.worker == "notes f64":  # the notes' own lines
        x, y = train_x / 255.0, keras.utils.to_categorical(train_y)
    else:
        x = train_x.astype(np.float32) / np.float32(255.0)
        y = keras.utils.to_categorical(train_y).astype(np.float32)
    model = build_model(case)
    t1 = now()
    model.fit(
        x=x,
        y=y,
        epochs=args.epochs,
        batch_size=BATCH,
        validation_split=VALIDATION_SPLIT,
        verbose=0,
        callbacks=[Epochs()],
    )
    out["total"], out["fit"], out["prepare"], out["epochs"] = (
        (t0, now()),
        (t1, now()),
        t1 - t0,
        epochs,
    )


def _worker(args: argparse.Namespace) -> dict[str, Any]:
    """Run as ``args.worker`` once and return the raw timings."""
    if args.worker == "peak":
        return _peak_worker(args)
    tf = _set_threads(args.threads)
    from cnnnotes.data import load_cifar10, user_cache_dir
    from cnnnotes.experiments.runs.cases import get_case

    calls: dict[str, list[tuple[float, float]]] = {"train_function": [], "test_function": []}
    _time_compiled_calls(calls)
    out: dict[str, Any] = {"kind": args.worker, "calls": calls}
    data = load_cifar10(args.source or "keras", cache_dir=user_cache_dir(os.environ))
    case = get_case(args.case)
    (_ours if args.worker == "ours" else _notes)(args, data, case, out)
    out["threads"] = [
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.threading.get_inter_op_parallelism_threads(),
    ]
    return out


# --- from raw timings to numbers -----------------------------------------------------------------


def _epoch_windows(raw: dict[str, Any], epochs: int) -> list[dict[str, float]]:
    """Each epoch's begin/end (wall) and CPU seconds (None where unknown)."""
    if raw["kind"] != "ours":
        return [
            {"begin": e["begin"], "end": e["end"], "cpu": e["cpu_end"] - e["cpu_begin"]}
            for e in raw["epochs"]
        ]
    log = raw["log"]
    at = [i for i, (_, _, line) in enumerate(log) if _EPOCH_LINE.search(line)]
    if len(at) != epochs or at[0] == 0:
        raise SystemExit(f"ours: expected {epochs} epoch lines after a start line in its log")
    # The line before the first epoch line is logged just before setup begins.
    begin, cpu_begin = log[at[0] - 1][0] + raw["setup"], None
    windows = []
    for i in at:
        end, cpu_end = log[i][0], log[i][1]
        cpu = cpu_end - cpu_begin if cpu_begin is not None else None
        windows.append({"begin": begin, "end": end, "cpu": cpu})
        begin, cpu_begin = end, cpu_end
    return windows


def summarize(
    raw: dict[str, Any], epochs: int, n_fit: int, n_val: int, flops: dict[str, int], peak: float
) -> dict[str, Any]:
    """Per-epoch and one-off numbers of one run (the table's rows)."""
    med = statistics.median
    windows = _epoch_windows(raw, epochs)
    walls = [w["end"] - w["begin"] for w in windows]
    steady = list(range(1, epochs)) or [0]

    def inside(name: str, e: int) -> list[float]:
        w = windows[e]
        return [b - a for a, b in raw["calls"][name] if w["begin"] <= a < w["end"]]

    train_calls = [inside("train_function", e) for e in range(epochs)]
    per_epoch = -(-n_fit // BATCH)
    if any(len(c) != per_epoch for c in train_calls):
        raise SystemExit(f"{raw['kind']}: expected {per_epoch} training steps in every epoch")
    full = [
        t
        for e, c in enumerate(train_calls)
        for i, t in enumerate(c)
        if (e, i) != (0, 0) and (i < per_epoch - 1 or n_fit % BATCH == 0)
    ]
    step = med(full) if full else train_calls[0][0]
    epoch = med(walls[e] for e in steady)
    s: dict[str, Any] = {
        "epoch_s": epoch,
        "steps_s": med(sum(train_calls[e]) for e in steady),
        "val_s": med(sum(inside("test_function", e)) for e in steady),
        "step_ms": step * 1e3,
        "first_step_ms": train_calls[0][0] * 1e3,
        "first_epoch_extra_s": walls[0] - epoch if epochs > 1 else None,
        "step_gflops": BATCH * flops["training"] / step / 1e9,
        "epoch_gflops": (n_fit * flops["training"] + n_val * flops["forward"]) / epoch / 1e9,
        "epoch_walls": walls,
    }
    s["other_s"] = s["epoch_s"] - s["steps_s"] - s["val_s"]
    s["step_peak"], s["epoch_peak"] = s["step_gflops"] / peak, s["epoch_gflops"] / peak
    cpu = [windows[e]["cpu"] / walls[e] for e in steady if windows[e]["cpu"] is not None]
    s["cores_busy"] = med(cpu) if cpu else None
    s["end_to_end_s"] = raw["total"][1] - raw["total"][0]
    if raw["kind"] == "ours":
        s["setup_s"], s["evaluation_s"] = raw["setup"], raw["evaluation"]
        s["write_s"] = raw["total"][1] - windows[-1]["end"] - raw["evaluation"]
        s["checkpoint_s"] = med(walls[e] - raw["history_seconds"][e] for e in steady)
    else:
        s["setup_s"] = raw["prepare"] + (raw["fit"][1] - raw["fit"][0]) - sum(walls)
    return s


def one_off_share(setup: float, evaluation: float, first: float, epoch: float, n: int) -> float:
    """Share of setup + evaluation in a run of ``n`` epochs (the first, then steady ones)."""
    once = setup + evaluation
    return once / (once + first + (n - 1) * epoch)


def _stats(values: list[float]) -> dict[str, float] | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


# --- the report ----------------------------------------------------------------------------------

ROWS = (
    ("epoch_s", "seconds per steady epoch (with validation)", "{:.2f}", 1),
    ("steps_s", "  training steps", "{:.2f}", 1),
    ("val_s", "  validation", "{:.2f}", 1),
    ("other_s", "  rest: batching, checkpoint, fit bookkeeping", "{:.2f}", 1),
    ("checkpoint_s", "    of which checkpoint + log (ours)", "{:.3f}", 1),
    ("cores_busy", "CPU seconds per wall second (steady epochs)", "{:.2f}", 1),
    ("step_ms", "median training step (ms, full batch)", "{:.1f}", 1),
    ("first_step_ms", "first step, with tracing (ms)", "{:.0f}", 1),
    ("first_epoch_extra_s", "first epoch minus a steady one (s)", "{:.2f}", 1),
    ("step_gflops", "steps: GFLOP/s", "{:.1f}", 1),
    ("step_peak", "steps: share of peak (%)", "{:.1f}", 100),
    ("epoch_gflops", "whole epochs: GFLOP/s", "{:.1f}", 1),
    ("epoch_peak", "whole epochs: share of peak (%)", "{:.1f}", 100),
    ("setup_s", "once: setup before the first epoch (s)", "{:.2f}", 1),
    ("evaluation_s", "once: final evaluation (s)", "{:.2f}", 1),
    ("write_s", "once: write + read back the run (s)", "{:.2f}", 1),
    ("end_to_end_s", "end to end in the worker (s)", "{:.1f}", 1),
)


def _cell(st: dict[str, float] | None, fmt: str, scale: float) -> str:
    if st is None:
        return "-"
    m, lo, hi = (fmt.format(st[k] * scale) for k in ("median", "min", "max"))
    return m if lo == hi else f"{m} ({lo}–{hi})"


def report(result: dict[str, Any]) -> str:
    """The table (plain text) of a finished benchmark's ``result`` (the ``--json`` document)."""
    cfg, fl, peak = result["config"], result["flops_per_image"], result["peak"]
    kinds = [k for k in KINDS if k in result["kinds"]]
    lines = [
        f"{cfg['case']}: {cfg['subset']} training images ({cfg['n_fit']} fit, {cfg['n_val']} "
        f"validation), batch {BATCH}, {cfg['epochs']} epoch(s) per run, {cfg['pairs']} round(s); "
        f"{cfg['cpus']} CPUs, TF threads {cfg['threads_seen']} (0: TF chooses)",
        f"float32 matmul peak: {peak['gflops']:.1f} GFLOP/s (n = {peak['size']}; best "
        f"before/after the runs {peak['before']:.1f}/{peak['after']:.1f})",
        f"training FLOPs per image: {fl['training'] / 1e6:.2f} M = 3 × forward "
        f"{fl['forward'] / 1e6:.2f} M (convention: a conv/dense multiply-add is 2 FLOPs;",
        "  bias, activation, pooling, dropout, loss and optimizer are not counted; TF skips",
        f"  conv1's input gradient, {fl['skipped'] / fl['training']:.1%} of the training count)",
    ]
    if cfg["epochs"] == 1:
        lines.append("one epoch per run: that epoch, with tracing, stands in for a steady one")
    lines.append("")
    width = max(len(r[1]) for r in ROWS) + 2
    head = f"{'median (min–max) over runs':<{width}}" + "".join(f"{k:>24}" for k in kinds)
    lines += [head, "-" * len(head)]
    for key, label, fmt, scale in ROWS:
        cells = [_cell(result["kinds"][k].get(key), fmt, scale) for k in kinds]
        if any(c != "-" for c in cells):
            lines.append(f"{label:<{width}}" + "".join(f"{c:>24}" for c in cells))
    lines.append("")
    lines.append(
        "runs in order (s/steady epoch): "
        + ", ".join(f"{r['kind']} {r['summary']['epoch_s']:.2f}" for r in result["runs"])
    )
    for name, st in result["ratios"].items():
        lines.append(
            f"ours/{name} per round: {_cell(st, '{:.3f}', 1)} (steady epochs; {st['n']} round(s))"
        )
    lines += ["", f"{'target':<54}{'measured (min–max)':>26}{'required':>10}  result"]
    for t in result["targets"]:
        fmt = t["format"]
        got = "-"
        if t["measured"] is not None:
            lo, hi = (fmt.format(v) for v in t["spread"])
            got = fmt.format(t["measured"]) + ("" if lo == hi else f" ({lo}–{hi})")
        need = t["op"] + " " + fmt.format(t["required"]).replace(".0%", "%").replace(".000", "")
        lines.append(f"{t['name']:<54}{got:>26}{need:>10}  {t['result']}")
    return "\n".join(lines)


def targets(result: dict[str, Any], case: str, notes_epochs: int) -> list[dict[str, Any]]:
    """The issue's three targets, judged on the medians (the spread is shown with them)."""
    ours, ratio = result["kinds"]["ours"], result["ratios"].get("notes f64")

    def target(
        name: str, st: dict[str, Any] | None, op: str, required: float, fmt: str
    ) -> dict[str, Any]:
        measured = st["median"] if st else None
        if measured is None:
            verdict = "n/a"
        else:
            ok = measured <= required if op == "≤" else measured >= required
            verdict = "pass" if ok else "FAIL"
        return {
            "name": name,
            "measured": measured,
            "spread": [st["min"], st["max"]] if st else None,
            "op": op,
            "required": required,
            "format": fmt,
            "result": verdict,
        }

    step = target(
        "steps: ours' median step, share of peak",
        ours["step_peak"],
        "≥",
        TARGET_STEP_SHARE,
        "{:.1%}",
    )
    if case != "baseline":
        step["result"] = "n/a (stated for the baseline)"
    return [
        target(
            "whole epochs: ours/notes f64, median over the rounds",
            ratio if ratio and ratio["n"] else None,
            "≤",
            TARGET_EPOCH_RATIO,
            "{:.3f}",
        ),
        step,
        target(
            f"one-off: (setup + evaluation) / {notes_epochs}-epoch run",
            ours.get("one_off_share"),
            "≤",
            TARGET_ONE_OFF_SHARE,
            "{:.1%}",
        ),
    ]


# --- main ----------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", default=os.environ.get("CNNNOTES_CIFAR10") or None)
    p.add_argument("--pairs", type=int, default=3, help="rounds of every kind (default 3)")
    p.add_argument("--epochs", type=int, default=3, help="epochs per run (default 3)")
    p.add_argument("--subset", type=int, default=50000, help="first N training images")
    p.add_argument("--case", default="baseline", help="the case to train (default baseline)")
    p.add_argument("--threads", type=int, default=0, help="TF intra/inter-op threads (0: default)")
    p.add_argument(
        "--matmul",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[1024, 2048, 4096],
        help="matrix sizes of the peak measurement (default 1024,2048,4096)",
    )
    p.add_argument("--skip-float32", action="store_true", help="leave out the notes f32 runs")
    p.add_argument("--json", metavar="FILE", help="also write the numbers and raw timings here")
    p.add_argument("--worker", choices=(*KINDS, "peak"), help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    return p


def _run_worker(args: argparse.Namespace, kind: str, tmp: Path, i: int) -> dict[str, Any]:
    out = tmp / f"run-{i}.json"
    cmd = [sys.executable, __file__, "--worker", kind, "--out", str(out), "--case", args.case]
    cmd += ["--store", str(tmp / f"store-{i}"), "--source", args.source]
    cmd += [f"--epochs={args.epochs}", f"--subset={args.subset}", f"--threads={args.threads}"]
    cmd += ["--matmul=" + ",".join(map(str, args.matmul))]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


def _peak(raw: dict[str, Any]) -> tuple[float, int]:
    return max((max(v), int(n)) for n, v in raw["gflops"].items())


def main(argv: list[str] | None = None) -> int:
    """Run the peak and the alternating training workers and print the table (or be a worker)."""
    p = _parser()
    args = p.parse_args(argv)
    if not args.source:
        print(
            "bench_train.py: error: no CIFAR-10 source: pass --source PATH or set CNNNOTES_CIFAR10",
            file=sys.stderr,
        )
        return 2
    for name in ("pairs", "epochs"):
        if getattr(args, name) < 1:
            p.error(f"--{name}: {getattr(args, name)} < 1")
    if args.threads < 0 or min(args.matmul) < 1:
        p.error("--threads and --matmul take numbers >= 0 and >= 1")
    if args.subset < 10:
        p.error(f"--subset: {args.subset} < 10 leaves no validation images")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.worker:
        Path(args.out).write_text(json.dumps(_worker(args)))
        return 0

    from cnnnotes.experiments.runs.cases import NOTES, get_case

    case = get_case(args.case)
    if (NOTES.batch_size, NOTES.validation_split) != (BATCH, VALIDATION_SPLIT):
        p.error("the notes profile no longer trains like the notes' script (batch, split)")
    kinds = [k for k in KINDS if not (args.skip_float32 and k == "notes f32")]
    with tempfile.TemporaryDirectory(prefix="cnnnotes-bench-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["CNNNOTES_CACHE_DIR"] = str(tmp / "cache")  # never the user cache
        os.environ["KERAS_HOME"] = str(tmp / "keras")  # nor ~/.keras
        from cnnnotes.data import load_cifar10, user_cache_dir

        t0 = now()
        data = load_cifar10(args.source or "keras", cache_dir=user_cache_dir(os.environ))
        if args.subset > len(data.x_train):
            p.error(f"--subset: {args.subset} > {len(data.x_train)} training images")
        n_fit = int(args.subset * (1.0 - VALIDATION_SPLIT))
        progress = sys.stderr
        print(f"data {data.info.source_name} decoded in {now() - t0:.1f} s", file=progress)
        before = _run_worker(args, "peak", tmp, 0)
        print(f"peak before: {_peak(before)[0]:.1f} GFLOP/s", file=progress)
        raws: list[dict[str, Any]] = []
        for r in range(args.pairs):
            for kind in kinds if r % 2 == 0 else kinds[::-1]:
                raws.append({"round": r, **_run_worker(args, kind, tmp, len(raws) + 1)})
                wall = raws[-1]["total"][1] - raws[-1]["total"][0]
                print(f"  round {r + 1}: {kind:<9} {wall:.1f} s end to end", file=progress)
        after = _run_worker(args, "peak", tmp, len(raws) + 1)
    (peak, size), peak_after = max(_peak(before), _peak(after)), _peak(after)[0]
    flops = flops_per_image(case)
    runs = [
        {
            "kind": raw["kind"],
            "round": raw["round"],
            "summary": summarize(raw, args.epochs, n_fit, args.subset - n_fit, flops, peak),
            "raw": raw,
        }
        for raw in raws
    ]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        mine = [r["summary"] for r in runs if r["kind"] == kind]
        by_kind[kind] = {key: _stats([s.get(key) for s in mine]) for key, *_ in ROWS}
    ours = [r["summary"] for r in runs if r["kind"] == "ours"]
    by_kind["ours"]["one_off_share"] = _stats(
        [
            one_off_share(
                s["setup_s"],
                s["evaluation_s"],
                s["epoch_walls"][0],
                s["epoch_s"],
                NOTES.epochs,
            )
            for s in ours
        ]
    )
    ratios = {}
    for kind in kinds[1:]:
        per_round = [
            o["summary"]["epoch_s"] / n["summary"]["epoch_s"]
            for o in runs
            for n in runs
            if (o["kind"], n["kind"]) == ("ours", kind) and o["round"] == n["round"]
        ]
        ratios[kind] = {**(_stats(per_round) or {}), "n": len(per_round), "values": per_round}
    result: dict[str, Any] = {
        "config": {
            "case": args.case,
            "subset": args.subset,
            "n_fit": n_fit,
            "n_val": args.subset - n_fit,
            "epochs": args.epochs,
            "pairs": args.pairs,
            "cpus": os.cpu_count(),
            "threads": args.threads,
            "threads_seen": ", ".join(
                f"intra {a}/inter {b}"
                for a, b in sorted({tuple(r["raw"]["threads"]) for r in runs})
            ),
            "dataset": data.info.source_name,
        },
        "peak": {
            "gflops": peak,
            "size": size,
            "before": _peak(before)[0],
            "after": peak_after,
            "raw": {"before": before, "after": after},
        },
        "flops_per_image": flops,
        "kinds": by_kind,
        "ratios": ratios,
        "runs": runs,
    }
    result["targets"] = targets(result, args.case, NOTES.epochs)
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
