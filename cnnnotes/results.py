"""Reading finished runs without TensorFlow: the committed ``results/`` folder and the run cache.

A finished run is a folder holding (the same layout in the local run cache and
under ``results/runs/<profile>/<case>/``, where it is committed, like Quarto's
``_freeze/``)::

    run.json         key, key inputs, metrics, parameter count, provenance (written last)
    history.json     per-epoch loss, accuracy, val_loss, val_accuracy, seconds
    predictions.npz  labels, predicted (uint8) and probabilities (float16) on the test images
    weights.npz      layer-name → arrays (in the cache always; committed for the baseline)

Figures read runs through :func:`load_run` / :func:`load_all`; nothing here imports
TensorFlow or needs the dataset.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.errors import CnnnotesError

__all__ = [
    "FORMAT",
    "HISTORY_KEYS",
    "ResultsError",
    "RunResult",
    "load_all",
    "load_run",
    "load_weights",
    "read_run_dir",
    "run_dir",
]

#: Version of the run folder layout.
FORMAT = 1
#: Per-epoch series recorded for every run (Keras' names).
HISTORY_KEYS: tuple[str, ...] = ("loss", "accuracy", "val_loss", "val_accuracy")


class ResultsError(CnnnotesError):
    """A run folder is missing, incomplete or corrupt; the message names the path."""


@dataclass(frozen=True, eq=False)
class RunResult:
    """A finished run, as read back from its folder.

    Attributes
    ----------
    case, profile
        Names of the case and profile.
    key
        The run key (sha256 hex of the key inputs).
    key_inputs
        ``{"case": {...}, "profile": {...}, "dataset": fingerprint, "code": code key}``.
    history
        Per-epoch float64 arrays, keys :data:`HISTORY_KEYS`.
    epoch_seconds
        Wall seconds of each epoch (training and validation).
    metrics
        ``train_loss``/``train_accuracy`` (training images, dropout off, after the last
        epoch) and ``test_loss``/``test_accuracy`` (all test images of the profile).
    param_count
        Number of model parameters.
    provenance
        Dataset, code hash, library versions, hardware, date, wall time (not key).
    labels, predicted
        True and predicted test labels, uint8 ``(N,)``.
    probabilities
        Softmax outputs on the test images, float16 ``(N, 10)``.
    path
        The folder it was read from.
    """

    case: str
    profile: str
    key: str
    key_inputs: dict[str, Any]
    history: dict[str, np.ndarray]
    epoch_seconds: np.ndarray
    metrics: dict[str, float]
    param_count: int
    provenance: dict[str, Any]
    labels: np.ndarray = field(repr=False)
    predicted: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    path: Path = field(repr=False)

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers 1..n (for x axes; the notes' ``range(len(acc))`` started at 0)."""
        return np.arange(1, len(self.history["loss"]) + 1)


def run_dir(results_dir: Path, profile: str, case: str) -> Path:
    """Where the committed run of ``case`` under ``profile`` lives."""
    return Path(results_dir) / "runs" / profile / case


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"path: {path} is missing") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ResultsError(f"path: {path} is unreadable ({exc})") from None


def _load_npz(path: Path, names: Iterable[str]) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in names}
    except FileNotFoundError:
        raise ResultsError(f"path: {path} is missing") from None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ResultsError(f"path: {path} is unreadable ({exc})") from None


def read_run_dir(path: Path) -> RunResult:
    """Read and check the finished run in folder ``path``.

    Raises
    ------
    ResultsError
        When ``run.json`` is missing (the run did not finish) or any file is
        unreadable or inconsistent with the others.
    """
    path = Path(path)
    meta = _load_json(path / "run.json")
    hist = _load_json(path / "history.json")
    try:
        if meta["format"] != FORMAT:
            raise ResultsError(f"path: {path}/run.json has format {meta['format']}, not {FORMAT}")
        history = {k: np.asarray(hist[k], dtype=np.float64) for k in HISTORY_KEYS}
        seconds = np.asarray(hist["seconds"], dtype=np.float64)
        n_epochs = int(meta["epochs"])
        metrics = {k: float(v) for k, v in meta["metrics"].items()}
        result_meta = (meta["case"], meta["profile"], meta["key"], meta["key_inputs"])
        param_count, provenance = int(meta["param_count"]), dict(meta["provenance"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"path: {path} has an incomplete run record ({exc!r})") from None
    if any(len(a) != n_epochs for a in (*history.values(), seconds)):
        raise ResultsError(f"path: {path}/history.json does not hold {n_epochs} epochs")
    arrays = _load_npz(path / "predictions.npz", ("labels", "predicted", "probabilities"))
    n_test = len(arrays["labels"])
    if len(arrays["predicted"]) != n_test or arrays["probabilities"].shape != (n_test, 10):
        raise ResultsError(f"path: {path}/predictions.npz has inconsistent array lengths")
    case, profile, key, key_inputs = result_meta
    return RunResult(
        case=case,
        profile=profile,
        key=key,
        key_inputs=key_inputs,
        history=history,
        epoch_seconds=seconds,
        metrics=metrics,
        param_count=param_count,
        provenance=provenance,
        labels=arrays["labels"],
        predicted=arrays["predicted"],
        probabilities=arrays["probabilities"],
        path=path,
    )


def load_run(results_dir: Path, profile: str, case: str) -> RunResult:
    """The committed run of ``case`` under ``profile`` in ``results_dir``.

    Raises
    ------
    ResultsError
        When the run is missing or corrupt (``cnnnotes status`` says why, ``cnnnotes
        train`` makes it).
    """
    run = read_run_dir(run_dir(results_dir, profile, case))
    if run.case != case or run.profile != profile:
        raise ResultsError(
            f"case: {run.path} holds {run.profile}/{run.case}, expected {profile}/{case}"
        )
    return run


def load_all(
    results_dir: Path, profile: str, cases: Iterable[str] | None = None
) -> dict[str, RunResult]:
    """Every readable committed run of ``profile`` (or of ``cases`` only), by case name.

    Missing or corrupt runs are left out; use :func:`load_run` to get the reason.
    """
    if cases is None:
        base = Path(results_dir) / "runs" / profile
        cases = sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    out: dict[str, RunResult] = {}
    for case in cases:
        try:
            out[case] = load_run(results_dir, profile, case)
        except ResultsError:
            continue
    return out


def load_weights(path: Path) -> dict[str, np.ndarray]:
    """Exported weights (``weights.npz``): ``{"conv1/kernel": (3, 3, 3, 32) float32, ...}``.

    ``path`` is the ``.npz`` file or a run folder holding ``weights.npz``.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "weights.npz"
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except FileNotFoundError:
        raise ResultsError(f"path: {path} is missing") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ResultsError(f"path: {path} is unreadable ({exc})") from None
