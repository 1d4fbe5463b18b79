"""One training run: store lookup, locking, checkpoints and progress around the numerics.

:func:`train` looks a run up in the store (:mod:`cnnnotes.experiments.runs.store`) by its key and
returns it when it is finished; otherwise it trains under a per-key lock, resuming
from the last complete checkpoint, one continuous loop of
:func:`cnnnotes.experiments.training.numerics.train_epoch`. A checkpoint, written after
every epoch, holds the variables
:func:`cnnnotes.experiments.training.numerics.state_variables` names and the history so
far, so a run killed at any point resumes to the same numbers.
:func:`assemble_run` is the one place where a finished run's record and files are
put together. Both executors (:mod:`~cnnnotes.experiments.training.executors`) train
with :func:`train`; planning and publishing are
:mod:`~cnnnotes.experiments.training.orchestrate`'s.

Nothing here enters a run's key: messages, timing, file handling and the order of
runs can change freely. TensorFlow is imported by the numerics only.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
    run_label,
)
from cnnnotes.experiments.runs.provenance import claims_digest, environment
from cnnnotes.experiments.runs.record import (
    HISTORY_KEYS,
    Hardware,
    Provenance,
    ResultsError,
    RunRecord,
)
from cnnnotes.experiments.runs.store import (
    clear_finished,
    entry_dir,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)
from cnnnotes.experiments.training import numerics
from cnnnotes.experiments.training.reports import RunOutcome
from cnnnotes.files import atomic_write_bytes, lock, npz_bytes

__all__ = ["Log", "assemble_run", "stderr", "train"]

Log = Callable[[str], None]
_KEEP_CHECKPOINTS = 2


def stderr(line: str) -> None:
    """The default log of training: each line to standard error, at once."""
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


def _resume(job: _Job, model: Any) -> dict[str, Any] | None:
    emit, tag = job.emit, job.tag
    for path in reversed(checkpoint_paths(job.entry)):
        try:
            meta = _restore(path, job.key, model)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            job.ignored.append(f"checkpoint {path.name}: {exc}")
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
    ignored: list[str] = field(default_factory=list)


def _fit(job: _Job) -> tuple[RunRecord, dict[str, bytes]]:
    t0 = time.perf_counter()
    profile, bs = job.profile, job.profile.batch_size
    arrays = numerics.prepare(profile, job.data)
    model = numerics.start(job.case, job.seed)
    state = _resume(job, model) or {
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
    return assemble_run(job, model, arrays, state, final, probabilities, setup, evaluation)


def assemble_run(
    job: _Job,
    model: Any,
    arrays: dict[str, np.ndarray],
    state: dict[str, Any],
    final: dict[str, float],
    probabilities: np.ndarray,
    setup: float,
    evaluation: float,
) -> tuple[RunRecord, dict[str, bytes]]:
    """A finished run's record and files, from the trained model and its history.

    The one place where what a run keeps is decided: its record (``run.json``: key,
    metrics, parameter count, provenance) and its outputs (history with per-epoch
    seconds, predictions, probabilities, weights by layer name).
    """
    profile = job.profile
    epochs = job.case.epochs_under(profile)
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


def _train_locked(job: _Job) -> RunOutcome:
    started = time.perf_counter()
    done = read_finished(job.entry, job.key)
    if done is not None:
        job.emit(f"{job.tag} finished run {job.key[:12]} found in the store")
        return RunOutcome(done, trained=False)
    if has_record(job.entry):
        job.ignored.append(f"damaged finished run {job.key[:12]}")
        job.emit(f"{job.tag} damaged finished run {job.key[:12]} ignored; rebuilding")
    clear_finished(job.entry)
    epochs = job.case.epochs_under(job.profile)
    job.emit(f"{job.tag} training run {job.key[:12]} ({epochs} epochs)")
    write_finished(job.entry, *_fit(job))
    run = read_finished(job.entry, job.key)
    if run is None:  # pragma: no cover - written just above
        raise ResultsError(f"store: run {job.key} unreadable right after writing it")
    job.emit(f"{job.tag} done: test accuracy {run.metrics['test_accuracy']:.4f}")
    seconds = time.perf_counter() - started
    return RunOutcome(run, trained=True, ignored=tuple(job.ignored), seconds=seconds)


def train(
    case: Case,
    profile: Profile,
    data: Cifar10,
    *,
    seed: int | None = None,
    store: Path | None = None,
    log: Log | None = None,
) -> RunOutcome:
    """Train ``case`` under ``profile`` with ``seed`` on ``data``, or take the finished run.

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
    RunOutcome
        The finished run, read back from its cache folder (``outcome.run.path``), and
        whether it was trained now or found in the store.
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
    tag = f"[{run_label(profile.name, case.name, seed)}]"
    job = _Job(case, profile, seed, data, entry, key, inputs, log or stderr, tag)
    try:
        with lock(entry, timeout=0):
            return _train_locked(job)
    except Timeout:
        job.emit(f"{tag} waiting for another process that holds run {key[:12]}")
        with lock(entry):
            return _train_locked(job)
