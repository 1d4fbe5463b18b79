"""The user cache of decoded datasets, and ``.npz`` bytes that do not depend on the clock.

:mod:`cnnnotes.data` decodes a local CIFAR-10 source once and keeps the arrays
here, outside any work tree, as ``datasets/<key>.npz``. An entry records its
key and the dataset's fingerprint; one that is missing, damaged or for another
key reads as absent and is rebuilt. Entries are written atomically.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.files import atomic_write_bytes

__all__ = ["ENV_CACHE_DIR", "user_cache_dir", "entry_path", "npz_bytes", "read_entry", "write_entry"]

#: Environment variable overriding the user cache folder.
ENV_CACHE_DIR = "CNNNOTES_CACHE_DIR"
_ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def user_cache_dir() -> Path:
    """The user cache folder, outside any work tree.

    ``$CNNNOTES_CACHE_DIR``, else ``$XDG_CACHE_HOME/cnnnotes``, else ``~/.cache/cnnnotes``.
    """
    if os.environ.get(ENV_CACHE_DIR):
        return Path(os.environ[ENV_CACHE_DIR]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cnnnotes"


def entry_path(key: str) -> Path:
    """Where the dataset cached under ``key`` lives."""
    return user_cache_dir() / "datasets" / f"{key}.npz"


def npz_bytes(arrays: Mapping[str, np.ndarray], *, compress: bool) -> bytes:
    """An ``.npz`` that :func:`numpy.load` reads, byte-identical for identical arrays.

    :func:`numpy.savez` stamps each member with the current time; a committed
    file that changes on every refresh would needlessly change figure keys.
    """
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, arr in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = method
            with zf.open(member, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def read_entry(path: Path, key: str) -> tuple[dict[str, Any], tuple[np.ndarray, ...]] | None:
    """``(meta, (x_train, y_train, x_test, y_test))``, or None when missing, corrupt or stale."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            if not isinstance(meta, dict) or meta.get("key") != key:
                return None
            arrays = tuple(npz[name] for name in _ARRAYS)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return meta, arrays


def write_entry(
    path: Path, key: str, arrays: tuple[np.ndarray, ...], meta: Mapping[str, Any]
) -> None:
    """Store ``arrays`` (train images, labels, test images, labels) and ``meta`` under ``key``."""
    members = dict(zip(_ARRAYS, arrays, strict=True))
    members["meta"] = np.array(json.dumps({**meta, "key": key}))
    atomic_write_bytes(path, npz_bytes(members, compress=False))
