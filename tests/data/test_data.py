"""Tests of cnnnotes.data: every source format, every bad input, the cache, the CLI."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import pickle
import socket
import subprocess
import sys
import tarfile
import types
from pathlib import Path

import numpy as np
import pytest
from conftest import read_only, tiny_disk
from PIL import Image

from cnnnotes import data
from cnnnotes.cli import main
from cnnnotes.data import (
    NOTE_FOLDER,
    NOTE_JPEG,
    ChecksumError,
    ClassFolderError,
    CorruptDataError,
    EmptySplitError,
    ImageFormatError,
    LabelError,
    LayoutError,
    OfflineError,
    SourceNotFoundError,
    UnreadableSourceError,
    fingerprint,
    from_arrays,
    write_excerpt,
)
from cnnnotes.data import formats as _formats
from cnnnotes.data.labels import CLASS_NAMES
from cnnnotes.errors import PathError

ROOT = Path(__file__).resolve().parents[2]
#: The full dataset, for the one test that reads it: $CNNNOTES_CIFAR10 when set, else an
#: offline copy beside the repository when one is there (read before the fixture clears it).
FULL_COPY = Path(
    os.environ.get("CNNNOTES_CIFAR10") or ROOT.parent / "shared/data/cifar-10-images.tar.gz"
)


_CACHE: list[Path] = []


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    # The library reads no environment: its calls get the cache folder as an argument
    # (load_cifar10 below); the CLI reads these variables. HOME keeps any default away
    # from the real user cache.
    monkeypatch.setenv("CNNNOTES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CNNNOTES_CIFAR10", raising=False)
    _CACHE.append(tmp_path / "cache")
    yield
    _CACHE.clear()


def load_cifar10(source="keras", **kwargs):
    """:func:`cnnnotes.data.load_cifar10` with this test's cache folder."""
    return data.load_cifar10(source, **{"cache_dir": _CACHE[-1], **kwargs})


def _arrays(per_class_train: int = 3, per_class_test: int = 2, seed: int = 0) -> tuple:
    """Balanced arrays already in round-robin order (label i mod 10)."""
    rng = np.random.default_rng(seed)
    out = []
    for n in (10 * per_class_train, 10 * per_class_test):
        out += [rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8), np.arange(n) % 10]
    return tuple(out)


def _batch(x: np.ndarray, y: np.ndarray) -> bytes:
    flat = x.transpose(0, 3, 1, 2).reshape(len(x), -1)
    obj = {b"batch_label": b"test", b"labels": [int(v) for v in y], b"data": flat}
    return pickle.dumps(obj, protocol=2)


def _write_batches(root: Path, arrays: tuple) -> Path:
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    x_train, y_train, x_test, y_test = arrays
    for i, (xs, ys) in enumerate(
        zip(np.array_split(x_train, 5), np.array_split(y_train, 5), strict=True), start=1
    ):
        (folder / f"data_batch_{i}").write_bytes(_batch(xs, ys))
    (folder / "test_batch").write_bytes(_batch(x_test, y_test))
    (folder / "batches.meta").write_bytes(pickle.dumps({b"label_names": []}, protocol=2))
    return folder


def _write_folder(
    root: Path, arrays: tuple, ext: str = "png", top: str = "cifar-10-images"
) -> Path:
    base = root / top if top else root
    for split, x, y in (("train", *arrays[:2]), ("test", *arrays[2:])):
        for c in CLASS_NAMES:
            (base / split / c).mkdir(parents=True, exist_ok=True)
        for i in reversed(range(len(x))):  # creation order must not matter
            name = f"{i // 10:04d}.{ext}"
            Image.fromarray(x[i]).save(base / split / CLASS_NAMES[y[i]] / name, quality=90)
    return root


def _tar(src: Path, out: Path) -> Path:
    with tarfile.open(out, "w:gz") as tf:
        for child in sorted(src.iterdir()):
            tf.add(child, arcname=child.name)
    return out


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def _assert_same(loaded: data.Cifar10, arrays: tuple) -> None:
    for got, want in zip(
        (loaded.x_train, loaded.y_train, loaded.x_test, loaded.y_test), arrays, strict=True
    ):
        np.testing.assert_array_equal(got, want)


# --- arrays and fingerprint -------------------------------------------------------------------


