"""The built site loads nothing from another host: a static scan, and Chromium blocking such loads.

Links to other sites (``<a href>``) are fine, and so are namespace URIs. The
static scan reads every page, every stylesheet and our own scripts for resource
references (``src``, ``srcset``, stylesheet and icon links, ``iframe``, CSS
``url()`` and ``@import``, script ``import``/``fetch``). The theme's and the
lightbox's minified bundles hold other hosts' URLs as strings; each is listed in
:data:`ALLOWED` with the reason it never fires, and the Chromium pass, which
blocks and logs every off-host request while it opens every page, a figure and
the search, shows that none does.
"""

from __future__ import annotations

import fnmatch
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import Build

from cnnnotes.site.browser import page_paths
from cnnnotes.site.hook import strip_third_party

#: Namespace URIs: names, never fetched.
NAMESPACES = ("http://www.w3.org/",)
#: (files, URL prefix, why it never loads) for URLs held as strings in third-party bundles.
ALLOWED: list[tuple[str, str, str]] = [
    ("assets/javascripts/bundle.*.min.js", "https://unpkg.com/resize-observer-polyfill",
     "Material loads this polyfill only where the browser lacks ResizeObserver"),
    ("assets/javascripts/bundle.*.min.js", "https://unpkg.com/mermaid@",
     "Material loads Mermaid only for a .mermaid block; no page has one (checked below)"),
    ("assets/javascripts/bundle.*.min.js", "https://api.github.com/",
     "Material asks GitHub for stars only with repo_url, which mkdocs.yml does not set"),
    ("assets/javascripts/bundle.*.min.js", "https://clipboardjs.com/",
     "an attribution in a licence comment"),
    ("assets/javascripts/glightbox.min.js", "https://cdn.plyr.io/",
     "GLightbox loads Plyr only for video slides; every slide is an image"),
    ("assets/javascripts/workers/search.*.min.js", "http://lunrjs.com",
     "lunr's licence comment"),
    ("assets/javascripts/workers/search.*.min.js", "http://tartarus.org/",
     "a reference in lunr's stemmer comment"),
    ("assets/javascripts/workers/search.*.min.js", "https://bit.ly/",
     "a reference in lunr's source comment"),
    ("assets/javascripts/lunr/*", "",
     "lunr's language support: licence and reference links in comments and strings; "
     "its scripts load nothing themselves"),
]  # fmt: skip

