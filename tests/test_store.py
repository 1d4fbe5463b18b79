"""Run keys are honest and finished entries are never poisoned.

Everything here runs without training: finished runs are written with made-up
numbers through the same functions training uses (see ``fakeruns.py``).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fakeruns import FP, fake_run, publish_all

from cnnnotes.cases import CASES, QUICK
from cnnnotes.results import ResultsError, load_run, load_weights, run_dir
from cnnnotes.store import (
    COMMITTED_WEIGHTS,
    clear_finished,
    export_weights,
    read_finished,
    run_key,
    run_key_inputs,
    training_code_key,
)

ROOT = Path(__file__).resolve().parents[1]
BASE = CASES["baseline"]


# --- keys -------------------------------------------------------------------------------------


def _key(case=BASE, profile=QUICK, fp=FP, code="c"):
    return run_key(run_key_inputs(case, profile, fp, code))


@pytest.mark.parametrize(
    "change",
    [
        {"filters": (64, 64, 64)},
        {"kernel_size": 5},
        {"pool_size": 1},
        {"dense_units": 128},
        {"dropout": 0.1},
        {"optimizer": "adam"},
        {"learning_rate": 1e-4},
    ],
)
def test_key_changes_when_a_case_field_changes(change):
    assert _key(dataclasses.replace(BASE, **change)) != _key()


def test_key_ignores_the_case_name_titles_and_assumptions():
    other = dataclasses.replace(BASE, name="renamed", title_ko="가", title_en="b", assumed_en="c")
    assert _key(other) == _key()


@pytest.mark.parametrize(
    "change",
    [{"epochs": 3}, {"batch_size": 32}, {"validation_split": 0.1}, {"train_subset": 10},
     {"test_subset": None}, {"seed": 1}],
)  # fmt: skip
def test_key_changes_when_the_profile_changes(change):
    assert _key(profile=dataclasses.replace(QUICK, **change)) != _key()


def test_key_changes_with_the_dataset_fingerprint_and_the_training_code():
    assert _key(fp="0" * 64) != _key()
    assert _key(code="other") != _key()


_PRINT_CODE_KEY = "from cnnnotes.store import training_code_key; print(training_code_key())"


def _code_key_of_edited_copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> str:
    """The training code key computed in a copy of the package with ``edits`` applied."""
    dest = tmp_path / f"copy{len(list(tmp_path.iterdir()))}"
    shutil.copytree(ROOT / "cnnnotes", dest / "cnnnotes", ignore=shutil.ignore_patterns("__py*"))
    for name, (old, new) in edits.items():
        path = dest / "cnnnotes" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(dest), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-c", _PRINT_CODE_KEY]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=dest, check=True)
    return out.stdout.strip()


_FIT = "    for epoch in range(state["
_SCALE = "        return images.astype(np.float32) / np.float32(255.0)"


@pytest.mark.parametrize(
    ("edits", "same"),
    [
        ({"train.py": (_FIT, "    # each epoch, one fit call\n" + _FIT)}, True),
        ({"train.py": ('    """Subset, split', '    """Docstring edit. Subset, split')}, True),
        ({"model.py": ("from keras import layers\n", "from keras import layers  # c\n")}, True),
        ({"labels.py": ('"epoch": "Epoch"', '"epoch": "epoch"')}, True),
        ({"style.py": ("__all__", "UNRELATED = 1\n__all__")}, True),
        ({"cases.py": ("dropout=0.2,", "dropout=0.3,")}, True),
        ({"train.py": (_SCALE, _SCALE.replace("255.0", "256.0"))}, False),
        ({"model.py": ('"relu", name="conv1"', '"tanh", name="conv1"')}, False),
        ({"cases.py": ("    kernel_size: int = 3\n", "    kernel_size: int = 5\n")}, False),
    ],
    ids=["comment", "docstring", "model-comment", "labels", "style", "case-table",
         "train-code", "model-code", "case-class"],
)  # fmt: skip
def test_training_code_key_follows_code_not_comments_or_unrelated_modules(tmp_path, edits, same):
    assert (_code_key_of_edited_copy(tmp_path, edits) == training_code_key()) is same


def test_training_code_key_of_an_unedited_copy_is_the_same(tmp_path):
    assert _code_key_of_edited_copy(tmp_path, {}) == training_code_key()


# --- finished entries ---------------------------------------------------------------------------


def test_a_finished_entry_is_read_back_only_with_its_key(tmp_path):
    run = fake_run(tmp_path)
    assert read_finished(run.path, run.key) is not None
    assert read_finished(run.path, "0" * 64) is None


@pytest.mark.parametrize("name", ["history.json", "predictions.npz", "weights.npz", "run.json"])
def test_a_damaged_or_missing_file_makes_the_entry_unfinished(tmp_path, name):
    run = fake_run(tmp_path)
    data = (run.path / name).read_bytes()
    (run.path / name).write_bytes(data[:-7] + b"garbage")
    assert read_finished(run.path, run.key) is None
    (run.path / name).unlink()
    assert read_finished(run.path, run.key) is None


def test_clear_finished_removes_outputs_but_keeps_checkpoints(tmp_path):
    run = fake_run(tmp_path)
    (run.path / "checkpoints").mkdir()
    (run.path / "checkpoints" / "epoch-0001.npz").write_bytes(b"x")
    clear_finished(run.path)
    assert sorted(p.name for p in run.path.iterdir()) == ["checkpoints"]


def test_publish_copies_small_outputs_and_weights_of_the_baseline_only(tmp_path):
    results = publish_all(tmp_path)
    assert COMMITTED_WEIGHTS == ("baseline",)
    for case in CASES:
        files = sorted(p.name for p in run_dir(results, "quick", case).iterdir())
        expected = ["history.json", "predictions.npz", "run.json"]
        assert files == sorted([*expected, "weights.npz"] if case == "baseline" else expected)
        assert load_run(results, "quick", case).key == _key(CASES[case], QUICK, FP, None)
    weights = load_weights(run_dir(results, "quick", "baseline"))
    assert weights["conv1/kernel"].shape == (3, 3, 3, 32)


def test_export_weights_writes_a_layer_keyed_npz(tmp_path):
    run = fake_run(tmp_path)
    out = export_weights(run, tmp_path / "w" / "baseline.npz")
    assert set(load_weights(out)) == {"conv1/kernel"}
    published = load_run(publish_all(tmp_path), "quick", "case3")
    with pytest.raises(ResultsError, match="no weights"):
        export_weights(published, tmp_path / "x.npz")