def test_fingerprint_ignores_label_dtype_but_not_order_or_pixels() -> None:
    x, y, xt, yt = _arrays()
    fp = fingerprint(x, y, xt, yt)
    assert fp == fingerprint(x, y.astype(np.uint8), xt, yt.reshape(-1, 1)[:, 0])
    assert fp != fingerprint(x[::-1], y[::-1], xt, yt)
    x2 = x.copy()
    x2[0, 0, 0, 0] ^= 1
    assert fp != fingerprint(x2, y, xt, yt)
    assert len(fp) == 64


def test_from_arrays_accepts_keras_label_shape_and_counts_classes() -> None:
    x, y, xt, yt = _arrays()
    d = from_arrays(x, y.reshape(-1, 1).astype(np.uint8), xt, yt)
    assert d.y_train.dtype == np.int64 and d.y_train.shape == (30,)
    assert d.info.kind == "arrays" and not d.info.official
    assert d.info.counts["train"]["cat"] == 3 and d.info.counts["test"]["truck"] == 2


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda a: (a[0].astype(np.float32), *a[1:]), ImageFormatError),
        (lambda a: (a[0][:, :16], *a[1:]), ImageFormatError),
        (lambda a: (a[0], a[1] + 5, *a[2:]), LabelError),
        (lambda a: (a[0], a[1][:-1], *a[2:]), LabelError),
        (lambda a: (*a[:2], a[2][:0], a[3][:0]), EmptySplitError),
    ],
    ids=["float-images", "wrong-shape", "label-range", "label-count", "empty-test"],
)
def test_from_arrays_rejects_bad_arrays(change, error) -> None:
    with pytest.raises(error):
        from_arrays(*change(_arrays()))


# --- formats ------------------------------------------------------------------------------------


def test_batches_folder_keeps_official_order(tmp_path: Path) -> None:
    arrays = _arrays()
    folder = _write_batches(tmp_path / "src", arrays)
    d = load_cifar10(folder)
    _assert_same(d, arrays)
    assert d.info.kind == "batches" and not d.info.official  # md5s are not the official ones
    assert d.info.source == str(folder)


def test_official_archive_loads_when_md5_matches(tmp_path: Path, monkeypatch) -> None:
    arrays = _arrays()
    archive = _tar(_write_batches(tmp_path / "src", arrays).parent, tmp_path / "c.tar.gz")
    monkeypatch.setattr(_formats, "OFFICIAL_MD5", _md5(archive))
    d = load_cifar10(str(archive))
    _assert_same(d, arrays)
    assert d.info.kind == "archive" and d.info.official and d.info.note == ""


def test_archive_with_other_md5_raises_checksum_error(tmp_path: Path) -> None:
    archive = _tar(_write_batches(tmp_path / "src", _arrays()).parent, tmp_path / "c.tar.gz")
    with pytest.raises(ChecksumError, match="md5"):
        load_cifar10(archive)


def test_png_folder_round_trips_exactly(tmp_path: Path) -> None:
    arrays = _arrays()
    d = load_cifar10(_write_folder(tmp_path / "src", arrays))
    _assert_same(d, arrays)
    assert (d.info.kind, d.info.note, d.info.official) == ("folder", NOTE_FOLDER, False)


def test_jpeg_folder_is_noted_as_recompressed(tmp_path: Path) -> None:
    arrays = _arrays()
    d = load_cifar10(_write_folder(tmp_path / "src", arrays, ext="jpg", top=""))
    np.testing.assert_array_equal(d.y_train, arrays[1])
    assert d.info.note == NOTE_JPEG and d.info.jpeg_recompressed
    assert d.x_train.dtype == np.uint8 and d.x_train.shape == (30, 32, 32, 3)


