"""Committed runs are read back without TensorFlow, and damage is reported, never hidden."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnnotes.results import (
    FORMAT,
    ResultsError,
    load_all,
    load_run,
    load_weights,
    read_run_dir,
    run_dir,
)

ROOT = Path(__file__).resolve().parents[1]


def _npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def write_run(folder: Path, case: str = "baseline", profile: str = "quick", epochs: int = 3):
    """A committed-run folder with made-up numbers, in the layout train/publish write."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    hist = {k: list(rng.random(epochs)) for k in ("loss", "accuracy", "val_loss", "val_accuracy")}
    hist["seconds"] = [1.5] * epochs
    probs = rng.random((7, 10)).astype(np.float16)
    (folder / "history.json").write_text(json.dumps(hist))
    (folder / "predictions.npz").write_bytes(
        _npz(labels=np.arange(7, dtype=np.uint8), predicted=probs.argmax(1), probabilities=probs)
    )
    (folder / "weights.npz").write_bytes(_npz(**{"conv1/kernel": np.ones((3, 3, 3, 32))}))
    meta = {
        "format": FORMAT,
        "case": case,
        "profile": profile,
        "key": "k" * 64,
        "key_inputs": {"case": {}, "profile": {}, "dataset": "d", "code": "c"},
        "epochs": epochs,
        "metrics": {"test_accuracy": 0.5, "test_loss": 1.0},
        "param_count": 122570,
        "provenance": {"versions": {"tensorflow": "2.21.0"}},
    }
    (folder / "run.json").write_text(json.dumps(meta))
    return hist, probs


def test_load_run_reads_history_metrics_and_predictions(tmp_path):
    hist, probs = write_run(run_dir(tmp_path, "quick", "case3"), case="case3")
    run = load_run(tmp_path, "quick", "case3")
    assert np.array_equal(run.history["val_accuracy"], hist["val_accuracy"])
    assert run.history["loss"].dtype == np.float64
    assert np.array_equal(run.epochs, [1, 2, 3])
    assert np.array_equal(run.epoch_seconds, [1.5] * 3)
    assert run.metrics["test_accuracy"] == 0.5
    assert run.param_count == 122570
    assert np.array_equal(run.probabilities, probs)
    assert np.array_equal(run.predicted, probs.argmax(1))
    assert run.provenance["versions"]["tensorflow"] == "2.21.0"


def test_a_folder_without_run_json_is_not_a_finished_run(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    (folder / "run.json").unlink()
    with pytest.raises(ResultsError, match=r"run\.json is missing"):
        load_run(tmp_path, "quick", "baseline")


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("run.json", b"{not json"),
        ("history.json", b'{"loss": [1]}'),
        ("predictions.npz", b"PK\x03\x04 truncated"),
    ],
)
def test_a_damaged_file_raises_an_error_naming_the_path(tmp_path, name, damage):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    (folder / name).write_bytes(damage)
    with pytest.raises(ResultsError, match=r"path: .*baseline"):
        read_run_dir(folder)


def test_history_shorter_than_the_recorded_epochs_is_rejected(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    meta = json.loads((folder / "run.json").read_text())
    (folder / "run.json").write_text(json.dumps({**meta, "epochs": 4}))
    with pytest.raises(ResultsError, match="4 epochs"):
        read_run_dir(folder)


def test_a_run_filed_under_the_wrong_case_is_rejected(tmp_path):
    write_run(run_dir(tmp_path, "quick", "case1"), case="case2")
    with pytest.raises(ResultsError, match="case: "):
        load_run(tmp_path, "quick", "case1")


def test_load_all_returns_readable_runs_and_skips_the_rest(tmp_path):
    write_run(run_dir(tmp_path, "quick", "baseline"))
    write_run(run_dir(tmp_path, "quick", "case4"), case="case4")
    (run_dir(tmp_path, "quick", "case5")).mkdir(parents=True)
    assert sorted(load_all(tmp_path, "quick")) == ["baseline", "case4"]
    assert list(load_all(tmp_path, "quick", ["case4", "case1"])) == ["case4"]
    assert load_all(tmp_path, "notes") == {}


def test_load_weights_reads_a_file_or_a_run_folder(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    assert load_weights(folder)["conv1/kernel"].shape == (3, 3, 3, 32)
    assert set(load_weights(folder / "weights.npz")) == {"conv1/kernel"}
    with pytest.raises(ResultsError, match="missing"):
        load_weights(tmp_path)


_NO_TF = """
import sys
sys.modules["tensorflow"] = None
sys.modules["keras"] = None
from pathlib import Path
from cnnnotes.results import load_run
from cnnnotes.cli import main
run = load_run(Path(sys.argv[1]), "quick", "baseline")
print("loaded", run.param_count)
import cnnnotes.train, cnnnotes.model  # importable: TensorFlow is imported lazily
sys.exit(main(["status", "--profile", "quick", "--results", sys.argv[1]]))
"""


def test_results_and_status_work_without_tensorflow(tmp_path):
    write_run(run_dir(tmp_path, "quick", "baseline"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _NO_TF, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "loaded 122570" in proc.stdout
    assert "quick/baseline  stale" in proc.stdout
    assert "quick/case1     missing" in proc.stdout
    assert "tensorflow" not in proc.stderr.lower()
