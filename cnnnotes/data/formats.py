"""Readers behind :func:`cnnnotes.data.load_cifar10`: batches, archives and image folders.

:func:`identify` hashes a source and says which layout it has; :func:`read`
decodes it into raw arrays. Neither caches anything; :mod:`cnnnotes.data`
validates the arrays, fingerprints them and caches the result.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import pickle
import stat
import tarfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import numpy as np

from cnnnotes.bounded import MB, human_size, read_bounded, shown
from cnnnotes.data.cache import Arrays
from cnnnotes.data.errors import (
    ChecksumError,
    CorruptDataError,
    ImageFormatError,
    LabelError,
    LayoutError,
    SourceNotFoundError,
    UnreadableSourceError,
)
from cnnnotes.data.images import IMAGE_SUFFIXES, decode_tree, round_robin
from cnnnotes.data.info import NOTE_FOLDER, NOTE_JPEG

__all__ = ["BATCH_MD5", "OFFICIAL_MD5", "Probe", "Raw", "identify", "read", "round_robin"]

#: md5 of the official ``cifar-10-python.tar.gz`` (170,498,071 bytes).
OFFICIAL_MD5 = "c58f30108f718f92721af3b95e74349a"
#: md5 of each file of the official ``cifar-10-batches-py/``.
BATCH_MD5: dict[str, str] = {
    "data_batch_1": "c99cafc152244af753f735de768cd75f",
    "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
    "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
    "data_batch_4": "634d18415352ddfa80567beed471001a",
    "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
    "test_batch": "40351d587109b95175f43aff81a1287e",
}
_TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
_CHUNK = 1 << 20
#: The most bytes one image file may hold (a 32×32 PNG or JPEG takes a few KB).
IMAGE_LIMIT = 1 * MB
#: The most bytes one batch file may hold (the official ones hold 30 MB).
BATCH_LIMIT = 64 * MB


@dataclass(frozen=True)
class Probe:
    """A source's layout and the hashes of its bytes."""

    layout: Literal["tarball", "batches", "folder"]
    root: Path
    sha256: str
    md5: str = ""


@dataclass(frozen=True)
class Raw:
    """Decoded arrays ``(x_train, y_train, x_test, y_test)`` and what they are."""

    arrays: Arrays
    kind: Literal["archive", "batches", "folder", "folder-tarball"]
    official: bool
    note: str = ""


def _hidden(relpath: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in relpath.split("/"))


