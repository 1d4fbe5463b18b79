"""Rewrites of rendered pages and of the search index, called by :mod:`cnnnotes.site.hook`.

- :func:`notebook_headings`: mkdocs-jupyter gives a Hangul heading an empty id (its
  slugify keeps ASCII only) and builds the table of contents with other ids, so the
  Korean notebook's TOC links go nowhere. Headings get the site's own (Unicode) slugs
  and the TOC is rebuilt from them.
- :func:`drop_alternate_links`: Material fetches ``sitemap.xml`` beside every
  ``<link rel="alternate">``; static-i18n points those at the same page in the other
  language, so every page logged two 404s. The sitemap already lists each page's
  language alternates; the language menu keeps its own links.
- :func:`mark_current_language`: the language menu marks the language being read.
- :func:`rebase_search` and :func:`split_search_index`: one search index per language,
  so the Korean site finds Korean pages and the English site English pages.
- :func:`notebook_images`: a notebook's output images become files beside the page
  (not base64 in it), with the alt text and caption its cell's metadata gives.
- :func:`number_figures`: an image paragraph and the italic paragraph after it (its
  caption) become one numbered ``<figure>`` with a ``<figcaption>``, which the
  lightbox shows too.

Pure string and JSON functions: no MkDocs import, easy to test.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from cnnnotes.i18n import LANGS, t

__all__ = [
    "FIGURE_WORD",
    "Heading",
    "TocToken",
    "drop_alternate_links",
    "image_descriptions",
    "mark_current_language",
    "notebook_headings",
    "notebook_images",
    "number_figures",
    "rebase_search",
    "split_search_index",
    "toc_tokens",
]

_NB_HEADING = re.compile(
    r'<h([1-6])\b[^>]*>(.*?)<a class="anchor-link" href="[^"]*">¶</a>\s*</h\1>', re.S
)
_TAG = re.compile(r"<[^>]+>")
_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
_BASE = re.compile(r'("base":\s*")([^"]*)(")')
_FIGURE = re.compile(
    r"<p>(?P<img>(?:<a\b[^>]*>)?<img\b[^>]*>(?:</a>)?)</p>"
    r"(?:\s*<p><em>(?P<caption>(?:(?!</p>).)*?)</em></p>)?",
    re.S,
)
#: An output image, inside glightbox's link (group 1: its base64) or alone (group 2). Both
#: branches begin with ``<``, so the engine skips ahead to each ``<`` of a long page.
_NB_IMAGE = re.compile(
    r'<(?:a\b[^>]*href="data:image/png;base64,[^"]*"[^>]*>'
    r'<img alt="[^"]*" class="[^"]*" src="data:image/png;base64,([^"]+)"\s*/?></a>'
    r'|img alt="[^"]*" class="[^"]*" src="data:image/png;base64,([^"]+)"\s*/?>)'
)


class Heading(TypedDict):
    """A notebook heading found by :func:`notebook_headings`."""

    level: int
    id: str
    name: str


class TocToken(TypedDict):
    """A table-of-contents token, the shape :func:`mkdocs.structure.toc.get_toc` reads."""

    level: int
    id: str
    name: str
    children: list[TocToken]


#: "Figure N." in each language.
FIGURE_WORD: dict[str, str] = {lang: t("page.figure", lang) for lang in LANGS}


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        candidate = f"{slug}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def notebook_headings(
    page_html: str, slugify: Callable[[str, str], str], permalink_title: str = ""
) -> tuple[str, list[Heading]]:
    """Give each notebook heading a slug id and a permalink; return the headings found.

    Parameters
    ----------
    page_html
        The notebook's HTML as mkdocs-jupyter renders it.
    slugify
        The Markdown ``toc`` extension's slugify (``slugify(text, separator)``), so
        notebook pages and Markdown pages make the same kind of ids.
    permalink_title
        The permalink's ``title`` attribute (Material's "Permanent link" wording).

    Returns
    -------
    (str, list of dict)
        The HTML, and one ``{"level", "id", "name"}`` per heading in page order.
    """
    used: set[str] = set()
    found: list[Heading] = []

    def replace(m: re.Match[str]) -> str:
        level, inner = int(m[1]), m[2].strip()
        name = html.unescape(_TAG.sub("", inner)).strip()
        slug = _unique(slugify(name, "-") or f"section-{len(found) + 1}", used)
        found.append({"level": level, "id": slug, "name": name})
        title = f' title="{html.escape(permalink_title)}"' if permalink_title else ""
        return (
            f'<h{level} id="{slug}">{inner}'
            f'<a class="headerlink" href="#{slug}"{title}>¶</a></h{level}>'
        )

    return _NB_HEADING.sub(replace, page_html), found


def toc_tokens(headings: list[Heading]) -> list[TocToken]:
    """Nest flat headings into the tokens :func:`mkdocs.structure.toc.get_toc` reads."""
    roots: list[TocToken] = []
    stack: list[TocToken] = []
    for h in headings:
        token = TocToken(level=h["level"], id=h["id"], name=html.escape(h["name"]), children=[])
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


def drop_alternate_links(page_html: str) -> str:
    """Remove the head's ``<link rel="alternate" hreflang>`` tags (see the module note)."""
    return _ALTERNATE.sub("", page_html)


