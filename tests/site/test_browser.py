"""The built site in a real browser: images load, languages switch, search works, nothing leaks.

Debian's Chromium, driven by Playwright's Python package (no browser download).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import Build, mkdocs_build

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.site.browser import page_paths, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser, server: str):
    context = browser.new_context()
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))  # type: ignore[attr-defined]
    yield pg
    context.close()


def _search(page, query: str) -> None:
    # Hangul arrives as composed text (no key events); Material searches on key-up, so end
    # with a key press, as a reader's keyboard does.
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")


def test_every_image_on_every_page_loads(page, built_site: Build, server: str) -> None:
    urls = [server + path for path in page_paths(built_site.site)]
    assert server in urls and server + "en/" in urls
    for url in urls:
        page.goto(url, wait_until="load")
        # figures below the fold load lazily: ask for every one now
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        broken = page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], f"{url}: {broken}"


def test_no_request_leaves_localhost(page, built_site: Build, server: str) -> None:
    for path in page_paths(built_site.site):
        page.goto(server + path, wait_until="networkidle")
    hosts = {urlparse(u).hostname for u in page.requests if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}, hosts


@pytest.mark.parametrize(("start", "other"), [("concepts/", "en/concepts/"),
                                              ("en/cases/", "cases/")])  # fmt: skip
def test_language_switcher_goes_to_the_same_page(page, server: str, start: str, other: str) -> None:
    page.goto(server + start)
    lang = "en" if other.startswith("en/") else "ko"
    href = page.get_attribute(f'a.md-select__link[hreflang="{lang}"]', "href")
    assert href is not None
    page.hover(".md-header .md-select")  # the language menu opens on hover, as for a reader
    with page.expect_navigation():
        page.click(f'.md-header a.md-select__link[hreflang="{lang}"]')
    assert page.url == server + other


@pytest.mark.parametrize(("start", "query"), [("", "합성곱"), ("", "필터"), ("en/", "convolution")])
def test_search_finds_pages(page, server: str, start: str, query: str) -> None:
    page.goto(server + start, wait_until="networkidle")
    page.keyboard.press("/")  # Material: focus the search box
    _search(page, query)
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    assert page.locator(".md-search-result__item").count() > 0


def _results(page) -> list[str]:
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    page.wait_for_timeout(300)  # let the whole result list arrive
    return page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")


def _resolves(page, fragment: str) -> bool:
    return page.evaluate("f => !!document.getElementById(decodeURIComponent(f))", fragment)


def test_search_finds_a_korean_word_that_only_appears_with_a_particle(browser, tiny: Path) -> None:
    # The miniature site's home page has "합성곱을" and never the bare word: Korean attaches
    # particles, so the search must match the stem the reader types, and only Korean pages.
    home = (tiny / "docs" / "index.md").read_text(encoding="utf-8")
    assert "합성곱을" in home and "합성곱 " not in home.replace("합성곱을", "")
    build = mkdocs_build(tiny)
    with serve(build.site) as url:
        context = browser.new_context()
        pg = context.new_page()
        pg.goto(url, wait_until="networkidle")
        pg.keyboard.press("/")
        _search(pg, "합성곱")
        found = _results(pg)
        assert url in found
        assert not [u for u in found if u.startswith(url + "en/")]
        context.close()


@pytest.mark.parametrize(("start", "query"), [("", "합성곱"), ("en/", "convolution")])
def test_search_returns_pages_of_the_page_language_only(
    page, server: str, start: str, query: str
) -> None:
    page.goto(server + start, wait_until="networkidle")
    page.keyboard.press("/")
    _search(page, query)
    found = _results(page)
    in_english = [u for u in found if u.startswith(server + "en/")]
    assert found
    assert in_english == (found if start == "en/" else [])
    titles = page.eval_on_selector_all(".md-search-result__item", "es => es.map(e => e.innerText)")
    assert not [t for t in titles if "¶" in t]


def test_search_section_links_land_on_their_sections(page, server: str) -> None:
    for start, query in (("", "풀링"), ("en/", "pooling")):
        page.goto(server + start, wait_until="networkidle")
        page.keyboard.press("/")
        _search(page, query)
        sections = [u for u in _results(page) if "#" in u]
        assert sections, query
        for url in sections:
            page.goto(url, wait_until="load")
            fragment = url.split("#", 1)[1]
            assert page.evaluate(
                "f => !!document.getElementById(decodeURIComponent(f))", fragment
            ), url


def test_no_console_errors_on_any_page(page, built_site: Build, server: str) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in page_paths(built_site.site):
        page.goto(server + path, wait_until="networkidle")
        page.hover(".md-header .md-select")  # the language menu, where Material fetched sitemaps
        page.wait_for_timeout(100)
    assert errors == []


def test_every_toc_link_resolves_to_an_element(page, built_site: Build, server: str) -> None:
    for url in [server + path for path in page_paths(built_site.site)]:
        page.goto(url, wait_until="load")
        hrefs = page.eval_on_selector_all(
            ".md-sidebar--secondary a.md-nav__link", "as => as.map(a => a.getAttribute('href'))"
        )
        dead = [
            h for h in hrefs
            if not h.startswith("#") or len(h) < 2
            or not _resolves(page, h[1:])
        ]  # fmt: skip
        assert dead == [], f"{url}: {dead}"


def test_language_menu_marks_the_current_language(page, server: str) -> None:
    for start, lang in (("concepts/", "ko"), ("en/concepts/", "en")):
        page.goto(server + start)
        current = page.eval_on_selector_all(
            'a.md-select__link[aria-current="true"]', "as => as.map(a => a.hreflang)"
        )
        assert current == [lang]


def test_figures_open_larger_on_click_with_their_caption(page, server: str) -> None:
    for start, word in (("concepts/", "그림 1."), ("en/concepts/", "Figure 1.")):
        page.goto(server + start, wait_until="load")
        page.click("a.glightbox >> nth=0")
        page.wait_for_selector(".gslide-image img", timeout=10_000)
        page.wait_for_selector(".gslide-description", timeout=10_000)
        assert word in page.inner_text(".gslide-description")


def test_every_content_image_is_a_numbered_figure_with_a_caption(
    page, built_site: Build, server: str
) -> None:
    for url in [server + path for path in page_paths(built_site.site)]:
        page.goto(url, wait_until="load")
        word = "Figure" if url.startswith(server + "en/") else "그림"
        found = page.eval_on_selector_all(
            "article img",
            """imgs => imgs.map(i => {
                const f = i.closest('figure');
                const c = f && f.querySelector(':scope > figcaption');
                return [i.getAttribute('src'), i.alt, c ? c.innerText.trim() : ''];
            })""",
        )
        for n, (src, alt, caption) in enumerate(found, start=1):
            assert alt.strip() and "No description" not in alt, f"{url} {src}: alt {alt!r}"
            assert caption.startswith(f"{word} {n}.") and len(caption) > len(f"{word} {n}.") + 3, (
                f"{url} {src}: {caption!r}"
            )


def test_notebook_page_is_light_and_links_its_notebooks(page, server: str) -> None:
    for start in ("hand-implementation/", "en/hand-implementation/"):
        response = page.goto(server + start, wait_until="load")
        assert response is not None and len(response.body()) <= 1_000_000
        links = page.eval_on_selector_all("a[href$='.ipynb']", "as => as.map(a => a.href)")
        assert len(links) == 2
        for link in links:
            notebook = page.request.get(link)
            assert notebook.ok and notebook.json()["cells"]
        assert page.eval_on_selector_all("img[src^='data:']", "e => e.length") == 0


def test_no_page_overflows_a_phone(page, built_site: Build, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in [server + path for path in page_paths(built_site.site)]:
        page.goto(url, wait_until="load")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def test_screenshot_of_the_home_page(page, server: str, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + "concepts/", wait_until="networkidle")
    shot = tmp_path / "concepts.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_errata_table_filters_by_tag(page, server: str) -> None:
    # the first filter belongs to the errata table (a second one filters our corrections)
    shown = """() => {
        const box = document.querySelector('.errata-filter');
        const rows = box.parentElement.querySelector('table').tBodies[0].rows;
        return [...rows].filter(r => !r.hidden).map(r => r.cells[1].innerText);
    }"""
    for start, tag in (("errata/", "기술"), ("en/errata/", "tech")):
        page.goto(server + start, wait_until="load")
        total = len(page.evaluate(shown))
        page.click(f".errata-filter >> nth=0 >> button:text-is('{tag}')")
        tags = page.evaluate(shown)
        assert 0 < len(tags) < total and all(tag in t for t in tags)
        page.click(".errata-filter >> nth=0 >> button >> nth=0")
        assert len(page.evaluate(shown)) == total


def test_results_table_fits_a_desktop_and_no_page_overflows_a_phone(page, server: str) -> None:
    for start in ("cases/", "en/cases/"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(server + start, wait_until="load")
        overflow = page.eval_on_selector(
            ".results-table .md-typeset__scrollwrap",
            "t => t.scrollWidth - t.clientWidth",
        )
        assert overflow <= 0, start
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(200)
        assert (
            page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            <= 0
        )


def test_results_table_sorts_by_a_column_and_rows_link_their_case(page, server: str) -> None:
    page.goto(server + "en/cases/", wait_until="load")
    column = 6  # test accuracy
    page.click(f".results-table th >> nth={column}")
    values = page.eval_on_selector_all(
        ".results-table tbody tr", f"rs => rs.map(r => parseFloat(r.cells[{column}].innerText))"
    )
    rows = len(CASES)  # the notes' six cases and every registered experiment (marked ‡)
    assert values == sorted(values) and len(values) == rows
    page.click(f".results-table th >> nth={column}")
    again = page.eval_on_selector_all(
        ".results-table tbody tr", f"rs => rs.map(r => parseFloat(r.cells[{column}].innerText))"
    )
    assert again == sorted(values, reverse=True)
    links = page.eval_on_selector_all(".results-table tbody tr td:first-child a", "as => as.length")
    assert links == rows
