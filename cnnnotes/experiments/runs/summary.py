"""Layer-by-layer output shapes and parameter counts of a case, without TensorFlow.

The pages show these tables next to the notes' code; the numbers come from the
case's fields and :func:`cnnnotes.ops.output_size`, and a test checks them against
Keras' own ``count_params`` for every case.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnnotes.experiments.runs.cases import Case
from cnnnotes.ops import output_size

__all__ = ["Layer", "layers", "total_params"]

_INPUT = (32, 32, 3)
_CLASSES = 10


@dataclass(frozen=True)
class Layer:
    """One layer: Keras-like name, a short description, output shape, parameter count."""

    name: str
    kind: str
    shape: tuple[int, ...]
    params: int


def layers(case: Case) -> list[Layer]:
    """The layers of ``case``'s model in order, input first (Keras' ``'valid'`` padding)."""
    h, w, c = _INPUT
    out = [Layer("input", "Input", (h, w, c), 0)]
    k, p = case.kernel_size, case.pool_size
    for i, filters in enumerate(case.filters, start=1):
        h, w = output_size(h, k), output_size(w, k)
        out.append(
            Layer(
                f"conv{i}",
                f"Conv2D {filters}, {k}×{k}, ReLU",
                (h, w, filters),
                (k * k * c + 1) * filters,
            )
        )
        c = filters
        if i < len(case.filters):
            h, w = output_size(h, p, p), output_size(w, p, p)
            out.append(Layer(f"pool{i}", f"MaxPool2D {p}×{p}", (h, w, c), 0))
    flat = h * w * c
    out.append(Layer("flatten", "Flatten", (flat,), 0))
    out.append(
        Layer(
            "dense1",
            f"Dense {case.dense_units}, ReLU",
            (case.dense_units,),
            (flat + 1) * case.dense_units,
        )
    )
    if case.dropout > 0:
        out.append(Layer("dropout", f"Dropout {case.dropout:g}", (case.dense_units,), 0))
    out.append(
        Layer(
            "dense2", f"Dense {_CLASSES}, softmax", (_CLASSES,), (case.dense_units + 1) * _CLASSES
        )
    )
    return out


def total_params(case: Case) -> int:
    """The model's parameter count (122,570 for the notes' baseline)."""
    return sum(layer.params for layer in layers(case))
