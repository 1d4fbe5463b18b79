"""The run folder: written and read here, verified on every read, no TensorFlow.

A finished run is a folder (the same layout in the local run cache and under
``results/runs/<profile>/<case>/seed-<k>/``, where it is committed, like Quarto's
``_freeze/``)::

    run.json         key, key inputs, metrics, parameter count, provenance, and the
                     sha256 of every other file (written last)
    history.json     per-epoch loss, accuracy, val_loss, val_accuracy, seconds
    predictions.npz  labels and predicted (uint8) on the test images, and the softmax
                     probabilities (float16) where kept (:data:`PROBABILITIES`)
    weights.npz      layer-name/weight-name → arrays, where kept

Every read checks the folder against its record: each listed file exists and has
its sha256, the history holds ``epochs`` values per series, the recorded final
validation metrics are the history's last ones, and the recorded test accuracy is
the share of ``predicted == labels``, the record's epochs are its key's, and every
value of the history and the metrics is finite. Every file is read bounded and
confined (:mod:`cnnnotes.bounded`): a regular file, named by a plain name inside its
folder (links resolved), no larger than :data:`LIMITS` says, checked before reading.
A folder that fails is *corrupt*: the reader
raises :class:`CorruptRunError` with one line naming the file, and nothing is ever
published from it. The threat is accidental damage and inconsistent edits;
deliberate edits are git's to audit.

The record's types (:class:`~cnnnotes.experiments.runs.record.RunRecord`, its
provenance, :class:`~cnnnotes.experiments.runs.record.RunResult`) live in
:mod:`cnnnotes.experiments.runs.record`; this module is the only one that reads or
writes their files. A cache
entry of the run store is the same folder plus ``checkpoints/`` (:func:`checkpoint_path`).
Every path of the layout is built in this module only.

Figures read runs through :func:`load_run` / :func:`load_all` / :func:`load_seeds`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.bounded import MB, confined, npz_arrays, read_bounded
from cnnnotes.data.info import INFO_FILE, DatasetInfo
from cnnnotes.errors import PathError
from cnnnotes.experiments.runs.record import (
    FORMAT,
    HISTORY,
    HISTORY_KEYS,
    KERNELS,
    PREDICTIONS,
    RECORD,
    WEIGHTS,
    CorruptRunError,
    ResultsError,
    RunRecord,
    RunResult,
)
from cnnnotes.experiments.runs.runcheck import SEED_PREFIX, run_label
from cnnnotes.files import atomic_write_bytes, atomic_write_json, npz_bytes

__all__ = [
    "LIMITS",
    "checkpoint_path",
    "checkpoint_paths",
    "clear_run_dir",
    "dataset_info_path",
    "encode_outputs",
    "has_record",
    "load_all",
    "load_kernels",
    "load_run",
    "load_seeds",
    "load_weights",
    "predictions_bytes",
    "read_dataset_info",
    "read_record",
    "read_run_dir",
    "run_dir",
    "run_files",
    "run_label",
    "seed_dirs",
    "write_run_dir",
]

#: The most bytes each file of a run folder may hold (checked before reading it).
LIMITS = {
    RECORD: 1 * MB,
    HISTORY: 1 * MB,
    PREDICTIONS: 16 * MB,
    WEIGHTS: 256 * MB,
    KERNELS: 64 * MB,
}
#: The most bytes the arrays of one ``.npz`` may inflate to.
_INFLATED = 1024 * MB

_OUTPUTS = (HISTORY, PREDICTIONS, WEIGHTS, KERNELS)
_CHECKPOINTS, _CHECKPOINT_GLOB = "checkpoints", "epoch-*.npz"
_DATASET = "dataset"


def run_dir(results_dir: Path, profile: str, case: str, seed: int = 0) -> Path:
    """Where the committed run of ``case`` under ``profile`` with ``seed`` lives."""
    return Path(results_dir) / "runs" / profile / case / f"{SEED_PREFIX}{int(seed)}"


def seed_dirs(results_dir: Path, profile: str, case: str) -> dict[int, Path]:
    """The seed folders present for ``case`` under ``profile``, by seed."""
    base = Path(results_dir) / "runs" / profile / case
    found: dict[int, Path] = {}
    if base.is_dir():
        for child in base.iterdir():
            tail = child.name.removeprefix(SEED_PREFIX)
            if child.name.startswith(SEED_PREFIX) and tail.isdigit() and child.is_dir():
                found[int(tail)] = child
    return dict(sorted(found.items()))


def has_record(folder: Path) -> bool:
    """Whether ``folder`` holds a record (a finished run, intact or not)."""
    return (Path(folder) / RECORD).exists()


def checkpoint_path(folder: Path, epoch: int) -> Path:
    """Where a cache entry keeps its checkpoint after ``epoch``."""
    return Path(folder) / _CHECKPOINTS / f"epoch-{epoch:04d}.npz"


def checkpoint_paths(folder: Path) -> list[Path]:
    """A cache entry's checkpoints, oldest first."""
    return sorted((Path(folder) / _CHECKPOINTS).glob(_CHECKPOINT_GLOB))