_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def regular_file_or_folder(path: Path, shown: str) -> os.stat_result:
    """``path``'s status if it is a regular file or a folder (symbolic links followed).

    Never opens ``path``: a FIFO would block a reader forever. Raises a one-line
    :class:`~cnnnotes.data.DataError` for a broken link, a FIFO, a socket or a
    device, and :class:`~cnnnotes.data.UnreadableSourceError` when a folder on
    the way cannot be searched.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            raise LayoutError(
                f"source: {shown} is a broken symbolic link (to {target}); remove or fix it"
            ) from None
        raise SourceNotFoundError(f"source: {shown} does not exist") from None
    except PermissionError:
        raise UnreadableSourceError(f"permission denied: {shown}") from None
    for test, kind in _SPECIAL:
        if test(st.st_mode):
            raise LayoutError(
                f"source: {shown} is {kind}, not a regular file or folder; "
                "remove it from the source"
            )
    return st


def _walk(root: Path, label: str = "") -> tuple[list[str], list[str]]:
    """Relative posix paths of the files and of the folders under ``root``, sorted, no hidden.

    Every listed file is checked (without opening it) to be a regular file or a
    link to one; an unreadable folder raises instead of reading as empty.
    """
    shown = label or str(root)
    files: list[str] = []
    dirs: list[str] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        rel = where.relative_to(root).as_posix() if where.is_relative_to(root) else ""
        name = f"{shown}/{rel}" if rel not in ("", ".") else shown
        if isinstance(exc, PermissionError):
            raise UnreadableSourceError(f"permission denied: {name}") from None
        raise CorruptDataError(f"source: {name} cannot be listed ({exc.strerror})") from None

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        for name in filenames:
            if not _hidden(name):
                regular_file_or_folder(Path(dirpath) / name, f"{shown}/{prefix}{name}")
                files.append(prefix + name)
        dirs += [prefix + d for d in dirnames]
    return sorted(files), sorted(dirs)


def _file_hashes(path: Path) -> tuple[str, str]:
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
            md5.update(chunk)
    return sha.hexdigest(), md5.hexdigest()


def identify(path: Path, label: str = "") -> Probe:
    """Hash ``path`` (a file's bytes, or a folder's listing and contents); find its layout.

    ``label`` names the source in error messages (default: ``path``). Unreadable
    files and folders raise :class:`~cnnnotes.data.UnreadableSourceError`.
    """
    label = label or str(path)
    with _permission(label):
        st = regular_file_or_folder(path, label)
        if stat.S_ISREG(st.st_mode):
            sha, md5 = _file_hashes(path)
            return Probe("tarball", path, sha, md5)
        root = path
        if (path / "cifar-10-batches-py" / "data_batch_1").is_file():
            root = path / "cifar-10-batches-py"
        layout: Literal["batches", "folder"] = (
            "batches" if (root / "data_batch_1").is_file() else "folder"
        )
        files, dirs = _walk(root, label if root == path else f"{label}/cifar-10-batches-py")
        h = hashlib.sha256(os.fsencode("\n".join(dirs)))
        for rel in files:
            h.update(os.fsencode(f"{rel}\n{(root / rel).stat().st_size}\n"))
            with (root / rel).open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    h.update(chunk)
        return Probe(layout, root, h.hexdigest())


@contextlib.contextmanager
def _permission(label: str) -> Iterator[None]:
    """Turn a :class:`PermissionError` into ``permission denied: PATH`` (one line)."""
    try:
        yield
    except PermissionError as exc:
        where = exc.filename or label
        raise UnreadableSourceError(f"permission denied: {where}") from None


def read(path: Path, probe: Probe, label: str) -> Raw:
    """Decode the source found by :func:`identify`; ``label`` names it in error messages."""
    with _permission(label):
        return _read(path, probe, label)


def _read(path: Path, probe: Probe, label: str) -> Raw:
    if probe.layout == "batches":
        files = {
            n: read_bounded(probe.root / n, BATCH_LIMIT, "a batch file")
            for n in BATCH_MD5
            if (probe.root / n).is_file()
        }
        official = all(
            hashlib.md5(files.get(n, b""), usedforsecurity=False).hexdigest() == md5
            for n, md5 in BATCH_MD5.items()
        )
        note = "" if official else "batch files differ from the official release (md5)"
        return Raw(_parse_batches(files, label), "batches", official, note)
    if probe.layout == "folder":
        names, dirs = _walk(probe.root, label)
        arrays, jpeg = decode_tree(
            names, dirs, lambda rel: read_bounded(probe.root / rel, IMAGE_LIMIT, "an image"), label
        )
        return Raw(arrays, "folder", False, NOTE_JPEG if jpeg else NOTE_FOLDER)
    return _read_tarball(path, probe, label)


def _looks_like_archive(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(265)
    return head[:2] == b"\x1f\x8b" or head[257:262] == b"ustar" or ".tar" in path.name


def _read_tarball(path: Path, probe: Probe, label: str) -> Raw:
    if not _looks_like_archive(path):
        raise LayoutError(
            f"source: {label} is not a tar archive, a cifar-10-batches-py/ folder "
            "or an image folder"
        )
    batches: dict[str, bytes] = {}
    images: dict[str, bytes] = {}
    dirs: list[str] = []
    try:
        with tarfile.open(path, "r:*") as tf:
            for member in tf:  # one sequential pass: no seeking back in the gzip stream
                name = PurePosixPath(member.name).as_posix()
                name = name[2:] if name.startswith("./") else name
                if name in ("", ".") or _hidden(name):
                    continue
                if member.isdir():
                    dirs.append(name)
                    continue
                base = name.rsplit("/", 1)[-1]
                wanted = base in BATCH_MD5 or base.lower().endswith(IMAGE_SUFFIXES)
                if member.isfile() and wanted:
                    limit = BATCH_LIMIT if base in BATCH_MD5 else IMAGE_LIMIT
                    if member.size > limit:  # from the header, before a byte is inflated
                        raise ImageFormatError(
                            f"source: {label}: {shown(name)} is {human_size(member.size)}, "
                            f"more than the {human_size(limit)} "
                            f"{'a batch file' if limit == BATCH_LIMIT else 'an image'} may be"
                        )
                    fh = tf.extractfile(member)
                    blob = fh.read(limit + 1) if fh else b""
                    if len(blob) != member.size:
                        raise EOFError(f"{name} is cut short")
                    (batches if base in BATCH_MD5 else images)[name] = blob
    except PermissionError:
        raise
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise CorruptDataError(
            f"source: {label} is a truncated or corrupt archive ({reason})"
        ) from None
    if batches:
        if probe.md5 != OFFICIAL_MD5:
            raise ChecksumError(
                f"source: {label} is laid out like cifar-10-python.tar.gz but its md5 is "
                f"{probe.md5}, not the official {OFFICIAL_MD5}; download it again"
            )
        by_base = {name.rsplit("/", 1)[-1]: blob for name, blob in batches.items()}
        return Raw(_parse_batches(by_base, label), "archive", True)
    if not images and not dirs:
        raise LayoutError(f"source: {label} holds neither CIFAR-10 batches nor images")
    arrays, jpeg = decode_tree(list(images), dirs, images.__getitem__, label)
    return Raw(arrays, "folder-tarball", False, NOTE_JPEG if jpeg else NOTE_FOLDER)


# --- pickled batches ------------------------------------------------------------------------------

_NUMPY_MODULES = {"numpy.core.multiarray": "numpy._core.multiarray"}
_NUMPY_MODULES |= {"numpy.core.numeric": "numpy._core.numeric"}
_ALLOWED_GLOBALS = {
    ("_codecs", "encode"),  # how Python 3 pickles bytes at protocol 2
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
}


class _SafeUnpickler(pickle.Unpickler):
    """Builds dicts, lists, strings and numpy arrays; refuses every other global."""

    def find_class(self, module: str, name: str) -> Any:
        module = _NUMPY_MODULES.get(module, module)
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"refuses global {module}.{name}")
        return getattr(importlib.import_module(module), name)


def _unpickle_batch(blob: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        batch = _SafeUnpickler(io.BytesIO(blob), encoding="bytes").load()
    except (
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        ImportError,
    ) as exc:
        raise CorruptDataError(f"{where} is a truncated or corrupt pickle ({exc})") from None
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise CorruptDataError(f"{where} is not a CIFAR-10 batch (no data and labels)")
    x, y = np.asarray(batch[b"data"]), np.asarray(batch[b"labels"])
    if x.dtype != np.uint8 or x.ndim != 2 or x.shape[1] != 3 * 32 * 32:
        raise ImageFormatError(f"{where}: data is {x.dtype} {x.shape}, expected uint8 (N, 3072)")
    if y.ndim != 1 or len(y) != len(x) or not np.issubdtype(y.dtype, np.integer):
        raise LabelError(f"{where}: expected {len(x)} integer labels, got {y.dtype} {y.shape}")
    if len(y) and (y.min() < 0 or y.max() > 9):
        raise LabelError(f"{where}: labels must be in 0..9, found {y.min()}..{y.max()}")
    return x.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), y.astype(np.int64)


def _parse_batches(files: Mapping[str, bytes], label: str) -> Arrays:
    missing = [n for n in BATCH_MD5 if n not in files]
    if missing:
        raise LayoutError(f"source: {label} lacks {', '.join(missing)} of cifar-10-batches-py")
    train = [_unpickle_batch(files[n], f"{label}: {n}") for n in _TRAIN_BATCHES]
    x_test, y_test = _unpickle_batch(files["test_batch"], f"{label}: test_batch")
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    return x_train, y_train, x_test, y_test
