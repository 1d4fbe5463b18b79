"""The test-set images the site commits: a per-class excerpt and the images picked by rule.

Beside the training excerpt, ``results/dataset/`` holds a few test images, so that
the page "Inside the trained network" can run the trained networks on them
without the dataset:

- the **excerpt**: the first :data:`PER_CLASS` test images of each class, in test
  order (the network never saw them in training);
- the **picks**: the :data:`N_PICKS` most confident mistakes and the
  :data:`N_PICKS` most confident correct answers of the published baseline over
  the *full* test set, chosen by :func:`confident_picks` from its committed
  predictions.

``test-images.npz`` holds ``indices`` (test-set indices, ascending), ``images``
uint8 ``(n, 32, 32, 3)`` and ``labels``; ``test-images.json`` holds the dataset
fingerprint and which indices are the excerpt and the picks. Writing refuses a
dataset whose fingerprint differs from the one the committed runs were trained
on: their predictions would not belong to these images.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.bounded import MB, npz_arrays, read_bounded
from cnnnotes.errors import CnnnotesError, PathError
from cnnnotes.experiments.runs.folder import load_all, load_run
from cnnnotes.files import atomic_write_bytes, atomic_write_json, npz_bytes

__all__ = [
    "JSON_NAME",
    "NPZ_NAME",
    "N_PICKS",
    "PER_CLASS",
    "TestImages",
    "TestImagesError",
    "confident_picks",
    "first_per_class",
    "read_test_images",
    "runs_fingerprints",
    "write_for_runs",
    "write_test_images",
]

#: Test images per class in the excerpt.
PER_CLASS = 5
#: Most confident mistakes (and as many most confident correct answers) committed.
N_PICKS = 12
NPZ_NAME = "test-images.npz"
JSON_NAME = "test-images.json"
_REFRESH = "python scripts/refresh_excerpt.py --source PATH"


class TestImagesError(CnnnotesError):
    """The committed test images are missing, inconsistent, or of another dataset."""

    __test__ = False  # not a pytest test class


def first_per_class(labels: np.ndarray, k: int, n_classes: int = 10) -> np.ndarray:
    """Indices of the first ``k`` images of each class, in ascending (test) order.

    Raises
    ------
    ValueError
        When a class has fewer than ``k`` images.
    """
    labels = np.asarray(labels)
    chosen = []
    for c in range(n_classes):
        found = np.flatnonzero(labels == c)[:k]
        if len(found) < k:
            raise ValueError(f"k: class {c} has {len(found)} images, fewer than {k}")
        chosen.append(found)
    return np.sort(np.concatenate(chosen))


def confident_picks(
    labels: np.ndarray, predicted: np.ndarray, probabilities: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most confident mistakes and the ``k`` most confident correct answers.

    Confidence is the committed probability of the predicted class. Ties (the
    probabilities are float16) go to the smaller test index, so the rule gives
    one answer.

    Returns
    -------
    mistakes, correct
        Test indices, most confident first.
    """
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    confidence = np.asarray(probabilities, dtype=np.float32)[
        np.arange(len(predicted)), predicted.astype(np.intp)
    ]
    order = np.lexsort((np.arange(len(confidence)), -confidence))
    wrong = predicted[order] != labels[order]
    return order[wrong][:k], order[~wrong][:k]


@dataclass(frozen=True)
class TestImages:
    """The committed test images (see the module docstring).

    Attributes
    ----------
    indices, images, labels
        Test-set indices (ascending), uint8 images ``(n, 32, 32, 3)`` and labels.
    fingerprint
        sha256 fingerprint of the dataset they come from.
    excerpt
        Test indices of the per-class excerpt, ascending.
    picks_from
        The run whose predictions chose the picks (``"<profile>/<case>"``).
    """

    __test__ = False  # not a pytest test class

    indices: np.ndarray
    images: np.ndarray
    labels: np.ndarray
    fingerprint: str
    excerpt: np.ndarray
    picks_from: str

    def rows(self, indices: np.ndarray) -> np.ndarray:
        """Positions of test ``indices`` in :attr:`images`.

        Raises
        ------
        TestImagesError
            When one is not committed (the picks changed: refresh the images).
        """
        indices = np.asarray(indices)
        pos = np.searchsorted(self.indices, indices)
        clipped = np.minimum(pos, len(self.indices) - 1)
        ok = (pos < len(self.indices)) & (self.indices[clipped] == indices)
        if not ok.all():
            missing = int(indices[~ok][0])
            raise TestImagesError(
                f"test image {missing} is not committed in results/dataset/{NPZ_NAME}; "
                f"refresh it with {_REFRESH}"
            )
        return pos


