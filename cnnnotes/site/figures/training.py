"""The experiment's figures: learning curves per run, across runs, and the Case 4 evidence.

Every figure reads committed runs (``results/runs/notes/<case>/``) through
:mod:`cnnnotes.experiments.runs.folder`; none needs TensorFlow or the dataset. Epochs are
numbered from 1 (the notes' ``range(len(acc))`` started at 0, ERRATA 30).
Training is drawn as dots and validation as a line, as in the notes, but in two
Okabe–Ito colours so the series differ in colour, mark and line alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.folder import load_run, load_seeds
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.i18n import Lang, t
from cnnnotes.site.figures._runs import (
    ALL_RUNS,
    PROFILE,
    notes_order,
    order,
    present_seeds,
    provenance_line,
    run_files,
    seed_globs,
)
from cnnnotes.site.figures.registry import figure, per_case
from cnnnotes.site.style import (
    COLORS,
    LINESTYLES,
    SERIES_COLORS,
    Drawn,
    figure_context,
    new_figure,
)

__all__ = ["case4_dropout", "case4_vs_case5", "curves", "overlay_val"]

_TRAIN: dict[str, Any] = {
    "color": COLORS["blue"],
    "marker": "o",
    "linestyle": "none",
    "markersize": 4.5,
}
#: Figure width (inches): shown full-column on desktop and phone, text sized from it.
_WIDTH = 6.4
_VAL: dict[str, Any] = {"color": COLORS["vermillion"], "linestyle": "-", "linewidth": 2.0}


def _with_key(fig: Figure, key_rows: int) -> tuple[Axes, Axes, Axes]:
    """Two plots side by side and, below them, a row for a legend of ``key_rows`` lines."""
    plot_height = fig.get_figheight() - (key_rows + 2) * plt.rcParams["legend.fontsize"] / 50
    grid = fig.add_gridspec(2, 2, height_ratios=(plot_height, fig.get_figheight() - plot_height))
    left, right = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    key = fig.add_subplot(grid[1, :])
    key.axis("off")
    return left, right, key


def _epoch_axis(ax: Axes, n: int, lang: Lang) -> None:
    """Epochs numbered from 1, every epoch (or every second one) ticked."""
    ax.set_xlabel(t("common.epoch", lang))
    ax.set_xlim(0.5, n + 0.5)
    step = 1 if n <= 10 else 5 if n <= 40 else 10
    ax.set_xticks([1, *range(step, n + 1, step)] if step > 1 else list(range(1, n + 1)))
    ax.grid(True, color="#DDDDDD", linewidth=0.6)


def _draw_pair(ax_acc: Axes, ax_loss: Axes, run: RunResult, lang: Lang) -> None:
    """The notes' two plots of one run: accuracy and loss, training dots, validation line."""
    h, x = run.history, run.epochs
    ax_acc.plot(x, h["accuracy"], label=t("common.train_acc", lang), **_TRAIN)
    ax_acc.plot(x, h["val_accuracy"], label=t("common.val_acc", lang), **_VAL)
    ax_loss.plot(x, h["loss"], label=t("common.train_loss", lang), **_TRAIN)
    ax_loss.plot(x, h["val_loss"], label=t("common.val_loss", lang), **_VAL)
    ax_acc.set_ylabel(t("common.accuracy", lang))
    ax_loss.set_ylabel(t("common.loss", lang))
    for ax in (ax_acc, ax_loss):
        _epoch_axis(ax, len(x), lang)
        ax.legend(handlelength=1.2, borderaxespad=0.3)


def _stack(runs: list[RunResult], key: str) -> np.ndarray:
    """``(seeds, epochs)``: one history per seed, cut to the shortest."""
    n = min(len(r.history[key]) for r in runs)
    return np.stack([np.asarray(r.history[key][:n], dtype=np.float64) for r in runs])


def _spread(
    ax: Axes,
    values: np.ndarray,
    color: str,
    label: str,
    *,
    thin: bool = True,
    marker: str | None = None,
) -> None:
    """Each seed thinly (``thin``), the mean thick and a ±1 sd band (none for one seed).

    The mean is the last line drawn on ``ax`` and the one its legend names.
    """
    x = np.arange(1, values.shape[1] + 1)
    mean = values.mean(axis=0)
    if thin and len(values) > 1:
        for row in values:
            ax.plot(x, row, color=color, linewidth=0.7, alpha=0.45)
    if len(values) > 1:
        sd = values.std(axis=0, ddof=1)
        ax.fill_between(x, mean - sd, mean + sd, color=color, alpha=0.18, linewidth=0)
    # training as dots (marker, no line), validation as a line: as the notes draw them
    style: dict[str, Any] = (
        {"marker": marker, "markersize": 4.5, "linestyle": "none"} if marker else {}
    )
    ax.plot(x, mean, color=color, linewidth=2.0, label=label, **style)


