"""Training runs: store lookup, locking, checkpoints, progress and publishing around the numerics.

:func:`train` looks a run up in the store (:mod:`cnnnotes.experiments.runs.store`) by its key and
returns it when it is finished; otherwise it trains under a per-key lock, resuming
from the last complete checkpoint, one continuous loop of
:func:`cnnnotes.experiments.training.numerics.train_epoch`. A checkpoint, written after
every epoch, holds the variables
:func:`cnnnotes.experiments.training.numerics.state_variables` names and the history so
far, so a run killed at any point resumes to the same numbers.
:func:`train_runs` is what ``cnnnotes train`` does: plan the runs that are not
fresh, refuse to replace a committed run of other settings or data unless asked,
train, and publish each finished run to ``results/``.

Nothing here enters a run's key: messages, timing, file handling and the order of
runs can change freely. TensorFlow is imported by the numerics only.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from filelock import Timeout

from cnnnotes.data import Cifar10, user_cache_dir
from cnnnotes.experiments.runs.cases import Case, CaseError, Profile
from cnnnotes.experiments.runs.folder import (
    checkpoint_path,
    checkpoint_paths,
    encode_outputs,
    has_record,
)
from cnnnotes.experiments.runs.provenance import claims_digest, environment
from cnnnotes.experiments.runs.record import (
    HISTORY_KEYS,
    Hardware,
    Provenance,
    ResultsError,
    RunRecord,
    RunResult,
)
from cnnnotes.experiments.runs.status import RunStatus, status
from cnnnotes.experiments.runs.store import (
    clear_finished,
    entry_dir,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)
from cnnnotes.experiments.training import numerics
from cnnnotes.files import atomic_write_bytes, lock, npz_bytes

__all__ = ["Planned", "plan", "train", "train_runs"]

Log = Callable[[str], None]
_KEEP_CHECKPOINTS = 2


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


# --- checkpoints ---------------------------------------------------------------------------------


def _tail(path: str) -> str:
    """A variable path without its first part, which Keras numbers per process (``adam_1/``)."""
    return path.split("/", 1)[-1]


def _save_checkpoint(entry: Path, model: Any, meta: dict[str, Any]) -> None:
    groups = numerics.state_variables(model)
    arrays = {
        f"{group}/{i:03d}": v.numpy() for group, vs in groups.items() for i, v in enumerate(vs)
    }
    meta = {**meta, "variables": {g: [_tail(v.path) for v in vs] for g, vs in groups.items()}}
    members = {"meta": np.array(json.dumps(meta)), **arrays}
    atomic_write_bytes(checkpoint_path(entry, meta["epoch"]), npz_bytes(members, compress=False))
    for old in checkpoint_paths(entry)[:-_KEEP_CHECKPOINTS]:
        old.unlink(missing_ok=True)


def _restore(path: Path, key: str, model: Any) -> dict[str, Any]:
    """Load checkpoint ``path`` into ``model``; raise ValueError when it does not fit."""
    groups = numerics.state_variables(model)
    with np.load(path, allow_pickle=False) as npz:
        meta: dict[str, Any] = json.loads(str(npz["meta"]))  # an object: _save_checkpoint's
        if meta.get("key") != key:
            raise ValueError("checkpoint of another run")
        values = []
        for group, variables in groups.items():
            if meta["variables"][group] != [_tail(v.path) for v in variables]:
                raise ValueError(f"{group} variables differ")
            for i, v in enumerate(variables):
                value = npz[f"{group}/{i:03d}"]
                if tuple(value.shape) != tuple(v.shape):
                    raise ValueError(f"{v.path}: shape {value.shape} != {v.shape}")
                values.append((v, value))
    for v, value in values:
        v.assign(value)
    return meta


def _resume(entry: Path, key: str, model: Any, emit: Log, tag: str) -> dict[str, Any] | None:
    for path in reversed(checkpoint_paths(entry)):
        try:
            meta = _restore(path, key, model)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            emit(f"{tag} ignoring checkpoint {path.name}: {exc}")
            continue
        emit(f"{tag} resuming after epoch {meta['epoch']}")
        return meta
    return None


def _threads() -> dict[str, Any]:
    """TensorFlow's thread pools (0: its default, one per core) and OpenMP's setting."""
    import tensorflow as tf

    return {
        "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
    }


# --- one run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    case: Case
    profile: Profile
    seed: int
    data: Cifar10
    entry: Path
    key: str
    inputs: dict[str, Any]
    emit: Log
    tag: str


def _fit(job: _Job) -> tuple[RunRecord, dict[str, bytes]]:
    t0 = time.perf_counter()
    profile, bs = job.profile, job.profile.batch_size
    arrays = numerics.prepare(profile, job.data)
    model = numerics.start(job.case, job.seed)
    state = _resume(job.entry, job.key, model, job.emit, job.tag) or {
        "epoch": 0,
        "history": {k: [] for k in HISTORY_KEYS},
        "seconds": [],
        "cpu_seconds": [],
        "resumed": [],
    }
    if state["epoch"]:
        state["resumed"] = [*state["resumed"], state["epoch"]]
    setup = time.perf_counter() - t0
    first, started = state["epoch"], time.perf_counter()
    epochs = job.case.epochs_under(profile)
    for epoch in range(state["epoch"], epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        metrics = numerics.train_epoch(model, arrays, job.seed, epoch, bs)
        seconds = time.perf_counter() - t0
        state.setdefault("cpu_seconds", []).append(time.process_time() - c0)
        for k in HISTORY_KEYS:
            state["history"][k].append(metrics[k])
        state["seconds"].append(seconds)
        state["epoch"] = epoch + 1
        if epoch + 1 == profile.epochs < epochs:
            # a longer run is also evaluated at the notes' length; evaluation leaves the
            # weights, the optimizer and the dropout stream as they are
            state["at_profile"], _ = numerics.evaluate(model, arrays, bs)
        meta = {"key": job.key, "key_inputs": job.inputs, **state}
        _save_checkpoint(job.entry, model, meta)
        done = epoch + 1 - first
        eta = (time.perf_counter() - started) / done * (epochs - epoch - 1)
        shown = " ".join(f"{k} {metrics[k]:.4f}" for k in HISTORY_KEYS)
        job.emit(
            f"{job.tag} epoch {epoch + 1}/{epochs} {shown} {seconds:.1f}s ETA {_duration(eta)}"
        )
    t0 = time.perf_counter()
    final, probabilities = numerics.evaluate(model, arrays, bs)
    evaluation = time.perf_counter() - t0
    env = environment()
    provenance = Provenance(
        dataset=job.data.info,
        counts={
            "fit": len(arrays["x_fit"]),
            "validation": len(arrays["x_val"]),
            "test": len(arrays["x_test"]),
        },
        code=job.inputs["code"],
        versions=env["versions"],
        hardware=Hardware.from_dict(env["hardware"]),
        date=env["date"],
        wall_seconds=float(sum(state["seconds"]) + setup + evaluation),
        setup_seconds=setup,
        evaluation_seconds=evaluation,
        resumed_after_epochs=tuple(state["resumed"]),
        threads=_threads(),
        claims=claims_digest(),
    )
    history = state["history"]
    at_profile = {
        f"{k}_at_{profile.epochs}": float(v) for k, v in state.get("at_profile", {}).items()
    }
    record = RunRecord(
        case=job.case.name,
        profile=profile.name,
        seed=job.seed,
        key=job.key,
        key_inputs=job.inputs,
        epochs=epochs,
        metrics={
            **final,
            **at_profile,
            "val_loss": history["val_loss"][-1],
            "val_accuracy": history["val_accuracy"][-1],
        },
        param_count=int(model.count_params()),
        provenance=provenance,
    )
    weights = {
        f"{ly.name}/{w.name}": w.numpy() for ly in model.layers for w in ly.trainable_weights
    }
    timing = {"seconds": state["seconds"], "cpu_seconds": state.get("cpu_seconds", [])}
    outputs = encode_outputs({**history, **timing}, arrays["labels"], probabilities, weights)
    return record, outputs


def _train_locked(job: _Job) -> RunResult:
    done = read_finished(job.entry, job.key)
    if done is not None:
        job.emit(f"{job.tag} finished run {job.key[:12]} found in the store")
        return done
    if has_record(job.entry):
        job.emit(f"{job.tag} damaged finished run {job.key[:12]} ignored; rebuilding")
    clear_finished(job.entry)
    epochs = job.case.epochs_under(job.profile)
    job.emit(f"{job.tag} training run {job.key[:12]} ({epochs} epochs)")
    write_finished(job.entry, *_fit(job))
    run = read_finished(job.entry, job.key)
    if run is None:  # pragma: no cover - written just above
        raise ResultsError(f"store: run {job.key} unreadable right after writing it")
    job.emit(f"{job.tag} done: test accuracy {run.metrics['test_accuracy']:.4f}")
    return run


def train(
    case: Case,
    profile: Profile,
    data: Cifar10,
    *,
    seed: int | None = None,
    store: Path | None = None,
    log: Log | None = None,
) -> RunResult:
    """Train ``case`` under ``profile`` with ``seed`` on ``data``, or return the finished run.

    Parameters
    ----------
    case, profile
        What to train and how.
    data
        The dataset; its fingerprint is part of the run key.
    seed
        The run's seed (default: the profile's first planned seed for ``case``).
    store
        The run cache root (runs live in ``store/runs/<key>/``); default
        :func:`cnnnotes.data.user_cache_dir`.
    log
        Receives one line per event (epoch i/n, metrics, seconds, ETA); default stderr.

    Returns
    -------
    RunResult
        The finished run, read back from its cache folder (``run.path``).
    """
    seed = profile.planned_seeds(case.name)[0] if seed is None else int(seed)
    n = len(data.x_train[: profile.train_subset])
    if int(np.floor(n * (1.0 - profile.validation_split))) in (0, n):
        raise CaseError(
            f"profile {profile.name!r}.validation_split: {profile.validation_split} of "
            f"{n} training images leaves one side empty"
        )
    inputs = run_key_inputs(case, profile, seed, data.info.fingerprint)
    key = run_key(inputs)
    entry = entry_dir(Path(store) if store is not None else user_cache_dir(), key)
    tag = f"[{profile.name}/{case.name}/seed-{seed}]"
    job = _Job(case, profile, seed, data, entry, key, inputs, log or _stderr, tag)
    try:
        with lock(entry, timeout=0):
            return _train_locked(job)
    except Timeout:
        job.emit(f"{tag} waiting for another process that holds run {key[:12]}")
        with lock(entry):
            return _train_locked(job)


# --- many runs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A run ``cnnnotes train`` would train, with its committed state and an estimate."""

    case: Case
    seed: int
    state: RunStatus
    estimate_seconds: float | None