def mark_current_language(page_html: str, lang: str) -> str:
    """Mark the language menu's entry for ``lang`` with ``aria-current`` (styled by CSS)."""
    pattern = re.compile(rf'(<a\b[^>]*hreflang="{re.escape(lang)}"[^>]*class="md-select__link")')
    return pattern.sub(r'\1 aria-current="true"', page_html)


def rebase_search(page_html: str, page_url: str, lang_root: str) -> str:
    """Point Material's ``base`` (where it loads ``search/search_index.json``) at ``lang_root``.

    ``page_url`` and ``lang_root`` are site-relative (``en/concepts/``, ``en/``).
    """
    # a folder URL (``en/concepts/``) or, in the offline build, a file (``en/concepts.html``)
    page_dir = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    page_dir = page_dir or "."
    base = posixpath.relpath(lang_root.rstrip("/") or ".", page_dir)
    return _BASE.sub(lambda m: f"{m[1]}{base}{m[3]}", page_html, count=1)


def split_search_index(
    site_dir: Path, default: str, others: list[str], *, script: bool = False
) -> dict[str, int]:
    """Split static-i18n's combined index into one ``search/search_index.json`` per language.

    The default language keeps ``<site>/search/``; another language ``xx`` gets
    ``<site>/xx/search/`` with locations relative to ``xx/``. With ``script`` (the offline
    build), each index is also written as ``search_index.js`` (``var __index = …``), which
    the theme loads by a script tag under ``file://``. Returns the entry count of each
    language.
    """
    path = site_dir / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    per_lang: dict[str, list[dict[str, Any]]] = {lang: [] for lang in [default, *others]}
    for doc in index["docs"]:
        loc = doc["location"]
        lang = next((x for x in others if loc == f"{x}/" or loc.startswith(f"{x}/")), default)
        if lang != default:
            doc = {**doc, "location": loc[len(lang) + 1 :]}
        per_lang[lang].append(doc)
    for lang, docs in per_lang.items():
        config = dict(index["config"])
        if lang != default:
            config["lang"] = [lang]
        out = path if lang == default else site_dir / lang / "search" / "search_index.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False)
        out.write_text(text, encoding="utf-8")
        if script:
            out.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")
    return {lang: len(docs) for lang, docs in per_lang.items()}


def number_figures(page_html: str, lang: str) -> tuple[str, list[str]]:
    """Wrap each image paragraph and its caption in a numbered ``<figure>``.

    The caption is the italic paragraph right after the image; an image without
    one keeps its paragraph (the page's test then fails: every figure needs a
    caption). The lightbox link gets the caption as its description. Returns the
    HTML and the captions' plain text in page order.
    """
    captions: list[str] = []
    word = FIGURE_WORD.get(lang, FIGURE_WORD["en"])

    def replace(m: re.Match[str]) -> str:
        caption = m["caption"]
        if caption is None:
            return m[0]
        captions.append(html.unescape(_TAG.sub("", caption)).strip())
        n = len(captions)
        label = f'<span class="figure-number">{word} {n}.</span> '
        image = m["img"]
        plain = html.escape(f"{word} {n}. {captions[-1]}", quote=True)
        if image.startswith("<a"):
            image = image.replace("<a ", f'<a data-description="{plain}" ', 1)
        return f'<figure id="figure-{n}">{image}<figcaption>{label}{caption}</figcaption></figure>'

    return _FIGURE.sub(replace, page_html), captions


def image_descriptions(notebook: dict[str, Any]) -> list[dict[str, str]]:
    """Alt text and caption of each PNG output, in order, from ``metadata.cnnnotes`` of its cell."""
    found = []
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("cnnnotes", {})
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                found.append({"alt": meta.get("alt", ""), "caption": meta.get("caption", "")})
    return found


def notebook_images(
    page_html: str, descriptions: list[dict[str, str]], stem: str = "output"
) -> tuple[str, dict[str, bytes]]:
    """Replace base64 output images with files ``<stem>-<n>.png`` and caption them.

    Each image becomes a lightbox link and an italic caption paragraph (numbered by
    :func:`number_figures`). Returns the HTML and the files to write beside the page.
    """
    files: dict[str, bytes] = {}

    def replace(m: re.Match[str]) -> str:
        n = len(files)
        name = f"{stem}-{n + 1}.png"
        files[name] = base64.b64decode(m[1] or m[2])
        info = descriptions[n] if n < len(descriptions) else {"alt": "", "caption": ""}
        alt = html.escape(info["alt"], quote=True)
        link = (
            f'<a class="glightbox" href="{name}" data-type="image" data-width="auto" '
            f'data-height="auto" data-desc-position="bottom">'
            f'<img alt="{alt}" src="{name}"></a>'
        )
        caption = f"<p><em>{html.escape(info['caption'])}</em></p>" if info["caption"] else ""
        return f"<p>{link}</p>{caption}"

    return _NB_IMAGE.sub(replace, page_html), files
