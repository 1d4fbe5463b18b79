"""``cnnnotes build --offline``: the whole site as one zip, the same bytes every time, that
reads from ``file://`` in Chromium (pages, images, links, search in both languages) and that
the published site offers for download."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, Build, mkdocs_build

from cnnnotes.site import offline

# --- the zip, without a browser -----------------------------------------------------------


def _tree(folder: Path) -> Path:
    (folder / "en").mkdir(parents=True)
    (folder / "index.html").write_text("<p>홈</p>", encoding="utf-8")
    (folder / "en" / "index.html").write_text("<p>home</p>")
    (folder / "sitemap.xml").write_text("<lastmod>today</lastmod>")
    return folder


def test_the_zip_is_the_same_bytes_whatever_the_file_times(tmp_path: Path) -> None:
    site = _tree(tmp_path / "site")
    first = offline.write_zip(site, tmp_path / "a.zip").read_bytes()
    for path in site.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = offline.write_zip(site, tmp_path / "b.zip").read_bytes()
    assert first == second


def test_the_zip_holds_the_site_under_one_folder_sorted_without_sitemaps(tmp_path: Path) -> None:
    out = offline.write_zip(_tree(tmp_path / "site"), tmp_path / "site.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == ["cnnnotes/en/index.html", "cnnnotes/index.html"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("cnnnotes/index.html").decode() == "<p>홈</p>"


# --- the built zip in Chromium ------------------------------------------------------------


@pytest.fixture(scope="module")
def zips(built_site: Build) -> tuple[bytes, bytes, Path]:
    """Two offline builds of the project the site was built from, and the site built after.

    (They reuse the rendered assets of ``built_site``.)
    """
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(built_site.root)  # the project copy's cnnnotes
    try:
        root = built_site.root
        first = offline.build_offline(root, root / "first.zip", progress=lambda _: None)
        second = offline.build_offline(root, progress=lambda _: None)
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    assert second == offline.offline_zip(root)
    online = mkdocs_build(root, "-d", "site-with-zip")
    return first.read_bytes(), second.read_bytes(), online.root / "site-with-zip"


@pytest.mark.slow
def test_two_offline_builds_give_the_same_zip(zips: tuple[bytes, bytes, Path]) -> None:
    first, second, _ = zips
    assert len(first) > 1_000_000 and first == second


@pytest.mark.slow
def test_the_published_site_offers_the_zip_on_both_home_pages(
    zips: tuple[bytes, bytes, Path],
) -> None:
    _, zipped, site = zips
    assert (site / "downloads" / offline.ZIP_NAME).read_bytes() == zipped
    for home, href in (
        (site / "index.html", "downloads/"),
        (site / "en" / "index.html", "../downloads/"),
    ):
        assert f'href="{href}{offline.ZIP_NAME}" download' in home.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def unzipped(zips: tuple[bytes, bytes, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(__import__("io").BytesIO(zips[0])) as archive:
        archive.extractall(folder)
    return folder / "cnnnotes"


@pytest.fixture(scope="module")
def file_page(browser, unzipped: Path) -> Iterator:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(f"{page.url}: {e}"))  # type: ignore[attr-defined]
    yield page
    page.close()


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_reads_from_disk_with_its_images_and_links_to_pages(
    file_page, unzipped: Path
) -> None:
    pages = _pages(unzipped)
    assert unzipped / "index.html" in pages and unzipped / "en" / "index.html" in pages
    broken, folders = {}, {}
    for path in pages:
        file_page.goto(path.as_uri(), wait_until="load")
        file_page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        file_page.wait_for_load_state("load")
        file_page.wait_for_function(
            "Array.from(document.images).every(i => i.complete)", timeout=20_000
        )
        bad = file_page.eval_on_selector_all(
            "img", "is => is.filter(i => !(i.naturalWidth > 0)).map(i => i.src)"
        )
        hrefs = file_page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        targets = {unquote(urlsplit(h).path) for h in hrefs if h.startswith("file:")}
        not_files = sorted(t for t in targets if not Path(t).is_file())
        if bad:
            broken[path.name] = bad
        if not_files:
            folders[str(path.relative_to(unzipped))] = not_files
    assert broken == {}
    assert folders == {}
    errors = file_page.errors
    if _explorer_fetches():  # the explorer's own test says so (skipped)
        errors = [e for e in errors if not e.split(": ")[0].endswith("/inside.html")]
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("start", "query"), [("index.html", "합성곱"), ("en/index.html", "pooling")]
)
def test_search_finds_pages_of_its_language_from_disk(
    file_page, unzipped: Path, start: str, query: str
) -> None:
    file_page.goto((unzipped / start).as_uri(), wait_until="load")
    file_page.keyboard.press("/")
    file_page.fill("input.md-search__input", query)
    file_page.keyboard.press("End")
    file_page.wait_for_selector(".md-search-result__item", timeout=20_000)
    found = file_page.eval_on_selector_all(
        ".md-search-result__item > a", "as => as.map(a => a.href)"
    )
    english = (unzipped / "en").as_uri() + "/"
    assert found and all(u.startswith(english) == start.startswith("en/") for u in found)
    target = unquote(urlsplit(found[0]).path)
    assert Path(target).is_file()


def _explorer_fetches() -> bool:
    return "fetch(" in (ROOT / "docs" / "javascripts" / "explorer.js").read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.slow
def test_the_explorer_works_from_disk(file_page, unzipped: Path) -> None:
    if _explorer_fetches():
        pytest.skip("the explorer still fetches its data, which file:// pages cannot")
    for start in ("inside.html", "en/inside.html"):
        file_page.goto((unzipped / start).as_uri(), wait_until="load")
        file_page.click(".cnn-explorer__start")  # the explorer loads its data on first use
        file_page.wait_for_selector(".cnn-explorer[data-shown]", timeout=20_000)
        assert file_page.locator(".cnn-explorer__thumb").count() > 0
