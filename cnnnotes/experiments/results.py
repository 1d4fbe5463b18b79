"""The run folder: its one format, written and read here, verified on every read, no TensorFlow.

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
the share of ``predicted == labels``. A folder that fails is *corrupt*: the reader
raises :class:`CorruptRunError` with one line naming the file, and nothing is ever
published from it. The threat is accidental damage and inconsistent edits;
deliberate edits are git's to audit.

Figures read runs through :func:`load_run` / :func:`load_all` / :func:`load_seeds`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.files import atomic_write_bytes, atomic_write_json
from cnnnotes.errors import CnnnotesError

__all__ = [
    "FORMAT",
    "HISTORY",
    "HISTORY_KEYS",
    "PREDICTIONS",
    "RECORD",
    "WEIGHTS",
    "CorruptRunError",
    "ResultsError",
    "RunResult",
    "encode_outputs",
    "load_all",
    "load_run",
    "load_seeds",
    "load_weights",
    "npz_bytes",
    "read_run_dir",
    "run_dir",
    "seed_dirs",
    "write_run_dir",
]

#: Version of the run folder layout (2: one folder per seed, files verified on read).
FORMAT = 2
#: Per-epoch series recorded for every run (Keras' names).
HISTORY_KEYS: tuple[str, ...] = ("loss", "accuracy", "val_loss", "val_accuracy")
RECORD, HISTORY, PREDICTIONS, WEIGHTS = "run.json", "history.json", "predictions.npz", "weights.npz"
_SEED_PREFIX = "seed-"


class ResultsError(CnnnotesError):
    """A run folder is missing, incomplete or corrupt; the message names the path."""


class CorruptRunError(ResultsError):
    """A run folder disagrees with its record (a file missing, altered or inconsistent)."""


@dataclass(frozen=True, eq=False)
class RunResult:
    """A finished run, as read back (and verified) from its folder.

    Attributes
    ----------
    case, profile
        Names of the case and profile.
    seed
        The run's seed.
    key
        The run key (sha256 hex of the key inputs).
    key_inputs
        ``{"case": {...}, "profile": {...}, "seed": k, "dataset": fingerprint, "code": key}``.
    history
        Per-epoch float64 arrays, keys :data:`HISTORY_KEYS`.
    epoch_seconds
        Wall seconds of each epoch (training and validation).
    metrics
        ``train_loss``/``train_accuracy`` (training images, dropout off, after the last
        epoch), ``val_loss``/``val_accuracy`` (after the last epoch) and
        ``test_loss``/``test_accuracy`` (all test images of the profile).
    param_count
        Number of model parameters.
    provenance
        Dataset, code hash, library versions, hardware, date, wall time (not key).
    labels, predicted
        True and predicted test labels, uint8 ``(N,)``.
    probabilities
        Softmax outputs on the test images, float16 ``(N, 10)``; None where not kept.
    path
        The folder it was read from.
    files
        The files the record lists (name → sha256).
    """

    case: str
    profile: str
    seed: int
    key: str
    key_inputs: dict[str, Any]
    history: dict[str, np.ndarray]
    epoch_seconds: np.ndarray
    metrics: dict[str, float]
    param_count: int
    provenance: dict[str, Any]
    labels: np.ndarray = field(repr=False)
    predicted: np.ndarray = field(repr=False)
    probabilities: np.ndarray | None = field(repr=False)
    path: Path = field(repr=False)
    files: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers 1..n (for x axes; the notes' ``range(len(acc))`` started at 0)."""
        return np.arange(1, len(self.history["loss"]) + 1)

    @property
    def has_weights(self) -> bool:
        """Whether the folder holds the trained weights."""
        return WEIGHTS in self.files


def run_dir(results_dir: Path, profile: str, case: str, seed: int = 0) -> Path:
    """Where the committed run of ``case`` under ``profile`` with ``seed`` lives."""
    return Path(results_dir) / "runs" / profile / case / f"{_SEED_PREFIX}{int(seed)}"


