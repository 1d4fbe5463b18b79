"""Drawing primitives for schematic (concept) figures: grids of numbers, slabs, arrows.

Everything is drawn in data coordinates on one axes with equal aspect, ``y`` up.
A grid's anchor ``(x, y)`` is its top-left corner; row 0 is the top row. The
helpers only draw; figure modules decide what the numbers are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle
from numpy.typing import ArrayLike

from cnnnotes.site.style import COLORS, TEXT, new_figure

__all__ = [
    "arrow",
    "canvas",
    "cell_text",
    "cuboid",
    "grid",
    "outline",
    "slab_stack",
    "tint",
]


def canvas(
    figsize: tuple[float, float], xlim: tuple[float, float], ylim: tuple[float, float]
) -> tuple[Figure, Axes]:
    """A new figure with one frameless, equal-aspect axes spanning ``xlim`` × ``ylim``."""
    fig = new_figure(figsize=figsize)
    ax = fig.add_subplot()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def tint(color: str, amount: float = 0.3) -> tuple[float, float, float]:
    """``color`` mixed with white: ``amount`` 1 is the colour itself, 0 is white."""
    rgb = np.asarray(to_rgb(COLORS.get(color, color)))
    return tuple(float(c) for c in 1 - amount * (1 - rgb))  # type: ignore[return-value]  # 3 values


def cell_text(value: float) -> str:
    """A grid value as shown: integers without a decimal point, others to three places at most."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.3f}".rstrip("0")


def grid(
    ax: Axes,
    x: float,
    y: float,
    shape: tuple[int, int],
    *,
    values: ArrayLike | None = None,
    cell: float = 1.0,
    fill: str | tuple[float, float, float] | np.ndarray = "#FFFFFF",
    fontsize: float = 10,
    text_color: str = TEXT,
    gid: str | None = None,
    edge: str = "#555555",
    show: ArrayLike | None = None,
) -> None:
    """Draw a ``shape`` grid of cells, top-left at ``(x, y)``, optionally with numbers.

    ``fill`` is one colour or an array of per-cell colours shaped ``(rows, cols, 3)``.
    ``show``, a boolean ``(rows, cols)`` mask, writes numbers only where it is true
    (e.g. on the ring of a padded grid, not under the grid drawn on top of it).
    Number texts get ``gid`` so that tests can find the values a figure shows.
    """
    rows, cols = shape
    shown = None if values is None else np.asarray(values)
    mask = np.ones(shape, dtype=bool) if show is None else np.asarray(show, dtype=bool)
    colors = np.asarray(fill, dtype=object) if isinstance(fill, np.ndarray) else None
    for i in range(rows):
        for j in range(cols):
            face = fill if colors is None else tuple(colors[i, j])
            ax.add_patch(
                Rectangle(
                    (x + j * cell, y - (i + 1) * cell),
                    cell,
                    cell,
                    facecolor=face,
                    edgecolor=edge,
                    linewidth=0.8,
                )
            )
            if shown is not None and mask[i, j]:
                ax.text(
                    x + (j + 0.5) * cell,
                    y - (i + 0.5) * cell,
                    cell_text(shown[i, j]),
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color=text_color,
                    gid=gid,
                )


def outline(
    ax: Axes,
    x: float,
    y: float,
    rows: float,
    cols: float,
    *,
    cell: float = 1.0,
    color: str = "vermillion",
    linewidth: float = 2.5,
    linestyle: str | tuple[int, tuple[int, ...]] = "-",
    inset: float = 0.0,
    alpha: float = 0.0,
) -> None:
    """Outline a ``rows`` × ``cols`` window whose top-left corner is at ``(x, y)``."""
    rgb = to_rgb(COLORS.get(color, color))
    ax.add_patch(
        Rectangle(
            (x + inset, y - rows * cell + inset),
            cols * cell - 2 * inset,
            rows * cell - 2 * inset,
            facecolor=(*rgb, alpha),
            edgecolor=rgb,
            linewidth=linewidth,
            linestyle=linestyle,
            zorder=3,
        )
    )


def slab_stack(
    ax: Axes,
    x: float,
    y: float,
    size: float,
    colors: Sequence[str | tuple[float, float, float]],
    *,
    step: float = 0.3,
    height: float | None = None,
) -> tuple[float, float]:
    """Draw one square slab per colour, each behind the last, front slab bottom-left at ``(x, y)``.

    Slabs recede up and to the right by ``step``: a picture of an ``H×W×C`` tensor
    with one slab per channel. Returns the ``(right, top)`` extent of the drawing.
    """
    height = size if height is None else height
    count = len(colors)
    for k in reversed(range(count)):
        ax.add_patch(
            Rectangle(
                (x + k * step, y + k * step),
                size,
                height,
                facecolor=colors[k],
                edgecolor="#333333",
                linewidth=0.9,
            )
        )
    return x + (count - 1) * step + size, y + (count - 1) * step + height


def cuboid(
    ax: Axes, x: float, y: float, width: float, height: float, depth: float, color: str
) -> None:
    """A small box (a filter ``k×k×C``): front face bottom-left at ``(x, y)``."""
    dx = dy = depth
    faces = [
        [(x, y), (x + width, y), (x + width, y + height), (x, y + height)],
        [
            (x, y + height),
            (x + width, y + height),
            (x + width + dx, y + height + dy),
            (x + dx, y + height + dy),
        ],
        [
            (x + width, y),
            (x + width + dx, y + dy),
            (x + width + dx, y + height + dy),
            (x + width, y + height),
        ],
    ]
    for face, amount in zip(faces, (0.75, 0.45, 0.6), strict=True):
        ax.add_patch(
            Polygon(
                face,
                closed=True,
                facecolor=tint(color, amount),
                edgecolor="#333333",
                linewidth=0.9,
                zorder=4,
            )
        )


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    text: str = "",
    *,
    fontsize: float = 10,
    offset: float = 0.25,
    color: str = "#333333",
    below: bool = False,
) -> None:
    """An arrow from ``start`` to ``end`` with ``text`` centred above (or below) its middle."""
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=14,
            color=color,
            linewidth=1.6,
            shrinkA=0,
            shrinkB=0,
        )
    )
    if text:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(
            mx,
            my - offset if below else my + offset,
            text,
            ha="center",
            va="top" if below else "bottom",
            fontsize=fontsize,
            linespacing=1.25,
        )
