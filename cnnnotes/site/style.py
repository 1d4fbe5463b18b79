"""The house look of every figure: fonts, colours, and the provenance footer.

Nothing here changes matplotlib's global state. Figure functions draw inside
:func:`figure_context`, which loads NanumGothic (shipped by the
``koreanize-matplotlib`` wheel) by file path, so Hangul renders as Hangul and
not as boxes, without importing that package (its import rewrites rcParams).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # figures are files; never open a window

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from cnnnotes.i18n import LANGS, Lang

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "COLORS",
    "COLUMN_PX",
    "DPI",
    "LANGS",
    "LINESTYLES",
    "MARKERS",
    "MIN_TEXT_PX",
    "Drawn",
    "Lang",
    "figure_context",
    "finish",
    "font_fingerprint",
    "hangul_font_path",
    "legible_pt",
    "legible_text",
    "new_figure",
    "stamp",
]

#: Resolution of the site's PNGs.
DPI = 150
#: Where figures are shown: the content column in CSS px, on a 1280 px desktop and a
#: 390 px phone. A figure is designed for these widths, not for its PNG's.
COLUMN_PX: dict[str, int] = {"desktop": 688, "phone": 358}
#: The smallest text a figure may show, in CSS px at those widths: (any text, the stamp).
MIN_TEXT_PX: dict[str, tuple[float, float]] = {"desktop": (11.0, 9.0), "phone": (8.0, 8.0)}

#: Okabe–Ito: distinguishable with every common colour-vision deficiency.
COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#6E6E6E",
}
#: One colour + line style + marker per series, so a series is identifiable in greyscale too.
SERIES_COLORS = ["blue", "orange", "green", "vermillion", "purple", "sky"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P"]

#: Figures are opaque white cards: readable on Material's light and dark palettes alike.
BACKGROUND = "#FFFFFF"
TEXT = "#1A1A1A"


@functools.cache
def hangul_font_path() -> Path:
    """Path of NanumGothic.ttf inside the koreanize-matplotlib wheel (found, not imported)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed; it ships the Hangul font")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NanumGothic.ttf"
    if not path.is_file():
        raise RuntimeError(f"NanumGothic.ttf not found in koreanize-matplotlib ({path.name})")
    return path


@functools.cache
def _font_name() -> str:
    path = hangul_font_path()
    font_manager.fontManager.addfont(str(path))
    # The wheel's heavier cuts (weights 600 and 700): "bold" titles then match a real
    # face instead of logging "findfont: Failed to find font weight bold" on every build.
    for cut in ("NanumGothicBold.ttf", "NanumGothicExtraBold.ttf"):
        if path.with_name(cut).is_file():
            font_manager.fontManager.addfont(str(path.with_name(cut)))
    return font_manager.FontProperties(fname=str(path)).get_name()


@functools.cache
def font_fingerprint() -> str:
    """A short hash of the font files, part of every figure's cache key."""
    fonts = sorted(hangul_font_path().parent.glob("NanumGothic*.ttf"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in fonts)).hexdigest()[:16]


def legible_pt(width: float, *, stamp: bool = False) -> float:
    """The smallest font size (pt) legible in every column a ``width``-inch figure is shown in.

    A PNG ``width × DPI`` px wide is shown at most as wide as the column, so ``pt``
    points become ``pt × DPI / 72 × min(1, column / (width × DPI))`` CSS px; the
    result meets :data:`MIN_TEXT_PX` in every column, rounded up to 0.1 pt.
    """
    png = width * DPI
    need = 0.0
    for where, column in COLUMN_PX.items():
        px = MIN_TEXT_PX[where][1 if stamp else 0]
        need = max(need, px * 72 / DPI * png / min(png, column))
    return math.ceil(need * 10 - 1e-9) / 10


def legible_text(fig: Figure, *, linespacing: float = 1.4) -> Figure:
    """Raise every text of ``fig`` below :func:`legible_pt` of its width to that size.

    For schematic figures drawn with fixed point sizes. Multi-line texts also get
    at least ``linespacing``: Hangul set at matplotlib's default 1.2 looks cramped.
    """
    least = legible_pt(fig.get_figwidth())
    for text in fig.findobj(Text):
        if text.get_gid() == "provenance":
            continue
        if text.get_fontsize() < least:  # type: ignore[operator]  # always points (the stub: or a name)
            text.set_fontsize(least)
        if "\n" in text.get_text():
            current = getattr(text, "_linespacing", None)  # no public getter
            if not isinstance(current, (int, float)) or current < linespacing:
                text.set_linespacing(linespacing)
    return fig