def seed_dirs(results_dir: Path, profile: str, case: str) -> dict[int, Path]:
    """The seed folders present for ``case`` under ``profile``, by seed."""
    base = Path(results_dir) / "runs" / profile / case
    found: dict[int, Path] = {}
    if base.is_dir():
        for child in base.iterdir():
            tail = child.name.removeprefix(_SEED_PREFIX)
            if child.name.startswith(_SEED_PREFIX) and tail.isdigit() and child.is_dir():
                found[int(tail)] = child
    return dict(sorted(found.items()))


# --- writing -------------------------------------------------------------------------------------


def npz_bytes(**arrays: np.ndarray) -> bytes:
    """The bytes of a compressed ``.npz`` holding ``arrays`` (the one npz writer of runs)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


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
        PREDICTIONS: npz_bytes(**predictions),
    }
    if weights is not None:
        out[WEIGHTS] = npz_bytes(**weights)
    return out


def write_run_dir(folder: Path, meta: Mapping[str, Any], outputs: Mapping[str, bytes]) -> None:
    """Write a finished run into ``folder``: the old record removed first, ``outputs``, then
    ``run.json`` (with the format and every output's sha256) last.

    Readers therefore never pair new files with an old record; files of an earlier run
    that ``outputs`` does not replace are removed.
    """
    folder = Path(folder)
    (folder / RECORD).unlink(missing_ok=True)
    for stale in (HISTORY, PREDICTIONS, WEIGHTS):
        if stale not in outputs:
            (folder / stale).unlink(missing_ok=True)
    for name, data in outputs.items():
        atomic_write_bytes(folder / name, data)
    files = {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}
    atomic_write_json(folder / RECORD, {**meta, "format": FORMAT, "files": files})


# --- reading -------------------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"path: {path} is missing") from None
    except PermissionError:
        raise ResultsError(f"permission denied: {path}") from None
    except (OSError, ValueError) as exc:
        raise CorruptRunError(f"path: {path} is unreadable ({exc})") from None


def _verified_bytes(folder: Path, name: str, sha: str) -> bytes:
    path = folder / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorruptRunError(f"path: {path} is missing (listed in its run.json)") from None
    except PermissionError:
        raise ResultsError(f"permission denied: {path}") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise CorruptRunError(f"path: {path} does not match the sha256 in its run.json")
    return data


def _npz_arrays(path: Path, data: bytes) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise CorruptRunError(f"path: {path} is unreadable ({exc})") from None


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
    meta = _load_json(path / RECORD)
    where = path / RECORD
    try:
        if meta["format"] != FORMAT:
            raise ResultsError(f"path: {where} has format {meta['format']}, not {FORMAT}")
        files = {str(k): str(v) for k, v in dict(meta["files"]).items()}
        n_epochs = int(meta["epochs"])
        metrics = {k: float(v) for k, v in meta["metrics"].items()}
        case, profile, key = str(meta["case"]), str(meta["profile"]), str(meta["key"])
        key_inputs, seed = dict(meta["key_inputs"]), int(meta["key_inputs"]["seed"])
        param_count, provenance = int(meta["param_count"]), dict(meta["provenance"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptRunError(f"path: {where} is an incomplete run record ({exc!r})") from None
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
        case=case,
        profile=profile,
        seed=seed,
        key=key,
        key_inputs=key_inputs,
        history=history,
        epoch_seconds=seconds,
        metrics=metrics,
        param_count=param_count,
        provenance=provenance,
        labels=labels,
        predicted=predicted,
        probabilities=probabilities,
        path=path,
        files=files,
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
    return not (run_dir(results_dir, profile, case, seed) / RECORD).exists()


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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ResultsError(f"path: {path} is missing") from None
    except OSError as exc:
        raise ResultsError(f"path: {path} is unreadable ({exc})") from None
    return _npz_arrays(path, data)
