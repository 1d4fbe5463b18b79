"""`cnnnotes kernels`: initial and trained first-layer kernels kept beside a committed run,
from its weights or from a retrain that reproduces it bit for bit, else nothing written."""

from __future__ import annotations

import dataclasses
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
from fakedata import tiny_arrays

from cnnnotes.data import from_arrays
from cnnnotes.experiments.runs.cases import CASES, QUICK
from cnnnotes.experiments.runs.folder import (
    load_kernels,
    load_weights,
    read_run_dir,
    run_dir,
    run_files,
    write_run_dir,
)
from cnnnotes.experiments.runs.record import HISTORY, KERNELS, RECORD
from cnnnotes.experiments.runs.store import publish

pytest.importorskip("tensorflow")

from cnnnotes.experiments.training.kernels import ReproductionError, initial_kernels, keep_kernels
from cnnnotes.experiments.training.loop import train

PROFILE = dataclasses.replace(QUICK, epochs=2, seeds=(0, 1))
CASE = CASES["baseline"]


@pytest.fixture(scope="module")
def data():
    return from_arrays(*tiny_arrays())


@pytest.fixture()
def committed(data, tmp_path):
    """Seeds 0 (keeps its weights) and 1 (does not) of the baseline, published."""
    store, results = tmp_path / "store", tmp_path / "results"
    for seed in (0, 1):
        publish(train(CASE, PROFILE, data, seed=seed, store=store, log=None).run, results, PROFILE)
    return results


def test_initial_kernels_follow_the_seed():
    a, b = initial_kernels(CASE, 0), initial_kernels(CASE, 0)
    assert a.shape == (3, 3, 3, 32) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert not np.array_equal(a, initial_kernels(CASE, 1))


def test_a_run_with_weights_keeps_its_trained_kernels_from_them(committed, data):
    kept = keep_kernels(CASE, PROFILE, 0, committed, data=lambda: pytest.fail("no data needed"))
    assert kept.source == "weights"
    initial, trained = load_kernels(kept.path)
    assert np.array_equal(trained, load_weights(kept.path)["conv1/kernel"])
    assert np.array_equal(initial, initial_kernels(CASE, 0))
    assert KERNELS in read_run_dir(kept.path).record.files  # verified with the run


def test_a_run_without_weights_is_retrained_and_must_reproduce(committed, data, tmp_path):
    kept = keep_kernels(CASE, PROFILE, 1, committed, data=lambda: data, store=tmp_path / "s2")
    assert kept.source == "retrained"
    initial, trained = load_kernels(kept.path)
    assert initial.shape == trained.shape == (3, 3, 3, 32)
    assert not np.array_equal(initial, trained)


def test_a_retrain_that_differs_writes_nothing(committed, data, tmp_path):
    folder = run_dir(committed, PROFILE.name, CASE.name, 1)
    record = read_run_dir(folder).record
    files = run_files(folder, record)
    history = json.loads(files[HISTORY])
    history["loss"][1] += 1e-6  # as if another machine had trained it
    write_run_dir(folder, record, {**files, HISTORY: json.dumps(history).encode()})
    before = (folder / RECORD).read_bytes()
    with pytest.raises(ReproductionError, match="differs from the committed run at epoch 2"):
        keep_kernels(CASE, PROFILE, 1, committed, data=lambda: data, store=tmp_path / "s3")
    assert (folder / RECORD).read_bytes() == before
    assert not (folder / KERNELS).exists()


def test_a_run_from_other_hardware_is_refused_before_training(committed, data):
    folder = run_dir(committed, PROFILE.name, CASE.name, 1)
    doc = json.loads((folder / RECORD).read_text())
    doc["provenance"]["hardware"]["cpu"] = "Some Other CPU"
    files = run_files(folder, read_run_dir(folder).record)
    write_run_dir(folder, {k: v for k, v in doc.items() if k not in ("files", "format")}, files)
    with pytest.raises(ReproductionError, match="committed on Some Other CPU"):
        keep_kernels(CASE, PROFILE, 1, committed, data=lambda: pytest.fail("must not train"))
    assert load_kernels(folder) is None
