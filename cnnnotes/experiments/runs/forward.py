"""A trained run's network, run in numpy with the site's own ops (no TensorFlow).

:func:`forward` takes a case's exported weights (``weights.npz``, see
:func:`cnnnotes.experiments.runs.folder.load_weights`) and images ``(N, 32, 32, 3)`` uint8 and
returns the output of every layer, in the order the Keras model of
:mod:`cnnnotes.experiments.training.model` computes them::

    conv1 → ReLU → pool1 → conv2 → ReLU → pool2 → conv3 → ReLU → flatten
          → dense1 → ReLU → dense2 (logits) → softmax (probabilities)

Convolution, ReLU and pooling are :mod:`cnnnotes.ops` (taught on the page
"Hand implementation"); dense layers are one matrix product. Images are scaled
``/255`` as in training; dropout is the identity at inference, so a case with
dropout runs the same layers. Everything is computed in float32, as Keras does.

:func:`check_predictions` is the build-time proof that the chain from the
committed weights to the site holds: the numpy network must reproduce the run's
committed ``predicted`` labels exactly and its float16 ``probabilities`` within
one float16 ulp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from cnnnotes import ops
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.architecture import INPUT_SHAPE, layers
from cnnnotes.experiments.runs.cases import Case

__all__ = [
    "Forward",
    "ForwardError",
    "check_predictions",
    "conv_layers",
    "forward",
    "outputs",
    "softmax",
]

_OUTPUT = ("logits", "probabilities")


def outputs(case: Case) -> tuple[str, ...]:
    """Every output :func:`forward` returns for ``case``, in the order they are computed.

    One per layer of :func:`~cnnnotes.experiments.runs.architecture.layers` but the input
    and dropout (the identity at inference); the last dense layer gives ``logits`` and
    ``probabilities`` instead of its name.
    """
    names = [la.name for la in layers(case)[1:-1] if la.kind != "Dropout"]
    return (*names, *_OUTPUT)


def conv_layers(case: Case) -> tuple[str, ...]:
    """The convolution layers of ``case`` (their outputs are after the ReLU, as in Keras)."""
    return tuple(la.name for la in layers(case) if la.kind == "Conv2D")


class ForwardError(CnnnotesError):
    """Weights that do not fit the case, or a forward pass that disagrees with a run."""


@dataclass(frozen=True)
class Forward:
    """The outputs of every layer for a batch of ``N`` images (float32).

    Attributes
    ----------
    outputs
        Layer name (:func:`outputs`) → array: ``conv*`` and ``pool*`` are
        ``(N, H, W, F)`` after the ReLU, ``flatten`` ``(N, H*W*F)``, ``dense1``
        ``(N, units)`` after the ReLU, ``logits`` the pre-softmax output of
        ``dense2`` ``(N, 10)`` and ``probabilities`` its softmax.
    """

    outputs: Mapping[str, NDArray[np.float32]]

    def __getitem__(self, layer: str) -> NDArray[np.float32]:
        return self.outputs[layer]

    @property
    def logits(self) -> NDArray[np.float32]:
        """Pre-softmax output of ``dense2``, ``(N, 10)``."""
        return self.outputs["logits"]

    @property
    def probabilities(self) -> NDArray[np.float32]:
        """Softmax of the logits, ``(N, 10)``."""
        return self.outputs["probabilities"]

    @property
    def predicted(self) -> NDArray[np.intp]:
        """The most probable class of each image, ``(N,)``."""
        predicted: NDArray[np.intp] = np.argmax(self.outputs["logits"], axis=1)
        return predicted


def softmax(logits: NDArray[np.floating]) -> NDArray[np.floating]:
    """Softmax over the last axis, shifted by the maximum for stability; dtype kept."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    probabilities: NDArray[np.floating] = e / e.sum(axis=-1, keepdims=True)
    return probabilities


