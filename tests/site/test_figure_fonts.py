"""Every text in every registered figure is legible where the figure is shown.

A PNG is shown at most as wide as the content column (688 CSS px on a 1280 px
desktop, 358 px on a 390 px phone), so a text of ``pt`` points is
``pt × dpi / 72 × (CSS width / PNG width)`` CSS px tall there.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from cnnnotes.site.figures import load_all
from cnnnotes.site.render import draw
from cnnnotes.site.style import COLUMN_PX, DPI, LANGS, MIN_TEXT_PX, figure_context

RESULTS = Path(__file__).resolve().parents[2] / "results"
FIGURES = sorted(name for name, spec in load_all().items() if spec.kind == "png")


@functools.cache
def _render(name: str, lang: str) -> Figure:
    """Render as the build does (same DPI, the default stamp when the figure has none)."""
    with figure_context():
        fig = draw(load_all()[name], lang, RESULTS)
        fig.savefig(io.BytesIO(), format="png", dpi=DPI)  # lays out and sizes table text
    return fig


def shown_px(fig: Figure, text: Text, where: str) -> float:
    """CSS px of ``text`` when ``fig`` is shown in the column ``where``."""
    png_width = round(fig.get_figwidth() * DPI)
    css_width = min(png_width, COLUMN_PX[where])
    return text.get_fontsize() * DPI / 72 * css_width / png_width


def visible_texts(fig: Figure) -> list[Text]:
    """Texts that are drawn: visible, non-empty, inside the figure."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if not text.get_window_extent(renderer).overlaps(fig.bbox):
            continue
        found.append(text)
    return found


def too_small(fig: Figure, where: str) -> list[str]:
    least, least_stamp = MIN_TEXT_PX[where]
    small = []
    for text in visible_texts(fig):
        limit = least_stamp if text.get_gid() == "provenance" else least
        px = shown_px(fig, text, where)
        if px < limit - 1e-6:
            small.append(f"{text.get_text()!r}: {px:.1f} px < {limit:g}")
    return small


def test_every_registered_figure_is_walked():
    assert len(FIGURES) >= 20


@pytest.mark.parametrize("where", sorted(COLUMN_PX))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURES)
def test_every_text_of_a_figure_is_legible_in_the_column(name, lang, where):
    fig = _render(name, lang)
    assert visible_texts(fig), "a figure without text cannot be checked"
    assert too_small(fig, where) == []


def test_shown_px_scales_a_wide_figure_down_to_the_column():
    fig = Figure(figsize=(8.4, 3.0))
    text = fig.text(0.5, 0.5, "x", fontsize=10)
    # 8.4 in at 150 dpi is 1260 px, shown at 688 px: 10 pt is 10 × 150 / 72 × 688 / 1260 px
    assert shown_px(fig, text, "desktop") == pytest.approx(10 * 150 / 72 * 688 / 1260)
    small = Figure(figsize=(2.0, 1.0))  # 300 px: never scaled up
    assert shown_px(small, small.text(0, 0, "x", fontsize=10), "desktop") == pytest.approx(
        10 * 150 / 72
    )
