"""Atomic writes never leave half a file; the lock keeps two processes apart."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from cnnnotes import cache


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.json"
    cache.atomic_write_json(target, {"b": 1, "a": [1, 2]})
    cache.atomic_write_json(target, {"c": "합성곱"})
    assert cache.read_json(target) == {"c": "합성곱"}
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.txt"
    cache.atomic_write_text(target, "old")

    def disk_full(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "fsync", disk_full)
    with pytest.raises(OSError, match="disk full"):
        cache.atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_read_json_is_none_for_missing_or_corrupt_files(tmp_path: Path) -> None:
    assert cache.read_json(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert cache.read_json(tmp_path / "bad.json") is None


def _hold(path: str, log: str, tag: str) -> None:
    with cache.lock(Path(path)):
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
