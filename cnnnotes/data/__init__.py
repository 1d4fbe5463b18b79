"""CIFAR-10 as uint8 arrays, from Keras, the official archive or an image-folder tree.

One function, :func:`load_cifar10`, serves every caller. Its ``source`` is one of

- ``"keras"``: :func:`keras.datasets.cifar10.load_data` (downloads once, then
  reads ``~/.keras/datasets``);
- the official ``cifar-10-python.tar.gz`` (md5 verified) or its extracted
  ``cifar-10-batches-py/`` folder (the official sample order is kept);
- an image-folder tree ``train/<class>/*`` + ``test/<class>/*`` (PNG or JPEG,
  optionally under one top folder) or a ``.tar.gz`` of one.

Image folders carry no order, so the loader makes one: image ``i`` of a split
comes from class ``i mod 10`` among the classes that still have files, and is
file ``⌊i/10⌋`` of that class in sorted name order (round robin). Keras'
``validation_split=0.2`` holds out the *last* 20 % of the training arrays, so
with a balanced tree the held-out part is balanced too.

Local sources are decoded once; the arrays and their fingerprint are cached as
``.npz`` in a user cache folder outside the work tree, keyed by the sha256 of the
source's bytes. Every problem with the input is a :class:`DataError` subclass
with a one-line message.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from cnnnotes.data import formats as _formats
from cnnnotes.data.cache import ENV_CACHE_DIR, entry_path, read_entry, user_cache_dir, write_entry
from cnnnotes.data.errors import (
    ChecksumError,
    ClassFolderError,
    CorruptDataError,
    DataError,
    EmptySplitError,
    ImageFormatError,
    LabelError,
    LayoutError,
    OfflineError,
    SourceNotFoundError,
    UnreadableSourceError,
)
from cnnnotes.data.formats import OFFICIAL_MD5
from cnnnotes.data.info import (
    EXCERPT_FILE,
    INFO_FILE,
    NOTE_FOLDER,
    NOTE_JPEG,
    SPLITS,
    DatasetInfo,
    Kind,
)
from cnnnotes.data.labels import CLASS_NAMES
from cnnnotes.errors import PathError
from cnnnotes.files import atomic_write_bytes, atomic_write_json, lock, npz_bytes

__all__ = [
    "ENV_CACHE_DIR",
    "ENV_SOURCE",
    "NOTE_FOLDER",
    "NOTE_JPEG",
    "OFFICIAL_MD5",
    "SPLITS",
    "ChecksumError",
    "Cifar10",
    "ClassFolderError",
    "CorruptDataError",
    "DataError",
    "DatasetInfo",
    "EmptySplitError",
    "ImageFormatError",
    "LabelError",
    "LayoutError",
    "OfflineError",
    "SourceNotFoundError",
    "UnreadableSourceError",
    "fingerprint",
    "from_arrays",
    "load_cifar10",
    "user_cache_dir",
    "write_excerpt",
]

#: Environment variable the ``cnnnotes`` command reads for the default source (``keras``
#: when unset); the library itself reads no environment and names it in messages only.
ENV_SOURCE = "CNNNOTES_CIFAR10"
#: Bump when decoding changes, so cached arrays from an older loader are not reused.
_CACHE_FORMAT = "cifar10-npz-v1"
_OFFLINE_REMEDY = (
    f"connect to the internet once so Keras can download it, or set {ENV_SOURCE} "
    "(or --source) to a local cifar-10-python.tar.gz, cifar-10-batches-py/ or image folder"
)


@dataclass(frozen=True)
class Cifar10:
    """CIFAR-10 arrays: images uint8 ``(N, 32, 32, 3)``, labels int64 ``(N,)`` in 0..9."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    info: DatasetInfo