def write_test_images(
    x_test: np.ndarray,
    y_test: np.ndarray,
    fingerprint: str,
    out_dir: Path,
    *,
    runs_fingerprints: dict[str, str],
    picks_from: str,
    predicted: np.ndarray,
    probabilities: np.ndarray,
) -> list[Path]:
    """Write ``test-images.npz`` and ``test-images.json`` into ``out_dir``.

    Parameters
    ----------
    x_test, y_test
        The full test set (images uint8 ``(N, 32, 32, 3)``, labels) and ``fingerprint``
        its dataset's fingerprint.
    runs_fingerprints
        Committed run (``"<profile>/<case>"``) → the dataset fingerprint it was trained on.
    picks_from, predicted, probabilities
        The run whose committed predictions on the full test set choose the picks.

    Raises
    ------
    TestImagesError
        When the dataset is not the one every committed run was trained on, or the
        predictions do not cover the test set. Nothing is written then.
    """
    other = {run: fp for run, fp in runs_fingerprints.items() if fp != fingerprint}
    if other:
        run, fp = next(iter(sorted(other.items())))
        raise TestImagesError(
            f"source: dataset fingerprint {fingerprint[:12]} differs from {fp[:12]}, the one "
            f"the committed run {run} was trained on; use the dataset the runs were trained on"
        )
    if len(predicted) != len(y_test):
        raise TestImagesError(
            f"predicted: {picks_from} holds {len(predicted)} test predictions, "
            f"the dataset {len(y_test)} test images"
        )
    excerpt = first_per_class(y_test, PER_CLASS)
    mistakes, correct = confident_picks(y_test, predicted, probabilities, N_PICKS)
    indices = np.unique(np.concatenate([excerpt, mistakes, correct]))
    arrays = {
        "indices": indices.astype(np.int32),
        "images": np.asarray(x_test[indices], dtype=np.uint8),
        "labels": np.asarray(y_test[indices], dtype=np.uint8),
    }
    meta = {
        "fingerprint": fingerprint,
        "excerpt": {
            "per_class": PER_CLASS,
            "order": "the first per_class test images of each class, in test order",
            "indices": excerpt.tolist(),
        },
        "picks": {
            "from": picks_from,
            "rule": "most confident mistakes and correct answers over the full test set "
            "(probability of the predicted class; ties to the smaller index)",
            "k": N_PICKS,
            "mistakes": mistakes.tolist(),
            "correct": correct.tolist(),
        },
    }
    out_dir = Path(out_dir)
    npz_path, json_path = out_dir / NPZ_NAME, out_dir / JSON_NAME
    atomic_write_bytes(npz_path, npz_bytes(arrays, compress=True))
    atomic_write_json(json_path, meta)
    return [npz_path, json_path]


def runs_fingerprints(results_dir: Path, profile: str) -> dict[str, str]:
    """Every committed run of ``profile`` (``"<profile>/<case>"``) → its dataset fingerprint."""
    return {
        f"{profile}/{case}": str(run.key_inputs.get("dataset", ""))
        for case, run in load_all(Path(results_dir), profile).items()
    }


def write_for_runs(
    x_test: np.ndarray,
    y_test: np.ndarray,
    fingerprint: str,
    results_dir: Path,
    out_dir: Path,
    *,
    profile: str,
    case: str,
) -> list[Path]:
    """Write the test images into ``out_dir``, picks from a run committed in ``results_dir``.

    The dataset must be the one every committed run of ``profile`` was trained on
    (see :func:`write_test_images`); ``case``'s run chooses the picks.
    """
    run = load_run(Path(results_dir), profile, case)
    if run.probabilities is None:
        raise TestImagesError(
            f"predictions: the committed run {profile}/{case} keeps no test probabilities, "
            "which choose the picks"
        )
    return write_test_images(
        x_test,
        y_test,
        fingerprint,
        out_dir,
        runs_fingerprints=runs_fingerprints(results_dir, profile),
        picks_from=f"{profile}/{case}",
        predicted=run.predicted,
        probabilities=run.probabilities,
    )


def _read_bytes(path: Path) -> bytes:
    if not os.path.lexists(path):
        raise TestImagesError(f"{path} is missing; write it with {_REFRESH}")
    try:
        return read_bounded(path, 16 * MB, f"a {path.name}")
    except PathError as exc:
        raise TestImagesError(str(exc)) from None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads(_read_bytes(path))
    except ValueError as exc:
        raise TestImagesError(f"{path} is unreadable ({exc})") from None
    if not isinstance(meta, dict):
        raise TestImagesError(f"{path} holds {type(meta).__name__}, not an object")
    return meta


def read_test_images(results_dir: Path, *, fingerprint: str | None = None) -> TestImages:
    """The committed test images under ``results_dir/dataset/``.

    Parameters
    ----------
    fingerprint
        When given, the dataset fingerprint the images must come from (a run's).

    Raises
    ------
    TestImagesError
        One line: a file is missing or unreadable, the arrays disagree, or the images
        come from another dataset than ``fingerprint``.
    """
    folder = Path(results_dir) / "dataset"
    meta = _read_json(folder / JSON_NAME)
    try:
        npz = npz_arrays(_read_bytes(folder / NPZ_NAME), 256 * MB)
        indices, images, labels = npz["indices"], npz["images"], npz["labels"]
    except (ValueError, KeyError) as exc:
        raise TestImagesError(f"{folder / NPZ_NAME} is unreadable ({exc})") from None
    try:
        excerpt = np.asarray(meta["excerpt"]["indices"], dtype=np.int64)
        stored_fp, picks_from = str(meta["fingerprint"]), str(meta["picks"]["from"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TestImagesError(f"{folder / JSON_NAME} is incomplete ({exc!r})") from None
    if images.shape != (len(indices), 32, 32, 3) or labels.shape != (len(indices),):
        raise TestImagesError(f"{folder / NPZ_NAME} has inconsistent array shapes")
    if fingerprint is not None and stored_fp != fingerprint:
        raise TestImagesError(
            f"{folder / NPZ_NAME} comes from dataset {stored_fp[:12]}, the runs from "
            f"{fingerprint[:12]}; refresh it with {_REFRESH}"
        )
    found = TestImages(indices, images, labels, stored_fp, excerpt, picks_from)
    found.rows(excerpt)  # every excerpt image is there
    return found
