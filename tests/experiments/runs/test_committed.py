"""cnnnotes.experiments.runs.committed: a bad changes.json or dataset file is one line naming it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from cnnnotes.experiments.runs.changes import ChangesError, load
from cnnnotes.experiments.runs.committed import problems
from cnnnotes.files import npz_bytes


def test_no_committed_files_are_no_problems(tmp_path: Path) -> None:
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{oops", r"changes\.json: not JSON: .*\(line 1, column 2\)"),
        ("[1, 2, 3]", r"changes\.json: the file must be an object"),
        ('{"date": "2026-01-01", "snapshot": {"verdicts": {}, "headlines": []}}',
         r"snapshot\.headlines must be an object"),
        ('{"date": "d", "snapshot": {"verdicts": {}, "headlines": {}}, "changes": [{"kind": 1}]}',
         r"changes\[0\] must be an object with case, date, key, kind, new, old"),
    ],
)  # fmt: skip
def test_a_malformed_changes_record_is_refused_naming_the_field(tmp_path, text, match) -> None:
    (tmp_path / "changes.json").write_text(text)
    with pytest.raises(ChangesError, match=match):
        load(tmp_path)
    (line,) = problems(tmp_path)
    assert "\n" not in line and "changes.json" in line


def test_a_changes_record_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "changes.json")
    with pytest.raises(ChangesError, match="is a FIFO"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("npz", "info", "match"),
    [
        (b"garbage", None, r"excerpt\.npz is not a readable \.npz"),
        (None, "{", r"info\.json is not JSON"),
        (None, "[]", r"info\.json holds list, not an object"),
        ({"images": np.zeros((2, 8, 8, 3), np.uint8), "labels": np.arange(2)}, None,
         r"images are uint8 \(2, 8, 8, 3\)"),
        ({"images": np.zeros((2, 32, 32, 3), np.uint8), "labels": np.array([0, 12])}, None,
         r"labels must be integers in 0\.\.9"),
    ],
)  # fmt: skip
def test_a_bad_dataset_excerpt_is_one_line_naming_the_file(tmp_path, npz, info, match) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    good = {"images": np.zeros((2, 32, 32, 3), np.uint8), "labels": np.arange(2)}
    arrays = good if npz is None else npz
    blob = arrays if isinstance(arrays, bytes) else npz_bytes(arrays)
    (dataset / "excerpt.npz").write_bytes(blob)
    (dataset / "info.json").write_text(info if info is not None else "{}")
    (line,) = problems(tmp_path)
    assert re.search(match, line), line
