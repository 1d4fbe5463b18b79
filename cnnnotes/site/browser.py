"""A built site served on loopback and opened in headless Chromium, for checks and benchmarks.

The browser tests (``tests/site/``) and the benchmark scripts (``scripts/bench_picture.py``,
``scripts/bench_site.py``) open a built site the same way: a threaded HTTP server on
``127.0.0.1`` at a free port, and Debian's Chromium found on ``PATH``, driven by Playwright's
Python package (the ``dev`` extra; it downloads no browser). The build never uses this module.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = [
    "CHROMIUM_ARGS",
    "NOT_PAGES",
    "NO_CHROMIUM",
    "PAGE_BUDGET",
    "find_chromium",
    "first_load_bytes",
    "launch",
    "page_paths",
    "serve",
]

#: Headless Chromium's flags: no sandbox (containers), no GPU, and no traffic of its own
#: (QUIC, background updates, sync), so every request a page makes is the page's.
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
#: What to say where Chromium is not installed.
NO_CHROMIUM = "Chromium not installed (Debian: apt-get install chromium)"
#: The top folders of a built site that hold the theme's files, not pages of ours.
NOT_PAGES = frozenset({"assets", "search"})
#: The site's budget for a page's first load, the theme's shared files (:data:`NOT_PAGES`)
#: excluded; the interactive parts load their data on first use, outside it.
PAGE_BUDGET = 1_000_000
#: Every resource the page has loaded, as ``[url, bytes]`` (a cached one: its body size).
_LOADED = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .map(e => [e.name, e.transferSize || e.encodedBodySize || 0])"""


def find_chromium() -> str | None:
    """The path of Chromium on ``PATH`` (``chromium``, or ``chromium-browser``), or ``None``."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A file server that does not log every request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on ``127.0.0.1`` at a free port, in a thread, while the block runs.

    Yields
    ------
    str
        The root URL, ``http://127.0.0.1:PORT/``.
    """
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def page_paths(site: Path) -> list[str]:
    """Every page of the built ``site``, as a URL path from its root, sorted.

    A page is a folder's ``index.html`` outside :data:`NOT_PAGES`: ``""`` (the home page),
    ``"en/"``, ``"concepts/"``, ``"en/concepts/"``…
    """
    paths = []
    for html in site.rglob("index.html"):
        rel = html.parent.relative_to(site).as_posix()
        if rel.split("/")[0] not in NOT_PAGES:
            paths.append("" if rel == "." else rel + "/")
    return sorted(paths)


@contextlib.contextmanager
def launch(executable: str) -> Iterator[Browser]:
    """Headless Chromium at ``executable``, with :data:`CHROMIUM_ARGS`, closed after the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def first_load_bytes(page: Page, root: str, excluded: Iterable[str] = NOT_PAGES) -> int:
    """The bytes ``page`` has loaded from the site served at ``root``.

    Measured in the browser (its Resource Timing entries), so what a script added counts
    too; files under the top folders ``excluded`` (by default the theme's, :data:`NOT_PAGES`)
    do not.
    """
    skipped = tuple(root + folder + "/" for folder in sorted(excluded))
    loaded: list[tuple[str, int]] = page.evaluate(_LOADED)
    return sum(size for url, size in loaded if not url.startswith(skipped))
