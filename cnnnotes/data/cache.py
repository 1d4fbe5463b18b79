"""The user cache of decoded datasets.

:mod:`cnnnotes.data` decodes a local CIFAR-10 source once and keeps the arrays
in a cache folder outside any work tree, as ``datasets/<key>.npz``
(:func:`cnnnotes.files.npz_bytes`). An entry records its key and the dataset's
fingerprint; one that is missing, damaged or for another key reads as absent and
is rebuilt. Entries are written atomically.

Which folder is the caller's choice: :func:`user_cache_dir` computes the usual
one from an environment *mapping the caller passes* (the ``cnnnotes`` command
passes ``os.environ``); the library reads no environment itself.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.files import atomic_write_bytes, npz_bytes

__all__ = ["ENV_CACHE_DIR", "Arrays", "entry_path", "read_entry", "user_cache_dir", "write_entry"]

#: A dataset's four arrays: ``(x_train, y_train, x_test, y_test)``.
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

#: Environment variable overriding the user cache folder.
ENV_CACHE_DIR = "CNNNOTES_CACHE_DIR"
_ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def user_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user cache folder, outside any work tree.

    ``env[CNNNOTES_CACHE_DIR]``, else ``env[XDG_CACHE_HOME]/cnnnotes``, else
    ``~/.cache/cnnnotes``. ``env`` is the environment the caller chose to honour
    (None: none, so ``~/.cache/cnnnotes``).
    """
    env = env or {}
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR]).expanduser()
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cnnnotes"


def entry_path(key: str, cache_dir: Path) -> Path:
    """Where the dataset cached under ``key`` lives in the cache folder ``cache_dir``."""
    return Path(cache_dir) / "datasets" / f"{key}.npz"


def read_entry(path: Path, key: str) -> tuple[dict[str, Any], Arrays] | None:
    """``(meta, (x_train, y_train, x_test, y_test))``, or None when missing, corrupt or stale."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            if not isinstance(meta, dict) or meta.get("key") != key:
                return None
            x_train, y_train, x_test, y_test = (npz[name] for name in _ARRAYS)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return meta, (x_train, y_train, x_test, y_test)


def write_entry(
    path: Path, key: str, arrays: tuple[np.ndarray, ...], meta: Mapping[str, Any]
) -> None:
    """Store ``arrays`` (train images, labels, test images, labels) and ``meta`` under ``key``."""
    members = dict(zip(_ARRAYS, arrays, strict=True))
    members["meta"] = np.array(json.dumps({**meta, "key": key}))
    atomic_write_bytes(path, npz_bytes(members, compress=False))
