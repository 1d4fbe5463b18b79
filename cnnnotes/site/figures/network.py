"""The page "Inside the trained network": what the published networks compute.

Learned filters, feature-map grids and the picked test images come from the
baseline's committed weights, run in numpy (:mod:`cnnnotes.experiments.runs.forward`) on the
committed test images after a check that the numpy network reproduces the run's
committed predictions (:func:`cnnnotes.site.figures._network.trained`). Confusion
matrices come from the committed ``predicted`` labels of the full test set. All
runs are seed 0 of the ``notes`` profile; every figure says so in its stamp.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnnotes.experiments.runs.architecture import Layer
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.folder import load_run
from cnnnotes.experiments.runs.testimages import N_PICKS, confident_picks
from cnnnotes.i18n import Lang, class_names, t
from cnnnotes.site.figures._network import (
    SCALE_PERCENTILE,
    Trained,
    inputs,
    layer_scales,
    map_layers,
    trained,
)
from cnnnotes.site.figures._runs import (
    ALL_RUNS,
    PROFILE,
    notes_order,
    present_runs,
    provenance_line,
    run_files,
    run_globs,
    weights_file,
)
from cnnnotes.site.figures.registry import figure, fragment
from cnnnotes.site.style import COLORS, Drawn, figure_context, new_figure

__all__ = [
    "compare_block",
    "confident_examples",
    "confusion",
    "confusion_all",
    "confusion_summary",
    "feature_maps",
    "feature_maps_compare",
    "filters_measured",
    "forward_check",
    "learned_filters",
]

_BASELINE = "baseline"
#: Width of every figure on the page (inches): its text is sized to be legible at it.
_WIDTH = 6.4
_MAP_COLS = 8
_CMAP = "viridis"
#: Images to a row in the figure of confident picks.
_PICK_COLS = 6


def _unit(w: np.ndarray) -> np.ndarray:
    """Scale one filter's values to [0, 1]; a constant filter becomes mid grey."""
    low, high = float(w.min()), float(w.max())
    return np.full_like(w, 0.5) if high == low else (w - low) / (high - low)


def _bare(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


@figure("learned-filters", inputs=inputs(_BASELINE))
def learned_filters(lang: Lang, *, results_dir: Path) -> Drawn:
    """All 32 conv1 filters of the trained baseline as RGB tiles, beside the notes' all-ones.

    Each filter ``(3, 3, 3)`` is scaled to [0, 1] on its own (min to max over its
    27 weights), so a tile shows the filter's pattern, not its magnitude. The notes'
    hand-made all-ones filter has no pattern: normalised, it is one flat grey. Tiles
    are not numbered: which filter lands in which place carries no meaning.
    """
    net = trained(results_dir)
    kernel = net.weights["conv1/kernel"]  # (3, 3, 3, 32)
    n = kernel.shape[-1]
    rows = -(-n // _MAP_COLS)
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 4.3))
        # an array of two SubFigures; the stub also allows a single one (a 1x1 grid)
        left, right = fig.subfigures(1, 2, width_ratios=(1.6, _MAP_COLS), wspace=0.04)  # type: ignore[misc]  # an array
        ax = left.add_subplot()
        ax.imshow(_unit(np.ones((3, 3, 3))), interpolation="nearest")
        ax.set_title(t("fig.network.ones", lang), fontweight="normal")
        _bare(ax)
        tiles = right.subplots(rows, _MAP_COLS, gridspec_kw={"wspace": 0.12, "hspace": 0.12})
        for f, tile in enumerate(tiles.flat):
            tile.imshow(_unit(kernel[..., f]), interpolation="nearest")
            _bare(tile)
        right.suptitle(
            t("fig.network.learned", lang), fontweight="normal", fontsize=plt.rcParams["font.size"]
        )
        fig.suptitle(t("fig.network.filters_title", lang))
    return Drawn(fig, provenance_line([net.run], lang))


def _colour_share(kernel: np.ndarray) -> np.ndarray:
    """Per filter: the share of its squared weights in differences between colour channels.

    A filter ``w (kh, kw, 3)`` splits into its channel mean repeated over the three
    channels (what it does to brightness) and the rest (what it does to colour).
    """
    grey = kernel.mean(axis=2, keepdims=True)
    colour = kernel - grey
    total = (kernel**2).sum(axis=(0, 1, 2))
    share: np.ndarray = (colour**2).sum(axis=(0, 1, 2)) / np.where(total == 0, 1.0, total)
    return share