def dataset_info_path(results_dir: Path) -> Path:
    """Where the committed dataset info lives (written with the excerpt)."""
    return Path(results_dir) / _DATASET / INFO_FILE


def read_dataset_info(results_dir: Path) -> DatasetInfo | None:
    """The committed dataset info of ``results_dir``, or None when missing or unreadable."""
    try:
        doc = json.loads(read_bounded(dataset_info_path(results_dir), MB, "an info.json"))
    except (PathError, ValueError):
        return None
    try:
        return DatasetInfo.from_dict(doc) if isinstance(doc, dict) else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# --- writing -------------------------------------------------------------------------------------


def encode_outputs(
    history: Mapping[str, list[float]],
    labels: np.ndarray,
    probabilities: np.ndarray,
    weights: Mapping[str, np.ndarray] | None,
    *,
    keep_probabilities: bool = True,
) -> dict[str, bytes]:
    """The bytes of a finished run's outputs, file name → bytes.

    Parameters
    ----------
    history
        Per-epoch ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` and ``seconds``.
    labels
        True test labels ``(N,)``.
    probabilities
        Softmax outputs on the test images ``(N, 10)``; ``predicted`` is their argmax
        (uint8), and they are stored as float16 when ``keep_probabilities``.
    weights
        Layer-name/weight-name → array, or None to keep no weights.
    """
    probabilities = np.asarray(probabilities)
    predictions = {
        "labels": np.asarray(labels, dtype=np.uint8),
        "predicted": probabilities.argmax(axis=1).astype(np.uint8),
    }
    if keep_probabilities:
        predictions["probabilities"] = probabilities.astype(np.float16)
    out = {
        HISTORY: (json.dumps(dict(history), indent=1) + "\n").encode(),
        PREDICTIONS: npz_bytes(predictions),
    }
    if weights is not None:
        out[WEIGHTS] = npz_bytes(weights)
    return out


def predictions_bytes(labels: np.ndarray, predicted: np.ndarray) -> bytes:
    """The bytes of a ``predictions.npz`` that keeps the labels and predicted labels only."""
    return npz_bytes({"labels": labels, "predicted": predicted})


def write_run_dir(
    folder: Path, record: RunRecord | Mapping[str, Any], outputs: Mapping[str, bytes]
) -> None:
    """Write a finished run into ``folder``: the old record removed first, ``outputs``, then
    ``run.json`` (``record`` with the format and every output's sha256) last.

    Readers therefore never pair new files with an old record; files of an earlier run
    that ``outputs`` does not replace are removed. ``record`` may be given as the
    mapping :meth:`RunRecord.to_dict` makes.
    """
    folder = Path(folder)
    if not isinstance(record, RunRecord):
        record = RunRecord.from_dict(record)
    unknown = set(outputs) - set(_OUTPUTS)
    if unknown:
        raise ValueError(f"outputs: {sorted(unknown)} are not files of a run folder")
    (folder / RECORD).unlink(missing_ok=True)
    for stale in _OUTPUTS:
        if stale not in outputs:
            (folder / stale).unlink(missing_ok=True)
    for name, data in outputs.items():
        atomic_write_bytes(folder / name, data)
    files = {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}
    atomic_write_json(folder / RECORD, {**record.to_dict(), "format": FORMAT, "files": files})


def clear_run_dir(folder: Path) -> None:
    """Remove a run's record (first) and outputs from ``folder``; checkpoints stay."""
    for name in (RECORD, *_OUTPUTS):
        (Path(folder) / name).unlink(missing_ok=True)


def run_files(folder: Path, record: RunRecord) -> dict[str, bytes]:
    """The bytes of the files ``record`` lists in ``folder``, by name (not verified)."""
    return {name: _read(Path(folder), name) for name in record.files}


# --- reading -------------------------------------------------------------------------------------


