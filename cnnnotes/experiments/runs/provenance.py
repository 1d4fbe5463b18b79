"""What a run records about where and how it ran: library versions, hardware, date.

Provenance is never part of a run key (a TensorFlow upgrade must not throw away
hours of training; ``cnnnotes status`` warns instead), so it lives apart from the
training code that the key hashes. TensorFlow is imported inside :func:`environment`.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import os
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "HYPOTHESES",
    "claims_digest",
    "cpu_model",
    "environment",
    "installed_version",
    "installed_versions",
]

#: The pre-registered hypotheses of the experiments beyond the notes.
HYPOTHESES = Path(__file__).parents[1] / "hypotheses.toml"


def claims_digest() -> str:
    """sha256 of the hypotheses file's bytes, as every new run records it."""
    return hashlib.sha256(HYPOTHESES.read_bytes()).hexdigest()


def installed_version(*dists: str) -> str | None:
    """Version of the first installed of ``dists``, from its metadata (nothing is imported)."""
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def installed_versions(dists: Iterable[str]) -> dict[str, str]:
    """``{dist: version}``, ``"absent"`` for a distribution that is not installed."""
    return {dist: installed_version(dist) or "absent" for dist in dists}


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), else what :mod:`platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment() -> dict[str, Any]:
    """Versions (tensorflow, keras, numpy, python), hardware (CPU, GPUs) and the UTC date."""
    import keras
    import tensorflow as tf

    gpus = [
        tf.config.experimental.get_device_details(d).get("device_name", d.name)
        for d in tf.config.list_physical_devices("GPU")
    ]
    return {
        "versions": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "numpy": installed_version("numpy"),
            "python": platform.python_version(),
        },
        "hardware": {"cpu": cpu_model(), "cpu_count": os.cpu_count(), "gpus": gpus},
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
