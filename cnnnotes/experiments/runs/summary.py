"""The layer table of a case: one row per layer of its architecture, without TensorFlow.

The pages show these tables next to the notes' code. Every number comes from the
layer list of :mod:`cnnnotes.experiments.runs.architecture` (a test checks it against
the Keras model of every case); this module only words a layer the way Keras'
``summary()`` would.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnnotes.experiments.runs.architecture import Layer, layers
from cnnnotes.experiments.runs.cases import Case

__all__ = ["Row", "describe", "rows"]


@dataclass(frozen=True)
class Row:
    """One row of the layer table: the layer's name, description, output shape, parameters."""

    name: str
    description: str
    shape: tuple[int, ...]
    params: int


def describe(layer: Layer) -> str:
    """A short description of ``layer``: ``Conv2D 32, 3×3, ReLU``, ``MaxPool2D 2×2`` …"""
    activation = {"relu": ", ReLU", "softmax": ", softmax", None: ""}[layer.activation]
    if layer.kind == "Conv2D":
        return f"Conv2D {layer.units}, {layer.window}×{layer.window}{activation}"
    if layer.kind == "MaxPool2D":
        return f"MaxPool2D {layer.window}×{layer.window}"
    if layer.kind == "Dense":
        return f"Dense {layer.units}{activation}"
    if layer.kind == "Dropout":
        return f"Dropout {layer.rate:g}"
    return layer.kind


def rows(case: Case) -> list[Row]:
    """The rows of ``case``'s layer table, input first."""
    return [Row(layer.name, describe(layer), layer.shape, layer.params) for layer in layers(case)]
