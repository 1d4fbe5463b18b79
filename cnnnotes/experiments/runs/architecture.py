"""The network of a case as data: one layer list, read by everything that describes it.

:func:`layers` derives, from a :class:`~cnnnotes.experiments.runs.cases.Case`, the
layers of its network in order, input first, each with its kind, name, output shape,
parameter count, multiply-adds per image, activation, window and rate. The layer
table (:mod:`~cnnnotes.experiments.runs.summary`), the parameter counts, the cost
that orders training (:func:`~cnnnotes.experiments.runs.cases.cost`), the feature
sizes, the numpy forward pass (:mod:`~cnnnotes.experiments.runs.forward`) and the
site's pictures of the network read it; :func:`to_json` is the shape a browser reads.

Keras' :func:`~cnnnotes.experiments.training.model.build_model` is part of every run's
key and stays as it is; a test builds it for every registered case and checks that
its layers' types, output shapes and parameter counts are these.

``'valid'`` convolutions with stride 1, max pooling with stride equal to its window
(Keras' defaults), ReLU after every convolution and the hidden dense layer, softmax
at the end. No TensorFlow here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cnnnotes.experiments.runs.cases import Case

__all__ = [
    "INPUT_SHAPE",
    "NUM_CLASSES",
    "Activation",
    "Kind",
    "Layer",
    "feature_sizes",
    "layers",
    "multiply_adds",
    "to_json",
    "total_params",
]

#: Every case reads 32×32 RGB images and tells 10 classes apart.
INPUT_SHAPE: tuple[int, int, int] = (32, 32, 3)
NUM_CLASSES = 10

Kind = Literal["Input", "Conv2D", "MaxPool2D", "Flatten", "Dense", "Dropout"]
Activation = Literal["relu", "softmax"]


@dataclass(frozen=True)
class Layer:
    """One layer of a case's network.

    Attributes
    ----------
    kind
        ``Input``, ``Conv2D``, ``MaxPool2D``, ``Flatten``, ``Dense`` or ``Dropout``.
    name
        As Keras names it in the model (``conv1``, ``pool1`` … ``dense2``), so weights
        read as ``conv1/kernel``.
    shape
        Output shape of one image, ``(H, W, C)`` or ``(N,)``.
    params
        Trainable parameters (weights and biases).
    multiply_adds
        Multiply-adds of one image's forward pass through this layer.
    activation
        The activation applied to the output, if any.
    units
        Filters of a convolution, units of a dense layer (0 otherwise).
    window
        Kernel side of a convolution, window side of a pooling layer (0 otherwise).
    rate
        Dropout rate (0 otherwise).
    """

    kind: Kind
    name: str
    shape: tuple[int, ...]
    params: int = 0
    multiply_adds: int = 0
    activation: Activation | None = None
    units: int = 0
    window: int = 0
    rate: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (lists for shapes)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "shape": list(self.shape),
            "params": self.params,
            "multiply_adds": self.multiply_adds,
            "activation": self.activation,
            "units": self.units,
            "window": self.window,
            "rate": self.rate,
        }


def _conv(name: str, side: int, channels: int, filters: int, k: int) -> Layer:
    return Layer(
        "Conv2D",
        name,
        (side, side, filters),
        params=(k * k * channels + 1) * filters,
        multiply_adds=side * side * filters * k * k * channels,
        activation="relu",
        units=filters,
        window=k,
    )


def _dense(name: str, inputs: int, units: int, activation: Activation) -> Layer:
    return Layer(
        "Dense",
        name,
        (units,),
        params=(inputs + 1) * units,
        multiply_adds=inputs * units,
        activation=activation,
        units=units,
    )


def layers(case: Case) -> list[Layer]:
    """The layers of ``case``'s network in order, input first.

    Conv(filters[0]) → MaxPool → Conv(filters[1]) → MaxPool → Conv(filters[2]) → Flatten →
    Dense(dense_units, ReLU) → [Dropout(dropout)] → Dense(10, softmax). Square inputs and
    windows: every spatial side is one of :func:`feature_sizes`.
    """
    k, p = case.kernel_size, case.pool_size
    sides = iter(feature_sizes(case)[1:])
    channels = INPUT_SHAPE[2]
    out = [Layer("Input", "input", INPUT_SHAPE)]
    for i, filters in enumerate(case.filters, start=1):
        side = next(sides)
        out.append(_conv(f"conv{i}", side, channels, filters, k))
        channels = filters
        if i < len(case.filters):
            side = next(sides)
            out.append(Layer("MaxPool2D", f"pool{i}", (side, side, channels), window=p))
    flat = side * side * channels
    out.append(Layer("Flatten", "flatten", (flat,)))
    out.append(_dense("dense1", flat, case.dense_units, "relu"))
    if case.dropout > 0:
        out.append(Layer("Dropout", "dropout", (case.dense_units,), rate=float(case.dropout)))
    out.append(_dense("dense2", case.dense_units, NUM_CLASSES, "softmax"))
    return out


def total_params(case: Case) -> int:
    """The network's parameter count (122,570 for the notes' baseline)."""
    return sum(layer.params for layer in layers(case))


def multiply_adds(case: Case) -> int:
    """Multiply-adds of one image's forward pass (convolutions and dense layers)."""
    return sum(layer.multiply_adds for layer in layers(case))


def feature_sizes(case: Case, side: int = INPUT_SHAPE[0]) -> list[int]:
    """Side of the feature maps: input, conv1, pool1, conv2, pool2, conv3.

    ``'valid'`` convolutions take ``k - 1`` off a side, pooling divides it (rounding
    down). A side below 1 means the input shrinks to nothing; the case's validation
    reports it with these numbers.
    """
    k, p, sizes = case.kernel_size, case.pool_size, [side]
    for i in range(1, len(case.filters) + 1):
        sizes.append(sizes[-1] - k + 1)
        if i < len(case.filters):
            sizes.append(sizes[-1] // p)
    return sizes


def to_json(case: Case) -> dict[str, Any]:
    """The case's network as a browser reads it: its name and its layers as plain values."""
    return {"case": case.name, "layers": [layer.to_dict() for layer in layers(case)]}