#: Default text sizes at a figure's width, as multiples of the legible base size there.
_RELATIVE_SIZES: dict[RcKeyType, float] = {
    "font.size": 1,
    "axes.titlesize": 1.1,
    "figure.titlesize": 1.15,
    "legend.fontsize": 1,
    "xtick.labelsize": 1,
    "ytick.labelsize": 1,
    "axes.labelsize": 1,
    "legend.title_fontsize": 1,
}


def _rc(width: float | None = None) -> dict[RcKeyType, Any]:
    sizes: dict[RcKeyType, float] = {"axes.titlesize": 11, "font.size": 10}
    if width is not None:  # everything relative to a base that is legible at this width
        base = legible_pt(width)
        sizes = {key: base * k for key, k in _RELATIVE_SIZES.items()}
    return {
        "font.family": [_font_name(), "DejaVu Sans"],
        "axes.unicode_minus": False,  # NanumGothic has no U+2212
        "figure.facecolor": BACKGROUND,
        "axes.facecolor": BACKGROUND,
        "savefig.facecolor": BACKGROUND,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": "#444444",
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "figure.titleweight": "bold",
        **sizes,
        "legend.frameon": False,
        "svg.hashsalt": "cnnnotes",
        "path.simplify": True,
    }


@contextlib.contextmanager
def figure_context(width: float | None = None) -> Iterator[None]:
    """Draw inside this context: house fonts and colours, global rcParams untouched.

    With the figure's ``width`` (inches), every default text size (ticks, labels,
    legends, titles) is at least :func:`legible_pt` of that width.
    """
    with plt.rc_context(_rc(width)):
        yield


def new_figure(*, figsize: tuple[float, float] = (6.4, 4.0)) -> Figure:
    """A figure detached from pyplot's global figure list (no leaks across renders)."""
    return Figure(figsize=figsize, facecolor=BACKGROUND, layout="constrained")


def _wrap(text: str, size: float, width_pt: float) -> list[str]:
    """Break ``text`` at its " · " separators into lines no wider than ``width_pt``."""
    prop = font_manager.FontProperties(family=plt.rcParams["font.family"], size=size)
    measure = TextToPath()

    def fits(line: str) -> bool:
        return measure.get_text_width_height_descent(line, prop, ismath=False)[0] <= width_pt

    lines: list[str] = []
    for part in text.split(" · "):
        if lines and fits(f"{lines[-1]} · {part}"):
            lines[-1] = f"{lines[-1]} · {part}"
        else:
            lines.append(part)
    return lines


def stamp(fig: Figure, text: str) -> None:
    """Write the provenance line into the bottom edge of ``fig``, legible and clear of the plot.

    Every figure carries one: what its numbers come from (dataset source and
    fingerprint, profile, seed) or, for a concept figure, the function that drew it.
    It is as legible as the figure's other text (:func:`legible_pt` for stamps),
    wrapped at its separators to the figure's width; a constrained layout keeps
    the axes above it.
    """
    width, height = fig.get_size_inches()
    size = legible_pt(width, stamp=True)
    lines = _wrap(text, size, width * 72 * 0.97)
    fig.text(
        0.995,
        0.003,
        "\n".join(lines),
        ha="right",
        va="bottom",
        fontsize=size,
        color=COLORS["grey"],
        linespacing=1.3,
        gid="provenance",
    )
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        bottom = (len(lines) * size * 1.3 + 3) / 72 / height
        engine.set(rect=(0.0, bottom, 1.0, 1.0 - bottom))


@dataclasses.dataclass(frozen=True)
class Drawn:
    """What a figure function returns: its figure, drawn, and the provenance line for its stamp.

    The function only draws; :func:`finish` (called by the build for every site figure,
    and by the notebook helpers of :mod:`cnnnotes.site.figures.hand`) stamps it.
    """

    figure: Figure
    provenance: str


def finish(drawn: Drawn | Figure, default: str) -> Figure:
    """The one finishing step of a figure: stamp its provenance line (``default`` if it has none).

    Call it inside :func:`figure_context`, as the build does around drawing, finishing
    and encoding.
    """
    fig, line = (drawn.figure, drawn.provenance) if isinstance(drawn, Drawn) else (drawn, default)
    stamp(fig, line)
    return fig