def _param(weights: Mapping[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.asarray(weights[name], dtype=np.float32)
    except KeyError:
        raise ForwardError(f"weights: {name} is missing") from None
    if array.shape != shape:
        raise ForwardError(f"weights: {name} has shape {array.shape}, the case needs {shape}")
    return array


def forward(case: Case, weights: Mapping[str, np.ndarray], images: np.ndarray) -> Forward:
    """Run the trained network of ``case`` on ``images``.

    Parameters
    ----------
    case
        The case whose architecture the weights belong to (filters, kernel size,
        pool size, dense units; dropout is the identity at inference).
    weights
        ``{"conv1/kernel": (k, k, 3, F1), "conv1/bias": (F1,), ..., "dense2/bias": (10,)}``.
    images
        ``(N, 32, 32, 3)`` uint8 (or ``(32, 32, 3)`` for one image), scaled ``/255`` here.

    Returns
    -------
    Forward
        Every layer's output, ``N`` first.

    Raises
    ------
    ForwardError
        When a weight is missing or its shape does not fit the case.
    """
    x = np.asarray(images)
    if x.ndim == 3:
        x = x[np.newaxis]
    if x.ndim != 4 or x.shape[-1] != INPUT_SHAPE[2]:
        raise ForwardError(f"images: expected shape (N, H, W, {INPUT_SHAPE[2]}), got {x.shape}")
    h = x.astype(np.float32) / np.float32(255.0)
    out: dict[str, NDArray[np.float32]] = {}
    net = layers(case)
    for before, layer in pairwise(net):
        name = layer.name
        if layer.kind == "Conv2D":
            shape = (layer.window, layer.window, before.shape[-1], layer.units)
            kernel = _param(weights, f"{name}/kernel", shape)
            h = ops.relu(ops.conv2d(h, kernel, _param(weights, f"{name}/bias", (layer.units,))))
        elif layer.kind == "MaxPool2D":
            h = ops.max_pool2d(h, layer.window)
        elif layer.kind == "Flatten":
            h = h.reshape(len(h), -1)  # row-major (H, W, C), as keras.layers.Flatten
        elif layer.kind == "Dense":
            kernel = _param(weights, f"{name}/kernel", (before.shape[0], layer.units))
            h = h @ kernel + _param(weights, f"{name}/bias", (layer.units,))
            if layer.activation == "softmax":
                out["logits"], out["probabilities"] = h, softmax(h)
                break
            h = ops.relu(h)
        else:  # Dropout: the identity at inference
            continue
        out[name] = h
    return Forward(out)


def check_predictions(
    result: Forward,
    predicted: np.ndarray,
    probabilities: np.ndarray,
    indices: np.ndarray,
    what: str,
) -> None:
    """Raise unless ``result`` reproduces a run's committed predictions on these images.

    Parameters
    ----------
    result
        The numpy forward pass on the images.
    predicted, probabilities
        The run's committed ``predicted`` (uint8) and ``probabilities`` (float16) rows
        for the same images, in the same order.
    indices
        The images' test-set indices (named in the message).
    what
        The run, for the message (e.g. ``notes/baseline``).

    Raises
    ------
    ForwardError
        One line: the first test index whose label differs, or whose probability is
        more than one float16 ulp away from the committed one. Labels are compared
        by argmax, never through the float16 probabilities (which can tie).
    """
    labels = result.predicted
    wrong = np.flatnonzero(labels != np.asarray(predicted))
    if wrong.size:
        i = int(wrong[0])
        raise ForwardError(
            f"{what}: the numpy forward pass predicts class {int(labels[i])} for test image "
            f"{int(indices[i])}, the committed run says {int(predicted[i])} "
            f"({wrong.size} of {len(labels)} images differ)"
        )
    committed = np.asarray(probabilities, dtype=np.float16)
    ours = result.probabilities.astype(np.float16)
    ulps = np.abs(ours.view(np.int16).astype(np.int32) - committed.view(np.int16).astype(np.int32))
    bad = np.argwhere(ulps > 1)
    if bad.size:
        i, c = (int(v) for v in bad[0])
        raise ForwardError(
            f"{what}: the numpy forward pass gives probability {float(ours[i, c]):.6g} for "
            f"class {c} of test image {int(indices[i])}, the committed run "
            f"{float(committed[i, c]):.6g} (more than 1 float16 ulp apart)"
        )
