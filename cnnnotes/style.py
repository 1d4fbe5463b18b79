"""The house look of every figure: fonts, colours, and the provenance footer.

Nothing here changes matplotlib's global state. Figure functions draw inside
:func:`figure_context`, which loads NanumGothic (shipped by the
``koreanize-matplotlib`` wheel) by file path, so Hangul renders as Hangul and
not as boxes, without importing that package (its import rewrites rcParams).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")  # figures are files; never open a window

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "LANGS",
    "LINESTYLES",
    "MARKERS",
    "Lang",
    "figure_context",
    "font_fingerprint",
    "hangul_font_path",
    "new_figure",
    "stamp",
]

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

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


def _rc() -> dict[str, object]:
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
        "axes.titlesize": 11,
        "font.size": 10,
        "legend.frameon": False,
        "svg.hashsalt": "cnnnotes",
        "path.simplify": True,
    }


@contextlib.contextmanager
def figure_context() -> Iterator[None]:
    """Draw inside this context: house fonts and colours, global rcParams untouched."""
    with plt.rc_context(_rc()):
        yield


def new_figure(*, figsize: tuple[float, float] = (6.4, 4.0)) -> Figure:
    """A figure detached from pyplot's global figure list (no leaks across renders)."""
    return Figure(figsize=figsize, facecolor=BACKGROUND, layout="constrained")


def stamp(fig: Figure, text: str) -> None:
    """Write the provenance line into the bottom edge of ``fig``.

    Every figure carries one: what its numbers come from (dataset source and
    fingerprint, profile, seed) or, for a concept figure, the function that drew it.
    """
    fig.text(0.995, 0.003, text, ha="right", va="bottom", fontsize=6.5, color=COLORS["grey"])
    fig._cnnnotes_stamped = True  # type: ignore[attr-defined]
