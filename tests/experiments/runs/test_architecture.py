"""The layer list is the network: Keras' model of every case agrees with it, layer by layer."""

from __future__ import annotations

import json

import pytest

from cnnnotes.experiments.runs import architecture
from cnnnotes.experiments.runs.architecture import (
    feature_sizes,
    layers,
    multiply_adds,
    to_json,
    total_params,
)
from cnnnotes.experiments.runs.cases import CASES, Case

#: Keras' class of each kind of layer (``MaxPool2D`` is an alias of ``MaxPooling2D``).
_KERAS_CLASS = {
    "Conv2D": "Conv2D",
    "MaxPool2D": "MaxPooling2D",
    "Flatten": "Flatten",
    "Dense": "Dense",
    "Dropout": "Dropout",
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_keras_model_of_every_case_matches_its_layer_list(name: str) -> None:
    pytest.importorskip("keras")
    from cnnnotes.experiments.training.model import INPUT_SHAPE, NUM_CLASSES, build_model

    case = CASES[name]
    model = build_model(case)
    ours = layers(case)
    assert ours[0].kind == "Input" and ours[0].shape == INPUT_SHAPE == architecture.INPUT_SHAPE
    assert architecture.NUM_CLASSES == NUM_CLASSES
    keras_layers = [
        (type(la).__name__, la.name, tuple(la.output.shape[1:]), la.count_params())
        for la in model.layers
    ]
    assert keras_layers == [
        (_KERAS_CLASS[la.kind], la.name, la.shape, la.params) for la in ours[1:]
    ]
    for la, keras_layer in zip(ours[1:], model.layers, strict=True):
        activation = getattr(keras_layer, "activation", None)
        keras_activation = None if activation is None else activation.__name__
        assert (la.activation or "linear") == (keras_activation or "linear"), la.name
        if la.kind == "Dropout":
            assert keras_layer.rate == la.rate
    assert total_params(case) == model.count_params()


def test_feature_sizes_are_the_spatial_sides_of_the_layer_list() -> None:
    for case in CASES.values():
        spatial = [la.shape[0] for la in layers(case) if len(la.shape) == 3]
        assert spatial == feature_sizes(case)


def test_multiply_adds_count_convolutions_and_dense_layers() -> None:
    case = Case("tiny", filters=(1, 1, 1), kernel_size=1, pool_size=1, dense_units=1)
    # 1×1 convolutions: 32·32 pixels × 3 input channels, then × 1 twice; dense1: 32·32
    # inputs; dense2: 10 outputs
    assert multiply_adds(case) == 32 * 32 * 3 + 2 * 32 * 32 + 32 * 32 + 10


def test_dropout_is_a_layer_only_where_the_case_drops_out() -> None:
    for case in CASES.values():
        rates = [la.rate for la in layers(case) if la.kind == "Dropout"]
        assert rates == ([case.dropout] if case.dropout > 0 else [])


def test_the_browser_reads_the_layer_list_as_json() -> None:
    doc = json.loads(json.dumps(to_json(CASES["case5"])))
    assert doc["case"] == "case5"
    assert [la["name"] for la in doc["layers"]] == [la.name for la in layers(CASES["case5"])]
    assert doc["layers"][-1]["activation"] == "softmax"