def test_folder_tarball_equals_folder(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    from_folder = load_cifar10(src)
    from_tar = load_cifar10(_tar(src, tmp_path / "images.tar.gz"))
    assert from_tar.info.kind == "folder-tarball"
    assert from_tar.info.fingerprint == from_folder.info.fingerprint


def test_round_robin_takes_classes_in_turn_while_they_have_files() -> None:
    order = _formats.round_robin([["b", "a"], ["c"], [], ["d", "e", "f"]])
    assert order == [(0, "a"), (1, "c"), (3, "d"), (0, "b"), (3, "e"), (3, "f")]


def test_balanced_tree_holds_out_equal_counts_per_class(tmp_path: Path) -> None:
    d = load_cifar10(_write_folder(tmp_path / "src", _arrays(per_class_train=10)))
    held_out = d.y_train[int(len(d.y_train) * 0.8) :]
    assert np.bincount(held_out, minlength=10).tolist() == [2] * 10


# --- bad input ----------------------------------------------------------------------------------


def _image_bytes(size=(32, 32), mode="RGB", fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, format=fmt)
    return buf.getvalue()


def _break_one_image(tmp_path: Path, blob: bytes) -> Path:
    src = _write_folder(tmp_path / "src", _arrays())
    (src / "cifar-10-images/train/cat/0001.png").write_bytes(blob)
    return src


def test_missing_path_raises_source_not_found(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="does not exist"):
        load_cifar10(tmp_path / "nope.tar.gz")


def test_truncated_archive_raises_corrupt(tmp_path: Path) -> None:
    archive = _tar(_write_folder(tmp_path / "src", _arrays()), tmp_path / "images.tar.gz")
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CorruptDataError, match="truncated or corrupt archive"):
        load_cifar10(archive)


def test_truncated_pickle_raises_corrupt(tmp_path: Path) -> None:
    folder = _write_batches(tmp_path / "src", _arrays())
    (folder / "data_batch_3").write_bytes((folder / "data_batch_3").read_bytes()[:500])
    with pytest.raises(CorruptDataError, match="data_batch_3"):
        load_cifar10(folder)


def test_pickle_with_foreign_global_is_refused(tmp_path: Path) -> None:
    folder = _write_batches(tmp_path / "src", _arrays())
    (folder / "test_batch").write_bytes(pickle.dumps({b"data": Path.cwd}, protocol=2))
    with pytest.raises(CorruptDataError, match="refuses global"):
        load_cifar10(folder)


def test_batch_labels_out_of_range_raise_label_error(tmp_path: Path) -> None:
    x, y, xt, yt = _arrays()
    folder = _write_batches(tmp_path / "src", (x, y, xt, yt))
    (folder / "test_batch").write_bytes(_batch(xt, yt + 3))
    with pytest.raises(LabelError, match=r"0\.\.9"):
        load_cifar10(folder)


def test_missing_batch_file_raises_layout_error(tmp_path: Path) -> None:
    folder = _write_batches(tmp_path / "src", _arrays())
    (folder / "test_batch").unlink()
    with pytest.raises(LayoutError, match="test_batch"):
        load_cifar10(folder)


def test_truncated_image_raises_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptDataError, match=r"cat/0001\.png"):
        load_cifar10(_break_one_image(tmp_path, _image_bytes()[:60]))


@pytest.mark.parametrize(
    ("blob", "match"),
    [(_image_bytes(size=(32, 33)), "32×33"), (_image_bytes(mode="L"), "mode L")],
    ids=["size", "mode"],
)
def test_wrong_image_size_or_mode_raises_image_format_error(tmp_path, blob, match) -> None:
    with pytest.raises(ImageFormatError, match=match):
        load_cifar10(_break_one_image(tmp_path, blob))


