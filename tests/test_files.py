"""Atomic writes never leave half a file; the lock keeps two processes apart."""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import time
from pathlib import Path

import pytest

from cnnnotes import files
from cnnnotes.errors import CnnnotesError, PathError


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.json"
    files.atomic_write_json(target, {"b": 1, "a": [1, 2]})
    files.atomic_write_json(target, {"c": "합성곱"})
    assert files.read_json(target) == {"c": "합성곱"}
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.txt"
    files.atomic_write_text(target, "old")

    def disk_full(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_read_json_is_none_for_missing_or_corrupt_files(tmp_path: Path) -> None:
    assert files.read_json(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert files.read_json(tmp_path / "bad.json") is None


def _hold(path: str, log: str, tag: str) -> None:
    with files.lock(Path(path)):
        with open(log, "a") as fh:
            fh.write(f"{tag}+")
        time.sleep(0.3)
        with open(log, "a") as fh:
            fh.write(f"{tag}-")


def test_lock_serialises_two_processes(tmp_path: Path) -> None:
    log = tmp_path / "log"
    procs = [
        multiprocessing.get_context("spawn").Process(
            target=_hold, args=(str(tmp_path / "x"), str(log), tag)
        )
        for tag in "ab"
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    text = log.read_text()
    assert text in ("a+a-b+b-", "b+b-a+a-"), text


# --- folders that cannot be written, temporary files, file modes -------------------------------


def test_a_file_where_the_cache_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(PathError) as err:
        files.atomic_write_text(tmp_path / "cache" / "datasets" / "x.npz", "x")
    assert str(err.value) == f"not a folder: {tmp_path / 'cache'} (a file is in the way)"
    with pytest.raises(PathError, match=r"^not a folder: "), files.lock(tmp_path / "cache" / "x"):
        pass


def test_a_full_disk_is_one_line_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(PathError) as err:
        files.atomic_write_bytes(tmp_path / "f.bin", b"data")
    assert str(err.value) == f"no space left on device: {tmp_path / 'f.bin'}"
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_permission_denied(tmp_path: Path, monkeypatch) -> None:
    real_open = os.open

    def denied(path, flags, mode=0o777, **kw):
        if Path(path).parent == tmp_path and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(files.os, "open", denied)
    with pytest.raises(PathError, match=rf"^permission denied: {tmp_path}$"):
        files.atomic_write_bytes(tmp_path / "f.bin", b"data")


def test_a_lock_that_cannot_be_created_is_permission_denied(tmp_path, monkeypatch) -> None:
    def acquire(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", self.lock_file)

    monkeypatch.setattr(files.FileLock, "acquire", acquire)
    with pytest.raises(PathError) as err, files.lock(tmp_path / "entry"):
        pass
    assert str(err.value) == f"permission denied: {tmp_path / 'entry.lock'}"
    assert isinstance(err.value, CnnnotesError) and isinstance(err.value, OSError)


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    for umask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        old = os.umask(umask)
        try:
            files.atomic_write_text(tmp_path / f"f{umask:o}.txt", "x")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / f"f{umask:o}.txt").stat().st_mode) == mode


def test_stale_temporaries_of_the_same_entry_are_removed_by_the_next_write(tmp_path) -> None:
    gone = multiprocessing.get_context("spawn").Process(target=int)
    gone.start()
    gone.join()
    dead, alive = gone.pid, os.getppid()
    stale = tmp_path / f".f.json.{dead}.0a1b2c3d.tmp"
    live = tmp_path / f".f.json.{alive}.0a1b2c3d.tmp"  # a writer still at work
    old_form = tmp_path / ".f.json.k2j3h4.tmp"  # an earlier naming, a day old
    other = tmp_path / f".g.json.{dead}.0a1b2c3d.tmp"  # another entry's
    for p in (stale, live, old_form, other):
        p.write_text("partial")
    os.utime(old_form, (time.time() - 86400, time.time() - 86400))
    files.atomic_write_json(tmp_path / "f.json", {"a": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["f.json", live.name, other.name])


def test_temporary_files_are_ignored_by_git() -> None:
    ignored = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().splitlines()
    assert "*.tmp" in ignored
