"""Run keys are honest and finished entries are never poisoned.

Everything here runs without training: finished runs are written with made-up
numbers through the same functions training uses (see ``fakeruns.py``).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fakeruns import FP, fake_run, publish_all

from cnnnotes.experiments.runs.cases import CASES, QUICK
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.folder import encode_outputs, load_run, load_weights, run_dir
from cnnnotes.experiments.runs.store import (
    WEIGHTS_LIMIT,
    clean,
    clear_finished,
    entry_dir,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)

ROOT = Path(__file__).resolve().parents[3]
BASE = CASES["baseline"]


# --- keys -------------------------------------------------------------------------------------


def _key(case=BASE, profile=QUICK, fp=FP, code="c", seed=0):
    return run_key(run_key_inputs(case, profile, seed, fp, code))


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


def test_key_ignores_the_case_name():
    other = dataclasses.replace(BASE, name="renamed")
    assert _key(other) == _key()


@pytest.mark.parametrize(
    "change",
    [{"epochs": 3}, {"batch_size": 32}, {"validation_split": 0.1}, {"train_subset": 10},
     {"test_subset": None}],
)  # fmt: skip
def test_key_changes_when_the_profile_changes(change):
    assert _key(profile=dataclasses.replace(QUICK, **change)) != _key()


def test_each_seed_is_its_own_run_and_planned_seeds_are_not_key():
    assert _key(seed=1) != _key()
    assert _key(profile=dataclasses.replace(QUICK, seeds=(0, 1, 2))) == _key()


def test_key_changes_with_the_dataset_fingerprint_and_the_training_code():
    assert _key(fp="0" * 64) != _key()
    assert _key(code="other") != _key()


# --- the code key, judged by `cnnnotes status` on a copy of the package --------------------------


def _status_of_edited_copy(tmp_path: Path, results: Path, edits, moves=()) -> dict[str, str]:
    """`cnnnotes status --json` run in a copy of the package with ``edits`` applied."""
    dest = tmp_path / f"copy{len(list(tmp_path.glob('copy*')))}"
    shutil.copytree(ROOT / "cnnnotes", dest / "cnnnotes", ignore=shutil.ignore_patterns("__py*"))
    for name, old, new in edits:
        path = dest / "cnnnotes" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    for edit in moves:
        edit(dest / "cnnnotes")
    env = {**os.environ, "PYTHONPATH": str(dest), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "cnnnotes", "status", "--profile", "quick", "--json",
           "--results", str(results)]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=dest, check=True)
    doc = json.loads(out.stdout)
    return {run["case"]: run["state"] for run in doc["runs"]}


def _reformat_every_module(package: Path) -> None:
    for path in package.rglob("*.py"):
        path.write_text(ast.unparse(ast.parse(path.read_text(encoding="utf-8"))) + "\n")


def _move_numerics_into_a_subpackage(package: Path) -> None:
    (package / "keyed").mkdir()
    (package / "keyed" / "__init__.py").write_text("")
    (package / "experiments" / "training" / "numerics.py").rename(
        package / "keyed" / "training_unit.py"
    )
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "from cnnnotes.experiments.training import numerics",
            "from cnnnotes.keyed import training_unit as numerics",
        )
        path.write_text(text, encoding="utf-8")  # fmt: skip


_LOOP_PY, _NUMERICS_PY, _MODEL_PY = (
    f"experiments/training/{m}.py" for m in ("loop", "numerics", "model")
)
_LOOP = '    n, n_val = len(arrays["x_fit"]), len(arrays["x_val"])'
_ORDER = "    order = np.random.default_rng([seed, epoch]).permutation(n)"
_STEPS = "    steps, val_steps = -(-n // batch_size), -(-n_val // batch_size)"
_SCALE = "        return images.astype(np.float32) / np.float32(255.0)"
_HARMLESS = {
    "log message": [(_LOOP_PY, "resuming after epoch", "picking up after epoch")],
    "checkpoint local": [(_LOOP_PY, '    members = {"meta": np.array(json.dumps(meta)), **arrays}',
                          '    blob = {"meta": np.array(json.dumps(meta)), **arrays}'),
                         (_LOOP_PY, "npz_bytes(members, compress=False)",
                          "npz_bytes(blob, compress=False)")],
    "loop local": [(_NUMERICS_PY, _LOOP, _LOOP.replace("n, n_val", "n_fit, n_val")),
                   (_NUMERICS_PY, _ORDER, _ORDER.replace("(n)", "(n_fit)")),
                   (_NUMERICS_PY, _STEPS, _STEPS.replace("-(-n //", "-(-n_fit //"))],
    "docstring": [(_NUMERICS_PY, '    """Subset, split', '    """Reworded. Subset, split')],
    "ops": [("ops.py", "__all__", "UNRELATED = 1\n__all__")],
    "validation": [("experiments/runs/cases.py", '"dropout", f"{self.dropout!r} not in [0, 1)"',
                    '"dropout", f"{self.dropout!r} is outside [0, 1)"')],
}  # fmt: skip
_EVERYTHING = {
    "optimizer": [(_MODEL_PY, "keras.optimizers.Adam(learning_rate=case.learning_rate)",
                   "keras.optimizers.Adam(learning_rate=case.learning_rate, epsilon=1e-6)")],
    "loss": [(_MODEL_PY, 'loss="categorical_crossentropy"',
              'loss="categorical_focal_crossentropy"')],
    "activation": [(_MODEL_PY, '"relu", name="conv1"', '"tanh", name="conv1"')],
    "scaling": [(_NUMERICS_PY, _SCALE, _SCALE.replace("255.0", "256.0"))],
    "split": [(_NUMERICS_PY, "(1.0 - profile.validation_split)",
               "(1.0 - profile.validation_split) + 1")],
    "helper": [(_NUMERICS_PY, "        take = order[i : i + size]",
                "        take = np.sort(order[i : i + size])")],
}  # fmt: skip


@pytest.fixture(scope="module")
def fresh_results(tmp_path_factory):
    """Fake runs of every case, published under today's keys."""
    return publish_all(tmp_path_factory.mktemp("runs"))