def _read(folder: Path, name: str, missing: str = " (listed in its run.json)") -> bytes:
    """The bytes of ``folder / name``: confined to ``folder``, a regular file, within its limit."""
    try:
        path = confined(folder, name)
    except PathError as exc:
        raise CorruptRunError(f"path: {folder / RECORD}: {exc}") from None
    if not os.path.lexists(path):
        cls = CorruptRunError if missing else ResultsError
        raise cls(f"path: {path} is missing{missing}")
    try:
        return read_bounded(path, LIMITS.get(name, 16 * MB), f"a {name}")
    except PathError as exc:
        if str(exc).startswith("permission denied"):
            raise ResultsError(str(exc)) from None
        raise CorruptRunError(f"path: {exc}") from None


def _load_json(folder: Path, name: str) -> Any:
    data = _read(folder, name, missing="")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise CorruptRunError(f"path: {folder / name} is unreadable ({exc})") from None


def _verified_bytes(folder: Path, name: str, sha: str) -> bytes:
    data = _read(folder, name)
    if hashlib.sha256(data).hexdigest() != sha:
        raise CorruptRunError(f"path: {folder / name} does not match the sha256 in its run.json")
    return data


def _npz_arrays(path: Path, data: bytes) -> dict[str, np.ndarray]:
    try:
        return npz_arrays(data, _INFLATED)
    except ValueError as exc:
        raise CorruptRunError(f"path: {path} is unreadable ({exc})") from None


def _check_key_and_values(
    record: RunRecord, history: Mapping[str, np.ndarray], where: Path
) -> None:
    """The record's epochs are its key's (the case's own, else the profile's); every history
    and metric value is finite."""
    keyed = None
    for part in ("case", "profile"):
        inputs = record.key_inputs.get(part)
        if keyed is None and isinstance(inputs, Mapping) and inputs.get("epochs") is not None:
            keyed, owner = inputs["epochs"], part
    if keyed is not None and record.epochs != keyed:
        raise CorruptRunError(
            f"path: {where} records {record.epochs} epochs, its key's {owner} {keyed}"
        )
    for series, values in history.items():
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise CorruptRunError(
                f"path: {where.parent / HISTORY}: {series} of epoch {bad[0] + 1} "
                f"is {values[bad[0]]}, not a finite number"
            )
    for name, value in record.metrics.items():
        if not math.isfinite(value):
            raise CorruptRunError(f"path: {where}: metric {name} is {value}, not a finite number")


def read_record(path: Path) -> RunRecord:
    """The record of the run folder ``path``, checked for format and completeness only.

    Raises
    ------
    ResultsError
        When ``run.json`` is missing or of another format.
    CorruptRunError
        When it is unreadable or incomplete.
    """
    where = Path(path) / RECORD
    meta = _load_json(Path(path), RECORD)
    try:
        if meta["format"] != FORMAT:
            raise ResultsError(f"path: {where} has format {meta['format']}, not {FORMAT}")
        if not isinstance(meta["files"], dict):
            raise TypeError("files is not a mapping")
        record = RunRecord.from_dict(meta)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptRunError(f"path: {where} is an incomplete run record ({exc!r})") from None
    for name in record.files:
        try:
            confined(Path(path), name)
        except PathError as exc:
            raise CorruptRunError(f"path: {where}: {exc}") from None
    return record