def _n_label(n: int, lang: Lang) -> str:
    return t("fig.training.n_seed" if n == 1 else "fig.training.n_seeds", lang, n=n)


@per_case("curves-{case}", inputs=lambda case: run_files(case) + seed_globs(case))
def curves(lang: Lang, *, case: str, results_dir: Path) -> Drawn:
    """A case's learning curves over its seeds: accuracy (left) and loss (right).

    FIGURES rows 12 and 17–36: the notes show each run as two plots (training as
    dots, validation as a line); here they sit side by side in one figure, each seed
    drawn thinly, the mean thick (training with dot markers) with a ±1 sd band.
    With one seed only the run itself is drawn.
    """
    runs = list(load_seeds(results_dir, PROFILE, case).values())
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 3.9))
        ax_acc, ax_loss = fig.subplots(1, 2)
        train, val = _TRAIN["color"], _VAL["color"]
        _spread(ax_acc, _stack(runs, "accuracy"), train, t("common.train_acc", lang), marker="o")
        _spread(ax_acc, _stack(runs, "val_accuracy"), val, t("common.val_acc", lang))
        _spread(ax_loss, _stack(runs, "loss"), train, t("common.train_loss", lang), marker="o")
        _spread(ax_loss, _stack(runs, "val_loss"), val, t("common.val_loss", lang))
        n_epochs = _stack(runs, "loss").shape[1]
        ax_acc.set_ylabel(t("common.accuracy", lang))
        ax_loss.set_ylabel(t("common.loss", lang))
        for ax in (ax_acc, ax_loss):
            _epoch_axis(ax, n_epochs, lang)
            ax.legend(handlelength=1.2, borderaxespad=0.3)
        ax_acc.set_title(t("fig.training.acc_title", lang))
        ax_loss.set_title(t("fig.training.loss_title", lang))
        fig.suptitle(f"{CASES[case].title(lang)} ({_n_label(len(runs), lang)})", fontweight="bold")
    return Drawn(fig, provenance_line(runs, lang))


def _panel_title(case: str, n: int, lang: Lang) -> str:
    """Two short lines that fit a third of the column: the case and n, then its change."""
    label = CASES[case].short(lang)
    head, _, change = label.partition(": ") if ": " in label else label.partition(" (")
    return f"{head} · {_n_label(n, lang)}\n{change.rstrip(')')}"


