"""Rewrites of rendered pages for their readers, called by :mod:`cnnnotes.site.hook`.

- :func:`size_images`: every image says its width and height (no layout shift while it
  loads) and, after the first, loads lazily, so figures below the fold do not compete
  with what the reader sees first.
- :func:`stack_tables`: each cell of a table of words carries its column's name
  (``data-label``); on a phone the stylesheet turns such a table into one card per row,
  so no table is wider than its column.
- :func:`focusable_code`: code blocks that scroll sideways take the keyboard focus, so
  they can be scrolled without a mouse.
- :func:`quiet_fix_marks`: the small correction numbers stay out of the search index
  (result titles read "Analysis", not "Analysis47").
- :func:`shared_styles`: the large style sheets mkdocs-jupyter inlines into every notebook
  page move into one file that both languages' pages link, so a reader loads them once.
- :func:`png_size`: the pixel size of a PNG from its header; :func:`compact_png`: a PNG
  over a size limit re-encoded with a 256-colour palette.

No MkDocs import, easy to test.
"""

from __future__ import annotations

import hashlib
import html
import io
import posixpath
import re
import struct
from collections.abc import Callable

__all__ = [
    "compact_png",
    "focusable_code",
    "page_dir",
    "png_size",
    "quiet_fix_marks",
    "shared_styles",
    "size_images",
    "stack_tables",
]

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>", re.S)
_SRC = re.compile(r'\bsrc="([^"]*)"')
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TR = re.compile(r"<tr>(.*?)</tr>", re.S)
_TD = re.compile(r"<td\b")
_TAG = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre(?![^>]*\btabindex=)(?=[\s>])")
_FIX_MARK = re.compile(r'<sup class="fix-mark"(?![^>]*data-search-exclude)')
#: The opening tag of a ``<style>`` block; its end is found with ``str.find`` (a lazy pattern
#: over a notebook page's megabytes is ten times slower).
_STYLE_OPEN = re.compile(r"<style\b[^>]*>")
#: Tables inside this block keep their columns (the sortable results table).
_KEEP_COLUMNS = '<div class="results-table"'


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG from its IHDR chunk, or None if ``data`` is no PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def compact_png(data: bytes, limit: int = 300_000) -> bytes:
    """``data`` re-encoded with a 256-colour palette if it is over ``limit`` bytes and that
    makes it smaller; otherwise ``data`` itself. Same pixel size, so captions still fit."""
    if len(data) <= limit or png_size(data) is None:
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        rgb = Image.alpha_composite(white, rgba).convert("RGB")
        palette = rgb.quantize(256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue() if out.tell() < len(data) else data


def size_images(
    page_html: str, size_of: Callable[[str], tuple[int, int] | None], eager: int = 1
) -> str:
    """Give each ``<img>`` its ``width``/``height``; load all but the first ``eager`` lazily.

    ``size_of(src)`` gives an image's pixel size (None: unknown, left without one).
    Images that already say their size or loading are left as they are.
    """
    seen = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal seen
        attrs = m[1]
        seen += 1
        src = _SRC.search(attrs)
        extra = []
        if src and "width=" not in attrs and "height=" not in attrs:
            size = size_of(html.unescape(src[1]))
            if size is not None:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if "loading=" not in attrs and seen > eager:
            extra.append('loading="lazy" decoding="async"')
        return f"<img{attrs}{''.join(' ' + e for e in extra)}>" if extra else m[0]

    return _IMG.sub(replace, page_html)


def stack_tables(page_html: str) -> str:
    """Mark each table of words ``data-stack`` and label its cells with their column names.

    The results table (inside ``<div class="results-table">``) keeps its columns: it is
    sorted by them.
    """

    def replace(m: re.Match[str]) -> str:
        opened = page_html.rfind(_KEEP_COLUMNS, 0, m.start())
        if opened > page_html.rfind("</table>", 0, m.start()):
            return m[0]
        body = m[1]
        names = [html.unescape(_TAG.sub("", h)).strip() for h in _TH.findall(body)]
        if not names:
            return m[0]

        def row(r: re.Match[str]) -> str:
            cells = iter(names)
            return "<tr>" + _TD.sub(lambda _: _labelled(next(cells, "")), r[1]) + "</tr>"

        return "<table data-stack>" + _TR.sub(row, body) + "</table>"

    return _TABLE.sub(replace, page_html)


def _labelled(name: str) -> str:
    return f'<td data-label="{html.escape(name, quote=True)}"' if name else "<td"


def focusable_code(page_html: str) -> str:
    """Let the keyboard reach every ``<pre>`` (``tabindex="0"``), so a wide one can scroll."""
    return _PRE.sub('<pre tabindex="0"', page_html)


def quiet_fix_marks(page_html: str) -> str:
    """Keep the correction numbers (``<sup class="fix-mark">``) out of the search index."""
    return _FIX_MARK.sub('<sup class="fix-mark" data-search-exclude', page_html)


def page_dir(page_url: str) -> str:
    """The folder of a site-relative page URL (``en/x/`` -> ``en/x``, ``en/x.html`` -> ``en``)."""
    return page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)


def shared_styles(page_html: str, page_url: str, folder: str = "stylesheets",
                  min_chars: int = 2000) -> tuple[str, str, str]:  # fmt: skip
    """Move the page's ``<style>`` blocks of ``min_chars`` or more into one style sheet.

    Returns the page, the style sheet's site-relative path (``<folder>/notebook-<hash>.css``,
    named by its content, so both languages share it) and its text; ``("", "")`` for
    the last two when the page has no such block. The link takes the first block's place.
    """
    blocks = [b for b in _style_blocks(page_html) if len(b[2]) >= min_chars]
    if not blocks:
        return page_html, "", ""
    parts: list[str] = []
    for _, _, text in blocks:
        if text not in parts:
            parts.append(text)
    css = "\n".join(parts)
    name = f"{folder}/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    href = posixpath.relpath(name, page_dir(page_url) or ".")
    out, last = [], 0
    for i, (start, end, _) in enumerate(blocks):
        out.append(page_html[last:start])
        if i == 0:
            out.append(f'<link rel="stylesheet" href="{href}">')
        last = end
    out.append(page_html[last:])
    return "".join(out), name, css


def _style_blocks(page_html: str) -> list[tuple[int, int, str]]:
    """Start, end (past the white space after it) and text of each ``<style>`` block."""
    found: list[tuple[int, int, str]] = []
    at = 0
    while (m := _STYLE_OPEN.search(page_html, at)) is not None:
        close = page_html.find("</style>", m.end())
        if close < 0:
            break
        end = close + len("</style>")
        while end < len(page_html) and page_html[end].isspace():
            end += 1
        found.append((m.start(), end, page_html[m.end() : close]))
        at = end
    return found
