"""MkDocs glue: what the hook does at each build event.

- ``on_config``: resolve the snippet and cache paths of ``mkdocs.yml`` against its
  own folder, so ``mkdocs build -f path/to/mkdocs.yml`` works from anywhere.
- ``on_files`` (after mkdocs-static-i18n has picked this language's files): check the
  committed runs (:func:`check_runs`: a corrupt run fails the build), render
  what is out of date (:func:`cnnnotes.site.build.build_site_assets`, with one worker
  process per core, or ``$CNNNOTES_JOBS``), serve this language's figures (the data
  scripts of ``data/`` once, at the root), point each notebook at its executed copy,
  and hand notebooks back to mkdocs-jupyter — static-i18n 1.3 rebuilds every File and
  drops mkdocs-jupyter's wrapper, so the notebook would be copied as raw JSON while
  ``--strict`` still passes (static-i18n #198).
- ``on_page_markdown``: each case section of a page becomes the generated section
  around the author's prose (:func:`cnnnotes.site.casepage.expand_sections`).
- ``on_page_content``: formulas to MathML at build time (no script, no CDN); notebook
  headings get working ids and the TOC is rebuilt from them (:mod:`cnnnotes.site.pagehtml`).
- ``on_post_build``: keep mkdocs-jupyter's HTML cache warm across the language builds;
  after the last language build, split the search index into one per language.

What touches private parts of mkdocs-static-i18n and mkdocs-jupyter lives in
:mod:`cnnnotes.site._compat`, which checks their versions (``on_config``).
- ``on_post_page``: drop any ``<script>``/``<link>`` that would fetch from another host
  (mkdocs-jupyter's template adds a MathJax script and a Mermaid loader from a CDN) and
  the alternate links that made Material fetch missing sitemaps; mark the current
  language; point the search at this language's index.

This module imports no matplotlib and no TensorFlow: warm builds stay cheap.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import os
import posixpath
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from cnnnotes.errors import CnnnotesError
from cnnnotes.files import atomic_write_json, read_json
from cnnnotes.site import _compat, casepage, offline, pagehtml, readability
from cnnnotes.site.build import DATA_DIR, BuildReport, build_site_assets, site_cache_dir

if TYPE_CHECKING:
    from cnnnotes.experiments.runs.runcheck import RunCheck
    from cnnnotes.i18n import Lang

__all__ = [
    "check_runs",
    "hook_seconds",
    "math_to_mathml",
    "on_config",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
    "on_post_build_last",
    "on_post_page",
    "on_post_template",
    "strip_third_party",
]

log = logging.getLogger("mkdocs.plugins.cnnnotes")

_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)
_REMOTE = re.compile(
    r'<script\b[^>]*\bsrc="(?:(?:https?:)?//[^"]*)?"[^>]*>\s*</script>'
    r'|<link\b[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>'
    # mkdocs-jupyter's MathJax loader and its configuration (a CDN URL or an empty src)
    r"|<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    # an inline script that imports a module from another host (mkdocs-jupyter's Mermaid
    # loader: the notebooks draw no Mermaid diagram)
    r"""|<script\b[^>]*>(?:(?!</script>).)*?\bimport\(\s*["'](?:https?:)?//(?:(?!</script>).)*</script>""",
    re.I | re.S,
)


#: Seconds spent in each handler since the last complete build (:func:`on_post_build_last`).
_SECONDS: dict[str, float] = {}

_Handler = TypeVar("_Handler", bound=Callable[..., Any])


def _timed(handler: _Handler) -> _Handler:
    """Add the seconds each call of ``handler`` takes to :data:`_SECONDS`."""

    @functools.wraps(handler)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        finally:
            name = handler.__name__
            _SECONDS[name] = _SECONDS.get(name, 0.0) + time.perf_counter() - started

    return cast(_Handler, timed)


def hook_seconds() -> dict[str, float]:
    """Seconds spent in each handler of this hook since the last complete build."""
    return dict(_SECONDS)


#: The executed notebooks of the current build (every language), for :func:`on_post_build`.
_EXECUTED: list[Path] = []


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _against(root: Path, path: str) -> str:
    return str(root / path) if not os.path.isabs(path) else path


@_timed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Resolve relative snippet and cache paths against the folder of ``mkdocs.yml``.

    MkDocs resolves ``docs_dir`` and ``site_dir`` that way itself, but
    ``pymdownx.snippets``' ``base_path`` and mkdocs-jupyter's ``cache_dir`` are
    taken relative to the current folder. Plugins of untested versions fail here
    (:func:`cnnnotes.site._compat.check_versions`).
    """
    _compat.check_versions(config)
    root = _root(config)
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if snippets is not None and "base_path" in snippets:
        base = snippets["base_path"]
        paths = [base] if isinstance(base, str) else list(base)
        snippets["base_path"] = [_against(root, p) for p in paths]
    jupyter = _compat.jupyter_plugin(config)
    if jupyter is not None and jupyter.config.get("cache_dir"):
        jupyter.config["cache_dir"] = _against(root, jupyter.config["cache_dir"])
    if offline.is_offline(config):
        offline.serve_shim(config)
    return config


def _jobs() -> int | None:
    """``$CNNNOTES_JOBS``: worker processes of the build (unset: one per core)."""
    value = os.environ.get("CNNNOTES_JOBS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"CNNNOTES_JOBS: {value!r} is not a number of processes (1 or more)")
    return int(value)


@_timed
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Render out-of-date assets, serve this language's figures, render executed notebooks.

    Runs after mkdocs-static-i18n has chosen this language's files (priority -200).
    """
    root = _root(config)
    check_runs(root / "results", site_cache_dir(root))
    extra: dict[str, Any] = dict(config.extra or {})
    figures = (extra.get("cnnnotes") or {}).get("figures")
    state = (figures, _tree_state(root))
    cached = _BUILT.get(root)
    if cached is not None and cached[0] == state:
        report = cached[1]  # the language builds after the first: nothing changed since
    else:
        try:
            report = build_site_assets(root, jobs=_jobs(), progress=log.info, figures=figures)
        except CnnnotesError as exc:
            from mkdocs.exceptions import PluginError

            raise PluginError(str(exc)) from None
        _BUILT[root] = (state, report)
        log.info(report.summary())
    _EXECUTED.clear()
    _EXECUTED.extend(report.notebooks.values())
    i18n = _compat.languages(config)
    lang = i18n.current if i18n else "ko"
    prefix = "" if i18n is None or lang == i18n.default else f"{lang}/"
    for gen in report.files:
        if gen.lang in (lang, "all"):
            file = File.generated(config, gen.site_path, abs_src_path=str(gen.path))
            # data scripts exist once, at the root, for every language's pages
            if prefix and not gen.site_path.startswith(f"{DATA_DIR}/"):
                _compat.relocate(file, prefix, config)
            files.append(file)
    download = offline.offline_zip(_root(config))
    if not prefix and not offline.is_offline(config) and download.is_file():
        files.append(File.generated(config, offline.DOWNLOAD, abs_src_path=str(download)))
    jupyter = _compat.jupyter_plugin(config)
    for file in [f for f in files if f.src_uri.endswith(".ipynb")]:
        executed = report.notebooks.get(file.src_uri)
        if executed is None or jupyter is None:
            continue
        file.abs_src_path = str(executed)
        if not file.is_documentation_page() and jupyter.should_include(file):
            _compat.rewrap_notebook(files, file, config)
            if i18n is not None:
                _notebook_alternates(file, i18n, config)
    return files


#: The last asset build of each project, with the files it saw (see :func:`on_files`).
_BUILT: dict[Path, tuple[object, BuildReport]] = {}
#: What an asset build reads besides its own cache: the package, the pages, the results.
_TREE = ("cnnnotes", "docs", "results", "mkdocs.yml")


def _tree_state(root: Path) -> object:
    """The size and time of every file an asset build reads (a cheap stand-in for its keys).

    Any change sends the next build through :func:`build_site_assets`, which decides by
    content what to render; an unchanged tree (the second language of one build) reuses
    the report of the first.
    """
    out = []
    for part in _TREE:
        path = root / part
        paths = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for p in paths:
            if p.is_file() and "__pycache__" not in p.parts:
                stat = p.stat()
                out.append((str(p), stat.st_mtime_ns, stat.st_size))
    return out


#: The last check of each results folder, with what it depended on (see :func:`check_runs`).
_CHECKED: dict[Path, tuple[object, tuple[RunCheck, list[str]]]] = {}
#: The run check a build stores in the site cache, keyed by everything it read.
_CHECK_FILE = "run-check.json"
#: The formulas' MathML, kept in the site cache (see :func:`math_to_mathml`).
_MATHML = "mathml.json"


def _results_state(results: Path) -> object:
    """What a run check depends on: the size and time of every committed file of a run and
    of every source file of the experiments (the cases, the keyed unit)."""
    import cnnnotes.experiments

    code = Path(cnnnotes.experiments.__file__).parent.rglob("*.py")
    files = sorted([*(p for p in (results / "runs").rglob("*") if p.is_file()), *code])
    return [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files]


def _check_key(results: Path) -> str:
    """Everything a run check reads, by content: the bytes of every committed result file
    and of the package's code, and the library versions it compares with the runs'."""
    import sys

    import cnnnotes
    from cnnnotes.codehash import digest, tree_digests
    from cnnnotes.experiments.runs.provenance import installed_versions
    from cnnnotes.experiments.runs.runcheck import VERSIONED

    return digest(
        sys.version,
        json.dumps(installed_versions(d for _, dists in VERSIONED for d in dists), sort_keys=True),
        *tree_digests(results),
        *tree_digests(Path(cnnnotes.__file__).parent, "*.py"),
    )


def _checked(results: Path, cache: Path | None) -> tuple[RunCheck, list[str]]:
    """The run check and the committed files' problems: read from ``cache`` when a build
    has checked the same bytes before, else checked and stored there (best effort)."""
    from cnnnotes.experiments.runs.runcheck import RunCheck

    key = _check_key(results) if cache is not None else ""
    stored = read_json(cache / _CHECK_FILE) if cache is not None else None
    if isinstance(stored, dict) and stored.get("key") == key:
        try:
            return RunCheck.from_json(stored["states"]), [str(p) for p in stored["problems"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # written by another version: check again
    from cnnnotes.experiments.runs.cases import NOTES
    from cnnnotes.experiments.runs.committed import problems  # reads data: imports numpy
    from cnnnotes.experiments.runs.status import check

    report, bad_files = check(NOTES, results), problems(results)
    if cache is not None:
        with contextlib.suppress(CnnnotesError, OSError):  # a read-only cache still builds
            cache.mkdir(parents=True, exist_ok=True)
            atomic_write_json(
                cache / _CHECK_FILE,
                {"key": key, "states": report.to_json(), "problems": bad_files},
            )
    return report, bad_files


def check_runs(results: Path, cache: Path | None = None) -> RunCheck:
    """Refuse to publish from runs that can't be trusted; flag runs pages must not contradict.

    A corrupt run, or a committed ``changes.json`` or dataset file that is unreadable or
    malformed, fails every build. A run whose case or profile settings or data differ
    from today's, or a missing first seed, is a warning (``--strict`` fails on it): the
    page would contradict or miss it. A run trained by earlier training code is still
    true for the code it records: it is logged, not failed. Planned seeds not trained
    yet are logged once. The runs are read once per build: the language builds after
    the first reuse the check while no committed file and no training code changed.
    With a ``cache`` folder (the site cache), a build whose result files, package code
    and library versions are the bytes a previous build checked reuses that check.

    Returns
    -------
    RunCheck
        The runs, sorted by what they mean for the build (:mod:`~cnnnotes.experiments.runs.status`).
    """
    from mkdocs.exceptions import PluginError

    results = results.resolve()
    state = _results_state(results)
    cached = _CHECKED.get(results)
    if cached is not None and cached[0] == state:
        report, bad_files = cached[1]
    else:
        report, bad_files = _checked(results, cache)
        _CHECKED[results] = (state, (report, bad_files))
        for s in report.contradicted:
            log.warning(f"cnnnotes: pages draw on a {s.state} run: {s.line()}")
        for s in report.outdated:
            log.info(f"cnnnotes: {s.line()}")
        if report.planned:
            planned = ", ".join(s.label for s in report.planned)
            log.info(f"cnnnotes: {len(report.planned)} planned seed(s) not trained yet: {planned}")
    if report.corrupt:
        raise PluginError(f"cnnnotes: corrupt run, not publishing: {report.corrupt[0].line()}")
    if bad_files:
        raise PluginError(f"cnnnotes: results: {bad_files[0]}")
    return report


def _notebook_alternates(file: File, i18n: _compat.Languages, config: MkDocsConfig) -> None:
    """Point the language switcher of a notebook page at the same page in each language.

    static-i18n treats notebooks as assets and records no alternates for them.
    """
    # static-i18n's language-neutral source path (``x.en.ipynb`` -> ``x.ipynb``), if set
    src_uri: str = getattr(file, "norm_src_uri", file.src_uri)
    stem = src_uri.removesuffix(".ipynb")
    slash = "/" if config.use_directory_urls else ".html"
    _compat.set_alternates(
        file,
        {lang: f"{'' if lang == i18n.default else lang + '/'}{stem}{slash}" for lang in i18n.built},
    )


def math_to_mathml(page_html: str, store: Path | None = None) -> str:
    """Replace arithmatex's generic TeX spans with MathML.

    With ``store`` (a JSON file in the site cache), each conversion is kept there under the
    converter's version, so a build whose formulas are all known does not load the converter.
    """
    from cnnnotes.experiments.runs.provenance import installed_version

    version = installed_version("latex2mathml") or "absent"
    stored = read_json(store) if store is not None else None
    known: dict[str, str] = {}
    if isinstance(stored, dict) and stored.get("version") == version:
        known = {str(k): str(v) for k, v in (stored.get("mathml") or {}).items()}
    size = len(known)

    def mathml(tex: str, display: str) -> str:
        key = f"{display}:{tex}"
        if key not in known:
            from latex2mathml.converter import convert

            known[key] = convert(tex, display=display)
        return known[key]

    out = _INLINE.sub(
        lambda m: mathml(html.unescape(m.group(1)), "inline"),
        _BLOCK.sub(lambda m: mathml(html.unescape(m.group(1)), "block"), page_html),
    )
    if store is not None and len(known) > size:
        with contextlib.suppress(CnnnotesError, OSError):  # a read-only cache still builds
            store.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_json(store, {"version": version, "mathml": known})
    return out


def strip_third_party(page_html: str) -> str:
    """Remove scripts and stylesheets that load from other hosts."""
    return _REMOTE.sub("", page_html)


def _slugify(config: MkDocsConfig) -> Callable[[str, str], str]:
    """The ``toc`` extension's slugify from mkdocs.yml (the default one otherwise)."""
    configured: Callable[[str, str], str] | None = (
        (config.mdx_configs or {}).get("toc", {}).get("slugify")
    )
    if configured is not None:
        return configured
    from markdown.extensions.toc import slugify

    return slugify  # type: ignore[no-any-return]  # Markdown ships no type information


def _notebook_images(html_: str, page: Page, config: MkDocsConfig) -> str:
    """Write a notebook page's images and notebooks beside it; link the notebooks.

    Output images become files described by the notebook (alt text, caption);
    the executed notebook and its source (no outputs) are offered for download.
    """
    import json

    from cnnnotes.i18n import t

    executed = Path(str(page.file.abs_src_path))
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    html_, files = pagehtml.notebook_images(html_, pagehtml.image_descriptions(notebook))
    dest = Path(page.file.dest_uri)  # x/index.html, or x.html offline (no directory URLs)
    stem = dest.parent.name if dest.name == "index.html" else dest.stem
    source = Path(config.docs_dir) / page.file.src_uri
    files[f"{stem}.ipynb"] = executed.read_bytes()
    files[f"{stem}-code.ipynb"] = source.read_bytes()
    folder = Path(config.site_dir) / dest.parent
    for name, data in files.items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    # the site's texts exist in its languages only (cnnnotes.i18n.LANGS)
    lang = cast("Lang", _language(config)[0])
    with_outputs, code_only = (
        t("common.notebook_with_outputs", lang),
        t("common.notebook_code_only", lang),
    )
    links = (
        f'<p class="notebook-downloads">{t("common.notebook_download", lang)}: '
        f'<a href="{stem}.ipynb" download>{with_outputs} (.ipynb)</a> · '
        f'<a href="{stem}-code.ipynb" download>{code_only} (.ipynb)</a></p>'
    )
    return re.sub(r"(</h1>)", lambda m: m[1] + links, html_, count=1)


@_timed
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Generate each case section around the author's prose, in the language of the page's file.

    A page without its own translation falls back to the default language's file, whose
    fragments are the default language's.
    """
    _, default, langs = _language(config)
    name = Path(page.file.abs_src_path or page.file.src_uri).name
    lang = next((x for x in langs if name.endswith(f".{x}.md")), default)
    if offline.DOWNLOAD_MARK in markdown:
        sentence = offline.download_sentence(
            _root(config), page.url, lang, offline=offline.is_offline(config)
        )
        markdown = markdown.replace(offline.DOWNLOAD_MARK, sentence)
    try:
        return casepage.expand_sections(markdown, lang)
    except casepage.SectionError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{page.file.src_uri}: {exc}") from None


@_timed
def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Formulas become MathML; notebook headings get ids its TOC links resolve to; figures
    are numbered, captioned ``<figure>`` elements (after glightbox wraps the images)."""
    if page.file.src_uri.endswith(".ipynb"):
        from mkdocs.structure.toc import get_toc

        html_, headings = pagehtml.notebook_headings(html_, _slugify(config))
        if headings:
            page.toc = get_toc(pagehtml.toc_tokens(headings))
        html_ = _notebook_images(html_, page, config)
    html_, _ = pagehtml.number_figures(html_, _language(config)[0])
    html_ = readability.stack_tables(readability.quiet_fix_marks(html_))
    html_ = readability.size_images(html_, _image_sizes(page, config, files))
    if page.file.src_uri.endswith(".ipynb"):
        html_ = readability.focusable_code(html_)
    if "arithmatex" not in html_:
        return html_
    return math_to_mathml(html_, site_cache_dir(_root(config)) / _MATHML)


def _image_sizes(
    page: Page, config: MkDocsConfig, files: Files
) -> Callable[[str], tuple[int, int] | None]:
    """``size_of(src)`` for a page's images: the site's files, or what the build wrote."""
    by_dest = {f.dest_uri: f for f in files}
    folder = readability.page_dir(page.url)

    def size_of(src: str) -> tuple[int, int] | None:
        if "://" in src or src.startswith(("data:", "/")):
            return None
        path = posixpath.normpath(posixpath.join(folder, src.split("#")[0]))
        file = by_dest.get(path)
        found = Path(str(file.abs_src_path)) if file and file.abs_src_path else None
        if found is None:
            found = Path(config.site_dir) / path
        if not found.is_file():
            return None
        with found.open("rb") as f:
            return readability.png_size(f.read(32))

    return size_of


@_timed
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Keep the language switcher's links relative, also on the home pages.

    static-i18n leaves them root-absolute there (``/cnnnotes/en/``, or ``/en/``
    when ``site_url`` has no path), which breaks the site anywhere but at
    ``site_url``'s path (a local server, a mirror, a folder opened from disk).
    """
    base = urlsplit(config.site_url or "/").path or "/"
    base = base if base.endswith("/") else base + "/"
    # static-i18n assigns the attribute (which the theme reads), not the mapping item
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
    for alternate in alternates:
        link = alternate.get("link", "")
        if link.startswith(base):
            alternate["link"] = link[len(base) :] or "./"
        if not config.use_directory_urls and alternate["link"].endswith("/"):
            # offline, a folder opens its listing: name its page
            alternate["link"] += "index.html"
    return context


@_timed
def on_post_build(config: MkDocsConfig) -> None:
    """Keep mkdocs-jupyter's cached HTML for the notebooks of every language.

    static-i18n runs one build per language, and mkdocs-jupyter evicts, after each,
    the cache entries that build did not use: the other language's. Marking every
    executed notebook's entry as used (before mkdocs-jupyter's own handler) turns
    that thrash into a cache hit on each warm build.
    """
    _compat.keep_cached(config, _EXECUTED)


def _language(config: MkDocsConfig) -> tuple[str, str, list[str]]:
    """(current, default, every built language) of static-i18n, or Korean alone."""
    i18n = _compat.languages(config)
    if i18n is None:
        return "ko", "ko", ["ko"]
    return i18n.current, i18n.default, i18n.built


@_timed
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """No request leaves the site, none fails; the menu marks the language; search per language."""
    output = pagehtml.drop_alternate_links(strip_third_party(output))
    if page.file.src_uri.endswith(".ipynb"):
        output, name, css = readability.shared_styles(output, page.url)
        if name:
            (Path(config.site_dir) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(config.site_dir) / name).write_text(css, encoding="utf-8")
    lang, default, _ = _language(config)
    output = pagehtml.mark_current_language(output, lang)
    if lang != default:
        output = pagehtml.rebase_search(output, page.url, f"{lang}/")
    return output


@_timed
def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page, served at any depth: its language links go to each home page."""
    if template_name != "404.html":
        return output
    _, default, langs = _language(config)
    base = urlsplit(config.site_url or "/").path or "/"
    for other in langs:
        home = base if other == default else f"{base}{other}/"
        output = re.sub(
            rf'<a href="[^"]*"( hreflang="{other}" class="md-select__link)',
            rf'<a href="{home}"\1',
            output,
        )
    return pagehtml.drop_alternate_links(strip_third_party(output))


@_timed
def on_post_build_last(config: MkDocsConfig) -> None:
    """After static-i18n's last language build: one search index per language."""
    i18n = _compat.languages(config)
    if i18n is not None and i18n.building:
        return  # a nested language build: the combined index is not final yet
    _, default, langs = _language(config)
    index = Path(config.site_dir) / "search" / "search_index.json"
    if i18n is not None and index.is_file():
        counts = pagehtml.split_search_index(
            Path(config.site_dir),
            default,
            [x for x in langs if x != default],
            script=offline.is_offline(config),
        )
        log.info("cnnnotes: search entries per language %s", counts)
    _log_hook_seconds()


def _log_hook_seconds() -> None:
    """Log the hook's own time in this build (``scripts/bench_site.py`` reads the line)."""
    top = sorted(_SECONDS.items(), key=lambda kv: -kv[1])[:3]
    log.info(
        "cnnnotes: hook handlers took %.3f s in this build (%s)",
        sum(_SECONDS.values()),
        ", ".join(f"{name} {seconds:.3f} s" for name, seconds in top),
    )
    _SECONDS.clear()