@fragment("filters-measured", inputs=inputs(_BASELINE))
def filters_measured(lang: Lang, *, results_dir: Path) -> str:
    """One sentence counting colour-dominated and brightness-dominated conv1 filters."""
    net = trained(results_dir)
    share = _colour_share(net.weights["conv1/kernel"])
    colour = int((share > 0.5).sum())
    return t("fig.network.measured", lang, n=len(share), colour=colour, grey=len(share) - colour)


def _mosaic(maps: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """Maps ``(H, W, F)`` as one ``rows × cols`` image, map ``f`` at row ``f // cols``; NaN gaps."""
    h, w, n = maps.shape
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan, dtype=np.float32)
    for f in range(n):
        r, c = divmod(f, cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = maps[..., f]
    return out


def _layer_label(layer: Layer, lang: Lang) -> str:
    h, w, n = layer.shape
    name = layer.name + (t("fig.network.relu", lang) if layer.activation == "relu" else "")
    return t("fig.network.row", lang, layer=name, n=n, h=h, w=w)


def _map_cols(n: int) -> int:
    """Columns of a layer's mosaic: 8 for 32 maps, 16 for 64 (four rows either way)."""
    return _MAP_COLS if n <= 4 * _MAP_COLS else 2 * _MAP_COLS


def feature_map_rows(net: Trained, row: int) -> list[tuple[Layer, np.ndarray]]:
    """``(layer, mosaic)`` for each map layer of image ``row`` of the forward pass."""
    return [
        (layer, _mosaic(maps := net.out[layer.name][row], _map_cols(maps.shape[-1])))
        for layer in map_layers(net.run.case)
    ]


@figure("feature-maps", inputs=inputs(_BASELINE))
def feature_maps(lang: Lang, *, results_dir: Path) -> Drawn:
    """The first excerpt image and its maps after conv1, pool1, conv2, pool2 and conv3.

    Every map is drawn at the same scale (inches per activation), so the sizes
    32 → 30 → 15 → 13 → 6 → 4 of the concepts page are visible as they are. Maps
    stay in filter order, row by row (8 to a row for 32 maps, 16 for 64); each
    layer has one colour scale for the whole excerpt.
    """
    net = trained(results_dir)
    scales = layer_scales(net)
    index = int(net.test.excerpt[0])
    row = int(net.rows(np.array([index]))[0])
    mosaics = feature_map_rows(net, row)
    px, label_w, pad, top = 0.016, 1.4, 0.3, 1.35  # inches per activation, margins
    heights = [32 * px] + [m.shape[0] * px for _, m in mosaics]
    height = top + sum(heights) + pad * len(heights) + 0.35
    cmap = colormaps[_CMAP].with_extremes(bad="white")
    with figure_context(width=_WIDTH):
        size = plt.rcParams["font.size"]
        fig = new_figure(figsize=(_WIDTH, height))
        fig.set_layout_engine("none")  # axes placed by hand, at one scale for every map
        y = height - top
        panels: list[tuple[str, np.ndarray, float | None]] = [
            (t("fig.network.input_row", lang), net.test.images[row], None)
        ]
        panels += [
            (_layer_label(layer, lang), mosaic, scales[layer.name]) for layer, mosaic in mosaics
        ]
        for (label, image, vmax), h in zip(panels, heights, strict=True):
            y -= h
            w = image.shape[1] * px
            ax = fig.add_axes((label_w / _WIDTH, y / height, w / _WIDTH, h / height))
            if vmax is None:
                ax.imshow(image, interpolation="nearest")
            else:
                im = ax.imshow(image, cmap=cmap, vmin=0.0, vmax=vmax, interpolation="nearest")
                cax = fig.add_axes(
                    ((label_w + w + 0.08) / _WIDTH, y / height, 0.08 / _WIDTH, h / height)
                )
                bar = fig.colorbar(im, cax=cax, ticks=[0.0, vmax])
                bar.ax.set_yticklabels(["0", f"{vmax:.2g}"])
            _bare(ax)
            fig.text(0.1 / _WIDTH, (y + h / 2) / height, label, va="center", linespacing=1.3)
            y -= pad
        name = class_names(lang)[int(net.test.labels[row])]
        fig.suptitle(
            t("fig.network.maps_title", lang, index=index, label=name),
            y=1 - 0.1 / height,
            va="top",
            linespacing=1.3,
        )
        fig.text(
            0.5,
            1 - 0.68 / height,
            t("fig.network.maps_note", lang, n=len(net.test.excerpt), pct=f"{SCALE_PERCENTILE:g}"),
            ha="center",
            va="top",
            fontsize=size,
            color=COLORS["grey"],
            linespacing=1.3,
        )
    return Drawn(fig, provenance_line([net.run], lang))


def _confusion(labels: np.ndarray, predicted: np.ndarray, n: int = 10) -> np.ndarray:
    """Counts ``C[i, j]``: test images of true class ``i`` predicted as ``j``."""
    return np.bincount(
        labels.astype(np.intp) * n + predicted.astype(np.intp), minlength=n * n
    ).reshape(n, n)


def _draw_confusion(ax: Axes, cm: np.ndarray, names: Sequence[str], *, counts: bool) -> Any:
    """Draw confusion matrix ``cm`` on ``ax``: colour is the share of the row (the true class).

    With ``counts`` every cell shows its count; otherwise only the diagonal shows each
    class's accuracy in per cent. Returns the image (for a colour bar).
    """
    share = cm / cm.sum(axis=1, keepdims=True)
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto" if counts else None)
    cells = [(i, j) for i in range(len(cm)) for j in range(len(cm))] if counts else None
    for i, j in cells or [(k, k) for k in range(len(cm))]:
        ink = "white" if share[i, j] > 0.5 else "#1A1A1A"
        text = f"{cm[i, j]}" if counts else f"{share[i, j]:.0%}".rstrip("%")
        ax.text(j, i, text, ha="center", va="center", color=ink)
    ax.set_xticks(range(len(cm)), names, rotation=90)
    ax.set_yticks(range(len(cm)), names)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    return image


@figure("confusion", inputs=run_files(_BASELINE))
def confusion(lang: Lang, *, results_dir: Path) -> Drawn:
    """The baseline's confusion matrix on the full test set, and its accuracy per class.

    Cells hold counts; their colour is the share of the row (the true class). The
    accuracy of each class is a bar on the same row, right of the matrix.
    """
    run = load_run(results_dir, PROFILE, _BASELINE)
    cm = _confusion(run.labels, run.predicted)
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 6.6))
        ax, bars = fig.subplots(1, 2, width_ratios=(3.4, 1), sharey=True)
        _draw_confusion(ax, cm, class_names(lang), counts=True)
        ax.set_xlabel(t("fig.network.pred", lang))
        ax.set_ylabel(t("fig.network.true", lang))
        accuracy = np.diag(cm) / cm.sum(axis=1)
        bars.barh(np.arange(10), accuracy, color=COLORS["sky"], height=0.7)
        for k, a in enumerate(accuracy):
            bars.text(0.03, k, f"{a:.1%}", va="center")
        bars.set_xlim(0, 1)
        bars.set_xticks([0, 1], ["0", "100%"])
        bars.tick_params(axis="y", left=False, labelleft=False)
        bars.set_title(
            t("fig.network.per_class", lang),
            fontweight="normal",
            fontsize=plt.rcParams["font.size"],
        )
        fig.suptitle(t("fig.network.cm_title", lang, n=int(cm.sum())))
    return Drawn(fig, provenance_line([run], lang))


