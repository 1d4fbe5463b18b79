"""The numpy forward pass of a trained run equals Keras and reproduces the committed predictions."""

from __future__ import annotations

import os
import time
import tracemalloc

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from pathlib import Path

import numpy as np
import pytest

from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.folder import load_run, load_weights
from cnnnotes.experiments.runs.forward import (
    ForwardError,
    check_predictions,
    conv_layers,
    forward,
    outputs,
    softmax,
)
from cnnnotes.experiments.runs.testimages import read_test_images

RESULTS = Path(__file__).resolve().parents[3] / "results"
BASELINE = load_run(RESULTS, NOTES.name, "baseline")
WEIGHTS = load_weights(BASELINE.path)
TEST = read_test_images(RESULTS, fingerprint=BASELINE.key_inputs["dataset"])


def _committed(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return BASELINE.predicted[indices], BASELINE.probabilities[indices]


def test_layer_shapes_follow_the_concepts_page_32_30_15_13_6_4():
    out = forward(CASES["baseline"], WEIGHTS, TEST.images[:2])
    assert tuple(out.outputs) == outputs(CASES["baseline"])
    shapes = {name: out[name].shape[1:] for name in outputs(CASES["baseline"])}
    assert shapes == {
        "conv1": (30, 30, 32),
        "pool1": (15, 15, 32),
        "conv2": (13, 13, 64),
        "pool2": (6, 6, 64),
        "conv3": (4, 4, 64),
        "flatten": (1024,),
        "dense1": (64,),
        "logits": (10,),
        "probabilities": (10,),
    }
    assert all(out[name].dtype == np.float32 for name in out.outputs)


def test_outputs_skip_dropout_and_end_with_logits_and_probabilities():
    names = outputs(CASES["case4"])
    assert "dropout" not in names and names[-2:] == ("logits", "probabilities")
    assert conv_layers(CASES["case4"]) == ("conv1", "conv2", "conv3")


def test_forward_reproduces_committed_predictions_on_every_committed_test_image():
    out = forward(CASES["baseline"], WEIGHTS, TEST.images)
    predicted, probabilities = _committed(TEST.indices)
    check_predictions(out, predicted, probabilities, TEST.indices, "notes/baseline")
    assert np.array_equal(out.predicted, predicted)


def test_check_fails_with_one_line_naming_the_image_when_a_label_differs():
    out = forward(CASES["baseline"], WEIGHTS, TEST.images[:3])
    predicted, probabilities = _committed(TEST.indices[:3])
    wrong = predicted.copy()
    wrong[1] = (wrong[1] + 1) % 10
    with pytest.raises(ForwardError, match=rf"test image {TEST.indices[1]}\b") as info:
        check_predictions(out, wrong, probabilities, TEST.indices[:3], "notes/baseline")
    assert "\n" not in str(info.value)


def test_check_fails_when_a_probability_is_two_float16_ulps_away():
    out = forward(CASES["baseline"], WEIGHTS, TEST.images[:3])
    predicted, probabilities = _committed(TEST.indices[:3])
    shifted = probabilities.copy()
    bits = shifted.view(np.int16)
    bits[2, int(predicted[2])] += 2
    with pytest.raises(ForwardError, match="more than 1 float16 ulp"):
        check_predictions(out, predicted, shifted, TEST.indices[:3], "notes/baseline")
    bits[2, int(predicted[2])] -= 1  # one ulp is within the tolerance
    check_predictions(out, predicted, shifted, TEST.indices[:3], "notes/baseline")


def test_weights_of_another_architecture_are_refused_naming_the_weight():
    with pytest.raises(ForwardError, match="conv1/kernel has shape"):
        forward(CASES["case2"], WEIGHTS, TEST.images[:1])


def test_softmax_rows_sum_to_one_and_keep_order():
    p = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]], dtype=np.float32))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert p[0].argmax() == 2 and p[1].argmax() == 0


def test_forward_on_the_excerpt_takes_under_a_second():
    images = TEST.images[TEST.rows(TEST.excerpt)]
    forward(CASES["baseline"], WEIGHTS, images)  # warm up
    tracemalloc.start()
    start = time.perf_counter()
    forward(CASES["baseline"], WEIGHTS, images)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"numpy forward pass, {len(images)} images: {seconds:.3f} s, peak {peak / 2**20:.1f} MiB")
    assert seconds <= 1.0


# --- against Keras ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["baseline", "case4"])
def test_forward_equals_keras_from_the_same_weights(name):
    """Logits within 1e-4 and identical argmax; case4 runs the baseline weights through Dropout."""
    pytest.importorskip("keras")
    import keras

    from cnnnotes.experiments.training.model import build_model

    case = CASES[name]
    model = build_model(case)
    for layer in model.layers:
        if layer.weights:
            layer.set_weights([WEIGHTS[f"{layer.name}/{w.name}"] for w in layer.weights])
    logits_model = keras.Model(model.inputs, model.get_layer("dense2").output)
    x = TEST.images.astype(np.float32) / np.float32(255.0)
    keras_probs = logits_model.predict(x, verbose=0)  # dense2 applies its softmax
    dense2 = model.get_layer("dense2")
    hidden = keras.Model(model.inputs, dense2.input).predict(x, verbose=0)
    kernel, bias = (np.asarray(w) for w in dense2.get_weights())
    keras_logits = hidden @ kernel + bias
    ours = forward(case, WEIGHTS, TEST.images)
    assert np.max(np.abs(ours.logits - keras_logits)) <= 1e-4
    assert np.array_equal(ours.predicted, keras_logits.argmax(axis=1))
    assert np.array_equal(ours.predicted, keras_probs.argmax(axis=1))
    np.testing.assert_allclose(ours.probabilities, keras_probs, atol=1e-6)
