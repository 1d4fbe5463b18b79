"""The layer table words each layer of the architecture as Keras' summary would."""

from __future__ import annotations

from cnnnotes.experiments.runs.architecture import layers
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.summary import rows


def test_the_table_has_one_row_per_layer_with_its_shape_and_parameters() -> None:
    case = CASES["case4"]
    table = rows(case)
    assert [r.name for r in table] == [layer.name for layer in layers(case)]
    assert [(r.shape, r.params) for r in table] == [(la.shape, la.params) for la in layers(case)]


def test_descriptions_name_the_case_values() -> None:
    case = CASES["case4"]
    described = {r.name: r.description for r in rows(case)}
    assert described["conv1"] == f"Conv2D {case.filters[0]}, 3×3, ReLU"
    assert described["pool1"] == f"MaxPool2D {case.pool_size}×{case.pool_size}"
    assert described["dropout"] == f"Dropout {case.dropout:g}"
    assert described["dense2"] == "Dense 10, softmax"
    assert described["input"] == "Input"
