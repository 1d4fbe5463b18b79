"""Training is deterministic, resumes exactly after SIGKILL, is never poisoned, runs safely twice.

Tiny generated data (200 training and 50 test images) keep each test to seconds.
Tests that kill or race processes run training in subprocesses with the same
thread settings, so every compared history comes from identically configured TF.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
from fakedata import tiny_arrays, write_image_tree

from cnnnotes.data import from_arrays
from cnnnotes.experiments.runs.cases import CASES, QUICK
from cnnnotes.experiments.runs.folder import load_run, load_weights, read_run_dir, run_dir
from cnnnotes.experiments.runs.record import HISTORY_KEYS
from cnnnotes.experiments.training.loop import train

pytest.importorskip("tensorflow")

ROOT = Path(__file__).resolve().parents[3]
PROFILE = dataclasses.replace(QUICK, epochs=2)
ENV = {
    **os.environ,
    "PYTHONPATH": str(ROOT),
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}


@pytest.fixture(scope="module")
def data():
    return from_arrays(*tiny_arrays())


@pytest.fixture(scope="module")
def first(data, tmp_path_factory):
    """One finished run of Case 5 (dropout, Adam) and its log lines."""
    lines: list[str] = []
    store = tmp_path_factory.mktemp("store")
    outcome = train(CASES["case5"], PROFILE, data, store=store, log=lines.append)
    assert outcome.trained and outcome.ignored == ()
    return store, outcome.run, lines


def test_progress_lines_show_epoch_metrics_seconds_and_eta(first):
    _, _, lines = first
    epochs = [ln for ln in lines if " epoch " in ln]
    assert len(epochs) == 2
    assert epochs[0].startswith("[quick/case5/seed-0] epoch 1/2 loss ")
    for word in ("accuracy", "val_loss", "val_accuracy", "s ETA "):
        assert word in epochs[1]


def test_a_run_records_history_metrics_predictions_and_provenance(first):
    _, run, _ = first
    assert set(run.history) == set(HISTORY_KEYS) and len(run.history["loss"]) == 2
    assert len(run.epoch_seconds) == 2 and (run.epoch_seconds > 0).all()
    assert set(run.metrics) == {
        f"{part}_{m}" for part in ("train", "val", "test") for m in ("loss", "accuracy")
    }
    assert run.metrics["val_accuracy"] == run.history["val_accuracy"][-1]
    assert run.param_count == 122_570
    assert run.predicted.dtype == np.uint8 and run.probabilities.dtype == np.float16
    assert np.array_equal(run.labels, np.arange(50) % 10)
    assert np.array_equal(run.predicted, run.probabilities.argmax(1))
    prov = run.provenance
    assert prov.counts == {"fit": 160, "validation": 40, "test": 50}
    assert prov.dataset.source == "arrays" and prov.dataset.origin == "other"
    assert prov.dataset.fingerprint == run.key_inputs["dataset"]
    assert set(prov.versions) >= {"tensorflow", "keras", "numpy"}
    assert prov.hardware.cpu and prov.resumed_after_epochs == ()
    assert set(prov.threads) == {"intra_op", "inter_op", "OMP_NUM_THREADS"}
    assert prov.setup_seconds > 0 and 0 < prov.evaluation_seconds < prov.wall_seconds
    history = json.loads((run.path / "history.json").read_text())
    assert len(history["cpu_seconds"]) == 2 and min(history["cpu_seconds"]) > 0


def test_exported_weights_are_keyed_by_layer_name(first, tmp_path):
    _, run, _ = first
    weights = load_weights(run.path)
    assert weights["conv1/kernel"].shape == (3, 3, 3, 32)
    assert weights["dense2/bias"].shape == (10,)
    assert sum(w.size for w in weights.values()) == run.param_count


def test_a_finished_run_is_taken_from_the_store_without_training(first, data):
    store, run, _ = first
    lines: list[str] = []
    again = train(CASES["case5"], PROFILE, data, store=store, log=lines.append)
    assert again.run.key == run.key and again.run.path == run.path
    assert not again.trained


def test_same_seed_twice_gives_identical_runs(first, data, tmp_path):
    _, run, _ = first
    again = train(CASES["case5"], PROFILE, data, store=tmp_path, log=lambda _: None).run
    for k in HISTORY_KEYS:
        assert np.array_equal(again.history[k], run.history[k]), k
    assert np.array_equal(again.probabilities, run.probabilities)
    assert again.metrics == run.metrics


def test_another_seed_gives_another_run(first, data, tmp_path):
    _, run, _ = first
    other = train(CASES["case5"], PROFILE, data, seed=1, store=tmp_path, log=lambda _: None).run
    assert other.key != run.key
    assert not np.array_equal(other.history["loss"], run.history["loss"])


def test_a_damaged_run_or_checkpoint_is_ignored_and_rebuilt(first, data, tmp_path):
    store, run, _ = first
    shutil.copytree(store, tmp_path, dirs_exist_ok=True)
    entry = tmp_path / "runs" / run.key
    (entry / "predictions.npz").write_bytes(b"PK garbage")
    (entry / "checkpoints" / "epoch-0002.npz").write_bytes(b"PK garbage")
    outcome = train(CASES["case5"], PROFILE, data, store=tmp_path, log=lambda _: None)
    rebuilt = outcome.run
    assert outcome.trained
    assert [why.split(":")[0] for why in outcome.ignored] == [
        f"damaged finished run {run.key[:12]}",
        "checkpoint epoch-0002.npz",
    ]
    assert rebuilt.provenance.resumed_after_epochs == (1,)
    for k in HISTORY_KEYS:
        assert np.array_equal(rebuilt.history[k], run.history[k]), k
    assert np.array_equal(rebuilt.probabilities, run.probabilities)


# --- subprocesses -----------------------------------------------------------------------------

_HELPER = """
import dataclasses, json, sys, time
from pathlib import Path
import numpy as np
from cnnnotes.experiments.runs.cases import CASES, QUICK
from cnnnotes.data import from_arrays
from cnnnotes.experiments.training.loop import train

