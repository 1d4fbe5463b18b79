"""Exceptions meant for users: the CLI prints their message on one line and exits non-zero."""

from __future__ import annotations

import errno
import os

__all__ = ["CnnnotesError", "PathError", "path_error"]


class CnnnotesError(Exception):
    """Base of every error a user can cause and fix (bad input, missing data, stale results)."""


class PathError(CnnnotesError, OSError):
    """A file or folder cannot be read or written: permissions, a full disk, a file in the way.

    It is also an :class:`OSError`, so code that already handles failed file
    operations keeps doing so.
    """


_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENOTDIR: "not a folder",
    errno.EEXIST: "not a folder",
    errno.EISDIR: "is a folder",
    errno.ENOENT: "does not exist",
}


def path_error(exc: OSError, path: str | os.PathLike[str], remedy: str = "") -> PathError:
    """A one-line :class:`PathError` for ``exc``, e.g. ``permission denied: PATH; remedy``.

    The path is the one the user can act on (given by the caller), not necessarily
    the one the system call named.
    """
    reason = _REASONS.get(exc.errno or -1) or (exc.strerror or type(exc).__name__).lower()
    return PathError(f"{reason}: {os.fspath(path)}" + (f"; {remedy}" if remedy else ""))
