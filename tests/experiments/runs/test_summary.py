"""The layer table computed without TensorFlow equals Keras' own count, layer by layer."""

from __future__ import annotations

import pytest

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.summary import layers, total_params


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_params_and_shapes_equal_keras(name: str) -> None:
    from cnnnotes.experiments.training.model import build_model

    model = build_model(CASES[name])
    ours = {layer.name: layer for layer in layers(CASES[name]) if layer.name != "input"}
    assert set(ours) == {layer.name for layer in model.layers}
    for layer in model.layers:
        assert ours[layer.name].params == layer.count_params(), layer.name
        assert ours[layer.name].shape == tuple(layer.output.shape[1:]), layer.name
    assert total_params(CASES[name]) == model.count_params()


def test_pool_1x1_makes_the_dense_layer_hold_almost_everything() -> None:
    dense = {layer.name: layer.params for layer in layers(CASES["case1"])}["dense1"]
    assert dense == 2_768_960 and total_params(CASES["case1"]) == 2_825_930
