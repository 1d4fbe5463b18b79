"""Small, safe file primitives shared by both cache tiers.

Writes are atomic (temporary file in the same folder, then ``os.replace``), so a
reader sees the old file or the new one, never half of one. A temporary file is
named after its entry and its writer's process (``.NAME.PID.RANDOM.tmp``); one
left behind by a killed writer is removed by the next write of the same entry.
Files are created with the mode the umask allows, like any other file the user
writes. Locks are inter-process (:mod:`filelock`), so two builds or two
trainings can run at once without corrupting a store.

A folder that cannot be created or written (a file in the way, no permission, a
full disk) raises :class:`cnnnotes.errors.PathError` with a one-line message
naming the path.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import time
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from cnnnotes.errors import PathError, path_error

__all__ = [
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "ensure_folder",
    "lock",
    "npz_bytes",
    "read_json",
    "remove_stale_temporaries",
]

#: A temporary file of no known writer (an older naming) is stale after this long.
_ORPHAN_AGE_S = 3600.0


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; a file in the way or no permission is a PathError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        for part in (folder, *folder.parents):
            if part.exists() and not part.is_dir():
                raise PathError(f"not a folder: {part} (a file is in the way)") from None
        raise path_error(exc, folder) from None
    except OSError as exc:
        raise path_error(exc, folder) from None


def _writer_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files of ``path`` left by writers that are gone; return them.

    A temporary file ``.NAME.PID.RANDOM.tmp`` is stale when process ``PID`` no
    longer runs; one of the earlier form ``.NAME.RANDOM.tmp`` when it is older
    than an hour. Temporary files of other entries are left alone.
    """
    removed: list[Path] = []
    prefix = f".{path.name}."
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for tmp in candidates:
        middle = tmp.name[len(prefix) :]
        if not middle.endswith(".tmp"):
            continue
        pid_text, _, rest = middle.removesuffix(".tmp").partition(".")
        try:
            if pid_text.isdigit() and rest and "." not in rest:  # .NAME.PID.RANDOM.tmp
                stale = not _writer_alive(int(pid_text))
            elif not rest:  # .NAME.RANDOM.tmp, an earlier naming
                stale = time.time() - tmp.stat().st_mtime > _ORPHAN_AGE_S
            else:  # another entry's (.NAME.SUFFIX.PID.RANDOM.tmp)
                continue
            if stale:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # another writer removed or replaced it first
    return removed


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders.

    The file gets the mode the umask allows (as ``open(path, "w")`` would).
    Stale temporary files of the same entry are removed first.
    """
    ensure_folder(path.parent)
    remove_stale_temporaries(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise path_error(exc, path.parent) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, PathError) and exc.errno:
            raise path_error(exc, path) from None
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: Any) -> None:
    """Write ``obj`` as stable, readable JSON (sorted keys) atomically."""
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def npz_bytes(arrays: Mapping[str, Any], *, compress: bool = True) -> bytes:
    """The one ``.npz`` writer: bytes that :func:`numpy.load` reads, identical for identical arrays.

    :func:`numpy.savez` stamps each member with the current time; a committed file
    that changed on every write would change its sha256 and every figure key that
    reads it, and a checkpoint written twice would differ. Members are written in
    the order of ``arrays``, dated 1980-01-01, deflated when ``compress``; object
    arrays are refused (they would need pickle to read back).
    """
    import numpy as np  # here, not at the top: the site's hook imports this module

    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, arr in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = method
            with zf.open(member, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def read_json(path: Path) -> Any | None:
    """Return the JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def lock(path: Path, timeout: float = -1) -> Iterator[None]:
    """Hold an inter-process lock on ``path`` (a ``.lock`` file beside it).

    A folder where the lock file cannot be created raises :class:`PathError`.
    """
    ensure_folder(path.parent)
    lock_path = Path(str(path) + ".lock")
    try:
        held = FileLock(str(lock_path), timeout=timeout)
        held.acquire()
    except Timeout:
        raise
    except OSError as exc:
        raise path_error(exc, lock_path) from None
    try:
        yield
    finally:
        held.release()
