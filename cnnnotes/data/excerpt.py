"""Read the committed dataset excerpt (``results/dataset/excerpt.npz`` and ``info.json``), checked.

:func:`cnnnotes.data.write_excerpt` writes them; every reader goes through
:func:`read_excerpt`, which reads both files bounded (:mod:`cnnnotes.bounded`) and
checks their structure, so a damaged file is one line naming it
(:class:`ExcerptError`), never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.bounded import MB, npz_arrays, read_bounded
from cnnnotes.data.errors import DataError
from cnnnotes.data.info import EXCERPT_FILE, INFO_FILE, DatasetInfo
from cnnnotes.errors import PathError

__all__ = ["ExcerptError", "read_excerpt", "read_info"]

_LIMIT = 4 * MB
_SPLIT_KEYS = ("fraction", "fit", "held_out", "fit_counts", "held_out_counts")


class ExcerptError(DataError):
    """The committed excerpt or its info is missing, unreadable or malformed."""


def _bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, _LIMIT, f"an {path.name}")
    except PathError as exc:
        raise ExcerptError(f"{exc}") from None


def read_info(folder: Path) -> dict[str, Any]:
    """``folder/info.json``: a dataset record with its validation split, checked."""
    path = Path(folder) / INFO_FILE
    try:
        info = json.loads(_bytes(path))
    except ValueError as exc:
        raise ExcerptError(f"{path} is not JSON ({exc})") from None
    if not isinstance(info, dict):
        raise ExcerptError(f"{path} holds {type(info).__name__}, not an object")
    try:
        DatasetInfo.from_dict(info)
        split = info["validation_split"]
        for key in _SPLIT_KEYS:
            split[key]  # a KeyError names the missing field
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ExcerptError(f"{path} is an incomplete dataset record (field {exc})") from None
    return info


def read_excerpt(folder: Path) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The excerpt's ``images`` uint8 ``(n, 32, 32, 3)``, ``labels`` ``(n,)`` and its info."""
    path = Path(folder) / EXCERPT_FILE
    try:
        arrays = npz_arrays(_bytes(path), 64 * MB)
        images, labels = arrays["images"], arrays["labels"]
    except ValueError as exc:
        raise ExcerptError(f"{path} is not a readable .npz ({exc})") from None
    except KeyError as exc:
        raise ExcerptError(f"{path} lacks the array {exc}") from None
    n = len(labels) if labels.ndim == 1 else -1
    if images.dtype != np.uint8 or images.shape != (n, 32, 32, 3):
        raise ExcerptError(
            f"{path}: images are {images.dtype} {images.shape}, not uint8 (n, 32, 32, 3)"
        )
    if not np.issubdtype(labels.dtype, np.integer) or (
        n and not 0 <= labels.min() <= labels.max() <= 9
    ):
        raise ExcerptError(f"{path}: labels must be integers in 0..9")
    return images, labels, read_info(folder)