def _estimates(states: Iterable[RunStatus]) -> dict[str, float]:
    by_case: dict[str, list[float]] = {}
    for s in states:
        if s.wall_seconds is not None:
            by_case.setdefault(s.case, []).append(s.wall_seconds)
    return {case: float(np.median(v)) for case, v in by_case.items()}


def _seed_list(seeds: Iterable[int]) -> str:
    return ", ".join(map(str, seeds))


def plan(
    profile: Profile,
    cases: Sequence[Case],
    fingerprint: str,
    results_dir: Path,
    *,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
) -> list[Planned]:
    """The runs to train, seed by seed and case by case in the given order.

    A run is planned when its committed state is not ``fresh``. Without ``replace``, a
    committed run of another profile's settings or of other data is refused with one
    line saying what differs and how to proceed; a run whose case was edited, or that
    earlier training code made, is replaced (retraining it is the point).
    """
    wanted = None if seeds is None else {int(s) for s in seeds}
    unplanned = sorted(
        s for s in wanted or () if all(s not in profile.planned_seeds(c.name) for c in cases)
    )
    if unplanned:
        planned = ", ".join(f"{c.name} {_seed_list(profile.planned_seeds(c.name))}" for c in cases)
        raise CaseError(
            f"seed {_seed_list(unplanned)}: not planned by profile {profile.name!r} for these "
            f"cases (planned: {planned})"
        )
    states = status(profile, fingerprint, results_dir, cases)
    estimates = _estimates(states)
    chosen: list[Planned] = []
    by_run = {(s.case, s.seed): s for s in states}
    all_seeds = sorted({s.seed for s in states} | (wanted or set()))
    for seed in all_seeds:
        for case in cases:
            if wanted is not None and seed not in wanted:
                continue
            if seed not in profile.planned_seeds(case.name):
                continue  # --seed picks among the planned seeds (`clean` removes the others)
            state = by_run.get((case.name, seed)) or RunStatus(
                case.name, profile.name, seed, "missing"
            )
            if state.state == "fresh":
                continue
            refused = [r for r in state.reasons if r.startswith(("dataset", "profile"))]
            if refused and not replace:
                raise CaseError(
                    f"{profile.name}/{case.name}/seed-{seed}: the committed run differs "
                    f"({'; '.join(refused)}); pass --replace to overwrite it, "
                    "or --results DIR to train elsewhere"
                )
            chosen.append(Planned(case, seed, state, estimates.get(case.name)))
    return chosen


def train_runs(
    profile: Profile,
    cases: Sequence[Case],
    data: Cifar10,
    results_dir: Path,
    *,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
    store: Path | None = None,
    log: Log | None = None,
    before: Callable[[list[Planned]], None] | None = None,
) -> list[Path]:
    """Train the planned runs that are not fresh and publish each as it finishes.

    ``before`` is called once with the plan, after any refusal and before training
    (the CLI pins TensorFlow's threads there).

    Returns the published folders. See :func:`plan` for what is trained and refused.
    """
    emit = log or _stderr
    todo = plan(profile, cases, data.info.fingerprint, results_dir, seeds=seeds, replace=replace)
    if before is not None and todo:
        before(todo)
    published = []
    for i, job in enumerate(todo, 1):
        emit(
            f"[{i}/{len(todo)}] {profile.name}/{job.case.name}/seed-{job.seed} ({job.state.state})"
        )
        run = train(job.case, profile, data, seed=job.seed, store=store, log=emit)
        published.append(publish(run, results_dir, profile))
        emit(f"published {published[-1]}")
    return published