def read_run_dir(path: Path) -> RunResult:
    """Read the finished run in folder ``path`` and verify it against its record.

    Raises
    ------
    ResultsError
        When ``run.json`` is missing (the run did not finish) or unreadable.
    CorruptRunError
        When a listed file is missing or altered, or the record disagrees with the files
        (the message names the file).
    """
    path = Path(path)
    record = read_record(path)
    where = path / RECORD
    files, n_epochs, metrics = dict(record.files), record.epochs, record.metrics
    for required in (HISTORY, PREDICTIONS):
        if required not in files:
            raise CorruptRunError(f"path: {where} lists no {required}")
    blobs = {name: _verified_bytes(path, name, sha) for name, sha in files.items()}
    try:
        hist = json.loads(blobs[HISTORY])
        history = {k: np.asarray(hist[k], dtype=np.float64) for k in HISTORY_KEYS}
        seconds = np.asarray(hist["seconds"], dtype=np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise CorruptRunError(f"path: {path / HISTORY} is incomplete ({exc!r})") from None
    if any(a.shape != (n_epochs,) for a in (*history.values(), seconds)):
        raise CorruptRunError(f"path: {path / HISTORY} does not hold {n_epochs} epochs")
    _check_key_and_values(record, {**history, "seconds": seconds}, where)
    for k in ("val_loss", "val_accuracy"):
        if k in metrics and metrics[k] != history[k][-1]:
            raise CorruptRunError(
                f"path: {where} records {k} {metrics[k]}, its history ends at {history[k][-1]}"
            )
    arrays = _npz_arrays(path / PREDICTIONS, blobs[PREDICTIONS])
    try:
        labels, predicted = arrays["labels"], arrays["predicted"]
    except KeyError as exc:
        raise CorruptRunError(f"path: {path / PREDICTIONS} lacks {exc}") from None
    probabilities = arrays.get("probabilities")
    n_test = len(labels)
    if predicted.shape != (n_test,) or (
        probabilities is not None and probabilities.shape != (n_test, 10)
    ):
        raise CorruptRunError(f"path: {path / PREDICTIONS} has inconsistent array lengths")
    if "test_accuracy" in metrics and n_test:
        right = int(np.count_nonzero(predicted == labels))
        if round(metrics["test_accuracy"] * n_test) != right:
            raise CorruptRunError(
                f"path: {where} records test accuracy {metrics['test_accuracy']:.4f}, "
                f"its predictions give {right / n_test:.4f}"
            )
    return RunResult(
        record=record,
        history=history,
        epoch_seconds=seconds,
        labels=labels,
        predicted=predicted,
        probabilities=probabilities,
        path=path,
    )


def load_run(results_dir: Path, profile: str, case: str, seed: int = 0) -> RunResult:
    """The committed run of ``case`` under ``profile`` with ``seed`` in ``results_dir``.

    Raises
    ------
    ResultsError
        When the run is missing or corrupt (``cnnnotes status`` says why, ``cnnnotes
        train`` makes it).
    """
    run = read_run_dir(run_dir(results_dir, profile, case, seed))
    if (run.case, run.profile, run.seed) != (case, profile, seed):
        raise CorruptRunError(
            f"path: {run.path} holds {run.profile}/{run.case} seed {run.seed}, "
            f"expected {profile}/{case} seed {seed}"
        )
    return run


def _is_missing(results_dir: Path, profile: str, case: str, seed: int) -> bool:
    return not has_record(run_dir(results_dir, profile, case, seed))


def load_all(
    results_dir: Path, profile: str, cases: Iterable[str] | None = None, seed: int = 0
) -> dict[str, RunResult]:
    """Every committed run of ``profile`` with ``seed`` (or of ``cases`` only), by case name.

    Missing runs are left out; a corrupt run raises (it is never drawn from).
    """
    if cases is None:
        base = Path(results_dir) / "runs" / profile
        cases = sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    return {
        case: load_run(results_dir, profile, case, seed)
        for case in cases
        if not _is_missing(results_dir, profile, case, seed)
    }


def load_seeds(results_dir: Path, profile: str, case: str) -> dict[int, RunResult]:
    """Every committed seed of ``case`` under ``profile``, by seed (a corrupt one raises)."""
    return {
        seed: load_run(results_dir, profile, case, seed)
        for seed in seed_dirs(results_dir, profile, case)
        if not _is_missing(results_dir, profile, case, seed)
    }


def load_kernels(folder: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """A run folder's first-layer kernels ``(initial, trained)``, verified; None if it keeps none.

    Raises
    ------
    CorruptRunError
        When the file does not match its run.json or lacks an array.
    """
    folder = Path(folder)
    record = read_record(folder)
    if KERNELS not in record.files:
        return None
    arrays = _npz_arrays(folder / KERNELS, _verified_bytes(folder, KERNELS, record.files[KERNELS]))
    try:
        initial, trained = arrays["initial"], arrays["trained"]
    except KeyError as exc:
        raise CorruptRunError(f"path: {folder / KERNELS} lacks {exc}") from None
    if initial.shape != trained.shape or initial.ndim != 4:
        raise CorruptRunError(f"path: {folder / KERNELS} holds kernels of unlike shapes")
    return initial, trained


def load_weights(path: Path) -> dict[str, np.ndarray]:
    """Exported weights (``weights.npz``): ``{"conv1/kernel": (3, 3, 3, 32) float32, ...}``.

    ``path`` is the ``.npz`` file, or a run folder: then the file is verified against the
    folder's record first.
    """
    path = Path(path)
    if path.is_dir():
        run = read_run_dir(path)
        if not run.has_weights:
            raise ResultsError(f"path: {path} keeps no weights")
        return _npz_arrays(path / WEIGHTS, _verified_bytes(path, WEIGHTS, run.files[WEIGHTS]))
    return _npz_arrays(path, _read(path.parent, path.name, missing=""))
