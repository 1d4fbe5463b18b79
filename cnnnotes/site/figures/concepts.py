"""Concept figures of the page "CNN concepts" (``docs/concepts.md``), drawn by code.

Every number a figure shows is computed here with :mod:`cnnnotes.ops`: layer sizes
with :func:`~cnnnotes.ops.output_size`, the convolution step and scan with
:func:`~cnnnotes.ops.conv2d`, pooled values with the pooling ops. Only the small
example inputs below are written by hand.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnnotes import ops
from cnnnotes.i18n import Lang, t
from cnnnotes.site.figures._diagram import (
    arrow,
    canvas,
    cell_text,
    cuboid,
    grid,
    outline,
    slab_stack,
    tint,
)
from cnnnotes.site.figures.registry import figure
from cnnnotes.site.style import COLORS, Drawn, figure_context, legible_text

__all__ = [
    "GAP_INPUT",
    "POOL_INPUT",
    "SCAN_FILTER",
    "SCAN_INPUT",
    "cnn_structure_shapes",
    "conv_step",
    "feature_map",
    "filter_scan",
    "padding",
    "pool_average",
    "pool_global_average",
    "pool_max",
    "stride",
    "tensor_ranks",
]

Shape3 = tuple[int, int, int]

#: The example image of the sections "Filter" and "Convolution" (#convolution): a 5×5 map of
#: small integers.
SCAN_INPUT = np.array(
    [[2, 0, 1, 3, 1], [1, 3, 2, 0, 2], [0, 1, 2, 1, 0], [3, 0, 1, 2, 1], [1, 2, 0, 1, 3]]
)
#: A 3×3 "X" filter: it responds where the diagonals are bright.
SCAN_FILTER = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
#: The pooling example: one 4×4 map.
POOL_INPUT = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 7, 4]])
#: The global-average-pooling example, (H, W, C) = (4, 4, 3).
GAP_INPUT = np.stack(
    [
        [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 7, 4]],
        [[5, 5, 4, 6], [3, 7, 5, 5], [6, 4, 2, 8], [5, 3, 6, 4]],
        [[0, 1, 0, 2], [1, 0, 1, 0], [0, 2, 0, 1], [1, 0, 3, 0]],
    ],
    axis=-1,
)

#: NanumGothic's own arrow glyph is tiny; mathtext draws a proper one.
_TO = r"$\rightarrow$"
_WINDOW_COLORS = ("blue", "orange", "green", "purple")
_CHANNEL_COLORS = ("vermillion", "green", "blue")


def _tx(key: str, lang: Lang, **kwargs: object) -> str:
    return t(f"fig.concepts.{key}", lang, **kwargs).replace("→", _TO)


def _dims(*sizes: int) -> str:
    return "×".join(str(s) for s in sizes)


def _drawn(fig: Figure, lang: Lang, name: str) -> Drawn:
    """The schematic, its text made legible, and the line the build stamps on it."""
    return Drawn(legible_text(fig), f"cnnnotes · {t('common.drawn_by', lang)}: concepts.{name}")


def cnn_structure_shapes(
    image: Shape3 = (32, 32, 3), filters: int = 6, kernel: int = 5, pool: int = 2, classes: int = 10
) -> tuple[Shape3, Shape3, Shape3, int, int]:
    """Shapes through the notes' small CNN: input, conv, pool, flattened length, outputs.

    Parameters
    ----------
    image
        Input ``(H, W, C)``.
    filters, kernel
        Number and size of the convolution filters (stride 1, ``'valid'``).
    pool
        Max-pooling window and stride.
    classes
        Size of the output layer.

    Returns
    -------
    tuple
        ``((32, 32, 3), (28, 28, 6), (14, 14, 6), 1176, 10)`` with the defaults.
    """
    height, width, _ = image
    conv = (ops.output_size(height, kernel), ops.output_size(width, kernel), filters)
    pooled = (ops.output_size(conv[0], pool, pool), ops.output_size(conv[1], pool, pool), filters)
    return image, conv, pooled, int(np.prod(pooled)), classes


@figure("cnn-structure")
def cnn_structure(lang: Lang) -> Drawn:
    """FIGURES row 1: 32×32×3 → conv (6 filters 5×5) → 28×28×6 → pool → 14×14×6 → 1,176 → 10."""
    image, conv, pooled, flat, classes = cnn_structure_shapes()
    scale, step, mid = 0.11, 0.3, 5.6
    with figure_context():
        fig, ax = canvas((8.4, 3.2), (0, 28), (0.0, 10.9))
        x = 0.3
        blocks = [
            (image, ("vermillion", "green", "blue"), t("common.input", lang)),
            (conv, ("orange",) * conv[2], _tx("conv_out", lang)),
            (pooled, ("sky",) * pooled[2], _tx("pool_out", lang)),
        ]
        ops_text = [_tx("conv_op", lang, k=5, f=conv[2]), _tx("pool_op", lang, p=2)]
        for i, (shape, colors, label) in enumerate(blocks):
            size = shape[0] * scale
            depth = (len(colors) - 1) * step
            y = mid - (size + depth) / 2
            right, _ = slab_stack(ax, x, y, size, [tint(c, 0.45) for c in colors], step=step)
            ax.text((x + right) / 2, 1.0, f"{label}\n{_dims(*shape)}", ha="center", fontsize=10)
            if i < 2:
                # the operation's name sits above the stacks, clear of them
                arrow(ax, (right + 0.3, mid), (right + 2.9, mid))
                ax.text(right + 1.6, 8.4, ops_text[i], ha="center", va="bottom", fontsize=9.5)
                x = right + 3.2
        bar_x, bar_top, rows = right + 2.2, mid + 2.6, 13
        arrow(ax, (right + 0.3, mid), (bar_x - 0.2, mid))
        grid(ax, bar_x, bar_top, (rows, 1), cell=0.4, fill=tint("sky", 0.45))
        ax.text(bar_x + 0.2, 1.0, f"{_tx('flat', lang)}\n{flat:,}", ha="center", fontsize=10)
        out_x = bar_x + 3.8
        out_y = mid + 0.5 * 0.52 * (classes - 1) - 0.52 * np.arange(classes)
        for yb in bar_top - 0.4 * (np.arange(rows) + 0.5):
            for yo in out_y:
                ax.plot(
                    [bar_x + 0.4, out_x - 0.2], [yb, yo], color=COLORS["grey"], lw=0.4, alpha=0.35
                )
        ax.scatter(
            np.full(classes, out_x),
            out_y,
            s=70,
            color=tint("green", 0.6),
            edgecolors="#333333",
            linewidths=0.8,
            zorder=5,
        )
        ax.text(
            (bar_x + out_x) / 2 + 0.2,
            bar_top + 0.2,
            _tx("fc_op", lang),
            ha="center",
            va="bottom",
            fontsize=9.5,
        )
        ax.text(
            out_x,
            1.0,
            f"{_tx('out', lang)}\n{_tx('classes', lang, n=classes)}",
            ha="center",
            fontsize=10,
        )
        return _drawn(fig, lang, "cnn_structure")


@figure("tensor-ranks")
def tensor_ranks(lang: Lang) -> Drawn:
    """FIGURES row 2: scalar, vector, matrix, image (H×W×C), batch (N×H×W×C), by number of axes."""
    values = np.arange(16).reshape(4, 4) % 7 + 1
    examples = [
        ((), "scalar"),
        ((4,), "vector"),
        ((4, 4), "matrix"),
        ((32, 32, 3), "t3"),
        ((8, 32, 32, 3), "t4"),
    ]
    centres, cell, top = (1.6, 5.6, 10.8, 16.3, 23.6), 0.8, 7.3
    rgb = [tint(c, 0.45) for c in _CHANNEL_COLORS]
    with figure_context():
        fig, ax = canvas((8.4, 3.0), (0, 28), (0.2, 10.2))
        for (shape, key), xc in zip(examples, centres, strict=True):
            ndim = len(shape)
            if ndim == 0:
                grid(ax, xc - cell / 2, top - 1.6, (1, 1), values=[[7]], cell=cell)
            elif ndim == 1:
                grid(ax, xc - 2 * cell, top - 1.6, (1, 4), values=[values[0]], cell=cell)
            elif ndim == 2:
                grid(ax, xc - 2 * cell, top, (4, 4), values=values, cell=cell, fontsize=9)
            elif ndim == 3:
                slab_stack(ax, xc - 2.1, top - 3.6, 3.4, rgb, step=0.4)
            else:
                for k in range(3):
                    slab_stack(ax, xc - 4.6 + 2.9 * k, top - 3.2, 2.2, rgb, step=0.3)
                ax.text(xc + 4.4, top - 2.2, "…", fontsize=14, ha="center")
            ax.text(xc, 9.8, _tx(key, lang), ha="center", va="top", fontsize=11)
            shown = str(shape) if len(shape) != 1 else f"({shape[0]},)"
            ax.text(
                xc,
                2.2,
                f"{_tx('axes', lang, n=ndim)}\n{_tx('shape', lang, s=shown)}",
                ha="center",
                va="top",
                fontsize=10,
            )
        return _drawn(fig, lang, "tensor_ranks")


def _scan(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """'valid' convolution of one 2-D map with one 2-D filter, through :func:`ops.conv2d`."""
    return ops.conv2d(image[:, :, None], kernel[:, :, None, None])[:, :, 0]


@figure("conv-step")
def conv_step(lang: Lang) -> Drawn:
    """FIGURES row 3: a 3×3 patch ⊙ a 3×3 filter, summed to one number."""
    k = SCAN_FILTER.shape[0]
    patch = SCAN_INPUT[:k, :k]
    products = patch * SCAN_FILTER
    result = _scan(patch, SCAN_FILTER)[0, 0]
    cell, top = 1.4, 7.6
    with figure_context():
        fig, ax = canvas((8.4, 3.0), (0, 28), (0.3, 10.3))
        panels = [
            (0.4, patch, "blue", _tx("patch", lang)),
            (7.2, SCAN_FILTER, "orange", t("common.filter", lang)),
            (14.0, products, "green", _tx("times", lang)),
        ]
        for x, values, color, title in panels:
            grid(ax, x, top, (k, k), values=values, cell=cell, fill=tint(color, 0.3), fontsize=12)
            ax.text(
                x + k * cell / 2, top + 0.4, f"{title} ({_dims(k, k)})", ha="center", fontsize=10.5
            )
        ax.text(6.3, top - k * cell / 2, "⊙", ha="center", va="center", fontsize=20)
        ax.text(13.1, top - k * cell / 2, "=", ha="center", va="center", fontsize=20)
        arrow(ax, (18.7, top - k * cell / 2), (22.3, top - k * cell / 2), "Σ " + _tx("sum", lang))
        grid(
            ax,
            23.0,
            top - 1.4,
            (1, 1),
            values=[[result]],
            cell=2.0,
            fill=tint("vermillion", 0.35),
            fontsize=15,
            gid="conv-result",
        )
        ax.text(24.0, top - 4.0, _tx("one", lang), ha="center", fontsize=10.5)
        terms = " + ".join(f"({v})" if v < 0 else str(v) for v in products.ravel())
        ax.text(14.0, 1.2, f"{terms} = {cell_text(result)}", ha="center", fontsize=11)
        return _drawn(fig, lang, "conv_step")


@figure("filter-scan")
def filter_scan(lang: Lang) -> Drawn:
    """FIGURES row 4: a 3×3 filter sliding over a 5×5 input, filling the 3×3 feature map."""
    out = _scan(SCAN_INPUT, SCAN_FILTER)
    n, k, m = SCAN_INPUT.shape[0], SCAN_FILTER.shape[0], out.shape[0]
    steps = (0, 1, 2, out.size - 1)
    with figure_context():
        fig, ax = canvas((8.4, 4.0), (0, 29.2), (0.2, 14.1))
        grid(ax, 0.3, 10.2, (k, k), values=SCAN_FILTER, fill=tint("orange", 0.35))
        ax.text(1.8, 10.7, t("common.filter", lang), ha="center", fontsize=11)
        ax.text(1.8, 5.5, _tx("scan", lang, n=n, m=m), ha="center", va="top", fontsize=9.5)
        for col, s in enumerate(steps):
            x = 4.3 + 6.1 * col + (0.9 if col == 3 else 0.0)
            i, j = divmod(s, m)
            grid(ax, x, 12.2, (n, n), values=SCAN_INPUT, fill=tint("blue", 0.15), fontsize=9.5)
            outline(ax, x + j, 12.2 - i, k, k, color="orange", alpha=0.3)
            arrow(ax, (x + 2.5, 6.9), (x + 2.5, 5.7))
            done = np.arange(out.size).reshape(out.shape) <= s
            fills = np.where(done[..., None], tint("green", 0.3), (1.0, 1.0, 1.0))
            shown = np.where(done, out, np.nan)
            grid(ax, x + 1, 5.4, (m, m), fill=fills)
            for (a, b), v in np.ndenumerate(shown):
                if not np.isnan(v):
                    ax.text(
                        x + 1.5 + b,
                        4.9 - a,
                        cell_text(v),
                        ha="center",
                        va="center",
                        fontsize=10,
                        gid="scan-output" if col == 3 else None,
                    )
            outline(ax, x + 1 + j, 5.4 - i, 1, 1, color="vermillion", linewidth=2.2)
            ax.text(x + 2.5, 12.6, _tx("step", lang, n=s + 1), ha="center", fontsize=11)
            ax.text(
                x + 2.5,
                2.2,
                f"{_tx('pos', lang, p=(i, j))}\n{_TO} {cell_text(out[i, j])}",
                ha="center",
                va="top",
                fontsize=9.5,
            )
        ax.text(4.3 + 6.1 * 3 + 0.35, 9.7, "…", ha="center", fontsize=16)
        return _drawn(fig, lang, "filter_scan")


@figure("feature-map")
def feature_map(lang: Lang) -> Drawn:
    """FIGURES row 5: 32×32×3 → one 5×5×3 filter → 28×28×1 → ReLU → 28×28×1; 5 filters → 28×28×5."""
    (height, width, channels), kernel, count = (32, 32, 3), 5, 5
    out = ops.output_size(height, kernel), ops.output_size(width, kernel)
    scale, step = 0.12, 0.35
    colors = [tint(c, 0.45) for c in _CHANNEL_COLORS]
    with figure_context():
        fig, ax = canvas((8.4, 4.4), (0, 28), (0, 14.7))
        right, top = slab_stack(ax, 0.5, 8.6, height * scale, colors, step=step)
        ksize, depth = kernel * scale, (channels - 1) * step
        cuboid(ax, 0.75, 8.6 + height * scale - ksize - 0.25, ksize, ksize, depth, "orange")
        ax.text(0.5, 8.35, _tx("span", lang, k=kernel, c=channels), va="top", fontsize=9.5)
        label = f"{t('common.input', lang)} {_dims(height, width, channels)}"
        ax.text((0.5 + right) / 2, top + 0.3, label, ha="center", fontsize=10.5)
        mid, size = 8.6 + (top - 8.6) / 2, out[0] * scale
        maps = [
            (9.4, "orange", t("common.feature_map", lang), _tx("conv", lang)),
            (18.6, "green", t("common.activation_map", lang), "ReLU"),
        ]
        for x, color, label, op in maps:
            arrow(ax, (x - 4.0, mid), (x - 0.4, mid), op)
            slab_stack(ax, x, mid - size / 2, size, [tint(color, 0.45)])
            ax.text(
                x + size / 2,
                mid + size / 2 + 0.3,
                f"{label}\n{_dims(*out, 1)}",
                ha="center",
                fontsize=10.5,
            )
        ax.plot([0.3, 27.7], [6.2, 6.2], color="#BBBBBB", lw=0.8)
        filter_colors = ("orange", "blue", "green", "purple", "vermillion")[:count]
        for k, color in enumerate(filter_colors):
            cuboid(ax, 0.6 + 1.3 * k, 3.0, ksize, ksize, depth, color)
        ax.text(
            3.4,
            4.9,
            _tx("n_filters", lang, f=count) + f" ({_dims(kernel, kernel, channels)})",
            ha="center",
            fontsize=10.5,
        )
        arrow(ax, (7.6, 3.5), (11.0, 3.5), _tx("conv_relu", lang), fontsize=9.5)
        stack_colors = [tint(c, 0.45) for c in filter_colors]
        right, _ = slab_stack(ax, 11.5, 0.9, size, stack_colors, step=step)
        ax.text(
            right + 0.8,
            3.5,
            f"{_dims(*out, count)}\n{_tx('stack', lang, f=count)}",
            va="center",
            fontsize=10.5,
        )
        return _drawn(fig, lang, "feature_map")


def _windows(ax: Axes, x: float, top: float, k: int, s: int, out: int, cell: float) -> None:
    """Outline the first windows of a scan: along row 0, then the first of the next row."""
    cols = [j for j in range(0, out * s, s)][:3]
    places = [(0, c) for c in cols] + [(s, 0)]
    styles = ["-", "-", "-", "--"]
    for n, ((r, c), color) in enumerate(zip(places, _WINDOW_COLORS, strict=False)):
        outline(
            ax,
            x + c * cell,
            top - r * cell,
            k,
            k,
            cell=cell,
            color=color,
            linestyle=styles[n],
            inset=0.05 * n,
            linewidth=2.2,
        )


@figure("stride")
def stride(lang: Lang) -> Drawn:
    """FIGURES row 6: stride 1 vs 2 on 7×7 with a 3×3 filter; sizes from ``output_size``."""
    n, k, cell, top = 7, 3, 0.8, 12.2
    with figure_context():
        fig, ax = canvas((8.4, 3.8), (0, 28), (0.6, 13.3))
        for x, s in ((0.4, 1), (14.4, 2)):
            out = ops.output_size(n, k, s)
            grid(ax, x, top, (n, n), cell=cell, fill=tint("blue", 0.12))
            _windows(ax, x, top, k, s, out, cell)
            places = [(0, j) for j in range(min(out, 3))] + [(1, 0)]
            fills = np.full((out, out, 3), 1.0)
            for (r, c), color in zip(places, _WINDOW_COLORS, strict=False):
                fills[r, c] = tint(color, 0.45)
            ox = x + n * cell + 1.9
            arrow(ax, (x + n * cell + 0.3, top - 2.6), (ox - 0.3, top - 2.6))
            grid(ax, ox, top - (n - out) * cell / 2, (out, out), cell=cell, fill=fills)
            ax.text(x + 6.0, top + 0.5, _tx("stride", lang, s=s), ha="center", fontsize=12)
            formula = rf"$\lfloor ({n} + 2\cdot 0 - {k})\,/\,{s} \rfloor + 1 = {out}$"
            ax.text(
                x + 6.0,
                6.1,
                f"{_dims(n, n)} {_TO} {_dims(out, out)}\n{formula}",
                ha="center",
                va="top",
                fontsize=11,
                linespacing=1.6,
            )
            ax.text(x + 6.0, 3.6, _tx("move", lang, s=s), ha="center", va="top", fontsize=10)
        general = r"$\lfloor (n + 2p - k)\,/\,s \rfloor + 1$"
        ax.text(14.0, 1.0, f"{_tx('out_size', lang)} = {general}", ha="center", fontsize=12)
        return _drawn(fig, lang, "stride")


def _coverage(n: int, k: int, padding: str) -> np.ndarray:
    """How many filter positions cover each input pixel (stride 1), shape ``(n, n)``."""
    out = ops.output_size(n, k, 1, padding)
    before = max(out - 1 + k - n, 0) // 2
    starts = np.arange(out) - before
    pixels = np.arange(n)[:, None]
    per_axis = ((pixels >= starts) & (pixels < starts + k)).sum(axis=1)
    return np.outer(per_axis, per_axis)


@figure("padding")
def padding(lang: Lang) -> Drawn:
    """FIGURES row 7: 'valid' vs 'same' on 5×5 with a 3×3 filter, zeros drawn around the input."""
    n, k, cell, top = 5, 3, 0.9, 11.6
    with figure_context():
        fig, ax = canvas((8.4, 3.6), (0, 28), (1.3, 13.3))
        for x, mode in ((0.8, "valid"), (14.4, "same")):
            out = ops.output_size(n, k, 1, mode)
            pad = max(out - 1 + k - n, 0) // 2
            size = n + 2 * pad
            if pad:
                # zeros on the ring only: the input grid is drawn over the middle
                ring = np.ones((size, size), dtype=bool)
                ring[pad:-pad, pad:-pad] = False
                grid(
                    ax,
                    x,
                    top,
                    (size, size),
                    values=np.zeros((size, size)),
                    cell=cell,
                    fill=tint("grey", 0.12),
                    fontsize=9,
                    text_color=COLORS["grey"],
                    gid="padding-zero",
                    show=ring,
                )
            inner_x, inner_top = x + pad * cell, top - pad * cell
            grid(
                ax,
                inner_x,
                inner_top,
                (n, n),
                values=_coverage(n, k, mode),
                cell=cell,
                fill=tint("blue", 0.25),
                fontsize=10,
            )
            outline(ax, x, top, k, k, cell=cell, color="orange", alpha=0.25)
            ox = x + 7 * cell + 1.6
            arrow(ax, (x + 7 * cell + 0.3, top - 3.5 * cell), (ox - 0.3, top - 3.5 * cell))
            grid(ax, ox, top - (7 - out) * cell / 2, (out, out), cell=cell, fill=tint("green", 0.3))
            ax.text(x + 5.8, top + 0.6, f"padding='{mode}'", ha="center", fontsize=12)
            ax.text(
                x + 5.8,
                4.5,
                f"{_dims(n, n)} {_TO} {_dims(out, out)}   (p = {pad})",
                ha="center",
                va="top",
                fontsize=11,
            )
        ax.text(14.0, 3.0, _tx("zeros", lang), ha="center", va="top", fontsize=10.5)
        return _drawn(fig, lang, "padding")


def _pool_figure(lang: Lang, kind: str, pooled: np.ndarray, name: str) -> Drawn:
    """A 4×4 map with its 2×2 windows coloured, and the 2×2 result in the same colours."""
    x0, cell, pool = POOL_INPUT, 1.5, 2
    colors = np.empty((*x0.shape, 3))
    out_colors = np.empty((*pooled.shape, 3))
    for idx, color in enumerate(_WINDOW_COLORS):
        r, c = divmod(idx, pooled.shape[1])
        colors[r * pool : (r + 1) * pool, c * pool : (c + 1) * pool] = tint(color, 0.35)
        out_colors[r, c] = tint(color, 0.35)
    with figure_context():
        fig, ax = canvas((7.0, 3.2), (0, 21), (0.3, 9.9))
        grid(ax, 0.8, 8.2, x0.shape, values=x0, cell=cell, fill=colors, fontsize=13)
        ax.text(3.8, 8.6, f"{t('common.input', lang)} {_dims(*x0.shape)}", ha="center", fontsize=11)
        arrow(ax, (7.5, 5.2), (12.0, 5.2), _tx("pool", lang, kind=_tx(kind, lang), p=pool))
        grid(
            ax,
            12.8,
            6.7,
            pooled.shape,
            values=pooled,
            cell=cell,
            fill=out_colors,
            fontsize=13,
            gid="pool-output",
        )
        ax.text(14.3, 7.1, _dims(*pooled.shape), ha="center", fontsize=11)
        first = ", ".join(cell_text(v) for v in x0[:pool, :pool].ravel())
        head = f"max({first})" if kind == "max" else f"({first.replace(', ', ' + ')}) / {pool**2}"
        ax.text(
            16.0,
            1.4,
            f"{head} = {cell_text(pooled[0, 0])}",
            ha="center",
            fontsize=11,
            color=COLORS["blue"],
        )
        return _drawn(fig, lang, name)


@figure("pool-max")
def pool_max(lang: Lang) -> Drawn:
    """FIGURES row 8: 2×2 max pooling, stride 2, values from ``ops.max_pool2d``."""
    return _pool_figure(lang, "max", ops.max_pool2d(POOL_INPUT[:, :, None])[:, :, 0], "pool_max")


@figure("pool-average")
def pool_average(lang: Lang) -> Drawn:
    """FIGURES row 9: 2×2 average pooling, stride 2, values from ``ops.avg_pool2d``."""
    pooled = ops.avg_pool2d(POOL_INPUT[:, :, None])[:, :, 0]
    return _pool_figure(lang, "avg", pooled, "pool_average")


@figure("pool-global-average")
def pool_global_average(lang: Lang) -> Drawn:
    """FIGURES row 10: global average pooling of a 4×4×3 map, from ``ops.global_avg_pool2d``."""
    height, width, channels = GAP_INPUT.shape
    means = ops.global_avg_pool2d(GAP_INPUT)
    with figure_context():
        fig, ax = canvas((8.4, 3.5), (0, 28), (1.6, 13.3))
        for c in range(channels):
            x = 0.6 + 5.6 * c
            color = _CHANNEL_COLORS[c]
            grid(ax, x, 10.6, (height, width), values=GAP_INPUT[:, :, c], fill=tint(color, 0.25))
            ax.text(x + 2.0, 11.0, _tx("channel", lang, c=c + 1), ha="center", fontsize=11)
            arrow(ax, (x + 2.0, 6.3), (x + 2.0, 4.9))
            grid(
                ax,
                x + 1.0,
                4.5,
                (1, 1),
                values=[[means[c]]],
                cell=2.0,
                fill=tint(color, 0.5),
                fontsize=12,
                gid="pool-output",
            )
        ax.text(17.6, 8.6, _tx("gap", lang), fontsize=12)
        ax.text(
            17.6, 7.8, _tx("gap_out", lang, h=height, w=width, c=channels), va="top", fontsize=10.5
        )
        ax.text(17.6, 3.5, f"({', '.join(cell_text(v) for v in means)})", fontsize=12, va="center")
        return _drawn(fig, lang, "pool_global_average")