def test_missing_class_folder_raises(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    for f in (src / "test/ship").iterdir():
        f.unlink()
    (src / "test/ship").rmdir()
    with pytest.raises(ClassFolderError, match="missing ship"):
        load_cifar10(src)


def test_extra_class_folder_raises(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    (src / "train/unicorn").mkdir()
    with pytest.raises(ClassFolderError, match="unexpected unicorn"):
        load_cifar10(src)


def test_class_folder_without_images_raises(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    for f in (src / "train/frog").iterdir():
        f.unlink()
    with pytest.raises(ClassFolderError, match="train/frog holds no"):
        load_cifar10(src)


def test_empty_split_raises(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    for f in (src / "test").glob("*/*.png"):
        f.unlink()
    with pytest.raises(EmptySplitError, match="test split"):
        load_cifar10(src)


def test_file_that_is_no_archive_raises_layout_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not CIFAR-10")
    with pytest.raises(LayoutError):
        load_cifar10(path)


# --- files that are not regular, files that cannot be read ------------------------------------

_LOAD_IN_CHILD = """
import sys, time
from cnnnotes.data import DataError, load_cifar10
start = time.perf_counter()
try:
    load_cifar10(sys.argv[1], cache_dir=sys.argv[2])
except DataError as exc:
    print(f"{time.perf_counter() - start:.3f} {type(exc).__name__}: {exc}")
"""


def _load_in_child(source: Path, cache: Path) -> tuple[float, str]:
    """Load ``source`` in a child process killed after 60 s: a hang cannot stall the suite."""
    env = {**os.environ, "CNNNOTES_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _LOAD_IN_CHILD, str(source), str(cache)],
        capture_output=True, text=True, timeout=60, env=env, check=True,
    )  # fmt: skip
    seconds, message = proc.stdout.strip().split(" ", 1)
    return float(seconds), message


def _fifo_in_class_folder(tmp_path: Path) -> Path:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    os.mkfifo(src / "train" / "cat" / "0009.png")
    return src


def test_a_fifo_in_an_image_folder_is_refused_at_once_without_opening_it(tmp_path: Path) -> None:
    seconds, message = _load_in_child(_fifo_in_class_folder(tmp_path), tmp_path / "cache")
    assert message.startswith("LayoutError: source: ") and "\n" not in message
    assert "train/cat/0009.png is a FIFO (named pipe)" in message
    assert seconds < 1.0, f"took {seconds:.2f} s"


def test_a_fifo_given_as_the_source_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "cifar.tar.gz")
    seconds, message = _load_in_child(tmp_path / "cifar.tar.gz", tmp_path / "cache")
    assert "cifar.tar.gz is a FIFO (named pipe)" in message and seconds < 1.0


def test_a_broken_symlink_in_an_image_folder_is_named(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    (src / "test" / "dog" / "0007.png").symlink_to(tmp_path / "gone.png")
    with pytest.raises(LayoutError, match=r"test/dog/0007\.png is a broken symbolic link"):
        load_cifar10(src)


def test_a_socket_in_an_image_folder_is_named(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "s", _arrays(), top="")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(src / "train" / "ship" / "s"))
        with pytest.raises(LayoutError, match=r"train/ship/s is a socket"):
            load_cifar10(src)


def test_a_symlink_to_an_image_is_read_like_the_image(tmp_path: Path) -> None:
    arrays = _arrays()
    src = _write_folder(tmp_path / "src", arrays, top="")
    image = src / "train" / "cat" / "0000.png"
    image.rename(tmp_path / "real.png")
    image.symlink_to(tmp_path / "real.png")
    _assert_same(load_cifar10(src), arrays)


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``denied`` (a file or a folder) unreadable, as ``chmod 000`` does for non-root."""
    real_open, real_scandir = Path.open, os.scandir

    def path_open(self: Path, *args, **kwargs):
        if self == denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def scandir(path=".", *args, **kwargs):
        if Path(path) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", path_open)
    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_class_folder_is_permission_denied_not_empty(tmp_path, monkeypatch) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    _deny(monkeypatch, src / "train" / "frog")
    with pytest.raises(UnreadableSourceError) as err:
        load_cifar10(src)
    assert str(err.value) == f"permission denied: {src / 'train' / 'frog'}"


def test_an_unreadable_image_is_permission_denied(tmp_path, monkeypatch) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    _deny(monkeypatch, src / "test" / "cat" / "0001.png")
    with pytest.raises(UnreadableSourceError, match=r"^permission denied: .*test/cat/0001\.png$"):
        load_cifar10(src)


def test_an_unreadable_tarball_is_permission_denied(tmp_path, monkeypatch) -> None:
    archive = _tar(_write_folder(tmp_path / "src", _arrays()), tmp_path / "images.tar.gz")
    _deny(monkeypatch, archive)
    with pytest.raises(UnreadableSourceError, match=r"^permission denied: .*images\.tar\.gz$"):
        load_cifar10(archive)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_class_folder_is_permission_denied(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(), top="")
    (src / "train" / "frog").chmod(0)
    try:
        with pytest.raises(UnreadableSourceError, match=r"permission denied: .*train/frog"):
            load_cifar10(src)
    finally:
        (src / "train" / "frog").chmod(0o755)


def test_cli_fifo_source_exits_2_with_one_line(tmp_path: Path, capsys) -> None:
    assert main(["data", "check", "--source", str(_fifo_in_class_folder(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cnnnotes: error: source: ") and err.count("\n") == 1


# --- cache --------------------------------------------------------------------------------------


def _cache_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "datasets"
    return sorted(p for p in folder.glob("*") if not p.name.endswith(".lock"))


def test_second_load_reads_the_cache_without_decoding(tmp_path: Path, monkeypatch) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    first = load_cifar10(src)
    assert len(_cache_files(tmp_path)) == 1
    monkeypatch.setattr(_formats, "read", lambda *a: pytest.fail("decoded again"))
    second = load_cifar10(src)
    assert second.info == first.info
    np.testing.assert_array_equal(second.x_train, first.x_train)


def test_corrupt_cache_entry_is_rebuilt(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    first = load_cifar10(src)
    (entry,) = _cache_files(tmp_path)
    entry.write_bytes(entry.read_bytes()[:1000])
    assert load_cifar10(src).info.fingerprint == first.info.fingerprint
    assert entry.stat().st_size > 1000


def test_a_read_only_cache_with_a_valid_entry_is_read_without_locking(tmp_path, monkeypatch):
    src = _write_folder(tmp_path / "src", _arrays())
    first = load_cifar10(src)

    def no_lock(path: Path):
        raise PathError(f"permission denied: {path}.lock")

    monkeypatch.setattr(data, "lock", no_lock)
    again = load_cifar10(src)
    assert again.info == first.info
    (tmp_path / "src" / "cifar-10-images" / "train" / "cat" / "0000.png").unlink()
    with pytest.raises(PathError, match=r"^dataset cache: permission denied: .*CNNNOTES_CACHE_DIR"):
        load_cifar10(src)  # an entry to write: the message names the remedy


def test_cli_reads_a_read_only_cache_and_names_it_when_it_must_write(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    fp = load_cifar10(src).info.fingerprint  # fills the cache
    prefix = read_only(tmp_path / "cache")
    env = {**os.environ, "CNNNOTES_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    check = [*prefix, sys.executable, "-m", "cnnnotes", "data", "check", "--source"]
    proc = subprocess.run([*check, str(src)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and f"fingerprint: {fp}" in proc.stdout, proc.stderr
    other = _write_folder(tmp_path / "other", _arrays(seed=1))
    proc = subprocess.run(
        [*check, str(other)], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("cnnnotes: error: dataset cache: read-only file system: ")
    assert "set CNNNOTES_CACHE_DIR to a writable folder" in proc.stderr


def test_cli_full_disk_under_the_cache_is_one_line(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(per_class_train=10))  # 120 KiB of arrays
    cache = tmp_path / "cache"
    env = {**os.environ, "CNNNOTES_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [*tiny_disk(cache, 64), sys.executable, "-m", "cnnnotes", "data", "check", "--source",
         str(src)], env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(
        f"cnnnotes: error: dataset cache: no space left on device: {cache / 'datasets'}/"
    )


def test_cli_cache_folder_that_is_a_file_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "cachefile").write_text("")
    monkeypatch.setenv("CNNNOTES_CACHE_DIR", str(tmp_path / "cachefile"))
    src = _write_folder(tmp_path / "src", _arrays())
    assert main(["data", "check", "--source", str(src)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"cnnnotes: error: dataset cache: not a folder: {tmp_path / 'cachefile'} "
        "(a file is in the way); set CNNNOTES_CACHE_DIR to a writable folder with free space\n"
    )


def test_failed_load_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    with pytest.raises(CorruptDataError):
        load_cifar10(_break_one_image(tmp_path, b"garbage"))
    assert _cache_files(tmp_path) == []


def test_cli_source_defaults_to_the_environment_variable(tmp_path, monkeypatch, capsys) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    monkeypatch.setenv("CNNNOTES_CIFAR10", str(src))
    assert main(["data", "check"]) == 0
    assert f"source: {src} (" in capsys.readouterr().out


# --- no network ---------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
def test_local_sources_never_touch_the_network(tmp_path: Path) -> None:
    arrays = _arrays()
    _assert_same(load_cifar10(_write_folder(tmp_path / "a", arrays)), arrays)
    _assert_same(load_cifar10(_write_batches(tmp_path / "b", arrays)), arrays)


@pytest.mark.usefixtures("no_network")
def test_keras_source_offline_without_cache_names_both_remedies(tmp_path, monkeypatch) -> None:
    pytest.importorskip("keras")
    monkeypatch.setattr("keras.src.backend.config.keras_home", lambda: str(tmp_path / "kh"))
    with pytest.raises(OfflineError) as info:
        load_cifar10("keras")
    message = str(info.value)
    assert "\n" not in message
    assert "connect to the internet once" in message and "CNNNOTES_CIFAR10" in message


def _fake_keras(monkeypatch: pytest.MonkeyPatch, load_data) -> None:
    fake = types.ModuleType("keras")
    fake.datasets = types.SimpleNamespace(cifar10=types.SimpleNamespace(load_data=load_data))
    monkeypatch.setitem(sys.modules, "keras", fake)


def test_keras_offline_prints_no_download_line_before_the_error(monkeypatch, capsys) -> None:
    def load_data():
        print("Downloading data from https://example.org/cifar-10-python.tar.gz")
        raise Exception("URL fetch failure: [Errno -2] Name or service not known")

    _fake_keras(monkeypatch, load_data)
    with pytest.raises(OfflineError, match="Name or service not known"):
        load_cifar10("keras")
    assert capsys.readouterr().out == ""


def test_keras_download_with_progress_shows_everything(monkeypatch, capsys) -> None:
    arrays = _arrays()

    def load_data():
        print("Downloading data from https://example.org/cifar-10-python.tar.gz")
        sys.stdout.write("\r 1/1 ━━━━ 0s")
        return (arrays[0], arrays[1][:, None]), (arrays[2], arrays[3][:, None])

    _fake_keras(monkeypatch, load_data)
    _assert_same(load_cifar10("keras"), arrays)
    assert capsys.readouterr().out == (
        "Downloading data from https://example.org/cifar-10-python.tar.gz\n\r 1/1 ━━━━ 0s"
    )


# --- excerpt and CLI ----------------------------------------------------------------------------


def test_excerpt_is_deterministic_and_names_no_directories(tmp_path: Path) -> None:
    d = load_cifar10(_write_folder(tmp_path / "src", _arrays(per_class_train=10)))
    npz, info_json = write_excerpt(d, tmp_path / "out")
    first = npz.read_bytes()
    write_excerpt(d, tmp_path / "out")
    assert npz.read_bytes() == first
    with np.load(npz) as z:
        np.testing.assert_array_equal(z["images"], d.x_train[:100])
        assert z["labels"].dtype == np.int64
    info = json.loads(info_json.read_text())
    assert info["source"] == "src" and info["fingerprint"] == d.info.fingerprint
    assert info["validation_split"]["held_out"] == 20
    assert info["validation_split"]["held_out_counts"]["cat"] == 2


def test_cli_check_prints_counts_and_fingerprint(tmp_path: Path, capsys) -> None:
    src = _write_folder(tmp_path / "src", _arrays())
    assert main(["data", "check", "--source", str(src)]) == 0
    out = capsys.readouterr().out
    fp = load_cifar10(src).info.fingerprint
    assert f"fingerprint: {fp}" in out
    assert "truck" in out and "total" in out and "30" in out


def test_cli_check_bad_source_exits_2_with_one_line(tmp_path: Path, capsys) -> None:
    assert main(["data", "check", "--source", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cnnnotes: error:") and err.count("\n") == 1


def test_cli_excerpt_writes_both_files(tmp_path: Path) -> None:
    src = _write_folder(tmp_path / "src", _arrays(per_class_train=10))
    out = tmp_path / "results" / "dataset"
    results = str(tmp_path / "results")  # no committed runs: no test images to pick
    assert (
        main(["data", "excerpt", "--source", str(src), "--out", str(out), "--results", results])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["excerpt.npz", "info.json"]


@pytest.mark.slow
def test_full_copy_has_the_cifar10_counts() -> None:
    if not FULL_COPY.exists():
        pytest.skip("no full CIFAR-10 copy: set CNNNOTES_CIFAR10 to run this test")
    d = load_cifar10(FULL_COPY)
    assert d.x_train.shape == (50_000, 32, 32, 3) and d.x_test.shape == (10_000, 32, 32, 3)
    assert set(d.info.counts["train"].values()) == {5_000}
    assert set(d.info.counts["test"].values()) == {1_000}
