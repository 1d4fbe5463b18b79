"""cnnnotes.bounded: reads refuse FIFOs, devices, escaping names and oversized files in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnnnotes.bounded import confined, human_size, read_bounded
from cnnnotes.errors import PathError


def test_a_regular_file_under_its_limit_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 100)
    assert read_bounded(tmp_path / "f", 100) == b"x" * 100


def test_a_file_over_its_limit_is_refused_naming_it_and_the_kind(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 101)
    with pytest.raises(PathError, match=r"f is 101 bytes, more than the 100 bytes a thing may be"):
        read_bounded(tmp_path / "f", 100, "a thing")


def test_a_fifo_is_refused_at_once_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(PathError, match="is a FIFO"):
        read_bounded(tmp_path / "pipe", 100)


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(PathError, match="is a character device"):
        read_bounded(tmp_path / "zero", 100)


def test_a_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PathError, match=r"does not exist: .*nope"):
        read_bounded(tmp_path / "nope", 100)


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "", "/etc/passwd"])
def test_a_name_that_is_not_plain_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(PathError, match="not a plain file name"):
        confined(tmp_path, name)


def test_a_link_that_leads_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "secret").write_text("x")
    (tmp_path / "run" / "f").symlink_to(tmp_path / "secret")
    with pytest.raises(PathError, match="leads out of"):
        confined(tmp_path / "run", "f")


def test_a_link_inside_its_folder_is_confined(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x")
    (tmp_path / "b").symlink_to("a")
    assert confined(tmp_path, "b") == tmp_path / "b"


@pytest.mark.parametrize(("n", "text"), [(5, "5 bytes"), (48 * 1024, "48 KB"), (3 << 30, "3 GB")])
def test_human_size_picks_the_largest_unit(n: int, text: str) -> None:
    assert human_size(n) == text
