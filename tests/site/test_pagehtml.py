"""Tests of the page and search-index rewrites (cnnnotes/site/pagehtml.py)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from mkdocs.structure.toc import get_toc
from pymdownx.slugs import slugify

from cnnnotes.site import pagehtml

SLUGIFY = slugify(case="lower")
NOTEBOOK = (
    '<h1 id="numpy">수동 구현: numpy로<a class="anchor-link" href="#numpy">¶</a></h1>'
    '<h2 id="">원래 노트의 코드<a class="anchor-link" href="#">¶</a></h2><p>text</p>'
    '<h2 id="">정리<a class="anchor-link" href="#">¶</a></h2>'
    '<h3 id="">정리<a class="anchor-link" href="#">¶</a></h3>'
)


def test_notebook_hangul_headings_get_unique_non_empty_ids():
    out, headings = pagehtml.notebook_headings(NOTEBOOK, SLUGIFY)
    ids = [h["id"] for h in headings]
    assert ids == ["수동-구현-numpy로", "원래-노트의-코드", "정리", "정리_1"]
    for slug in ids:
        assert f'id="{slug}"' in out and f'href="#{slug}"' in out
    assert 'id=""' not in out and 'href="#"' not in out


def test_notebook_toc_nests_by_level_and_names_carry_no_pilcrow():
    _, headings = pagehtml.notebook_headings(NOTEBOOK, SLUGIFY)
    toc = get_toc(pagehtml.toc_tokens(headings))
    (top,) = list(toc)
    assert top.title == "수동 구현: numpy로"
    assert [c.title for c in top.children] == ["원래 노트의 코드", "정리"]
    assert [c.url for c in top.children[1].children] == ["#정리_1"]
    assert "¶" not in json.dumps(pagehtml.toc_tokens(headings), ensure_ascii=False)


def test_alternate_head_links_go_and_the_language_menu_stays():
    page = (
        '<link rel="alternate" href="./" hreflang="ko">\n'
        '<link rel="alternate" href="../en/concepts/" hreflang="en">\n'
        '<a href="../en/concepts/" hreflang="en" class="md-select__link">English</a>'
        '<a href="./" hreflang="ko" class="md-select__link">한국어</a>'
    )
    out = pagehtml.mark_current_language(pagehtml.drop_alternate_links(page), "ko")
    assert "<link" not in out
    assert '<a href="./" hreflang="ko" class="md-select__link" aria-current="true">' in out
    assert 'hreflang="en" class="md-select__link">' in out


def test_rebase_search_points_english_pages_at_the_english_root():
    config = '<script id="__config">{"annotate": null, "base": "../..", "search": "x"}</script>'
    assert '"base": ".."' in pagehtml.rebase_search(config, "en/concepts/", "en/")
    assert '"base": "."' in pagehtml.rebase_search(config, "en/", "en/")


def test_search_index_is_split_per_language_with_relative_locations(tmp_path: Path):
    index = {
        "config": {"lang": ["ko", "en"]},
        "docs": [
            {"location": "", "title": "홈", "text": ""},
            {"location": "concepts/#합성곱", "title": "합성곱", "text": ""},
            {"location": "en/", "title": "Home", "text": ""},
            {"location": "en/concepts/#convolution", "title": "Convolution", "text": ""},
        ],
    }
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    assert pagehtml.split_search_index(tmp_path, "ko", ["en"]) == {"ko": 2, "en": 2}
    ko = json.loads((tmp_path / "search" / "search_index.json").read_text())
    en = json.loads((tmp_path / "en" / "search" / "search_index.json").read_text())
    assert [d["title"] for d in ko["docs"]] == ["홈", "합성곱"]
    assert [d["location"] for d in en["docs"]] == ["", "concepts/#convolution"]
    assert en["config"]["lang"] == ["en"]


def test_image_and_italic_caption_become_a_numbered_figure_per_page():
    page = (
        '<p><a class="glightbox" href="figures/a.png"><img alt="A" src="figures/a.png"></a></p>\n'
        "<p><em>First <code>x</code> caption.</em></p><p>text</p>"
        '<p><img alt="B" src="figures/b.png"></p>\n<p><em>Second.</em></p>'
    )
    out, captions = pagehtml.number_figures(page, "ko")
    assert captions == ["First x caption.", "Second."]
    assert out.count("<figure") == 2 and out.count("<figcaption>") == 2
    assert '<span class="figure-number">그림 1.</span> First <code>x</code> caption.' in out
    assert '<span class="figure-number">그림 2.</span> Second.' in out
    assert 'data-description="그림 1. First x caption."' in out  # the lightbox shows it
    assert "<p>text</p>" in out


def test_an_image_without_a_caption_stays_a_plain_paragraph():
    page = '<p><img alt="A" src="figures/a.png"></p><p>Not a caption.</p>'
    out, captions = pagehtml.number_figures(page, "en")
    assert captions == [] and "<figure" not in out


def test_notebook_images_become_files_with_their_cells_descriptions():
    png = base64.b64encode(b"\x89PNG fake").decode()
    page = (
        f'<a class="glightbox" href="data:image/png;base64,{png}"><img alt="No description" '
        f'class="" src="data:image/png;base64,{png}"></a>'
    )
    notebook = {"cells": [
        {"cell_type": "code", "metadata": {"cnnnotes": {"alt": "Maps", "caption": "Three maps."}},
         "outputs": [{"data": {"image/png": png, "text/plain": "x"}}]},
    ]}  # fmt: skip
    out, files = pagehtml.notebook_images(page, pagehtml.image_descriptions(notebook))
    assert files == {"output-1.png": b"\x89PNG fake"}
    assert "base64" not in out
    assert '<img alt="Maps" src="output-1.png">' in out and 'href="output-1.png"' in out
    figured, captions = pagehtml.number_figures(out, "en")
    assert captions == ["Three maps."] and "Figure 1." in figured


def test_a_notebook_image_outside_a_link_becomes_a_file_too_and_other_images_stay():
    png = base64.b64encode(b"\x89PNG alone").decode()
    page = (
        f'<p>before</p><img alt="" class="" src="data:image/png;base64,{png}">'
        '<a href="x.png"><img alt="kept" src="x.png"></a>'
    )
    out, files = pagehtml.notebook_images(page, [])
    assert files == {"output-1.png": b"\x89PNG alone"}
    assert out.startswith('<p>before</p><p><a class="glightbox" href="output-1.png"')
    assert out.endswith('<a href="x.png"><img alt="kept" src="x.png"></a>')
