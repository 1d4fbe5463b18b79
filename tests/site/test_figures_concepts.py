"""Tests of the concept figures (cnnnotes/site/figures/concepts.py)."""

from __future__ import annotations

import functools
import io
import os
import re
import warnings

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from cnnnotes import ops
from cnnnotes.site.figures import concepts
from cnnnotes.site.figures._diagram import cell_text
from cnnnotes.site.figures.registry import REGISTRY
from cnnnotes.site.render import draw
from cnnnotes.site.style import LANGS, figure_context

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

CONCEPT_FIGURES = (
    "cnn-structure",
    "tensor-ranks",
    "conv-step",
    "filter-scan",
    "feature-map",
    "stride",
    "padding",
    "pool-max",
    "pool-average",
    "pool-global-average",
)


@functools.cache
def _render(name: str, lang: str) -> tuple[Figure, bytes]:
    """Render once per (figure, language); tests only read the result."""
    with figure_context():
        fig = draw(REGISTRY[name], lang)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=60)
    return fig, buf.getvalue()


def _texts(fig: Figure, gid: str | None = None) -> list[Text]:
    found = fig.findobj(Text)
    return [x for x in found if x.get_text() and (gid is None or x.get_gid() == gid)]


def _shown_values(fig: Figure, gid: str) -> list[float]:
    return [float(x.get_text()) for x in _texts(fig, gid)]


def test_every_concept_figure_is_registered_from_the_concepts_module():
    for name in CONCEPT_FIGURES:
        assert REGISTRY[name].func.__module__ == concepts.__name__
        assert REGISTRY[name].kind == "png"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CONCEPT_FIGURES)
def test_concept_figure_renders_to_png_with_a_stamp_and_no_missing_glyph(name, lang):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, png = _render.__wrapped__(name, lang)  # uncached: its warnings are the point
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert [x for x in fig.texts if x.get_gid() == "provenance"]
    assert any("concepts." in x.get_text() for x in _texts(fig))
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing


@pytest.mark.parametrize("name", CONCEPT_FIGURES)
def test_korean_text_resolves_to_the_hangul_font(name):
    fig, _ = _render(name, "ko")
    hangul = [x for x in _texts(fig) if any("가" <= ch <= "힣" for ch in x.get_text())]
    assert hangul, "a Korean figure shows Korean words"
    with figure_context():
        for text in hangul:
            path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert "NanumGothic" in os.path.basename(path)


@pytest.mark.parametrize("name", CONCEPT_FIGURES)
def test_the_two_languages_differ_in_their_words(name):
    ko = {x.get_text() for x in _texts(_render(name, "ko")[0])}
    en = {x.get_text() for x in _texts(_render(name, "en")[0])}
    assert ko != en


def test_cnn_structure_shapes_follow_output_size():
    assert concepts.cnn_structure_shapes() == ((32, 32, 3), (28, 28, 6), (14, 14, 6), 1176, 10)
    image, conv, pooled, flat, classes = concepts.cnn_structure_shapes((64, 48, 1), 4, 3, 2, 5)
    assert conv == (ops.output_size(64, 3), ops.output_size(48, 3), 4) == (62, 46, 4)
    assert pooled == (31, 23, 4)
    assert flat == 31 * 23 * 4
    assert (image, classes) == ((64, 48, 1), 5)


@pytest.mark.parametrize("lang", LANGS)
def test_cnn_structure_figure_shows_the_computed_sizes(lang):
    shown = "\n".join(x.get_text() for x in _texts(_render("cnn-structure", lang)[0]))
    for size in ("32×32×3", "28×28×6", "14×14×6", "1,176"):
        assert size in shown


@pytest.mark.parametrize(
    ("name", "op"),
    [("pool-max", ops.max_pool2d), ("pool-average", ops.avg_pool2d)],
)
def test_pooling_figure_shows_the_values_ops_compute(name, op):
    expected = op(concepts.POOL_INPUT[:, :, None])[:, :, 0].ravel()
    assert np.array_equal(_shown_values(_render(name, "en")[0], "pool-output"), expected)


def test_max_and_average_pooling_figures_show_different_results():
    shown_max = _shown_values(_render("pool-max", "en")[0], "pool-output")
    shown_avg = _shown_values(_render("pool-average", "en")[0], "pool-output")
    assert shown_max != shown_avg