@figure("confusion-all", inputs=ALL_RUNS)
def confusion_all(lang: Lang, *, results_dir: Path) -> Drawn:
    """Small multiples: the confusion matrix of every published run, on one colour scale.

    Colour is the share of the row (the true class); only the diagonal is written,
    as each class's accuracy in per cent (the baseline's counts are in ``confusion``).
    """
    runs = list(present_runs(results_dir, notes_order()).values())  # the notes' cases only
    names = class_names(lang)
    cols = 2
    rows = max(1, -(-len(runs) // cols))
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 2.75 * rows + 2.4))
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
        image = None
        for ax, run in zip(axes.flat, runs, strict=False):
            cm = _confusion(run.labels, run.predicted)
            image = _draw_confusion(ax, cm, names, counts=False)
            acc = float(np.trace(cm) / cm.sum())
            ax.set_title(
                f"{CASES[run.case].title(lang).split(':')[0]} · "
                f"{t('fig.network.acc', lang, acc=acc)}",
                fontweight="normal",
                fontsize=plt.rcParams["font.size"],
            )
        for ax in list(axes.flat)[len(runs) :]:
            ax.set_visible(False)
        if image is not None:
            fig.colorbar(
                image,
                ax=axes,
                orientation="horizontal",
                shrink=0.5,
                aspect=30,
                format="{x:.0%}",
                ticks=[0, 0.5, 1],
            )
        for ax in axes[-1]:
            ax.set_xlabel(t("fig.network.pred", lang))
        for ax in axes[:, 0]:
            ax.set_ylabel(t("fig.network.true", lang))
        n = len(runs[0].labels) if runs else 0
        fig.suptitle(t("fig.network.all_title", lang, n=n), linespacing=1.3)
    return Drawn(fig, provenance_line(runs, lang))


