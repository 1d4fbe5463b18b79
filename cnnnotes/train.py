"""Training a case: deterministic, checkpointed after every epoch, resumable exactly.

:func:`train` looks the run up in the store (:mod:`cnnnotes.store`) by its key and
returns it when it is finished; otherwise it trains under a per-key lock, resuming
from the last complete checkpoint. The data are prepared exactly as the notes do:
images ``/255``, one-hot labels, the **last** ``validation_split`` of the training
arrays held out as Keras does. Shuffling is ours: epoch ``e`` visits the training
images in the order ``default_rng([seed, e]).permutation(n)``, so a resumed run
sees the same batches as an uninterrupted one. A checkpoint holds the model
variables (with the dropout layer's seed-generator state), the optimizer
variables and the history so far.

TensorFlow is imported inside the functions that need it.
"""

from __future__ import annotations

import io
import json
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from filelock import Timeout

from cnnnotes.cache import atomic_write_bytes, lock
from cnnnotes.cases import Case, CaseError, Profile
from cnnnotes.data import Cifar10, cache_dir
from cnnnotes.model import NUM_CLASSES, build_model
from cnnnotes.provenance import environment
from cnnnotes.results import HISTORY_KEYS, RunResult
from cnnnotes.status import status
from cnnnotes.store import (
    clear_finished,
    encode_outputs,
    entry_dir,
    export_weights,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)

if TYPE_CHECKING:
    import keras

__all__ = ["Run", "export_weights", "publish", "status", "train"]

#: A finished run (read back from its cache folder).
Run = RunResult
Log = Callable[[str], None]
_KEEP_CHECKPOINTS = 2


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _arrays(profile: Profile, data: Cifar10) -> dict[str, np.ndarray]:
    """Subset, split (last part held out, as Keras) and scale the data."""
    x, y = data.x_train[: profile.train_subset], data.y_train[: profile.train_subset]
    split_at = int(np.floor(len(x) * (1.0 - profile.validation_split)))
    if split_at in (0, len(x)):
        raise CaseError(
            f"profile.validation_split: {profile.validation_split} of {len(x)} training images "
            "leaves one side empty"
        )
    x_test, y_test = data.x_test[: profile.test_subset], data.y_test[: profile.test_subset]

    def scale(images: np.ndarray) -> np.ndarray:
        return images.astype(np.float32) / np.float32(255.0)

    def one_hot(labels: np.ndarray) -> np.ndarray:
        return np.eye(NUM_CLASSES, dtype=np.float32)[labels]

    return {
        "x_fit": scale(x[:split_at]),
        "y_fit": one_hot(y[:split_at]),
        "x_val": scale(x[split_at:]),
        "y_val": one_hot(y[split_at:]),
        "x_test": scale(x_test),
        "y_test": one_hot(y_test),
        "labels": y_test.astype(np.uint8),
    }


def _checkpoint_path(entry: Path, epoch: int) -> Path:
    return entry / "checkpoints" / f"epoch-{epoch:04d}.npz"


def _tail(path: str) -> str:
    """A variable path without its first part, which Keras numbers per process (``adam_1/``)."""
    return path.split("/", 1)[-1]


def _save_checkpoint(entry: Path, key: str, model: keras.Model, state: dict[str, Any]) -> None:
    arrays = {f"model/{i:03d}": v.numpy() for i, v in enumerate(model.variables)}
    arrays |= {f"optimizer/{i:03d}": v.numpy() for i, v in enumerate(model.optimizer.variables)}
    meta = {
        "key": key,
        "model": [_tail(v.path) for v in model.variables],
        "optimizer": [_tail(v.path) for v in model.optimizer.variables],
        **state,
    }
    buf = io.BytesIO()
    np.savez(buf, meta=np.array(json.dumps(meta)), **arrays)
    epoch = state["epoch"]
    atomic_write_bytes(_checkpoint_path(entry, epoch), buf.getvalue())
    for old in sorted((entry / "checkpoints").glob("epoch-*.npz"))[:-_KEEP_CHECKPOINTS]:
        old.unlink(missing_ok=True)


