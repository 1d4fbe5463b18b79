"""Committed runs are read back without TensorFlow, and damage is reported, never hidden."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnnotes.experiments.runs.folder import (
    encode_outputs,
    load_all,
    load_run,
    load_seeds,
    load_weights,
    read_run_dir,
    run_dir,
    seed_dirs,
    write_run_dir,
)
from cnnnotes.experiments.runs.record import CorruptRunError, ResultsError

ROOT = Path(__file__).resolve().parents[3]


def write_run(
    folder: Path, case: str = "baseline", profile: str = "quick", epochs: int = 3, seed: int = 0
):
    """A committed-run folder with made-up numbers, written by the one run-folder writer."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    hist = {k: list(rng.random(epochs)) for k in ("loss", "accuracy", "val_loss", "val_accuracy")}
    hist["seconds"] = [1.5] * epochs
    probs = rng.random((8, 10)).astype(np.float16)
    labels = np.where(np.arange(8) < 4, probs.argmax(1), (probs.argmax(1) + 1) % 10)
    outputs = encode_outputs(hist, labels, probs, {"conv1/kernel": np.ones((3, 3, 3, 32))})
    meta = {
        "case": case,
        "profile": profile,
        "seed": seed,
        "key": "k" * 64,
        "key_inputs": {"case": {}, "profile": {}, "seed": seed, "dataset": "d", "code": "c"},
        "epochs": epochs,
        "metrics": {
            "test_accuracy": 0.5,
            "test_loss": 1.0,
            "val_loss": hist["val_loss"][-1],
            "val_accuracy": hist["val_accuracy"][-1],
        },
        "param_count": 122570,
        "provenance": {"versions": {"tensorflow": "2.21.0"}},
    }
    write_run_dir(folder, meta, outputs)
    return hist, probs


def _rewrite_record(folder: Path, **changes) -> None:
    meta = json.loads((folder / "run.json").read_text())
    (folder / "run.json").write_text(json.dumps({**meta, **changes}))


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
    assert run.seed == 0 and run.path.name == "seed-0" and run.has_weights
    assert run.provenance.versions["tensorflow"] == "2.21.0"


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


def test_history_shorter_than_the_recorded_epochs_is_corrupt(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    _rewrite_record(folder, epochs=4)
    with pytest.raises(CorruptRunError, match="4 epochs"):
        read_run_dir(folder)


@pytest.mark.parametrize("name", ["history.json", "predictions.npz", "weights.npz"])
def test_an_altered_or_deleted_file_is_corrupt_and_named(tmp_path, name):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data.replace(b"0", b"1", 1) if name.endswith("json") else data[:-1])
    with pytest.raises(CorruptRunError, match=rf"{name} does not match the sha256"):
        read_run_dir(folder)
    (folder / name).unlink()
    with pytest.raises(CorruptRunError, match=rf"{name} is missing"):
        read_run_dir(folder)