store, case, mode, arrays = Path(sys.argv[1]), sys.argv[2], sys.argv[3], np.load(sys.argv[4])
data = from_arrays(arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"])

def log(line):
    print(line, flush=True)
    if mode == "stall" and " epoch 1/" in line:
        time.sleep(300)

out = train(CASES[case], dataclasses.replace(QUICK, epochs=4), data, store=store, log=log)
print("RESULT", json.dumps({"path": str(out.run.path), "trained": out.trained}), flush=True)
"""


@pytest.fixture(scope="module")
def arrays_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    x_train, y_train, x_test, y_test = tiny_arrays()
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path


def _start(store: Path, case: str, mode: str, arrays: Path) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-c", _HELPER, str(store), case, mode, str(arrays)]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV, cwd=ROOT
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[bool, Path]:
    """Whether the helper trained its run (not took it from the store), and the run's folder."""
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, out
    result = json.loads(out.rsplit("RESULT ", 1)[1])
    return result["trained"], Path(result["path"])


def test_resume_after_sigkill_reproduces_the_uninterrupted_run(tmp_path, arrays_file):
    reference = _start(tmp_path / "a", "case4", "plain", arrays_file)
    victim = _start(tmp_path / "b", "case4", "stall", arrays_file)
    deadline = time.monotonic() + 240
    while not list((tmp_path / "b").glob("runs/*/checkpoints/epoch-0001.npz")):
        assert victim.poll() is None and time.monotonic() < deadline, victim.stdout
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=60)
    assert victim.returncode == -signal.SIGKILL
    (entry,) = (tmp_path / "b" / "runs").glob("*/")
    assert not (entry / "run.json").exists()

    _, resumed_path = _finish(_start(tmp_path / "b", "case4", "plain", arrays_file))
    _, reference_path = _finish(reference)
    resumed, uninterrupted = read_run_dir(resumed_path), read_run_dir(reference_path)
    assert resumed.provenance.resumed_after_epochs == (1,)
    for k in HISTORY_KEYS:
        assert np.array_equal(resumed.history[k], uninterrupted.history[k]), k
    assert np.array_equal(resumed.probabilities, uninterrupted.probabilities)
    assert resumed.metrics == uninterrupted.metrics
    assert load_weights(resumed_path).keys() == load_weights(reference_path).keys()
    for name, w in load_weights(resumed_path).items():
        assert np.array_equal(w, load_weights(reference_path)[name]), name


def test_two_concurrent_invocations_train_once_and_share_the_run(tmp_path, arrays_file):
    procs = [_start(tmp_path, "baseline", "plain", arrays_file) for _ in range(2)]
    (trained1, path1), (trained2, path2) = (_finish(p) for p in procs)
    assert path1 == path2
    assert sorted([trained1, trained2]) == [False, True]  # one trained, one waited and took it
    assert len(list((tmp_path / "runs").glob("*/run.json"))) == 1
    run = read_run_dir(path1)
    assert run.history["loss"][-1] < run.history["loss"][0]  # it learned something
    assert run.metrics["test_accuracy"] == pytest.approx(np.mean(run.predicted == run.labels))


# --- the CLI ----------------------------------------------------------------------------------


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "PYTHONPATH": str(project), "CNNNOTES_CACHE_DIR": str(project / "cache")}
    cmd = [sys.executable, "-m", "cnnnotes", *args, "--profile", "quick", "--source", "data",
           "--results", "results", "--case", "case4", "case5"]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=project, timeout=240)


def _record_bytes(project: Path, case: str) -> bytes:
    return (run_dir(project / "results", "quick", case) / "run.json").read_bytes()


