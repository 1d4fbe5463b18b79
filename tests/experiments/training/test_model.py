"""The Keras model of each case has the notes' architecture and parameter count."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from cnnnotes.experiments.runs.architecture import total_params
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.training.model import build_model

keras = pytest.importorskip("keras")

#: Worked out by hand from the notes' Keras code (ERRATA.md items 34 and 37).
PARAMS = {
    "baseline": 122_570,
    "case1": 2_825_930,
    "case2": 141_898,
    "case3": 122_570,
    "case4": 122_570,
    "case5": 122_570,
}


@pytest.mark.parametrize("name", [c for c in CASES if not CASES[c].beyond])
def test_parameter_count_matches_the_notes(name):
    assert build_model(CASES[name]).count_params() == PARAMS[name]


@pytest.mark.parametrize("name", list(CASES))
def test_parameter_count_is_what_the_architecture_table_says(name):
    # experiments beyond the notes have no count in the notes: the table is their reference
    assert build_model(CASES[name]).count_params() == total_params(CASES[name])


def test_baseline_shapes_follow_the_notes_comments():
    model = build_model(CASES["baseline"])
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in model.layers}
    assert shapes["conv1"] == (30, 30, 32)
    assert shapes["pool1"] == (15, 15, 32)
    assert shapes["conv2"] == (13, 13, 64)
    assert shapes["pool2"] == (6, 6, 64)
    assert shapes["conv3"] == (4, 4, 64)
    assert shapes["flatten"] == (1024,)


def test_case1_pooling_is_the_identity_so_flatten_grows():
    model = build_model(CASES["case1"])
    assert tuple(model.get_layer("flatten").output.shape[1:]) == (26 * 26 * 64,)
    assert model.get_layer("dense1").count_params() == 2_768_960


@pytest.mark.parametrize(("name", "rate"), [("case4", 0.5), ("case5", 0.2)])
def test_dropout_follows_the_hidden_dense_layer_in_dropout_cases(name, rate):
    names = [layer.name for layer in build_model(CASES[name]).layers]
    assert names[names.index("dense1") + 1] == "dropout"
    assert build_model(CASES[name]).get_layer("dropout").rate == rate


@pytest.mark.parametrize("name", ["baseline", "case1", "case2", "case3"])
def test_cases_without_dropout_have_no_dropout_layer(name):
    assert "dropout" not in [layer.name for layer in build_model(CASES[name]).layers]


@pytest.mark.parametrize(
    ("name", "optimizer"), [("baseline", "rmsprop"), ("case3", "adam"), ("case5", "adam")]
)
def test_optimizer_follows_the_case_with_keras_defaults(name, optimizer):
    model = build_model(CASES[name])
    assert type(model.optimizer).__name__.lower() == optimizer
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


def test_model_maps_images_to_ten_probabilities():
    model = build_model(CASES["baseline"])
    assert tuple(model.inputs[0].shape[1:]) == (32, 32, 3)
    out = model.predict(np.zeros((2, 32, 32, 3), np.float32), verbose=0)
    assert out.shape == (2, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    assert model.loss == "categorical_crossentropy"
