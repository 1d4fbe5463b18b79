"""What the page "Inside the trained network" shares: a run's network on the committed images.

:func:`trained` loads a published run (seed 0), its weights and the committed
test images, runs the numpy forward pass (:mod:`cnnnotes.experiments.runs.forward`) on every
committed image and checks it against the run's committed predictions: a figure
is never drawn from a network that does not reproduce them, and a mismatch fails
the build with a one-line error. :func:`layer_scales` fixes one colour scale per
layer over the whole excerpt, so maps keep their place and scale from image to
image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnnotes.experiments.runs.architecture import Layer, layers
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.folder import load_run, load_weights
from cnnnotes.experiments.runs.forward import (
    Forward,
    ForwardError,
    check_predictions,
    forward,
)
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.experiments.runs.testimages import JSON_NAME, NPZ_NAME, TestImages, read_test_images
from cnnnotes.site.figures._runs import PROFILE, run_files, weights_file

__all__ = [
    "SCALE_PERCENTILE",
    "TEST_IMAGES",
    "Trained",
    "inputs",
    "layer_scales",
    "map_layers",
    "trained",
]

#: The committed test images (inputs of every asset that runs a network).
TEST_IMAGES: tuple[str, ...] = (f"dataset/{NPZ_NAME}", f"dataset/{JSON_NAME}")
#: Percentile of a layer's activations over the excerpt that tops its colour scale.
SCALE_PERCENTILE = 99.5


def map_layers(case: str) -> tuple[Layer, ...]:
    """The layers whose maps the page shows: every one with an ``(H, W, C)`` output, in order."""
    return tuple(layer for layer in layers(CASES[case])[1:] if len(layer.shape) == 3)


def inputs(case: str) -> tuple[str, ...]:
    """Input paths of an asset that runs ``case``'s network on the committed test images."""
    return (*run_files(case), weights_file(case), *TEST_IMAGES)


@dataclass(frozen=True)
class Trained:
    """A published run, its weights, the committed test images and the network's outputs on them.

    ``out`` holds the forward pass of every committed test image, in the order of
    ``test.indices``; :meth:`rows` finds test indices in it.
    """

    run: RunResult
    weights: dict[str, np.ndarray]
    test: TestImages
    out: Forward

    @property
    def probabilities(self) -> np.ndarray:
        """The run's committed probabilities (:func:`trained` refuses a run without them)."""
        assert self.run.probabilities is not None
        return self.run.probabilities

    def rows(self, indices: np.ndarray) -> np.ndarray:
        """Positions of test ``indices`` in :attr:`out` and ``test.images``."""
        return self.test.rows(np.asarray(indices))

    @property
    def excerpt_rows(self) -> np.ndarray:
        """Positions of the per-class excerpt, in test order."""
        return self.rows(self.test.excerpt)


def trained(results_dir: Path, case: str = "baseline") -> Trained:
    """``case``'s published run, run in numpy on the committed test images and checked.

    Raises
    ------
    cnnnotes.experiments.runs.forward.ForwardError
        When the numpy network does not reproduce the run's committed labels exactly
        and its probabilities within one float16 ulp (one line, naming the image).
    cnnnotes.experiments.runs.testimages.TestImagesError
        When the test images are missing or come from another dataset than the run.
    """
    run = load_run(Path(results_dir), PROFILE, case)
    weights = load_weights(run.path)
    test = read_test_images(Path(results_dir), fingerprint=str(run.key_inputs.get("dataset")))
    out = forward(CASES[case], weights, test.images)
    if run.probabilities is None:
        raise ForwardError(f"{run.profile}/{run.case}: the run kept no probabilities to check")
    check_predictions(
        out,
        run.predicted[test.indices],
        run.probabilities[test.indices],
        test.indices,
        f"{run.profile}/{run.case}",
    )
    return Trained(run, weights, test, out)


def layer_scales(net: Trained) -> dict[str, float]:
    """Top of each map layer's colour scale: a high percentile over the whole excerpt.

    The scale starts at 0 (every shown layer follows a ReLU or a max of ReLUs).
    """
    rows = net.excerpt_rows
    return {
        layer.name: float(np.percentile(net.out[layer.name][rows], SCALE_PERCENTILE)) or 1.0
        for layer in map_layers(net.run.case)
    }