_URL = re.compile(r"""https?://[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?::\d+)?[^\s"'`)<>\\]*""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", re.I)
_JS_LOAD = re.compile(
    r"""(?:\bimport\s*\(|\bimport\s+[^;]*?\bfrom\s+|\bfetch\s*\(|\bimportScripts\s*\()\s*["'`]([^"'`]+)"""
)
#: <link rel> values that load what they point at (canonical, alternate only name a page).
_LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                 "preconnect", "dns-prefetch", "apple-touch-icon", "shortcut"}  # fmt: skip
_SRC_TAGS = {"script", "img", "iframe", "embed", "source", "video", "audio", "track", "input"}


def off_host(url: str) -> bool:
    """Whether ``url`` names another host (an absolute or protocol-relative URL)."""
    url = url.strip()
    if not url.startswith(("http:", "https:", "//")) or url.startswith(NAMESPACES):
        return False
    return urlsplit(url if not url.startswith("//") else "https:" + url).hostname is not None


class _Loads(HTMLParser):
    """Every resource a page would load from another host (attribute, inline CSS or script)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        urls = []
        if tag in _SRC_TAGS:
            urls.append(a.get("src", ""))
        if tag == "video":
            urls.append(a.get("poster", ""))
        if tag == "object":
            urls.append(a.get("data", ""))
        if tag == "link" and set(a.get("rel", "").lower().split()) & _LOADING_RELS:
            urls.append(a.get("href", ""))
        if tag in {"image", "use", "feimage"}:  # SVG
            urls += [a.get("href", ""), a.get("xlink:href", "")]
        for key in ("srcset", "imagesrcset"):
            urls += [part.split()[0] for part in a.get(key, "").split(",") if part.split()]
        urls += css_loads(a.get("style", ""))
        self.found += [u for u in urls if off_host(u)]
        self._in = tag if tag in {"script", "style"} else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found += css_loads(data)
        elif self._in == "script":
            self.found += js_loads(data)


def css_loads(css: str) -> list[str]:
    """Off-host ``url()`` and ``@import`` targets of a stylesheet (``data:`` URLs are local)."""
    return [u for m in _CSS_URL.finditer(css) for u in m.groups() if u and off_host(u)]


def js_loads(js: str) -> list[str]:
    """Off-host targets of ``import``, ``fetch`` and ``importScripts`` in a script."""
    return [u for u in _JS_LOAD.findall(js) if off_host(u)]


def html_loads(page: str) -> list[str]:
    """Off-host resources a page loads."""
    parser = _Loads()
    parser.feed(page)
    return parser.found


def _allowed(rel: str, url: str) -> bool:
    return any(fnmatch.fnmatch(rel, glob) and url.startswith(prefix) for glob, prefix, _ in ALLOWED)


def scan(site: Path) -> list[str]:
    """``file: url`` for every off-host load in pages, stylesheets and scripts not allowed."""
    bad = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            found = html_loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".css":
            found = css_loads(path.read_text(encoding="utf-8"))
        elif path.suffix in {".js", ".mjs"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            ours = not rel.startswith("assets/")  # docs/javascripts: no other host at all
            found = js_loads(text) + [u for u in _URL.findall(text) if off_host(u)]
            found = found if ours else [u for u in found if not _allowed(rel, u)]
        else:
            continue
        bad += [f"{rel}: {url}" for url in found]
    return bad


# --- the scanner itself ---------------------------------------------------------------------------


def test_the_scan_finds_every_kind_of_off_host_load_and_no_link() -> None:
    page = """<html><head>
      <link rel="stylesheet" href="https://cdn.example/a.css">
      <link rel="canonical" href="https://example.org/page/">
      <script src="//cdn.example/b.js"></script>
      <style>@import "https://fonts.example/c.css"; .x { background: url(https://img.example/d.png) }
             .y { background: url("data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>") }</style>
      <script type="module">const m = await import("https://cdn.example/e.mjs"); fetch('https://api.example/f')</script>
      </head><body>
      <a href="https://www.ray.io">Ray</a>
      <img src="figures/local.png" srcset="local-2x.png 2x, https://img.example/g.png 3x">
      <iframe src="https://embed.example/h"></iframe>
      <div style="background-image: url('https://img.example/i.png')"></div>
      <svg xmlns="http://www.w3.org/2000/svg"><image href="https://img.example/j.svg"/></svg>
    </body></html>"""  # noqa: E501
    found = html_loads(page)
    assert [urlsplit(u).path for u in found] == [
        "/a.css", "/b.js", "/c.css", "/d.png", "/e.mjs", "/f", "/g.png", "/h", "/i.png", "/j.svg",
    ]  # fmt: skip


def test_the_hook_drops_the_notebook_mermaid_loader_and_keeps_local_scripts() -> None:
    page = (
        '<script type="module">\n  document.addEventListener("DOMContentLoaded", async () => {\n'
        '    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/'
        '11.10.0/mermaid.esm.min.mjs")).default;\n  });\n</script>\n'
        '<script type="module">import("./local.mjs")</script>\n'
        '<script src="../javascripts/explorer.js"></script>'
    )
    kept = strip_third_party(page)
    assert "cdnjs" not in kept and html_loads(kept) == []
    assert 'import("./local.mjs")' in kept and "explorer.js" in kept


# --- the built site -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_built_site_references_no_resource_on_another_host(built_site: Build) -> None:
    assert scan(built_site.site) == []


@pytest.mark.slow
def test_no_page_holds_what_would_make_the_theme_fetch_its_listed_urls(built_site: Build) -> None:
    for page in built_site.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="[^"]*\bmermaid\b', text), page  # Material's Mermaid
        assert "md-source" not in text, page  # repo_url: the GitHub API
        assert not re.search(r"<(video|audio)\b", text), page  # GLightbox's Plyr


# --- Chromium, with off-host requests blocked -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_with_off_host_requests_blocked_logs_none(
    built_site: Build, server: str, browser
) -> None:
    blocked: list[str] = []

    def route(r) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context = browser.new_context()
    context.route("**/*", route)
    page = context.new_page()
    paths = page_paths(built_site.site)
    for path in paths:
        page.goto(server + path, wait_until="networkidle")
        if page.locator("a.glightbox").count():  # open a figure in the lightbox
            page.locator("a.glightbox").first.click()
            page.wait_for_timeout(300)
            page.keyboard.press("Escape")
    page.goto(server, wait_until="networkidle")
    page.fill("input.md-search__input", "convolution")
    page.keyboard.press("End")
    page.wait_for_timeout(500)
    context.close()
    assert len(paths) > 10
    assert blocked == []
