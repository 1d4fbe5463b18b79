"""The dataset part of the site: sample grids, the split Keras really makes, class counts.

Every figure here reads only the committed excerpt (``results/dataset/``): the
first 100 training images in the loader's order and ``info.json`` (source,
fingerprint, counts, and the split made by ``validation_split=0.2``). No
CIFAR-10 download or TensorFlow is needed to draw them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from cnnnotes.data.excerpt import read_excerpt, read_info
from cnnnotes.data.info import DatasetInfo
from cnnnotes.data.labels import CLASS_NAMES
from cnnnotes.i18n import Lang, class_names, t
from cnnnotes.site.figures.registry import figure, fragment
from cnnnotes.site.style import COLORS, Drawn, figure_context, new_figure

__all__ = ["class_counts", "dataset_provenance", "samples_grid", "split_counts"]

_INPUTS = ("dataset/excerpt.npz", "dataset/info.json")


def _read_info(results_dir: Path) -> dict[str, Any]:
    return read_info(Path(results_dir) / "dataset")


def _read_excerpt(results_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    images, labels, _ = read_excerpt(Path(results_dir) / "dataset")
    return images, labels


def _provenance(info: dict[str, Any], lang: Lang) -> str:
    """The stamp: source, JPEG offline copy or official, and the fingerprint's first 12 hex."""
    parts = [f"{t('common.data', lang)}: {info['source']}"]
    origin = DatasetInfo.from_dict(info).origin
    if origin == "jpeg":
        parts.append(t("common.offline_copy", lang))
    elif origin == "official":
        parts.append(t("fig.dataset.official", lang))
    parts.append(f"{t('common.fingerprint', lang)} {info['fingerprint'][:12]}")
    return " · ".join(parts)


def _text_width(text: str) -> float:
    """Width in points of ``text`` in the current font and size."""
    prop = FontProperties(family=plt.rcParams["font.family"], size=plt.rcParams["font.size"])
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def _pct(info: dict[str, Any]) -> str:
    return f"{info['validation_split']['fraction'] * 100:g}"