@pytest.mark.slow
@pytest.mark.parametrize("what", [*_HARMLESS, "layout", "moved"])
def test_edits_that_cannot_change_a_number_stale_no_run(tmp_path, fresh_results, what):
    moves = {"layout": [_reformat_every_module], "moved": [_move_numerics_into_a_subpackage]}
    states = _status_of_edited_copy(tmp_path, fresh_results, _HARMLESS.get(what, []),
                                    moves.get(what, []))  # fmt: skip
    assert set(states.values()) == {"fresh"}


@pytest.mark.slow
@pytest.mark.parametrize("what", list(_EVERYTHING))
def test_edits_to_the_numerics_stale_every_run(tmp_path, fresh_results, what):
    states = _status_of_edited_copy(tmp_path, fresh_results, _EVERYTHING[what])
    assert set(states.values()) == {"outdated"}


@pytest.mark.slow
def test_a_learning_rate_change_stales_exactly_that_case(tmp_path, fresh_results):
    old = 'Case("case3", optimizer="adam"'
    edit = ("experiments/runs/cases.py", old, old + ", learning_rate=2e-3")
    states = _status_of_edited_copy(tmp_path, fresh_results, [edit])
    assert states.pop("case3") == "stale"
    assert set(states.values()) == {"fresh"}


