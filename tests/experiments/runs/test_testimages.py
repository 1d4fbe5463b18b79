"""The committed test images: chosen by rule, of the runs' dataset, refused from another."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from fakeruns import write_fake_run
from PIL import Image

from cnnnotes.cli import main
from cnnnotes.data import from_arrays
from cnnnotes.data.labels import CLASS_NAMES
from cnnnotes.experiments.runs import testimages
from cnnnotes.experiments.runs.cases import NOTES
from cnnnotes.experiments.runs.folder import load_run
from cnnnotes.experiments.runs.testimages import (
    N_PICKS,
    PER_CLASS,
    TestImagesError,
    confident_picks,
    first_per_class,
    read_test_images,
    write_for_runs,
    write_test_images,
)

RESULTS = Path(__file__).resolve().parents[3] / "results"


def test_first_per_class_takes_the_first_k_of_each_class_in_test_order():
    labels = np.array([3, 1, 3, 0, 1, 3, 0, 2, 2, 1])
    assert first_per_class(labels, 2, n_classes=4).tolist() == [0, 1, 2, 3, 4, 6, 7, 8]


def test_first_per_class_refuses_a_class_with_too_few_images():
    with pytest.raises(ValueError, match="class 2 has 1 images"):
        first_per_class(np.array([0, 0, 1, 1, 2]), 2, n_classes=3)


def test_confident_picks_order_by_confidence_and_break_ties_by_index():
    labels = np.array([0, 1, 2, 0, 1])
    probs = np.full((5, 3), 0.1, dtype=np.float16)
    probs[0, 1] = 0.9  # mistake, 0.9
    probs[1, 1] = 0.8  # correct, 0.8
    probs[2, 0] = 0.9  # mistake, 0.9, tie with image 0
    probs[3, 0] = 0.95  # correct, 0.95
    probs[4, 2] = 0.5  # mistake, 0.5
    predicted = probs.argmax(axis=1)
    mistakes, correct = confident_picks(labels, predicted, probs, 2)
    assert mistakes.tolist() == [0, 2]
    assert correct.tolist() == [3, 1]


def test_committed_test_images_are_the_rule_applied_to_the_baseline_predictions():
    run = load_run(RESULTS, NOTES.name, "baseline")
    test = read_test_images(RESULTS, fingerprint=run.key_inputs["dataset"])
    assert test.excerpt.tolist() == first_per_class(run.labels, PER_CLASS).tolist()
    mistakes, correct = confident_picks(run.labels, run.predicted, run.probabilities, N_PICKS)
    assert len(mistakes) == len(correct) == N_PICKS
    assert (run.predicted[mistakes] != run.labels[mistakes]).all()
    rows = test.rows(np.concatenate([test.excerpt, mistakes, correct]))
    assert np.array_equal(test.labels[rows], run.labels[test.indices[rows]])
    size = sum(p.stat().st_size for p in (RESULTS / "dataset").glob("test-images.*"))
    assert size <= 1_000_000


def _tiny(n: int = 50):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    labels = np.arange(n) % 10
    return from_arrays(images, labels, images, labels)


def test_a_dataset_other_than_the_runs_is_refused_and_nothing_is_written(tmp_path):
    write_fake_run(tmp_path, "baseline")  # trained on dataset bbc5ee95481330a7
    data = _tiny()
    out = tmp_path / "dataset"
    with pytest.raises(TestImagesError, match=r"differs from bbc5ee954813.*notes/baseline"):
        write_for_runs(data.x_test, data.y_test, data.info.fingerprint, tmp_path, out,
                       profile="notes", case="baseline")  # fmt: skip
    assert not out.exists()


def test_a_run_that_keeps_no_probabilities_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    run = dataclasses.replace(write_fake_run(tmp_path, "baseline"), probabilities=None)
    monkeypatch.setattr(testimages, "load_run", lambda *args: run)
    data = _tiny()
    out = tmp_path / "dataset"
    with pytest.raises(TestImagesError, match="notes/baseline keeps no test probabilities"):
        write_for_runs(data.x_test, data.y_test, run.key_inputs["dataset"], tmp_path, out,
                       profile="notes", case="baseline")  # fmt: skip
    assert not out.exists()


def test_the_runs_dataset_is_written_and_read_back(tmp_path):
    run = write_fake_run(tmp_path, "baseline")
    data = _tiny()
    fp = run.key_inputs["dataset"]
    paths = write_for_runs(data.x_test, data.y_test, fp, tmp_path, tmp_path / "dataset",
                           profile="notes", case="baseline")  # fmt: skip
    assert [p.name for p in paths] == ["test-images.npz", "test-images.json"]
    test = read_test_images(tmp_path, fingerprint=fp)
    assert len(test.excerpt) == 10 * PER_CLASS and test.picks_from == "notes/baseline"
    assert np.array_equal(test.images, data.x_test[test.indices])
    with pytest.raises(TestImagesError, match="comes from dataset"):
        read_test_images(tmp_path, fingerprint="0" * 64)


def test_a_picked_image_that_is_not_committed_names_the_remedy(tmp_path):
    write_test_images(*(_tiny().x_test, _tiny().y_test), "a" * 64, tmp_path / "dataset",
                      runs_fingerprints={}, picks_from="notes/baseline",
                      predicted=np.zeros(50, np.uint8),
                      probabilities=np.full((50, 10), 0.1, np.float16))  # fmt: skip
    test = read_test_images(tmp_path)
    with pytest.raises(TestImagesError, match=r"test image 9999 is not committed.*refresh_excerpt"):
        test.rows(np.array([9999]))


def test_cli_excerpt_refuses_another_dataset_with_one_line_and_writes_nothing(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("CNNNOTES_CACHE_DIR", str(tmp_path / "cache"))
    write_fake_run(tmp_path / "results", "baseline")
    data = _tiny()
    folder = tmp_path / "src"
    for split, images, labels in (("train", data.x_train, data.y_train),
                                  ("test", data.x_test, data.y_test)):  # fmt: skip
        for i, (image, label) in enumerate(zip(images, labels, strict=True)):
            path = folder / split / CLASS_NAMES[int(label)] / f"{i:03d}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(path)
    out = tmp_path / "results" / "dataset"
    argv = ["data", "excerpt", "--source", str(folder), "--out", str(out),
            "--results", str(tmp_path / "results")]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("cnnnotes: error: source: dataset fingerprint") and err.count("\n") == 1
    assert not out.exists()