def test_cli_trains_exactly_the_run_whose_case_was_edited(tmp_path):
    shutil.copytree(
        ROOT / "cnnnotes", tmp_path / "cnnnotes", ignore=shutil.ignore_patterns("__py*")
    )
    write_image_tree(tmp_path / "data")
    dry = _cli(tmp_path, "train", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "quick/case4/seed-0  missing  no recorded time" in dry.stdout
    assert "2 run(s) to train" in dry.stdout
    first = _cli(tmp_path, "train")
    assert first.returncode == 0, first.stderr
    records = {c: _record_bytes(tmp_path, c) for c in ("case4", "case5")}
    assert _cli(tmp_path, "status", "--check").returncode == 0

    cases_py = tmp_path / "cnnnotes" / "experiments" / "runs" / "cases.py"
    cases_py.write_text(cases_py.read_text().replace("dropout=0.2)", "dropout=0.3)"))
    check = _cli(tmp_path, "status", "--check")
    assert check.returncode == 1
    assert "quick/case4     seed-0  fresh" in check.stdout
    assert "quick/case5     seed-0  stale (case: dropout 0.2 → 0.3)" in check.stdout
    assert "~0 min" in _cli(tmp_path, "train", "--dry-run").stdout  # a recorded time now

    second = _cli(tmp_path, "train")
    assert second.returncode == 0, second.stderr
    assert _record_bytes(tmp_path, "case4") == records["case4"]  # fresh: left alone
    assert _record_bytes(tmp_path, "case5") != records["case5"]
    assert load_run(tmp_path / "results", "quick", "case5").key_inputs["case"]["dropout"] == 0.3
    assert _cli(tmp_path, "status", "--check").returncode == 0
    records = {c: _record_bytes(tmp_path, c) for c in ("case4", "case5")}

    # Other data never replaces committed runs unless asked, and is refused before training.
    (tmp_path / "data" / "train" / "cat" / "0003.png").unlink()
    refused = _cli(tmp_path, "train")
    assert refused.returncode == 2
    assert {c: _record_bytes(tmp_path, c) for c in ("case4", "case5")} == records
    (line,) = refused.stderr.strip().splitlines()
    assert "quick/case4/seed-0: the committed run differs (dataset: fingerprint" in line
    assert "--replace" in line and "--results DIR" in line


def test_results_that_are_a_file_are_refused_before_training(tmp_path):
    (tmp_path / "results").write_text("not a folder")
    proc = _cli(tmp_path, "train")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "cnnnotes: error: --results: results is not a folder"


def test_a_split_that_leaves_no_training_images_is_a_profile_error(data, tmp_path):
    from cnnnotes.experiments.runs.cases import CaseError

    profile = dataclasses.replace(PROFILE, train_subset=None)
    tiny = from_arrays(*(a[:1] for a in tiny_arrays()))
    with pytest.raises(CaseError, match=r"validation_split.*one side empty"):
        train(CASES["baseline"], profile, tiny, store=tmp_path, log=lambda _: None)
    assert not list(tmp_path.glob("runs/*/run.json"))


def test_cases_the_statistics_pair_start_from_the_same_weights_for_a_seed():
    from cnnnotes.experiments.runs.stats import paired
    from cnnnotes.experiments.training import numerics

    def initial(case: str, seed: int) -> list[np.ndarray]:
        return [w.numpy() for w in numerics.start(CASES[case], seed).trainable_weights]

    base = initial("baseline", 3)
    for case in CASES:
        same = len(base) == len(other := initial(case, 3)) and all(
            a.shape == b.shape and np.array_equal(a, b) for a, b in zip(base, other, strict=True)
        )
        assert same is paired(CASES["baseline"], CASES[case]), case
    assert not np.array_equal(initial("baseline", 4)[0], base[0])


def test_a_seed_picks_among_the_planned_seeds_of_each_case(tmp_path: Path) -> None:
    from cnnnotes.experiments.runs.cases import NOTES, CaseError
    from cnnnotes.experiments.training.plan import plan

    cases = [CASES["baseline"], CASES["case1"]]  # Case 1 plans seeds 0-2 only
    chosen = plan(NOTES, cases, "f" * 64, tmp_path, seeds=[4])
    assert [(p.case.name, p.seed) for p in chosen.items] == [("baseline", 4)]
    with pytest.raises(CaseError, match=r"seed 7: not planned .* case1 0, 1, 2"):
        plan(NOTES, cases, "f" * 64, tmp_path, seeds=[7])


@pytest.mark.parametrize("fingerprint", ["same", "other"])
def test_a_corrupt_committed_run_is_refused_unless_replace(tmp_path, fingerprint):
    from fakeruns import FP, publish_all

    from cnnnotes.experiments.runs.cases import CaseError
    from cnnnotes.experiments.runs.folder import run_dir
    from cnnnotes.experiments.training.plan import plan

    results = publish_all(tmp_path)
    (run_dir(results, "quick", "case2") / "history.json").write_text("{}")
    fp = FP if fingerprint == "same" else "0" * 64
    cases = [CASES["case2"]]
    with pytest.raises(CaseError, match=r"quick/case2/seed-0: the committed run is corrupt \("):
        plan(QUICK, cases, fp, results)
    again = plan(QUICK, cases, fp, results, replace=True)
    assert [p.case.name for p in again.items] == ["case2"]