def test_a_record_that_disagrees_with_its_files_is_corrupt(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    metrics = json.loads((folder / "run.json").read_text())["metrics"]
    _rewrite_record(folder, metrics={**metrics, "test_accuracy": 0.918})
    with pytest.raises(
        CorruptRunError, match=r"test accuracy 0\.9180, its predictions give 0\.5000"
    ):
        read_run_dir(folder)
    _rewrite_record(folder, metrics={**metrics, "val_accuracy": 0.918})
    with pytest.raises(CorruptRunError, match=r"val_accuracy 0\.918, its history ends"):
        read_run_dir(folder)


def test_a_run_filed_under_the_wrong_case_or_seed_is_rejected(tmp_path):
    write_run(run_dir(tmp_path, "quick", "case1"), case="case2")
    with pytest.raises(ResultsError, match="holds quick/case2 seed 0, expected quick/case1"):
        load_run(tmp_path, "quick", "case1")
    write_run(run_dir(tmp_path, "quick", "case3", 2), case="case3", seed=1)
    with pytest.raises(ResultsError, match="seed 1, expected quick/case3 seed 2"):
        load_run(tmp_path, "quick", "case3", 2)


def test_load_all_skips_missing_runs_and_raises_on_corrupt_ones(tmp_path):
    write_run(run_dir(tmp_path, "quick", "baseline"))
    write_run(run_dir(tmp_path, "quick", "case4"), case="case4")
    run_dir(tmp_path, "quick", "case5").mkdir(parents=True)
    assert sorted(load_all(tmp_path, "quick")) == ["baseline", "case4"]
    assert list(load_all(tmp_path, "quick", ["case4", "case1"])) == ["case4"]
    assert load_all(tmp_path, "notes") == {}
    (run_dir(tmp_path, "quick", "case4") / "predictions.npz").unlink()
    with pytest.raises(CorruptRunError, match=r"predictions\.npz is missing"):
        load_all(tmp_path, "quick")


def test_load_seeds_reads_every_committed_seed(tmp_path):
    for seed in (0, 1, 3):
        write_run(run_dir(tmp_path, "quick", "case3", seed), case="case3", seed=seed)
    assert list(load_seeds(tmp_path, "quick", "case3")) == [0, 1, 3]
    assert list(seed_dirs(tmp_path, "quick", "case3")) == [0, 1, 3]


def test_load_weights_reads_a_file_or_a_run_folder(tmp_path):
    folder = run_dir(tmp_path, "quick", "baseline")
    write_run(folder)
    assert load_weights(folder)["conv1/kernel"].shape == (3, 3, 3, 32)
    assert set(load_weights(folder / "weights.npz")) == {"conv1/kernel"}
    with pytest.raises(ResultsError, match="missing"):
        load_weights(tmp_path)
    (folder / "weights.npz").write_bytes(b"other bytes")
    with pytest.raises(CorruptRunError, match="sha256"):
        load_weights(folder)


_NO_TF = """
import sys
sys.modules["tensorflow"] = None
sys.modules["keras"] = None
from pathlib import Path
from cnnnotes.experiments.runs.folder import load_run
from cnnnotes.cli import main
run = load_run(Path(sys.argv[1]), "quick", "baseline")
print("loaded", run.param_count)
# importable: TensorFlow is imported lazily
import cnnnotes.experiments.training.loop, cnnnotes.experiments.training.model
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
    assert "quick/baseline  seed-0  stale" in proc.stdout
    assert "quick/case1     seed-0  missing" in proc.stdout
    assert "tensorflow" not in proc.stderr.lower()


# --- typed records --------------------------------------------------------------------------------


def test_every_committed_record_reads_into_typed_records_and_writes_back_the_same():
    from cnnnotes.experiments.runs.record import RunRecord

    folders = sorted((ROOT / "results" / "runs").glob("*/*/seed-*"))
    assert folders
    for folder in folders:
        meta = json.loads((folder / "run.json").read_text())
        record = RunRecord.from_dict(meta)
        assert record.to_dict() == {k: v for k, v in meta.items() if k not in ("files", "format")}
        assert record.files == meta["files"]
        assert record.provenance.dataset.origin == "jpeg"  # derived once, from the note


def test_dataset_origin_is_jpeg_official_or_other():
    from cnnnotes.data.info import NOTE_FOLDER, NOTE_JPEG, DatasetInfo

    def info(official: bool, note: str) -> DatasetInfo:
        return DatasetInfo("folder", "x", official, {}, "f" * 64, note)

    assert info(False, NOTE_JPEG).origin == "jpeg"
    assert info(True, "").origin == "official"
    assert info(False, NOTE_FOLDER).origin == "other"
    old = {"source": "x.tar.gz", "jpeg_recompressed": True, "fingerprint": "f"}  # no note
    assert DatasetInfo.from_dict(old).origin == "jpeg"
    assert DatasetInfo.from_dict(info(True, "").to_dict()) == info(True, "")


def test_the_npz_writer_is_deterministic_and_numpy_reads_it(tmp_path):
    import io

    from cnnnotes.files import npz_bytes

    arrays = {"a": np.arange(6).reshape(2, 3), "meta": np.array(json.dumps({"k": 1}))}
    for compress in (True, False):
        blob = npz_bytes(arrays, compress=compress)
        assert blob == npz_bytes(arrays, compress=compress)
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            assert np.array_equal(npz["a"], arrays["a"]) and str(npz["meta"]) == '{"k": 1}'