def test_global_average_pooling_figure_shows_one_mean_per_channel():
    expected = ops.global_avg_pool2d(concepts.GAP_INPUT)
    shown = _shown_values(_render("pool-global-average", "ko")[0], "pool-output")
    assert len(shown) == concepts.GAP_INPUT.shape[-1]
    assert np.allclose(shown, expected, atol=5e-4)


def test_conv_step_result_is_the_sum_of_element_wise_products():
    k = concepts.SCAN_FILTER.shape[0]
    expected = float(np.sum(concepts.SCAN_INPUT[:k, :k] * concepts.SCAN_FILTER))
    assert _shown_values(_render("conv-step", "en")[0], "conv-result") == [expected]


def test_filter_scan_final_panel_shows_the_whole_feature_map():
    expected = ops.conv2d(concepts.SCAN_INPUT[:, :, None], concepts.SCAN_FILTER[:, :, None, None])
    shown = _shown_values(_render("filter-scan", "ko")[0], "scan-output")
    assert np.array_equal(shown, expected[:, :, 0].ravel())


@pytest.mark.parametrize(
    ("figure_name", "sizes"),
    [("stride", ("7×7", "5×5", "3×3")), ("padding", ("5×5", "3×3")), ("feature-map", ("28×28×5",))],
)
def test_window_figures_show_sizes_from_output_size(figure_name, sizes):
    shown = "\n".join(x.get_text() for x in _texts(_render(figure_name, "en")[0]))
    for size in sizes:
        assert size in shown


@pytest.mark.parametrize(
    ("value", "text"), [(6.0, "6"), (3.5, "3.5"), (2.625, "2.625"), (-1, "-1"), (0.75, "0.75")]
)
def test_cell_text_drops_needless_decimals(value, text):
    assert cell_text(value) == text


_PAGES = {"ko": "docs/concepts.md", "en": "docs/concepts.en.md"}
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _page(lang: str) -> str:
    with open(os.path.join(_ROOT, _PAGES[lang]), encoding="utf-8") as fh:
        return fh.read()


def _images(lang: str) -> dict[str, str]:
    """Figure name -> alt text, for every ``![alt](figures/<name>.png)`` of a page."""
    found = re.findall(r"!\[([^\]]*)\]\(figures/([\w-]+)\.png\)", _page(lang))
    return {name: alt for alt, name in found}


@pytest.mark.parametrize("lang", LANGS)
def test_concepts_page_shows_every_concept_figure_with_a_real_alt_text(lang):
    images = _images(lang)
    assert set(CONCEPT_FIGURES) <= set(images)
    for name in CONCEPT_FIGURES:
        assert len(images[name]) > 30, name
        assert images[name].lower() not in {"alt text", "text"}


def test_both_concepts_pages_have_the_same_sections_in_the_same_order():
    heading = re.compile(r"^#+ .*\{ #([\w-]+)(?: [^}]*)? \}$", re.M)  # ids, maybe a TOC label
    anchors = {lang: heading.findall(_page(lang)) for lang in LANGS}
    assert anchors["ko"] == anchors["en"]
    assert len(anchors["ko"]) == 12


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("pool-max", lambda: ops.max_pool2d(concepts.POOL_INPUT[:, :, None]).ravel()),
        ("pool-average", lambda: ops.avg_pool2d(concepts.POOL_INPUT[:, :, None]).ravel()),
        ("pool-global-average", lambda: ops.global_avg_pool2d(concepts.GAP_INPUT)),
    ],
)
def test_pooling_alt_texts_quote_the_values_ops_compute(lang, name, values):
    assert ", ".join(cell_text(v) for v in values()) in _images(lang)[name]


def test_padding_figure_writes_zeros_only_on_the_padded_ring():
    # 'same' on 5×5 with a 3×3 filter pads by 1: a 7×7 grid whose ring of 24 cells is zeros;
    # the 5×5 counts sit on the inner 25 cells, so no zero may be printed under them.
    fig, _ = _render("padding", "en")
    zeros = _texts(fig, "padding-zero")
    assert len(zeros) == 7 * 7 - 5 * 5
    assert {x.get_text() for x in zeros} == {"0"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CONCEPT_FIGURES)
def test_no_two_texts_of_a_concept_figure_overlap(name, lang):
    fig, _ = _render(name, lang)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [(x.get_text(), x.get_window_extent(renderer)) for x in _texts(fig)]
    clashes = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
        and box_a.intersection(box_a, box_b).width > 1
        and box_a.intersection(box_a, box_b).height > 1
    ]
    assert not clashes