def _restore(path: Path, key: str, model: keras.Model) -> dict[str, Any]:
    """Load checkpoint ``path`` into ``model``; raise ValueError when it does not fit."""
    with np.load(path, allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
        groups = (("model", model.variables), ("optimizer", model.optimizer.variables))
        if meta.get("key") != key:
            raise ValueError("checkpoint of another run")
        values = []
        for group, variables in groups:
            if meta[group] != [_tail(v.path) for v in variables]:
                raise ValueError(f"{group} variables differ")
            for i, v in enumerate(variables):
                value = npz[f"{group}/{i:03d}"]
                if tuple(value.shape) != tuple(v.shape):
                    raise ValueError(f"{v.path}: shape {value.shape} != {v.shape}")
                values.append((v, value))
    for v, value in values:
        v.assign(value)
    return meta


def _resume(entry: Path, key: str, model: keras.Model, emit: Log, tag: str) -> dict[str, Any]:
    for path in sorted((entry / "checkpoints").glob("epoch-*.npz"), reverse=True):
        try:
            meta = _restore(path, key, model)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            emit(f"{tag} ignoring checkpoint {path.name}: {exc}")
            continue
        emit(f"{tag} resuming after epoch {meta['epoch']}")
        return meta
    return {"epoch": 0, "history": {k: [] for k in HISTORY_KEYS}, "seconds": [], "resumed": []}


def _duration(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


def _fit(
    case: Case, profile: Profile, data: Cifar10, entry: Path, key: str, emit: Log, tag: str
) -> dict[str, Any]:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(profile.seed)
    tf.config.experimental.enable_op_determinism()
    a = _arrays(profile, data)
    model = build_model(case, seed=int(np.random.default_rng([profile.seed, 1]).integers(2**31)))
    model.optimizer.build(model.trainable_variables)
    state = _resume(entry, key, model, emit, tag)
    if state["epoch"]:
        state["resumed"] = [*state["resumed"], state["epoch"]]
    n, bs, first, started = len(a["x_fit"]), profile.batch_size, state["epoch"], time.perf_counter()
    for epoch in range(state["epoch"], profile.epochs):
        order = np.random.default_rng([profile.seed, epoch]).permutation(n)
        t0 = time.perf_counter()
        fitted = model.fit(
            a["x_fit"][order],
            a["y_fit"][order],
            batch_size=bs,
            epochs=epoch + 1,
            initial_epoch=epoch,
            shuffle=False,
            validation_data=(a["x_val"], a["y_val"]),
            verbose=0,
        )
        seconds = time.perf_counter() - t0
        for k in HISTORY_KEYS:
            state["history"][k].append(float(fitted.history[k][-1]))
        state["seconds"].append(seconds)
        state["epoch"] = epoch + 1
        _save_checkpoint(entry, key, model, state)
        eta = (time.perf_counter() - started) / (epoch + 1 - first) * (profile.epochs - epoch - 1)
        metrics = " ".join(f"{k} {state['history'][k][-1]:.4f}" for k in HISTORY_KEYS)
        emit(
            f"{tag} epoch {epoch + 1}/{profile.epochs} {metrics} "
            f"{seconds:.1f}s ETA {_duration(eta)}"
        )
    t0 = time.perf_counter()
    train_loss, train_acc = model.evaluate(a["x_fit"], a["y_fit"], batch_size=bs, verbose=0)
    test_loss, test_acc = model.evaluate(a["x_test"], a["y_test"], batch_size=bs, verbose=0)
    probabilities = model.predict(a["x_test"], batch_size=bs, verbose=0)
    state["eval_seconds"] = time.perf_counter() - t0
    return {
        "model": model,
        "state": state,
        "counts": {"fit": n, "validation": len(a["x_val"]), "test": len(a["x_test"])},
        "metrics": {
            "train_loss": float(train_loss),
            "train_accuracy": float(train_acc),
            "test_loss": float(test_loss),
            "test_accuracy": float(test_acc),
        },
        "labels": a["labels"],
        "probabilities": probabilities,
    }


def _finish(
    case: Case, profile: Profile, data: Cifar10, key: str, inputs: dict[str, Any], out: dict
) -> tuple[dict[str, Any], dict[str, bytes]]:
    model, state = out["model"], out["state"]
    provenance = {
        "dataset": data.info.to_dict(),
        "counts": out["counts"],
        "code": inputs["code"],
        **environment(),
        "wall_seconds": float(sum(state["seconds"]) + state["eval_seconds"]),
        "resumed_after_epochs": state["resumed"],
    }
    meta = {
        "case": case.name,
        "profile": profile.name,
        "key": key,
        "key_inputs": inputs,
        "epochs": profile.epochs,
        "metrics": out["metrics"],
        "param_count": int(model.count_params()),
        "provenance": provenance,
    }
    weights = {
        f"{ly.name}/{w.name}": w.numpy() for ly in model.layers for w in ly.trainable_weights
    }
    history = {**state["history"], "seconds": state["seconds"]}
    return meta, encode_outputs(history, out["labels"], out["probabilities"], weights)


def train(
    case: Case,
    profile: Profile,
    data: Cifar10,
    *,
    store: Path | None = None,
    log: Log | None = None,
) -> Run:
    """Train ``case`` under ``profile`` on ``data``, or return the finished run from the store.

    Parameters
    ----------
    case, profile
        What to train and how.
    data
        The dataset; its fingerprint is part of the run key.
    store
        The run cache root (runs live in ``store/runs/<key>/``); default
        :func:`cnnnotes.data.cache_dir`.
    log
        Receives one line per event (epoch i/n, metrics, seconds, ETA); default stderr.

    Returns
    -------
    Run
        The finished run, read back from its cache folder (``run.path``).
    """
    emit = log or _stderr
    inputs = run_key_inputs(case, profile, data.info.fingerprint)
    key = run_key(inputs)
    entry = entry_dir(Path(store) if store is not None else cache_dir(), key)
    tag = f"[{profile.name}/{case.name}]"
    try:
        with lock(entry, timeout=0):
            run = _train_locked(case, profile, data, entry, key, inputs, emit, tag)
    except Timeout:
        emit(f"{tag} waiting for another process that holds run {key[:12]}")
        with lock(entry):
            run = _train_locked(case, profile, data, entry, key, inputs, emit, tag)
    return run


def _train_locked(
    case: Case,
    profile: Profile,
    data: Cifar10,
    entry: Path,
    key: str,
    inputs: dict[str, Any],
    emit: Log,
    tag: str,
) -> Run:
    done = read_finished(entry, key)
    if done is not None:
        emit(f"{tag} finished run {key[:12]} found in the store")
        return done
    if (entry / "run.json").exists():
        emit(f"{tag} damaged finished run {key[:12]} ignored; rebuilding")
    clear_finished(entry)
    emit(f"{tag} training run {key[:12]} ({profile.epochs} epochs)")
    out = _fit(case, profile, data, entry, key, emit, tag)
    write_finished(entry, *_finish(case, profile, data, key, inputs, out))
    run = read_finished(entry, key)
    if run is None:  # pragma: no cover - written just above
        raise RuntimeError(f"store: run {key} unreadable right after writing it")
    emit(f"{tag} done: test accuracy {run.metrics['test_accuracy']:.4f}")
    return run
