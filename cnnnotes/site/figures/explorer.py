"""The data of the explorer on the page "Inside the trained network", precomputed at build time.

The explorer (``docs/javascripts/explorer.js``, plain JavaScript) lets the reader
pick one of the excerpt's test images and shows its class probabilities and the
feature maps of each convolution layer of the trained baseline. Everything it
shows is computed here, by the cheap tier, from the committed weights and test
images (after the check that the numpy network reproduces the run's committed
predictions):

- ``downloads/explorer-index.json`` (loaded once): class names in both languages,
  the thumbnails, the layers with their shapes and fixed colour scales, the colour map;
- ``downloads/explorer-NN.json`` (one per image, loaded when it is picked): the
  committed probabilities and the maps, quantised to bytes on the layer's scale.

Arrays travel as base64 of uint8 bytes; the page holds every word shown to readers.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.forward import conv_layers
from cnnnotes.experiments.runs.testimages import PER_CLASS
from cnnnotes.i18n import LANGS, Lang, class_names
from cnnnotes.site.figures._network import inputs, layer_scales, trained
from cnnnotes.site.figures._runs import provenance_line
from cnnnotes.site.figures.registry import fragment, register

__all__ = ["N_IMAGES", "explorer_image", "explorer_index", "quantise"]

#: Images the reader can pick: the whole per-class excerpt.
N_IMAGES = 10 * PER_CLASS
_CASE = "baseline"
_CMAP = "viridis"


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.uint8).tobytes()).decode("ascii")


def quantise(maps: np.ndarray, scale: float) -> np.ndarray:
    """Maps ``(H, W, F)`` as bytes ``(F, H, W)``: 0 at 0, 255 at ``scale`` and above."""
    levels = np.rint(np.clip(maps / scale, 0.0, 1.0) * 255.0).astype(np.uint8)
    return levels.transpose(2, 0, 1)


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


@fragment("explorer-index", kind="json", shared=True, inputs=inputs(_CASE))
def explorer_index(lang: Lang, *, results_dir: Path) -> str:
    """What the explorer loads first: names, thumbnails, layers, colour map, provenance."""
    net = trained(results_dir, _CASE)
    rows = net.excerpt_rows
    scales = layer_scales(net)
    lut = colormaps[_CMAP](np.linspace(0.0, 1.0, 256))[:, :3]
    return _dump(
        {
            "classes": {code: list(class_names(code)) for code in LANGS},
            "images": [
                {
                    "index": int(net.test.indices[r]),
                    "label": int(net.test.labels[r]),
                    "file": f"explorer-{k:02d}.json",
                }
                for k, r in enumerate(rows)
            ],
            "thumbnails": _b64(net.test.images[rows]),
            "layers": [
                {
                    "name": layer,
                    "maps": int(net.out[layer].shape[-1]),
                    "height": int(net.out[layer].shape[1]),
                    "width": int(net.out[layer].shape[2]),
                    "scale": scales[layer],
                }
                for layer in conv_layers(CASES[net.run.case])
            ],
            "colormap": _b64(np.rint(lut * 255.0)),
            "provenance": {code: provenance_line([net.run], code) for code in ("ko", "en")},
        }
    )


def explorer_image(lang: Lang, *, position: int, results_dir: Path) -> str:
    """One picked image: the run's committed probabilities and its quantised conv maps."""
    net = trained(results_dir, _CASE)
    row = int(net.excerpt_rows[position])
    index = int(net.test.indices[row])
    scales = layer_scales(net)
    return _dump(
        {
            "index": index,
            "label": int(net.test.labels[row]),
            "predicted": int(net.run.predicted[index]),
            "probabilities": [float(p) for p in net.probabilities[index]],
            "maps": {
                layer: _b64(quantise(net.out[layer][row], scales[layer]))
                for layer in conv_layers(CASES[net.run.case])
            },
        }
    )


for _k in range(N_IMAGES):
    register(
        f"explorer-{_k:02d}",
        explorer_image,
        kind="json",
        shared=True,
        inputs=inputs(_CASE),
        position=_k,
    )
