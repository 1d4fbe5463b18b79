"""Checks on the hand-written text pages: home, CIFAR-10 practice, cases, reproduce, errata.

The Korean page is the unsuffixed file, the English one ends in ``.en.md``. The tests
read Markdown only; they never build the site.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cnnnotes.site.casepage import expand_sections

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTES = ROOT.parent / "shared" / "notes" / "day6-cnn.ko.md"

PAGES = ("index", "cifar10", "cases", "inside", "reproduce", "errata")
LANG_SUFFIX = {"ko": ".md", "en": ".en.md"}
N_ERRATA = 52

_MARKER = re.compile(r"<!-- (figure|fragment): ([a-z0-9-]+) -->")
_HEADING_ID = re.compile(r"^#{1,6} .*\{ *#([A-Za-z0-9_-]+)(?: [^}]*)? *\}\s*$", re.MULTILINE)
_ERRATA_ROW = re.compile(
    r'^\| *<span id="e(\d+)">\1</span> *\| *([^|]+?) *\| *(.+?) *\| *(.+?) *\|\s*$', re.MULTILINE
)
_LINK = re.compile(r"\]\(([^)#]+)(?:#([^)]+))?\)")
_ERRATA_MENTION = re.compile(r"ERRATA (\d+(?:, \d+)*)")
#: A marked fix: the fix is in the text, a small number links to its errata entry.
_FIX_MARK = re.compile(r"\]\(errata\.md#e(\d+)[ )]")
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _page(name: str, lang: str) -> str:
    """The page's Markdown as the site renders it: its case sections generated."""
    text = (DOCS / f"{name}{LANG_SUFFIX[lang]}").read_text(encoding="utf-8")
    return expand_sections(text, lang)


def _without_code(text: str) -> str:
    """The text with fenced code blocks removed (their ``#`` lines are not headings)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def _errata_rows(lang: str) -> list[tuple[int, str, list[tuple[str, str | None]]]]:
    rows = []
    for number, tag, _summary, where in _ERRATA_ROW.findall(_page("errata", lang)):
        links = [(page, anchor or None) for page, anchor in _LINK.findall(where)]
        rows.append((int(number), tag, links))
    return rows


def _mentioned_errata(text: str) -> set[int]:
    found: set[int] = set()
    for group in _ERRATA_MENTION.findall(text):
        found.update(int(n) for n in group.split(", "))
    found.update(int(n) for n in _FIX_MARK.findall(text))
    return found


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_page_has_exactly_one_h1(name: str, lang: str) -> None:
    h1 = re.findall(r"^# ", _without_code(_page(name, lang)), flags=re.MULTILINE)
    assert len(h1) == 1, f"{name}{LANG_SUFFIX[lang]} has {len(h1)} H1 headings"


@pytest.mark.parametrize("name", PAGES)
def test_translations_carry_the_same_figure_and_fragment_markers(name: str) -> None:
    assert _MARKER.findall(_page(name, "ko")) == _MARKER.findall(_page(name, "en"))


@pytest.mark.parametrize("name", PAGES)
def test_translations_define_the_same_heading_ids(name: str) -> None:
    ko = _HEADING_ID.findall(_without_code(_page(name, "ko")))
    en = _HEADING_ID.findall(_without_code(_page(name, "en")))
    assert ko == en


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_text_pages_show_only_registered_figures_with_alt_text(name: str, lang: str) -> None:
    from cnnnotes.site.figures import load_all

    text = _without_code(_page(name, lang))
    assert "TODO" not in text and "FIXME" not in text
    registry = load_all()
    for alt, figure in re.findall(r"!\[([^\]]*)\]\(figures/([\w-]+)\.png\)", text):
        assert figure in registry, f"{figure} is not drawn by any figure function"
        assert len(alt.strip()) > 10, f"{figure}: alt text missing or too short"


@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_errata_table_lists_all_items_in_order(lang: str) -> None:
    numbers = [number for number, _tag, _links in _errata_rows(lang)]
    assert numbers == list(range(1, N_ERRATA + 1))


@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_errata_links_point_to_site_pages_and_defined_ids(lang: str) -> None:
    known = {f"{name}.md" for name in PAGES} | {"concepts.md", "hand-implementation.ipynb"}
    for number, _tag, links in _errata_rows(lang):
        assert links, f"ERRATA {number} says nowhere where it is handled"
        for page, anchor in links:
            assert page in known, f"ERRATA {number} links to unknown page {page!r}"
            if anchor is not None:
                stem = page.removesuffix(".md")
                assert stem in PAGES, f"ERRATA {number}: anchor into a page we don't own"
                ids = _HEADING_ID.findall(_without_code(_page(stem, lang)))
                assert anchor in ids, f"ERRATA {number}: no heading id {anchor!r} in {page}"


@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_every_erratum_is_mentioned_on_the_page_that_handles_it(lang: str) -> None:
    korean_tags = {n: tag for n, tag, _links in _errata_rows("ko")}
    for number, _tag, links in _errata_rows(lang):
        # Korean typos are fixed in the Korean text; the English text is simply correct.
        if lang == "en" and korean_tags[number] == "오탈자":
            continue
        for page, _anchor in links:
            stem = page.removesuffix(".md")
            if stem not in PAGES:
                continue
            assert number in _mentioned_errata(_page(stem, lang)), (
                f"ERRATA {number} is not mentioned on {stem}{LANG_SUFFIX[lang]}"
            )


@pytest.mark.parametrize("name", ("cifar10", "cases"))
@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_author_code_blocks_are_verbatim_from_the_notes(name: str, lang: str) -> None:
    if not NOTES.is_file():
        if os.environ.get("CI") == "true":  # CI checks out ../shared: a skip there hides a bug
            pytest.fail(f"the notes' source is missing on CI: {NOTES}")
        pytest.skip("the notes' source (../shared/notes) is not available")
    notes = NOTES.read_text(encoding="utf-8")
    # Our own code is quoted from the package with snippets, never pasted.
    blocks = [b for b in _PYTHON_BLOCK.findall(_page(name, lang)) if not b.startswith("--8<--")]
    assert blocks, f"no author code on {name}"
    for block in blocks:
        assert block in notes, f"code on {name} differs from the notes:\n{block[:200]}"


@pytest.mark.parametrize("lang", sorted(LANG_SUFFIX))
def test_typo_and_render_errata_are_marked_fixes_not_boxes(lang: str) -> None:
    # Typos and rendering slips are fixed in the text with a marker; boxes are for
    # technical, method and claim corrections.
    marked_kinds = {"ko": {"오탈자", "표시"}, "en": {"typo", "render"}}[lang]
    for name in ("concepts", "cases"):
        text = _page(name, lang)
        boxed = {int(n) for g in re.findall(r'^[!?]{3}\+? \w+ "[^"]*\(ERRATA ([\d, ]+)\)"', text,
                                             re.M) for n in g.split(", ")}  # fmt: skip
        for number, tag, _links in _errata_rows(lang):
            if {t.strip() for t in tag.split(",")} <= marked_kinds:
                assert number not in boxed, f"{name}: ERRATA {number} ({tag}) is boxed"
