"""The data the pages' interactive parts run on: scripts that register themselves, one copy.

The explorer of the page "Inside the trained network" and the panel that runs the
reader's own picture through the trained networks (``docs/javascripts/``) read the
same data, in the same form, so that both work from a folder opened from disk
(``file://``), where ``fetch()``, ES modules and Web Workers are not available:

- every data file is a script, ``data/<name>.js``, served once at the site's root for
  both languages, whose one statement is ``cnnnotesData.register("<name>", {...});``
  (``docs/javascripts/cnnnotes-data.js`` defines the function and loads a file by
  adding a ``<script src>``, on the first use of a panel, never with the page);
- ``data/test-images.js``: the committed test images (:data:`TEST_IMAGES`) as uint8
  bytes ``(n, 32, 32, 3)``, their test indices and labels, which of them form the
  per-class excerpt, the class names in both languages and the colour map of the maps;
- ``data/network-<case>.js``, one per case whose first seed committed its weights:
  the case's layer list (:func:`cnnnotes.experiments.runs.architecture.to_json`: kind,
  name, output shape, window, units, activation of each layer, input first), the weights
  of its ``Conv2D`` and ``Dense`` layers (``<name>/kernel``, ``<name>/bias``) as one
  little-endian float32 block (:func:`pack`), the fixed colour scale of each map layer,
  the run's committed predictions on the test images, and its provenance line in both
  languages.

Arrays travel as base64; words shown around the data live in the pages.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps

from cnnnotes.experiments.runs.architecture import to_json
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.testimages import read_test_images
from cnnnotes.i18n import LANGS, Lang, class_names
from cnnnotes.site.figures._network import TEST_IMAGES, inputs, layer_scales, trained
from cnnnotes.site.figures._runs import provenance_line
from cnnnotes.site.figures.registry import fragment, per_case

__all__ = ["CMAP", "REGISTER", "b64", "network_data", "pack", "script", "test_images"]

#: The global function every data script calls.
REGISTER = "cnnnotesData.register"
#: Colour map of every feature map the pages draw (as the static figures).
CMAP = "viridis"


def b64(array: np.ndarray) -> str:
    """The bytes of ``array`` (C order, as stored) in base64."""
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def script(name: str, payload: Mapping[str, Any]) -> str:
    """A data script: one call of :data:`REGISTER` with ``name`` and ``payload``."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"{REGISTER}({json.dumps(name)},{body});\n"


def pack(
    weights: Mapping[str, np.ndarray], names: list[str]
) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The arrays ``names`` as one little-endian float32 block, and where each one lies.

    Returns
    -------
    block, tensors
        The bytes, and ``{name: {"offset": <in floats>, "shape": [...]}}``.
    """
    parts: list[bytes] = []
    tensors: dict[str, dict[str, Any]] = {}
    offset = 0
    for name in names:
        array = np.ascontiguousarray(weights[name], dtype="<f4")
        tensors[name] = {"offset": offset, "shape": list(array.shape)}
        parts.append(array.tobytes())
        offset += array.size
    return b"".join(parts), tensors


@fragment("test-images", kind="js", shared=True, inputs=TEST_IMAGES)
def test_images(lang: Lang, *, results_dir: Path) -> str:
    """``data/test-images.js``: the committed test images, their labels, the class names."""
    test = read_test_images(Path(results_dir))
    lut = colormaps[CMAP](np.linspace(0.0, 1.0, 256))[:, :3]
    return script(
        "test-images",
        {
            "classes": {code: list(class_names(code)) for code in LANGS},
            "indices": [int(i) for i in test.indices],
            "labels": [int(v) for v in test.labels],
            "excerpt": [int(r) for r in test.rows(test.excerpt)],
            "shape": list(test.images.shape[1:]),
            "images": b64(np.asarray(test.images, dtype=np.uint8)),
            "colormap": b64(np.rint(lut * 255.0).astype(np.uint8)),
        },
    )


@per_case("network-{case}", kind="js", shared=True, inputs=inputs, optional=True)
def network_data(lang: Lang, *, case: str, results_dir: Path) -> str:
    """``data/network-<case>.js``: what the browser needs to run ``case``'s trained network.

    Built only from a run that passes the build's check against its committed
    predictions (:func:`cnnnotes.site.figures._network.trained`).
    """
    net = trained(Path(results_dir), case)
    network = to_json(CASES[case])
    names = [
        f"{layer['name']}/{part}"
        for layer in network["layers"]
        if layer["kind"] in ("Conv2D", "Dense")
        for part in ("kernel", "bias")
    ]
    block, tensors = pack(net.weights, names)
    return script(
        f"network-{case}",
        {
            **network,
            "scale": 255,
            "tensors": tensors,
            "weights": base64.b64encode(block).decode("ascii"),
            "scales": layer_scales(net),
            "committed": {
                "predicted": [int(v) for v in net.run.predicted[net.test.indices]],
                "probabilities": b64(np.asarray(net.probabilities[net.test.indices], dtype="<f4")),
            },
            "provenance": {code: provenance_line([net.run], code) for code in LANGS},
        },
    )