@fragment("confusion-summary", inputs=run_files(_BASELINE))
def confusion_summary(lang: Lang, *, results_dir: Path) -> str:
    """The most confused pair and the worst and best classes, measured from the baseline."""
    run = load_run(results_dir, PROFILE, _BASELINE)
    cm = _confusion(run.labels, run.predicted)
    off = cm - np.diag(np.diag(cm))
    a, b = (int(v) for v in np.unravel_index(np.argmax(off), off.shape))
    accuracy = np.diag(cm) / cm.sum(axis=1)
    names = class_names(lang)
    worst, best = int(np.argmin(accuracy)), int(np.argmax(accuracy))
    return t("fig.network.pair", lang,
        a=names[a], b=names[b], ab=int(cm[a, b]), ba=int(cm[b, a]),
        worst=names[worst], worst_acc=accuracy[worst], best=names[best], best_acc=accuracy[best],
    )  # fmt: skip  # arguments paired: the confused pair, then the worst and best class


def _image_grid(sub: Figure, net: Trained, indices: np.ndarray, lang: Lang, colour: str) -> None:
    """The images of test ``indices`` in a grid, each with its index, classes and confidence.

    The test index is above the image; below, a mistake shows its true class, then
    "→" its predicted class, and a correct answer its class, then the confidence.
    """
    cols = _PICK_COLS
    axes = sub.subplots(-(-len(indices) // cols), cols, squeeze=False)
    names = class_names(lang)
    for ax, index, row in zip(axes.flat, indices, net.rows(indices), strict=False):
        ax.imshow(net.test.images[row], interpolation="nearest")
        truth, guess = int(net.run.labels[index]), int(net.run.predicted[index])
        label = t(
            "fig.network.right_label" if truth == guess else "fig.network.wrong_label",
            lang,
            truth=names[truth],
            guess=names[guess],
            index=int(index),
            p=float(net.probabilities[index, guess]),
        )
        ax.set_xlabel(label, labelpad=2, linespacing=1.25)
        ax.set_title(
            f"#{int(index)}",
            pad=3,
            fontweight="normal",
            color=COLORS["grey"],
            fontsize=plt.rcParams["font.size"],
        )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color(colour)
            spine.set_linewidth(2.5)
    for ax in list(axes.flat)[len(indices) :]:
        ax.set_visible(False)


@figure("confident-examples", inputs=inputs(_BASELINE))
def confident_examples(lang: Lang, *, results_dir: Path) -> Drawn:
    """The baseline's most confident mistakes over the full test set, beside its most
    confident correct answers (confidence: the committed probability of the predicted
    class; ties go to the smaller test index)."""
    net = trained(results_dir)
    run = net.run
    mistakes, correct = confident_picks(run.labels, run.predicted, net.probabilities, N_PICKS)
    rows = -(-max(len(mistakes), len(correct)) // _PICK_COLS)
    with figure_context(width=_WIDTH):
        heights = (1.8 * rows + 0.65, 1.55 * rows + 0.65)  # three label lines, then two
        fig = new_figure(figsize=(_WIDTH, sum(heights) + 0.45))
        # an array of two SubFigures; the stub also allows a single one (a 1x1 grid)
        top, bottom = fig.subfigures(2, 1, hspace=0.03, height_ratios=heights)  # type: ignore[misc]  # an array of 2
        _image_grid(top, net, mistakes, lang, COLORS["vermillion"])
        _image_grid(bottom, net, correct, lang, COLORS["green"])
        top.suptitle(t("fig.network.mistakes", lang, k=len(mistakes)), linespacing=1.3)
        bottom.suptitle(t("fig.network.correct", lang, k=len(correct)), linespacing=1.3)
    return Drawn(fig, provenance_line([run], lang))


@fragment("forward-check", inputs=inputs(_BASELINE))
def forward_check(lang: Lang, *, results_dir: Path) -> str:
    """The build-time check, as a sentence whose numbers are measured (it raises on failure)."""
    net = trained(results_dir)  # raises a one-line ForwardError when the check fails
    ours = net.out.probabilities.astype(np.float16)
    committed = net.probabilities[net.test.indices]
    cells, same = int(ours.size), int((ours == committed).sum())
    key = "fig.network.check.all" if same == cells else "fig.network.check.some"
    probs = t(key, lang, cells=cells, same=same, rest=cells - same)
    return t("fig.network.check.text", lang, n=len(net.test.indices), probs=probs)


#: The second run shown beside the baseline: same architecture, Adam instead of RMSprop.
_OTHER = "case3"


def _shown_image(net: Trained) -> tuple[int, int]:
    """The test index and row of the image the page follows: the first of the excerpt."""
    index = int(net.test.excerpt[0])
    return index, int(net.rows(np.array([index]))[0])


#: Inputs of the comparison: both runs with their weights (Case 3's are planned, not all here).
_COMPARE_INPUTS = (*inputs(_BASELINE), *inputs(_OTHER))


@figure("feature-maps-compare", inputs=_COMPARE_INPUTS, optional=True)
def feature_maps_compare(lang: Lang, *, results_dir: Path) -> Drawn:
    """The first excerpt image's conv1 maps in the baseline and in a second run, with each
    run's class probabilities. Each run has its own colour scale, fixed over the excerpt.

    One row per run: the input (the same image in both), its 32 maps, its probabilities.
    """
    nets = [trained(results_dir, case) for case in (_BASELINE, _OTHER)]
    names = class_names(lang)
    index, row = _shown_image(nets[0])
    cmap = colormaps[_CMAP].with_extremes(bad="white")
    with figure_context(width=_WIDTH):
        size = plt.rcParams["font.size"]
        fig = new_figure(figsize=(_WIDTH, 6.3))
        axes = fig.subplots(2, 3, width_ratios=(0.55, 2.6, 1.25))
        for (image_ax, maps_ax, bar_ax), net in zip(axes, nets, strict=True):
            r = int(net.rows(np.array([index]))[0])
            image_ax.imshow(net.test.images[r], interpolation="nearest")
            _bare(image_ax)
            scale = layer_scales(net)["conv1"]
            maps_ax.imshow(
                _mosaic(net.out["conv1"][r], _MAP_COLS),
                cmap=cmap,
                vmin=0.0,
                vmax=scale,
                interpolation="nearest",
            )
            _bare(maps_ax)
            pred = int(net.run.predicted[index])
            p = float(net.probabilities[index, pred])
            maps_ax.set_title(
                t(
                    "fig.network.compare.row",
                    lang,
                    title=CASES[net.run.case].title(lang),
                    pred=names[pred],
                    p=p,
                ),
                fontsize=size,
                linespacing=1.3,
            )
            probs = net.probabilities[index].astype(np.float64)
            colours = [COLORS["blue"] if c == pred else COLORS["grey"] for c in range(10)]
            bar_ax.barh(np.arange(10), probs, color=colours)
            bar_ax.set_yticks(np.arange(10), names)
            bar_ax.tick_params(axis="y", length=0)
            bar_ax.invert_yaxis()
            bar_ax.set_xlim(0, 1)
            bar_ax.set_xticks([0, 1], ["0", "100%"])
            bar_ax.set_title(
                t("fig.network.compare.probs", lang), fontsize=size, fontweight="normal"
            )
        label = names[int(nets[0].test.labels[row])]
        fig.suptitle(
            t("fig.network.compare.title", lang, index=index, label=label), linespacing=1.3
        )
    return Drawn(fig, provenance_line([n.run for n in nets], lang))


@fragment(
    "compare-block",
    inputs=(*inputs(_BASELINE), *run_globs(_OTHER)),
)
def compare_block(lang: Lang, *, results_dir: Path) -> str:
    """The two-run comparison (figure and measured sentence), or why it is not there yet."""
    other = CASES[_OTHER].title(lang).split(":")[0]
    if not all((Path(results_dir) / p).is_file() for p in _COMPARE_INPUTS):
        have = [
            CASES[c].title(lang).split(":")[0]
            for c in CASES
            if (Path(results_dir) / weights_file(c)).is_file()
        ]
        return t("fig.network.compare.missing", lang, have=", ".join(have), other=other)
    a, b = trained(results_dir, _BASELINE), trained(results_dir, _OTHER)
    index, _ = _shown_image(a)
    pred_a, pred_b = int(a.run.predicted[index]), int(b.run.predicted[index])
    names = class_names(lang)
    return t("fig.network.compare.figure", lang, other=other) + t(
        "fig.network.compare.same",
        lang,
        other=other,
        pred_a=names[pred_a],
        p_a=float(a.probabilities[index, pred_a]),
        pred_b=names[pred_b],
        p_b=float(b.probabilities[index, pred_b]),
    )
