"""Bounded, confined reads: every file the project reads from ``results/`` or a cache.

A reader asks for a file by its folder and its name, with a size limit for its
kind. :func:`read_bounded` then refuses, in one line naming the file:

- a name that is not a plain name, or whose target (links resolved) leaves the folder;
- anything but a regular file: a FIFO would block the reader forever, a device
  such as ``/dev/zero`` would be read until memory runs out;
- a file larger than its limit, checked before a byte is read.

The file is opened without blocking and checked again through its descriptor,
so a file swapped between the check and the read is caught too.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

from cnnnotes.errors import PathError, path_error

__all__ = [
    "KB",
    "MB",
    "RESULT_LIMIT",
    "check_plain_name",
    "confined",
    "human_size",
    "npz_arrays",
    "read_bounded",
    "shown",
]

KB = 1 << 10
MB = 1 << 20
#: The most bytes any one file under ``results/`` may hold (committed weights are the largest).
RESULT_LIMIT = 512 * MB

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def human_size(n: int) -> str:
    """``n`` bytes in the largest unit that keeps a number ≥ 1 (``48 KB``, ``2.7 GB``)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.3g} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def shown(path: Path | str) -> str:
    """``path`` as text that prints anywhere (undecodable bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_plain_name(name: str, where: Path) -> None:
    """Refuse ``name`` unless it is one plain file name (no ``/``, not ``.`` or ``..``)."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise PathError(f"{name!r} is not a plain file name (in {shown(where)})")


def confined(folder: Path, name: str) -> Path:
    """``folder / name`` once checked to stay inside ``folder`` with links resolved."""
    check_plain_name(name, folder)
    path = folder / name
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise PathError(f"{shown(path)} cannot be resolved ({exc})") from None
    if not inside:
        raise PathError(f"{name!r} leads out of {shown(folder)} (to {shown(path.resolve())})")
    return path


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _check(st: os.stat_result, path: Path, limit: int, what: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise PathError(f"{shown(path)} is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise PathError(
            f"{shown(path)} is {human_size(st.st_size)}, more than the "
            f"{human_size(limit)} {what} may be"
        )


def read_bounded(path: Path, limit: int, what: str = "this file") -> bytes:
    """The bytes of the regular file ``path``, refused in one line if larger than ``limit``.

    Parameters
    ----------
    path
        The file; links are followed (confine it first with :func:`confined`).
    limit
        The most bytes a file of this kind may hold.
    what
        The kind, for the message (``"a history.json"``).

    Raises
    ------
    PathError
        The file is missing, unreadable, not a regular file or too large.
    """
    try:
        _check(os.stat(path), path, limit, what)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except PathError:
        raise
    except OSError as exc:
        raise path_error(exc, shown(path)) from None
    try:
        _check(os.fstat(fd), path, limit, what)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 4 * MB))):
            chunks.append(chunk)
            left -= len(chunk)
    except PathError:
        raise
    except OSError as exc:
        raise path_error(exc, shown(path)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise PathError(f"{shown(path)} grew past the {human_size(limit)} {what} may be")
    return data


def npz_arrays(data: bytes, limit: int) -> dict[str, Any]:
    """The arrays of the ``.npz`` bytes ``data``, none of them a pickle.

    The members' inflated sizes (from the archive's directory) must add up to at
    most ``limit`` bytes, checked before a byte is inflated. Raises
    :class:`ValueError` with the reason (not a zip, a pickled array, too large).
    """
    import numpy as np

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            inflated = sum(member.file_size for member in zf.infolist())
        if inflated > limit:
            raise ValueError(
                f"it inflates to {human_size(inflated)}, more than {human_size(limit)}"
            )
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise ValueError(" ".join(str(exc).split()) or type(exc).__name__) from None
