"""Tests of cnnnotes.site.figures.netdata: the data scripts both interactive parts run on."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from cnnnotes.experiments.runs.architecture import to_json
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.forward import forward
from cnnnotes.experiments.runs.testimages import read_test_images
from cnnnotes.site.figures import netdata
from cnnnotes.site.figures._network import layer_scales, trained
from cnnnotes.site.figures.registry import REGISTRY

RESULTS = Path(__file__).resolve().parents[2] / "results"


def _payload(name: str) -> tuple[dict, str]:
    spec = REGISTRY[name]
    text = spec.func("en", results_dir=RESULTS, **spec.params)
    prefix = f"{netdata.REGISTER}({json.dumps(name)},"
    assert text.startswith(prefix) and text.endswith(");\n")
    return json.loads(text[len(prefix) : -3]), text


def _weights(payload: dict) -> dict[str, np.ndarray]:
    block = np.frombuffer(base64.b64decode(payload["weights"]), dtype="<f4")
    return {
        name: block[t["offset"] : t["offset"] + int(np.prod(t["shape"]))].reshape(t["shape"])
        for name, t in payload["tensors"].items()
    }


def test_every_data_script_is_one_file_for_both_languages():
    names = [n for n, spec in REGISTRY.items() if spec.kind == "js"]
    assert "test-images" in names and "network-baseline" in names
    assert all(REGISTRY[n].shared for n in names)


def test_a_case_without_committed_weights_waits_for_them():
    spec = REGISTRY["network-case1"]
    assert spec.optional and any(p.endswith("weights.npz") for p in spec.inputs)


def test_test_images_script_holds_the_committed_images_as_bytes():
    payload, _ = _payload("test-images")
    test = read_test_images(RESULTS)
    images = np.frombuffer(base64.b64decode(payload["images"]), dtype=np.uint8)
    assert np.array_equal(images.reshape(-1, 32, 32, 3), test.images)
    assert payload["indices"] == test.indices.tolist()
    assert payload["labels"] == test.labels.tolist()
    assert [payload["indices"][r] for r in payload["excerpt"]] == test.excerpt.tolist()
    assert payload["classes"]["ko"][3] == "고양이" and payload["classes"]["en"][3] == "cat"
    assert len(base64.b64decode(payload["colormap"])) == 256 * 3


def test_network_script_holds_the_cases_layer_list_from_its_architecture():
    for case in ("baseline", "case2"):
        payload, _ = _payload(f"network-{case}")
        network = to_json(CASES[case])
        assert payload["case"] == case and payload["layers"] == network["layers"]
    wide, _ = _payload("network-case2")
    assert wide["layers"][1]["units"] == CASES["case2"].filters[0]


def test_pack_lays_arrays_end_to_end_as_little_endian_float32():
    a, b = np.arange(6, dtype=np.float64).reshape(2, 3), np.array([0.5], dtype=np.float32)
    block, tensors = netdata.pack({"a": a, "b": b}, ["b", "a"])
    assert tensors == {"b": {"offset": 0, "shape": [1]}, "a": {"offset": 1, "shape": [2, 3]}}
    assert np.array_equal(np.frombuffer(block, dtype="<f4"), [0.5, 0, 1, 2, 3, 4, 5])


@pytest.mark.parametrize("case", ["baseline", "case2"])
def test_network_script_holds_the_float32_weights_exactly_and_the_fixed_scales(case):
    payload, _ = _payload(f"network-{case}")
    net = trained(RESULTS, case)
    weights = _weights(payload)
    assert set(weights) == set(net.weights)
    for name, array in net.weights.items():
        assert weights[name].dtype == np.float32
        assert np.array_equal(weights[name], np.asarray(array, dtype=np.float32)), name
    assert payload["scales"] == layer_scales(net)
    # the data alone run the network: the same logits as the committed weights
    out = forward(CASES[case], weights, net.test.images)
    assert np.array_equal(out.logits, net.out.logits)


def test_network_script_holds_the_runs_committed_predictions_on_the_test_images():
    payload, _ = _payload("network-baseline")
    net = trained(RESULTS, "baseline")
    committed = np.frombuffer(
        base64.b64decode(payload["committed"]["probabilities"]), dtype="<f4"
    ).reshape(-1, 10)
    assert np.array_equal(committed, net.probabilities[net.test.indices].astype(np.float32))
    assert payload["committed"]["predicted"] == net.run.predicted[net.test.indices].tolist()
    assert set(payload["provenance"]) == {"ko", "en"}
