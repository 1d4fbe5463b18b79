"""The run record: the types of ``run.json`` and of a run read back, no TensorFlow, no I/O.

:class:`RunRecord` (``run.json``), its :class:`Provenance` and :class:`Hardware`, and
:class:`RunResult` (a verified run with its arrays) are written with ``to_dict`` and
read with ``from_dict`` here; :mod:`cnnnotes.experiments.runs.folder` reads and writes
the folders that hold them. The names of a run folder's files are spelled here, so the
record and the folder agree on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.data.info import DatasetInfo
from cnnnotes.errors import CnnnotesError

__all__ = [
    "FORMAT",
    "HISTORY",
    "HISTORY_KEYS",
    "KERNELS",
    "PREDICTIONS",
    "RECORD",
    "WEIGHTS",
    "CorruptRunError",
    "DatasetInfo",
    "Hardware",
    "Provenance",
    "ResultsError",
    "RunRecord",
    "RunResult",
]

#: Version of the run folder layout (2: one folder per seed, files verified on read).
FORMAT = 2
#: Per-epoch series recorded for every run (Keras' names).
HISTORY_KEYS: tuple[str, ...] = ("loss", "accuracy", "val_loss", "val_accuracy")
RECORD, HISTORY, PREDICTIONS, WEIGHTS = "run.json", "history.json", "predictions.npz", "weights.npz"
#: The first-layer kernels before and after training (``initial``, ``trained``), kept for the
#: baseline and Case 2 (:mod:`cnnnotes.experiments.training.kernels`); outside the run key.
KERNELS = "kernels.npz"


class ResultsError(CnnnotesError):
    """A run folder is missing, incomplete or corrupt; the message names the path."""


class CorruptRunError(ResultsError):
    """A run folder disagrees with its record (a file missing, altered or inconsistent)."""


def _opt_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _sorted(value: Any) -> Any:
    """``value`` with every mapping's keys in order, as the record files hold them."""
    if isinstance(value, Mapping):
        return {str(k): _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


@dataclass(frozen=True)
class Hardware:
    """Where a run trained: the CPU model, its core count and the GPUs' names."""

    cpu: str | None = None
    cpu_count: int | None = None
    gpus: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON a record holds."""
        return {"cpu": self.cpu, "cpu_count": self.cpu_count, "gpus": list(self.gpus)}

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Hardware:
        """Read what :meth:`to_dict` wrote (missing values are None)."""
        count = doc.get("cpu_count")
        return cls(
            cpu=None if doc.get("cpu") is None else str(doc["cpu"]),
            cpu_count=int(count) if isinstance(count, int) else None,
            gpus=tuple(str(g) for g in doc.get("gpus") or ()),
        )


_PROVENANCE_FIELDS = (
    "dataset",
    "counts",
    "code",
    "versions",
    "hardware",
    "date",
    "wall_seconds",
    "setup_seconds",
    "evaluation_seconds",
    "resumed_after_epochs",
    "threads",
    "claims",
)


@dataclass(frozen=True)
class Provenance:
    """What a run records about where and how it ran; never part of its key.

    Attributes
    ----------
    dataset
        The data it trained on (None in records that keep none).
    counts
        Images per part: ``fit``, ``validation`` (``val`` in early records) and ``test``.
    code
        The training-code key it was trained with.
    versions
        Library versions (``tensorflow``, ``keras``, ``numpy``, ``python``).
    hardware
        CPU and GPUs (None when not recorded).
    date
        UTC date and time the run finished (ISO 8601).
    wall_seconds, setup_seconds, evaluation_seconds
        Training wall time in all, model set-up, and the final evaluation.
    resumed_after_epochs
        The epochs after which training resumed from a checkpoint.
    threads
        TensorFlow's thread pools and ``OMP_NUM_THREADS`` as set.
    claims
        sha256 of the pre-registered hypotheses file the run was trained under
        (``cnnnotes/experiments/hypotheses.toml``; None in records made before it).
    extra
        Any other recorded value, kept as it was.
    """

    dataset: DatasetInfo | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    code: str | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    hardware: Hardware | None = None
    date: str | None = None
    wall_seconds: float | None = None
    setup_seconds: float | None = None
    evaluation_seconds: float | None = None
    resumed_after_epochs: tuple[int, ...] = ()
    threads: Mapping[str, Any] = field(default_factory=dict)
    claims: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON a record holds (keys sorted; values that are None left out)."""
        out: dict[str, Any] = {
            **self.extra,
            "dataset": None if self.dataset is None else self.dataset.to_dict(),
            "counts": dict(self.counts),
            "code": self.code,
            "versions": dict(self.versions),
            "hardware": None if self.hardware is None else self.hardware.to_dict(),
            "date": self.date,
            "wall_seconds": self.wall_seconds,
            "setup_seconds": self.setup_seconds,
            "evaluation_seconds": self.evaluation_seconds,
            "resumed_after_epochs": list(self.resumed_after_epochs),
            "threads": dict(self.threads),
            "claims": self.claims,
        }
        record: dict[str, Any] = _sorted({k: v for k, v in out.items() if v is not None})
        return record

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Provenance:
        """Read what :meth:`to_dict` wrote; missing values are None or empty.

        Raises KeyError, TypeError or ValueError on a malformed record.
        """
        if not isinstance(doc, Mapping):
            raise TypeError(f"provenance is a {type(doc).__name__}, not a mapping")
        ds, hw = doc.get("dataset"), doc.get("hardware")
        return cls(
            dataset=None if ds is None else DatasetInfo.from_dict(ds),
            counts={str(k): int(v) for k, v in (doc.get("counts") or {}).items()},
            code=None if doc.get("code") is None else str(doc["code"]),
            versions={str(k): str(v) for k, v in (doc.get("versions") or {}).items()},
            hardware=None if hw is None else Hardware.from_dict(hw),
            date=None if doc.get("date") is None else str(doc["date"]),
            wall_seconds=_opt_float(doc.get("wall_seconds")),
            setup_seconds=_opt_float(doc.get("setup_seconds")),
            evaluation_seconds=_opt_float(doc.get("evaluation_seconds")),
            resumed_after_epochs=tuple(int(e) for e in doc.get("resumed_after_epochs") or ()),
            threads=dict(doc.get("threads") or {}),
            claims=None if doc.get("claims") is None else str(doc["claims"]),
            extra={k: v for k, v in doc.items() if k not in _PROVENANCE_FIELDS},
        )


@dataclass(frozen=True)
class RunRecord:
    """A run's record, ``run.json``: what was trained, its key, metrics and provenance.

    Attributes
    ----------
    case, profile
        Names of the case and profile.
    seed
        The run's seed (the one of its key inputs).
    key
        The run key (sha256 hex of the key inputs).
    key_inputs
        ``{"case": {...}, "profile": {...}, "seed": k, "dataset": fingerprint, "code": key}``,
        as hashed: kept as recorded.
    epochs
        Epochs trained.
    metrics
        ``train_loss``/``train_accuracy`` (training images, dropout off, after the last
        epoch), ``val_loss``/``val_accuracy`` (after the last epoch) and
        ``test_loss``/``test_accuracy`` (all test images of the profile).
    param_count
        Number of model parameters.
    provenance
        Dataset, code hash, library versions, hardware, date, wall time (not key).
    files
        The files of the folder by name → sha256; filled in by :func:`write_run_dir`.
    """

    case: str
    profile: str
    seed: int
    key: str
    key_inputs: Mapping[str, Any]
    epochs: int
    metrics: Mapping[str, float]
    param_count: int
    provenance: Provenance = field(default_factory=Provenance)
    files: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``run.json`` without ``format`` and ``files`` (the writer adds them)."""
        return {
            "case": self.case,
            "profile": self.profile,
            "seed": self.seed,
            "key": self.key,
            "key_inputs": dict(self.key_inputs),
            "epochs": self.epochs,
            "metrics": dict(self.metrics),
            "param_count": self.param_count,
            "provenance": self.provenance.to_dict(),
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> RunRecord:
        """Read a record (``format`` is not checked here; ``files`` is kept when present).

        Raises KeyError, TypeError, ValueError or AttributeError on an incomplete record.
        """
        inputs = dict(doc["key_inputs"])
        return cls(
            case=str(doc["case"]),
            profile=str(doc["profile"]),
            seed=int(inputs["seed"]),
            key=str(doc["key"]),
            key_inputs=inputs,
            epochs=int(doc["epochs"]),
            metrics={str(k): float(v) for k, v in doc["metrics"].items()},
            param_count=int(doc["param_count"]),
            provenance=Provenance.from_dict(doc["provenance"]),
            files={str(k): str(v) for k, v in dict(doc.get("files") or {}).items()},
        )


@dataclass(frozen=True, eq=False)
class RunResult:
    """A finished run, as read back (and verified) from its folder: its record and arrays.

    Attributes
    ----------
    record
        Its ``run.json`` (:class:`RunRecord`); ``case``, ``profile``, ``seed``, ``key``,
        ``key_inputs``, ``metrics``, ``param_count``, ``provenance`` and ``files`` are
        the record's.
    history
        Per-epoch float64 arrays, keys :data:`HISTORY_KEYS`.
    epoch_seconds
        Wall seconds of each epoch (training and validation).
    labels, predicted
        True and predicted test labels, uint8 ``(N,)``.
    probabilities
        Softmax outputs on the test images, float16 ``(N, 10)``; None where not kept.
    path
        The folder it was read from.
    """

    record: RunRecord
    history: dict[str, np.ndarray]
    epoch_seconds: np.ndarray
    labels: np.ndarray = field(repr=False)
    predicted: np.ndarray = field(repr=False)
    probabilities: np.ndarray | None = field(repr=False)
    path: Path = field(repr=False)

    @property
    def case(self) -> str:
        """The case's name."""
        return self.record.case

    @property
    def profile(self) -> str:
        """The profile's name."""
        return self.record.profile

    @property
    def seed(self) -> int:
        """The run's seed."""
        return self.record.seed

    @property
    def key(self) -> str:
        """The run key."""
        return self.record.key

    @property
    def key_inputs(self) -> Mapping[str, Any]:
        """The key inputs, as recorded."""
        return self.record.key_inputs

    @property
    def metrics(self) -> Mapping[str, float]:
        """The final metrics (see :class:`RunRecord`)."""
        return self.record.metrics

    @property
    def param_count(self) -> int:
        """Number of model parameters."""
        return self.record.param_count

    @property
    def provenance(self) -> Provenance:
        """Where and how it ran."""
        return self.record.provenance

    @property
    def files(self) -> Mapping[str, str]:
        """Its files, name → sha256."""
        return self.record.files

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers 1..n (for x axes; the notes' ``range(len(acc))`` started at 0)."""
        return np.arange(1, len(self.history["loss"]) + 1)

    @property
    def has_weights(self) -> bool:
        """Whether the folder holds the trained weights."""
        return WEIGHTS in self.files
