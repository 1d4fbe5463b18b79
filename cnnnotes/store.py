"""The run store (tier 1): honest keys, finished entries, publishing — no TensorFlow.

A run's key is the sha256 of its *key inputs*: the case's hyper-parameters, the
profile's settings (seed included), the dataset fingerprint and the normalised
source of the training code (comments and docstrings don't count). Library
versions, hardware and times are provenance: ``cnnnotes status`` warns about them
but never calls a run stale for them.

The local cache holds ``<store>/runs/<key>/`` (finished outputs, checkpoints,
weights); :func:`publish` copies a finished run's small outputs into the committed
``results/runs/<profile>/<case>/``. ``run.json`` is always written last, so a
folder without it is never read as a finished run. :mod:`cnnnotes.status` compares
committed runs with the current keys.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.cache import atomic_write_bytes, atomic_write_json, lock, read_json
from cnnnotes.cases import Case, Profile
from cnnnotes.codehash import digest, function_code_key, module_code_key
from cnnnotes.results import FORMAT, ResultsError, RunResult, read_run_dir, run_dir

__all__ = [
    "COMMITTED_WEIGHTS",
    "TRAINING_MODULES",
    "clear_finished",
    "encode_outputs",
    "entry_dir",
    "export_weights",
    "publish",
    "read_finished",
    "run_key",
    "run_key_inputs",
    "training_code_key",
    "write_finished",
]

#: Modules whose normalised source is part of every run key (with the Case/Profile classes).
TRAINING_MODULES: tuple[str, ...] = ("cnnnotes.model", "cnnnotes.train")
#: Cases whose trained weights are committed with their run (pages run their first layers).
COMMITTED_WEIGHTS: tuple[str, ...] = ("baseline",)
_KEY_VERSION = "cnnnotes-run-v1"
_OUTPUTS: tuple[str, ...] = ("history.json", "predictions.npz", "weights.npz")


def training_code_key(modules: Iterable[str] = TRAINING_MODULES) -> str:
    """Hash of the training code: the Case and Profile classes plus ``modules``, normalised.

    The case *table* is not part of it (its values enter the key as case fields), so
    editing one case makes exactly one run stale.
    """
    return digest(
        function_code_key(Case), function_code_key(Profile), module_code_key(list(modules))
    )


def run_key_inputs(
    case: Case, profile: Profile, fingerprint: str, code: str | None = None
) -> dict[str, Any]:
    """The key inputs of a run (``code`` defaults to :func:`training_code_key`)."""
    return {
        "case": case.hyperparameters(),
        "profile": profile.settings(),
        "dataset": fingerprint,
        "code": code if code is not None else training_code_key(),
    }


def run_key(inputs: Mapping[str, Any]) -> str:
    """The run key: sha256 hex of the canonical JSON of the key inputs."""
    return digest(_KEY_VERSION, json.dumps(inputs, sort_keys=True, separators=(",", ":")))


def entry_dir(store: Path, key: str) -> Path:
    """The cache folder of run ``key`` in ``store``."""
    return Path(store) / "runs" / key


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def encode_outputs(
    history: Mapping[str, list[float]],
    labels: np.ndarray,
    probabilities: np.ndarray,
    weights: Mapping[str, np.ndarray],
) -> dict[str, bytes]:
    """The bytes of a finished run's outputs, file name → bytes (see :mod:`cnnnotes.results`).

    Parameters
    ----------
    history
        Per-epoch ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` and ``seconds``.
    labels
        True test labels ``(N,)``.
    probabilities
        Softmax outputs on the test images ``(N, 10)``; stored as float16 with their
        argmax as uint8 ``predicted`` labels.
    weights
        Layer-name/weight-name → array.
    """
    probabilities = np.asarray(probabilities)
    return {
        "history.json": (json.dumps(dict(history), indent=1) + "\n").encode(),
        "predictions.npz": _npz(
            labels=np.asarray(labels, dtype=np.uint8),
            predicted=probabilities.argmax(axis=1).astype(np.uint8),
            probabilities=probabilities.astype(np.float16),
        ),
        "weights.npz": _npz(**weights),
    }


def write_finished(entry: Path, meta: dict[str, Any], outputs: Mapping[str, bytes]) -> None:
    """Write a finished run: ``outputs`` (file name → bytes) first, ``run.json`` last.

    ``run.json`` records the sha256 of every output so a damaged entry is detected.
    """
    for name, data in outputs.items():
        atomic_write_bytes(entry / name, data)
    files = {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}
    atomic_write_json(entry / "run.json", {**meta, "format": FORMAT, "files": files})


def read_finished(entry: Path, key: str) -> RunResult | None:
    """The finished run in ``entry`` if it is complete, intact and of ``key``; else None."""
    meta = read_json(entry / "run.json")
    if not isinstance(meta, dict) or meta.get("key") != key:
        return None
    files = meta.get("files")
    if not isinstance(files, dict) or set(files) != set(_OUTPUTS):
        return None
    try:
        if any(_sha256(entry / name) != sha for name, sha in files.items()):
            return None
        return read_run_dir(entry)
    except (OSError, ResultsError):
        return None


def clear_finished(entry: Path) -> None:
    """Remove a finished (or damaged) entry's outputs, ``run.json`` first; keep checkpoints."""
    for name in ("run.json", *_OUTPUTS):
        (entry / name).unlink(missing_ok=True)


def export_weights(run: RunResult, path: Path) -> Path:
    """Write ``run``'s trained weights as ``.npz`` (layer-name/weight-name → array) at ``path``.

    Raises
    ------
    ResultsError
        When ``run`` has no weights (only the cache and committed baseline runs do).
    """
    source = run.path / "weights.npz"
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise ResultsError(f"run: {run.profile}/{run.case} has no weights at {source}") from None
    atomic_write_bytes(Path(path), data)
    return Path(path)


def publish(run: RunResult, results_dir: Path) -> Path:
    """Copy ``run``'s small outputs into ``results_dir/runs/<profile>/<case>/``; return that folder.

    Weights are copied only for :data:`COMMITTED_WEIGHTS`. The old ``run.json`` is
    removed first and the new one written last, so readers never pair a new
    history with an old record.
    """
    target = run_dir(results_dir, run.profile, run.case)
    meta = read_json(run.path / "run.json")
    if not isinstance(meta, dict) or meta.get("key") != run.key:
        raise ResultsError(f"run: {run.path} is not a finished run")
    names = [n for n in _OUTPUTS if n != "weights.npz" or run.case in COMMITTED_WEIGHTS]
    with lock(target):
        (target / "run.json").unlink(missing_ok=True)
        (target / "weights.npz").unlink(missing_ok=True)
        for name in names:
            atomic_write_bytes(target / name, (run.path / name).read_bytes())
        meta["files"] = {n: meta["files"][n] for n in names}
        atomic_write_json(target / "run.json", meta)
    return target