def test_the_code_key_of_an_unedited_copy_is_the_same(tmp_path):
    dest = tmp_path / "copy"
    shutil.copytree(ROOT / "cnnnotes", dest / "cnnnotes", ignore=shutil.ignore_patterns("__py*"))
    env = {**os.environ, "PYTHONPATH": str(dest), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [
        sys.executable,
        "-c",
        "from cnnnotes.experiments.runs.codekey import training_code_key as k; print(k())",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == training_code_key()


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


def test_publish_keeps_full_artifacts_for_the_first_seed_and_labels_for_the_others(tmp_path):
    profile = dataclasses.replace(QUICK, seeds=(0, 1))
    results = publish_all(tmp_path, profile, all_seeds=True)
    for case in CASES:
        first = sorted(p.name for p in run_dir(results, "quick", case, 0).iterdir())
        if CASES[case].beyond:  # an experiment keeps its history and predicted labels only
            assert first == ["history.json", "predictions.npz", "run.json"]
            continue
        assert first == ["history.json", "predictions.npz", "run.json", "weights.npz"]
        other = sorted(p.name for p in run_dir(results, "quick", case, 1).iterdir())
        assert other == ["history.json", "predictions.npz", "run.json"]
        slim = load_run(results, "quick", case, 1)
        assert slim.probabilities is None and slim.predicted.dtype == np.uint8
        assert load_run(results, "quick", case, 0).key == _key(CASES[case], profile, FP, None)
    weights = load_weights(run_dir(results, "quick", "baseline"))
    assert weights["conv1/kernel"].shape == (3, 3, 3, 32)


def test_weights_over_the_limit_are_not_published(tmp_path, monkeypatch):
    monkeypatch.setattr("cnnnotes.experiments.runs.store.WEIGHTS_LIMIT", 10)
    assert WEIGHTS_LIMIT > 10
    results = publish_all(tmp_path)
    assert not (run_dir(results, "quick", "case1") / "weights.npz").exists()
    assert load_run(results, "quick", "case1").probabilities is not None


# --- clean ---------------------------------------------------------------------------------------


def test_clean_removes_only_entries_no_current_key_uses(tmp_path):
    store = tmp_path / "store"
    used = fake_run(store, seed=0)
    unplanned = fake_run(store, seed=7)  # QUICK plans seed 0 only
    old = entry_dir(store, "0" * 64)
    (old / "checkpoints").mkdir(parents=True)
    (old / "checkpoints" / "epoch-0001.npz").write_bytes(b"not a checkpoint")
    listed = {o.path.name: o for o in clean(store, dry_run=True)}
    assert set(listed) == {unplanned.path.name, old.name}
    assert listed[unplanned.path.name].bytes > 0
    assert old.is_dir() and unplanned.path.is_dir()
    clean(store)
    assert not old.exists() and not unplanned.path.exists() and used.path.is_dir()


def test_clean_removes_a_linked_entry_as_the_link_and_never_its_target(tmp_path):
    store = tmp_path / "store"
    elsewhere = fake_run(tmp_path / "other-store", seed=7).path  # not planned: an orphan
    link = entry_dir(store, elsewhere.name)
    link.parent.mkdir(parents=True)
    link.symlink_to(elsewhere)
    (orphan,) = clean(store)
    assert orphan.path == link and orphan.bytes == 0
    assert not os.path.lexists(link) and (elsewhere / "run.json").is_file()


def test_clean_skips_a_checkpoint_that_is_a_fifo_without_blocking(tmp_path):
    entry = entry_dir(tmp_path / "store", "0" * 64)
    (entry / "checkpoints").mkdir(parents=True)
    os.mkfifo(entry / "checkpoints" / "epoch-0001.npz")
    (orphan,) = clean(tmp_path / "store", dry_run=True)
    assert orphan.why == "no readable record or checkpoint"


def test_a_later_seed_keeps_its_predicted_labels_even_where_float16_ties(tmp_path):
    profile = dataclasses.replace(QUICK, seeds=(0, 1))
    run = fake_run(tmp_path / "store", profile=profile, seed=1)
    probs = np.full((4, 10), 0.09, np.float32)
    probs[:, 0], probs[:, 1] = 0.099976, 0.099977  # ahead in float32, tied in float16
    assert probs.astype(np.float16).argmax(1).tolist() == [0, 0, 0, 0]
    history = json.loads((run.path / "history.json").read_text())
    outputs = encode_outputs(history, np.ones(4), probs, {"w": np.ones(2, np.float32)})
    meta = json.loads((run.path / "run.json").read_text())
    write_finished(run.path, {k: v for k, v in meta.items() if k != "files"}, outputs)
    again = read_finished(run.path, run.key)
    assert again is not None and again.predicted.tolist() == [1, 1, 1, 1]
    publish(again, tmp_path / "results", profile)
    published = load_run(tmp_path / "results", "quick", "baseline", 1)
    assert published.predicted.tolist() == [1, 1, 1, 1]
    assert published.probabilities is None