@figure("samples-5x5", inputs=_INPUTS, rows=5)
@figure("samples-10x10", inputs=_INPUTS, rows=10)
def samples_grid(lang: Lang, *, rows: int, results_dir: Path) -> Drawn:
    """A ``rows`` × ``rows`` grid of the first training images, each labelled with its class.

    The notes show the first 25 (5×5) and the first 100 (10×10) images of
    ``train_x``; here they are the first images in the loader's order.
    """
    images, labels = _read_excerpt(results_dir)
    info = _read_info(results_dir)
    n = rows * rows
    if n > len(images):
        raise ValueError(f"rows: {rows}×{rows} needs {n} images, the excerpt holds {len(images)}")
    names = class_names(lang)
    grid = np.asarray(labels[:n]).reshape(rows, rows)
    # A label per column when every column holds one class (the image-folder loader's
    # round-robin order over 10 classes does that on a 10-wide grid): a label under
    # each of 100 small images could not be legible on a phone.
    per_column = bool((grid == grid[0]).all())
    width = 5.0 if rows <= 5 else 5.6
    with figure_context(width=width):
        # turn the column labels upright when the longest would not fit over its image
        turn = per_column and _text_width(max(names, key=_text_width)) > 0.9 * width * 72 / rows
        head = (1.3 if turn else 0.8) if per_column else 0.6
        fig = new_figure(figsize=(width, width * (1.0 if per_column else 1.12) + head))
        axes = fig.subplots(rows, rows, squeeze=False)
        for i, ax in enumerate(axes.flat):
            ax.imshow(images[i], interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if per_column and i < rows:
                ax.set_title(
                    names[int(labels[i])],
                    rotation=90 if turn else 0,
                    pad=3,
                    fontweight="normal",
                    fontsize=plt.rcParams["font.size"],
                )
            elif not per_column:
                ax.set_xlabel(names[int(labels[i])], labelpad=2)
        fig.suptitle(t("fig.dataset.samples", lang, n=n))
    return Drawn(fig, _provenance(info, lang))


@figure("split-counts", inputs=_INPUTS)
def split_counts(lang: Lang, *, results_dir: Path) -> Drawn:
    """What ``validation_split=0.2`` does to the training arrays (ERRATA 27, 29).

    Of the training arrays, the first 80 % train the model and the *last* 20 %
    are held out for validation; the test arrays are never seen by ``fit``.
    """
    info = _read_info(results_dir)
    vs = info["validation_split"]
    n_train, n_test = sum(info["counts"]["train"].values()), sum(info["counts"]["test"].values())
    fit, held, pct = vs["fit"], vs["held_out"], _pct(info)
    with figure_context(width=6.0):
        fig = new_figure(figsize=(6.0, 3.6))
        ax = fig.add_subplot()
        bars = [
            (1, 0, fit, COLORS["blue"], "", t("fig.dataset.fit", lang, n=fit)),
            (
                1,
                fit,
                held,
                COLORS["orange"],
                "//",
                t("fig.dataset.held_out", lang, pct=pct, n=held),
            ),
            (0, 0, n_test, COLORS["green"], "..", t("fig.dataset.test", lang, n=n_test)),
        ]
        for y, left, width, color, hatch, label in bars:
            ax.barh(y, width, left=left, height=0.6, color=color, hatch=hatch, label=label)
            box = {"facecolor": "white", "edgecolor": "none", "pad": 2} if hatch else None
            ink = "black" if hatch else "white"
            ax.text(
                left + width / 2, y, f"{width:,}", ha="center", va="center", color=ink, bbox=box
            )
        ticks = [
            t("fig.dataset.train_arrays", lang, n=n_train),
            t("fig.dataset.test_arrays", lang, n=n_test),
        ]
        ax.set_yticks([1, 0], ticks)
        ax.set_xlabel(t("fig.dataset.images", lang))
        ax.set_xlim(0, n_train * 1.02)
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.legend(loc="lower right", ncol=1)  # beside the short test bar
        ax.set_title(t("fig.dataset.split_title", lang, frac=vs["fraction"], n=n_train, fit=fit))
    return Drawn(fig, _provenance(info, lang))


@figure("class-counts", inputs=_INPUTS)
def class_counts(lang: Lang, *, results_dir: Path) -> Drawn:
    """Images per class in each part: training (fit), held-out validation, test."""
    info = _read_info(results_dir)
    vs = info["validation_split"]
    pct = _pct(info)
    series = [
        (t("fig.dataset.fit_short", lang), vs["fit_counts"], COLORS["blue"], ""),
        (t("fig.dataset.held_short", lang, pct=pct), vs["held_out_counts"], COLORS["orange"], "//"),
        (t("fig.dataset.test_short", lang), info["counts"]["test"], COLORS["green"], ".."),
    ]
    x = np.arange(len(CLASS_NAMES))
    width = 0.27
    with figure_context(width=6.0):
        fig = new_figure(figsize=(6.0, 4.4))
        ax = fig.add_subplot()
        for k, (label, counts, color, hatch) in enumerate(series):
            values = [counts[c] for c in CLASS_NAMES]
            ax.bar(x + (k - 1) * width, values, width, label=label, color=color, hatch=hatch)
        ax.set_xticks(x, class_names(lang), rotation=45, ha="right", rotation_mode="anchor")
        ax.set_ylabel(t("fig.dataset.images", lang))
        ax.yaxis.set_major_formatter("{x:,.0f}")
        ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.5, 1.0))
        ax.set_ylim(0, max(vs["fit_counts"].values()) * 1.4)
        ax.set_title(t("fig.dataset.class_title", lang))
    return Drawn(fig, _provenance(info, lang))


@fragment("dataset-provenance", inputs=("dataset/info.json",))
def dataset_provenance(lang: Lang, *, results_dir: Path) -> str:
    """One Markdown sentence: source, fingerprint, and how the data differ from official."""
    info = _read_info(results_dir)
    which = DatasetInfo.from_dict(info).origin
    sentence = t(
        f"fig.dataset.sentence.{which}", lang, src=info["source"], fp=info["fingerprint"][:12]
    )
    return sentence + "\n"