def fingerprint(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> str:
    """The sha256 hex digest identifying a dataset (the only definition in the package).

    Each array in the order train images, train labels, test images, test labels
    is hashed as its shape (text) then its bytes: images as uint8, labels as
    little-endian int64, both in C order. Two datasets with the same pixels and
    labels in the same order have the same fingerprint, whatever their source.
    """
    h = hashlib.sha256()
    for arr, dtype in ((x_train, "u1"), (y_train, "<i8"), (x_test, "u1"), (y_test, "<i8")):
        a = np.ascontiguousarray(arr, dtype=dtype)
        h.update(repr(a.shape).encode())
        h.update(a.data.cast("B"))
    return h.hexdigest()


def _check_split(split: str, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x)
    y = np.asarray(y)
    if x.dtype != np.uint8:
        raise ImageFormatError(f"x_{split}: dtype is {x.dtype}, expected uint8")
    if x.ndim != 4 or x.shape[1:] != (32, 32, 3):
        raise ImageFormatError(f"x_{split}: shape is {x.shape}, expected (N, 32, 32, 3)")
    if len(x) == 0:
        raise EmptySplitError(f"x_{split}: the {split} split holds no images")
    if y.ndim == 2 and y.shape[1] == 1:  # Keras returns (N, 1)
        y = y[:, 0]
    if y.ndim != 1 or len(y) != len(x) or not np.issubdtype(y.dtype, np.integer):
        raise LabelError(
            f"y_{split}: expected {len(x)} integer labels of shape (N,), got {y.dtype} {y.shape}"
        )
    if y.min() < 0 or y.max() > 9:
        raise LabelError(f"y_{split}: labels must be in 0..9, found {y.min()}..{y.max()}")
    return np.ascontiguousarray(x), y.astype(np.int64)


def _counts(y: np.ndarray) -> dict[str, int]:
    return {name: int(n) for name, n in zip(CLASS_NAMES, np.bincount(y, minlength=10), strict=True)}


def _make(
    arrays: tuple[Any, Any, Any, Any],
    *,
    kind: Kind,
    source: str,
    official: bool,
    note: str = "",
    fp: str | None = None,
) -> Cifar10:
    x_train, y_train = _check_split("train", arrays[0], arrays[1])
    x_test, y_test = _check_split("test", arrays[2], arrays[3])
    fp = fp or fingerprint(x_train, y_train, x_test, y_test)
    counts = {"train": _counts(y_train), "test": _counts(y_test)}
    info = DatasetInfo(kind, source, official, counts, fp, note)
    return Cifar10(x_train, y_train, x_test, y_test, info)


def from_arrays(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    source: str = "arrays",
) -> Cifar10:
    """Validate in-memory arrays and wrap them as :class:`Cifar10` (tests, tiny data).

    Images must be uint8 ``(N, 32, 32, 3)``; labels integers in 0..9, shape
    ``(N,)`` or Keras' ``(N, 1)``. Raises a :class:`DataError` subclass otherwise.
    """
    return _make((x_train, y_train, x_test, y_test), kind="arrays", source=source, official=False)


class _HeldAnnouncement(io.TextIOBase):
    """Stdout that holds Keras' "Downloading data from …" line until the download shows progress.

    Offline, Keras announces the download and fails at once: the announcement
    would only precede our one-line error. Online, its progress bar follows, and
    everything held is written out then.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._held = ""
        self._passing = False

    def write(self, text: str) -> int:
        if self._passing:
            return self._out.write(text)
        self._held += text
        _, newline, rest = self._held.partition("\n")
        if newline and rest:  # something after the announcement: a download in progress
            self._passing = True
            self._out.write(self._held)
            self._held = ""
        return len(text)

    def flush(self) -> None:
        if self._passing:
            self._out.flush()


def _load_keras() -> Cifar10:
    try:
        import keras
    except ImportError as exc:
        raise OfflineError(
            f"Keras is not installed ({exc.name}); install cnnnotes[train], "
            f"or set {ENV_SOURCE} to a local archive or image folder"
        ) from None
    try:
        with contextlib.redirect_stdout(_HeldAnnouncement(sys.stdout)):
            (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as exc:  # Keras raises a bare Exception when the download fails
        reason = " ".join(str(exc).split())[:160]
        raise OfflineError(
            f"Keras could not load CIFAR-10 (no usable cached copy; {reason}); " + _OFFLINE_REMEDY
        ) from None
    if x_train.ndim == 4 and x_train.shape[1] == 3:  # Keras set to channels_first
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return _make((x_train, y_train, x_test, y_test), kind="keras", source="keras", official=True)


def _from_entry(path_npz: Path, key: str, given: str) -> Cifar10 | None:
    entry = read_entry(path_npz, key)
    if entry is None:
        return None
    meta, arrays = entry
    try:
        kw = {k: meta[k] for k in ("kind", "official", "note")}
        return _make(arrays, source=given, fp=meta["fingerprint"], **kw)
    except (DataError, KeyError):
        return None  # a damaged entry is rebuilt


def _load_local(path: Path, given: str, cache_dir: Path) -> Cifar10:
    probe = _formats.identify(path, given)
    key = hashlib.sha256(f"{_CACHE_FORMAT}\n{probe.sha256}".encode()).hexdigest()
    path_npz = entry_path(key, cache_dir)
    # Entries are written atomically: a valid one is read without the lock, so a
    # read-only cache that holds it serves it.
    data = _from_entry(path_npz, key, given)
    if data is not None:
        return data
    try:
        with lock(path_npz):
            data = _from_entry(path_npz, key, given)
            if data is not None:
                return data
            raw = _formats.read(path, probe, given)
            data = _make(
                raw.arrays, kind=raw.kind, source=given, official=raw.official, note=raw.note
            )
            meta = {k: getattr(data.info, k) for k in ("kind", "official", "note", "fingerprint")}
            arrays = (data.x_train, data.y_train, data.x_test, data.y_test)
            write_entry(path_npz, key, arrays, meta)
    except PathError as exc:
        raise PathError(
            f"dataset cache: {exc}; set {ENV_CACHE_DIR} to a writable folder with free space"
        ) from None
    return data


def load_cifar10(
    source: str | os.PathLike[str] = "keras", *, cache_dir: Path | None = None
) -> Cifar10:
    """Load CIFAR-10 from ``source``.

    Parameters
    ----------
    source
        ``"keras"`` (the default), or a path to ``cifar-10-python.tar.gz``, a
        ``cifar-10-batches-py/`` folder, an image-folder tree or a ``.tar.gz``
        of one. (The ``cnnnotes`` command defaults it to ``$CNNNOTES_CIFAR10``.)
    cache_dir
        The user cache whose ``datasets/`` keeps decoded local sources; default
        :func:`user_cache_dir` without environment (``~/.cache/cnnnotes``).

    Returns
    -------
    Cifar10
        Images uint8 ``(N, 32, 32, 3)``, labels int64 ``(N,)`` and their
        :class:`DatasetInfo`.

    Raises
    ------
    DataError
        One of its subclasses, with a one-line message naming the problem.
    """
    given = os.fspath(source)
    if given == "keras":
        return _load_keras()
    cache = Path(cache_dir) if cache_dir is not None else user_cache_dir()
    return _load_local(Path(given).expanduser(), given, cache)


def write_excerpt(data: Cifar10, out_dir: Path, *, n: int = 100) -> list[Path]:
    """Write the committed excerpt: the first ``n`` training images and the dataset info.

    ``out_dir/excerpt.npz`` holds ``images`` uint8 ``(n, 32, 32, 3)`` and
    ``labels`` int64 ``(n,)`` in the loader's order; ``out_dir/info.json`` holds
    :meth:`DatasetInfo.to_dict` plus the split Keras makes with
    ``validation_split=0.2`` (the last 20 % of the training arrays) and its
    per-class counts. Both files are written atomically.
    """
    if n < 1 or n > len(data.x_train):
        raise ValueError(f"n: must be in 1..{len(data.x_train)}, got {n}")
    n_train = len(data.y_train)
    split_at = int(np.floor(n_train * (1.0 - 0.2)))  # as Keras computes it
    info = data.info.to_dict()
    info["validation_split"] = {
        "fraction": 0.2,
        "fit": split_at,
        "held_out": n_train - split_at,
        "held_out_counts": _counts(data.y_train[split_at:]),
        "fit_counts": _counts(data.y_train[:split_at]),
    }
    info["excerpt"] = {"n": n, "order": "the first n training images in the loader's order"}
    npz_path, json_path = out_dir / EXCERPT_FILE, out_dir / INFO_FILE
    arrays = {"images": data.x_train[:n], "labels": data.y_train[:n]}
    atomic_write_bytes(npz_path, npz_bytes(arrays, compress=True))
    atomic_write_json(json_path, info)
    return [npz_path, json_path]
