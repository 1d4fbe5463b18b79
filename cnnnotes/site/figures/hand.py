"""Figure helpers for the page "Hand implementation" (an executed notebook).

The notebook computes every map with :mod:`cnnnotes.ops` in its own cells and
hands the arrays to these helpers, which only draw. Each helper returns a
detached :class:`~matplotlib.figure.Figure` drawn in the house style with a
provenance stamp; a notebook displays it by leaving it as a cell's last value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.image
import numpy as np
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from cnnnotes import ops
from cnnnotes.i18n import Lang, has, t
from cnnnotes.site.style import Drawn, figure_context, finish, new_figure

__all__ = [
    "DEMO_FILTERS",
    "demo_filters",
    "label",
    "map_grid",
    "notes_demo_figure",
    "pipeline_figure",
    "sample_photo",
]

#: Hand-designed 3x3 filters for the photo demo: each picks out something different.
DEMO_FILTERS: dict[str, NDArray[np.float64]] = {
    "sobel_x": np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]),
    "sobel_y": np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]),
    "laplacian": np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
}


def label(key: str, lang: Lang) -> str:
    """A word of this page in ``lang``: its own (``fig.hand.*``) first, then the common ones."""
    own = f"fig.hand.{key}"
    return t(own if has(own, lang) else f"common.{key}", lang)


def demo_filters(names: Sequence[str] = tuple(DEMO_FILTERS)) -> NDArray[np.float64]:
    """The named :data:`DEMO_FILTERS` as one Keras kernel ``(3, 3, 1, F)``."""
    unknown = [name for name in names if name not in DEMO_FILTERS]
    if unknown:
        raise ValueError(f"names: unknown filters {unknown}; known: {sorted(DEMO_FILTERS)}")
    return np.stack([DEMO_FILTERS[name] for name in names], axis=-1)[:, :, np.newaxis, :]


def sample_photo(step: int = 4) -> NDArray[np.float64]:
    """Grace Hopper's portrait from matplotlib's sample data, greyscale in [0, 1].

    Parameters
    ----------
    step : int
        Downsampling factor, done as ``step x step`` average pooling
        (600x512 becomes 150x128 with the default).

    Returns
    -------
    ndarray, shape (H, W)
    """
    with open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False), "rb") as file:
        rgb = matplotlib.image.imread(file, format="jpg").astype(np.float64) / 255.0
    grey = rgb[..., :3] @ np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 luma
    return np.asarray(ops.avg_pool2d(grey[..., np.newaxis], step)[..., 0], dtype=np.float64)


def _show(ax: Axes, image: ArrayLike, title: str | None, cmap: str | None = None) -> None:
    """One map without ticks; signed maps get a diverging scale centred on zero."""
    array = np.asarray(image)
    if cmap is None and array.min() < 0:
        limit = float(np.percentile(np.abs(array), 99.5)) or 1.0  # a few extremes don't wash out
        ax.imshow(array, cmap="RdBu_r", vmin=-limit, vmax=limit)
    else:
        ax.imshow(array, cmap=cmap or "viridis")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)


def map_grid(
    rows: Sequence[Sequence[ArrayLike]],
    titles: Sequence[Sequence[str]],
    *,
    provenance: str,
    cmap: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """A grid of 2-D maps, one row per stage, each panel titled.

    Parameters
    ----------
    rows : sequence of sequences of array_like, each (H, W)
        The maps; rows may differ in length.
    titles : sequence of sequences of str
        One title per map, same layout as ``rows``.
    provenance : str
        The stamp line, e.g. ``"seed 0 · cnnnotes.ops"``.
    cmap : str, optional
        Colour map for every panel; by default viridis, or a diverging map
        centred on zero for a map with negative values.
    figsize : (float, float), optional
        Defaults to 2.4 inches per panel.
    """
    if len(rows) != len(titles) or any(
        len(r) != len(ts) for r, ts in zip(rows, titles, strict=True)
    ):
        raise ValueError("titles: expected one title per map, in the layout of rows")
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    with figure_context():
        fig = new_figure(figsize=figsize or (2.4 * n_cols, 2.4 * n_rows + 0.3))
        axes = fig.subplots(n_rows, n_cols, squeeze=False)
        for r, (maps, names) in enumerate(zip(rows, titles, strict=True)):
            for c in range(n_cols):
                if c < len(maps):
                    _show(axes[r, c], maps[c], names[c], cmap)
                else:
                    axes[r, c].set_axis_off()
        finish(Drawn(fig, provenance), provenance)  # a notebook has no build to finish it
    return fig


def notes_demo_figure(
    conv_maps: ArrayLike, pooled_maps: ArrayLike, *, provenance: str, layer: int = 0
) -> Figure:
    """The notes' result figure: conv maps on top, pooled maps below, viridis.

    Parameters
    ----------
    conv_maps : array_like, shape (H, W, F)
        Maps after Conv (and ReLU); panels titled ``Conv0-0``, ``Conv0-1``, ...
    pooled_maps : array_like, shape (H', W', F)
        The same maps after max pooling; panels titled ``MaxP0-0``, ...
    provenance : str
        The stamp line.
    layer : int
        The layer number in the titles (the notes' ``k``).
    """
    conv, pooled = np.asarray(conv_maps), np.asarray(pooled_maps)
    if conv.ndim != 3 or pooled.ndim != 3 or conv.shape[-1] != pooled.shape[-1]:
        raise ValueError("conv_maps: expected (H, W, F) and pooled_maps (H', W', F)")
    count = conv.shape[-1]
    return map_grid(
        [list(np.moveaxis(conv, -1, 0)), list(np.moveaxis(pooled, -1, 0))],
        [[f"Conv{layer}-{i}" for i in range(count)], [f"MaxP{layer}-{i}" for i in range(count)]],
        provenance=provenance,
        cmap="viridis",
        figsize=(3.0 * count, 5.6),
    )


def _kernel(ax: Axes, kernel: NDArray[np.float64], title: str) -> None:
    """A small filter with its numbers; a pale diverging scale keeps them readable."""
    limit = 1.6 * float(np.abs(kernel).max() or 1.0)
    ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)
    for (i, j), value in np.ndenumerate(kernel):
        text = f"{value:.2g}" if value != round(value) else f"{round(value)}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8)


def pipeline_figure(
    image: ArrayLike,
    kernel: ArrayLike,
    stages: Mapping[str, ArrayLike],
    *,
    names: Sequence[str],
    lang: Lang,
    provenance: str,
) -> Figure:
    """Input, filters and the maps of each stage, one column per filter.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input, drawn in grey at the left.
    kernel : array_like, shape (kh, kw, 1, F)
        The filters, drawn with their numbers in the first row.
    stages : mapping of str to array_like, each (H', W', F)
        Row label key (e.g. ``"feature_map"``, ``"relu"``, ``"max_pool"``) to maps.
    names : sequence of str
        Label keys of the ``F`` filters (e.g. ``"sobel_x"``).
    lang : {"ko", "en"}
        Language of every label.
    provenance : str
        The stamp line.
    """
    weights = np.asarray(kernel)
    count = weights.shape[-1]
    if weights.ndim != 4 or weights.shape[2] != 1 or len(names) != count:
        raise ValueError("kernel: expected shape (kh, kw, 1, F) with one name per filter")
    rows = len(stages) + 1
    with figure_context():
        fig = new_figure(figsize=(2.3 * (count + 1.4), 2.2 * rows + 0.3))
        grid = fig.add_gridspec(rows, count + 1, width_ratios=[1.4] + [1.0] * count)
        _show(fig.add_subplot(grid[:, 0]), image, label("photo", lang), "gray")
        for f, name in enumerate(names):
            _kernel(fig.add_subplot(grid[0, f + 1]), weights[:, :, 0, f], label(name, lang))
        for r, (key, maps) in enumerate(stages.items(), start=1):
            array = np.asarray(maps)
            for f in range(count):
                ax = fig.add_subplot(grid[r, f + 1])
                _show(ax, array[..., f], None)
                if f == 0:
                    ax.set_ylabel(f"{label(key, lang)}\n{array.shape[0]}×{array.shape[1]}")
        finish(Drawn(fig, provenance), provenance)  # a notebook has no build to finish it
    return fig
