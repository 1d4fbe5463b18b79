"""Tests of cnnnotes.site.figures.explorer: the explorer's precomputed data, within its budgets."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from cnnnotes.experiments.runs.cases import NOTES
from cnnnotes.experiments.runs.folder import load_run
from cnnnotes.site.figures import explorer
from cnnnotes.site.figures._network import layer_scales, trained
from cnnnotes.site.figures.registry import REGISTRY

RESULTS = Path(__file__).resolve().parents[2] / "results"
BASELINE = load_run(RESULTS, NOTES.name, "baseline")


def _json(name: str) -> tuple[dict, int]:
    spec = REGISTRY[name]
    text = spec.func("en", results_dir=RESULTS, **spec.params)
    return json.loads(text), len(text.encode("utf-8"))


def _bytes(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype=np.uint8)


def test_quantise_maps_zero_to_0_the_scale_to_255_and_puts_maps_first():
    maps = np.zeros((2, 3, 4), dtype=np.float32)
    maps[0, 1, 2], maps[1, 2, 3] = 0.5, 9.0
    q = explorer.quantise(maps, scale=1.0)
    assert q.shape == (4, 2, 3) and q.dtype == np.uint8
    assert q[2, 0, 1] == 128 and q[3, 1, 2] == 255 and q.sum() == 128 + 255


def test_one_data_file_per_excerpt_image_all_shared_by_both_languages():
    names = [f"explorer-{k:02d}" for k in range(explorer.N_IMAGES)]
    assert all(REGISTRY[n].shared and REGISTRY[n].kind == "json" for n in names)
    assert f"explorer-{explorer.N_IMAGES:02d}" not in REGISTRY
    index, _ = _json("explorer-index")
    assert [im["file"] for im in index["images"]] == [f"{n}.json" for n in names]


def test_index_holds_thumbnails_layers_and_both_languages_class_names():
    index, size = _json("explorer-index")
    net = trained(RESULTS)
    assert [im["index"] for im in index["images"]] == net.test.excerpt.tolist()
    thumbs = _bytes(index["thumbnails"]).reshape(-1, 32, 32, 3)
    assert np.array_equal(thumbs, net.test.images[net.excerpt_rows])
    assert [(la["name"], la["maps"], la["height"]) for la in index["layers"]] == [
        ("conv1", 32, 30), ("conv2", 64, 13), ("conv3", 64, 4)
    ]  # fmt: skip
    assert index["classes"]["ko"][3] == "고양이" and index["classes"]["en"][3] == "cat"
    assert len(_bytes(index["colormap"])) == 256 * 3
    assert size <= 400_000


@pytest.mark.parametrize("position", [0, 17, explorer.N_IMAGES - 1])
def test_image_data_holds_the_committed_probabilities_and_the_maps_on_fixed_scales(position):
    data, size = _json(f"explorer-{position:02d}")
    net = trained(RESULTS)
    index = int(net.test.excerpt[position])
    assert data["index"] == index and data["predicted"] == int(BASELINE.predicted[index])
    assert data["probabilities"] == [float(p) for p in BASELINE.probabilities[index]]
    row = int(net.rows(np.array([index]))[0])
    scales = layer_scales(net)
    conv2 = _bytes(data["maps"]["conv2"]).reshape(64, 13, 13)
    expected = explorer.quantise(net.out["conv2"][row], scales["conv2"])
    assert np.array_equal(conv2, expected)
    assert size <= 300_000
