"""The learned first-layer filters of the baseline and Case 2 (seed 0), sorted by similarity.

The page "Beyond the notes" shows them beside the redundancy numbers
(:mod:`cnnnotes.experiments.runs.filters`): each 3×3 filter over the three colour
channels drawn as a tiny RGB image (scaled to its own range), the filters of a network
ordered by :func:`~cnnnotes.experiments.runs.filters.similarity_order` so that alike
ones sit side by side. The figure is drawn only when both runs keep their kernels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnnotes.experiments.runs.filters import similarity_order
from cnnnotes.experiments.runs.folder import load_kernels, load_run, run_dir
from cnnnotes.experiments.runs.record import KERNELS
from cnnnotes.i18n import Lang, t
from cnnnotes.site.figures._runs import PROFILE, SEED, provenance_line
from cnnnotes.site.figures._summaries import name
from cnnnotes.site.figures.registry import figure
from cnnnotes.site.style import Drawn, figure_context, new_figure

__all__ = ["CASES_SHOWN", "filters_compared", "kernel_files", "tiles"]

#: The networks whose filters the figure compares.
CASES_SHOWN: tuple[str, ...] = ("baseline", "case2")
_WIDTH = 7.2


def kernel_files() -> tuple[str, ...]:
    """Plain input paths of the kernels the figure draws (it is skipped while one is missing)."""
    return tuple(f"{run_dir(Path(), PROFILE, c, SEED).as_posix()}/{KERNELS}" for c in CASES_SHOWN)


def tiles(kernels: np.ndarray, columns: int = 8) -> np.ndarray:
    """``(kh, kw, 3, F)`` kernels → one RGB mosaic, filters in similarity order, row by row.

    Each filter is scaled to [0, 1] over its own values; tiles are one pixel apart.
    """
    k = np.asarray(kernels, dtype=np.float64)[..., similarity_order(kernels)]
    kh, kw, _, n = k.shape
    rows = -(-n // columns)
    out = np.ones((rows * (kh + 1) - 1, columns * (kw + 1) - 1, 3))
    for i in range(n):
        f = k[..., i]
        span = float(f.max() - f.min()) or 1.0
        r, c = divmod(i, columns)
        out[r * (kh + 1) : r * (kh + 1) + kh, c * (kw + 1) : c * (kw + 1) + kw] = (
            f - f.min()
        ) / span
    return out


@figure("filters-compared", inputs=kernel_files())
def filters_compared(lang: Lang, *, results_dir: Path) -> Drawn:
    """The trained first-layer filters of the baseline (32) and Case 2 (64), seed 0."""
    with figure_context(width=_WIDTH):
        fig = new_figure(figsize=(_WIDTH, 3.6))
        axes = fig.subplots(1, len(CASES_SHOWN), width_ratios=[1, 1])
        runs = []
        for ax, case in zip(axes, CASES_SHOWN, strict=True):
            folder = run_dir(Path(results_dir), PROFILE, case, SEED)
            kernels = load_kernels(folder)
            assert kernels is not None  # the build skips the figure without its inputs
            trained = kernels[1]
            ax.imshow(tiles(trained), interpolation="nearest")
            ax.set_axis_off()
            ax.set_title(
                t(
                    "fig.filters.title",
                    lang,
                    case=name(case, lang).rstrip(" †"),
                    n=trained.shape[-1],
                )
            )
            runs.append(load_run(Path(results_dir), PROFILE, case, SEED))
        fig.suptitle(t("fig.filters.suptitle", lang), fontweight="bold")
    return Drawn(fig, provenance_line(runs, lang))