@figure("overlay-val", inputs=ALL_RUNS)
def overlay_val(lang: Lang, *, results_dir: Path) -> Drawn:
    """Small multiples: validation accuracy and loss, one panel per case, shared axes.

    Each panel shows the case's mean over seeds with a ±1 sd band and, in grey, the
    baseline's mean for reference; its title gives n. Cases without runs are left
    out; with no run at all the figure only says so (the page does not show it then).
    """
    seeds = present_seeds(results_dir, notes_order())
    cases = list(seeds) or ["baseline"]
    cols = 3
    rows = -(-len(cases) // cols)
    with figure_context(width=_WIDTH):
        # heights in eighths of an inch: whole pixels, whatever the float rounding
        fig = new_figure(figsize=(_WIDTH, 1.0 + 2.125 * rows * 2))
        axes = fig.subplots(rows * 2, cols, sharex=True, squeeze=False)
        base = list(seeds.get("baseline", {}).values())
        measures = (("val_accuracy", "common.val_acc"), ("val_loss", "common.val_loss"))
        for m, (key, label) in enumerate(measures):
            block = axes[m * rows : (m + 1) * rows].ravel()
            for ax in block[len(cases) :]:
                ax.axis("off")
            for ax, case in zip(block, cases, strict=False):
                runs = list(seeds.get(case, {}).values())
                color = COLORS[SERIES_COLORS[order().index(case) % len(SERIES_COLORS)]]
                if base and case != "baseline":
                    ax.plot(
                        np.arange(1, _stack(base, key).shape[1] + 1),
                        _stack(base, key).mean(axis=0),
                        color="#999999",
                        linewidth=1.2,
                        linestyle=LINESTYLES[1],
                    )
                if runs:
                    _spread(ax, _stack(runs, key), color, CASES[case].short(lang), thin=False)
                    ax.set_title(_panel_title(case, len(runs), lang))
                else:
                    ax.text(
                        0.5,
                        0.5,
                        t("fig.training.none", lang),
                        ha="center",
                        va="center",
                        transform=ax.transAxes,
                    )
                _epoch_axis(ax, 20 if not runs else _stack(runs, key).shape[1], lang)
                ax.set_xlabel("")
            block[0].set_ylabel(t(label, lang))
            if rows > 1:
                block[cols].set_ylabel(t(label, lang))
            lows = [a.get_ylim()[0] for a in block[: len(cases)]]
            highs = [a.get_ylim()[1] for a in block[: len(cases)]]
            for ax in block[: len(cases)]:
                ax.set_ylim(min(lows), max(highs))
        title = f"{t('fig.training.overlay_acc', lang)} · {t('fig.training.overlay_loss', lang)}"
        fig.suptitle(title, fontweight="bold")
        for ax in axes[-1]:
            ax.set_xlabel(t("common.epoch", lang))
    every = [r for runs in seeds.values() for r in runs.values()]
    return Drawn(fig, provenance_line(every, lang))


@figure("case4-vs-case5", inputs=run_files("case4") + run_files("case5"))
def case4_vs_case5(lang: Lang, *, results_dir: Path) -> Drawn:
    """The notes' re-analysis: Case 4 and Case 5 side by side on the same axis ranges.

    FIGURES rows 37–38 (two unexplained images) are replaced by this comparison:
    columns are the cases, rows accuracy and loss, y axes shared along each row.
    """
    runs = [load_run(results_dir, PROFILE, c) for c in ("case4", "case5")]
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 6.4))
        axes = fig.subplots(2, 2, sharey="row", squeeze=False)
        for col, run in enumerate(runs):
            _draw_pair(axes[0, col], axes[1, col], run, lang)
            axes[0, col].set_title(CASES[run.case].title(lang))
        axes[0, 1].tick_params(labelleft=True)
        axes[1, 1].tick_params(labelleft=True)
        fig.suptitle(t("fig.training.vs", lang), fontweight="bold")
    return Drawn(fig, provenance_line(runs, lang))


@figure("case4-dropout", inputs=run_files("case4"))
def case4_dropout(lang: Lang, *, results_dir: Path) -> Drawn:
    """Case 4's question answered with evidence (ERRATA 43): underfitting or dropout?

    Keras reports training metrics with dropout on, averaged over each epoch; the
    run also evaluates the training images with dropout off after the last epoch
    (a marker). Validation is computed with dropout off, like that marker.
    """
    run = load_run(results_dir, PROFILE, "case4")
    h, x = run.history, run.epochs
    last = x[-1]
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 6.2))
        ax_acc, ax_loss, ax_key = _with_key(fig, 6)
        ax_acc.plot(x, h["accuracy"], label=t("fig.training.on", lang), **_TRAIN)
        ax_acc.plot(x, h["val_accuracy"], label=t("common.val_acc", lang), **_VAL)
        ax_loss.plot(x, h["loss"], label=t("fig.training.on_loss", lang), **_TRAIN)
        ax_loss.plot(x, h["val_loss"], label=t("common.val_loss", lang), **_VAL)
        off: dict[str, Any] = {
            "color": COLORS["green"],
            "marker": "D",
            "markersize": 9,
            "linestyle": "none",
            "markeredgecolor": "black",
            "zorder": 5,
        }
        acc_off, loss_off = run.metrics["train_accuracy"], run.metrics["train_loss"]
        ax_acc.plot([last], [acc_off], label=t("fig.training.off", lang), **off)
        ax_loss.plot([last], [loss_off], label=t("fig.training.off_loss", lang), **off)
        for ax, value in ((ax_acc, acc_off), (ax_loss, loss_off)):
            ax.annotate(
                f"{value:.3f}",
                (last, value),
                xytext=(-8, 8),
                textcoords="offset points",
                ha="right",
                color=COLORS["green"],
            )
            _epoch_axis(ax, len(x), lang)
        handles = [h for ax in (ax_acc, ax_loss) for h in ax.get_legend_handles_labels()[0]]
        labels = [lb for ax in (ax_acc, ax_loss) for lb in ax.get_legend_handles_labels()[1]]
        ax_key.legend(handles, labels, loc="center", ncol=1)
        ax_acc.set_ylabel(t("common.accuracy", lang))
        ax_loss.set_ylabel(t("common.loss", lang))
        fig.suptitle(t("fig.training.dropout_title", lang), fontweight="bold")
    return Drawn(fig, provenance_line([run], lang))
