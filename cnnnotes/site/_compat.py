"""The one place that reaches into private parts of mkdocs-static-i18n and mkdocs-jupyter.

:mod:`cnnnotes.site.hook` works around three behaviours of these plugins, and each
workaround needs something neither plugin publishes:

- static-i18n 1.3 rebuilds every ``File`` and drops mkdocs-jupyter's ``NotebookFile``
  wrapper (static-i18n #198): :func:`rewrap_notebook` builds the wrapper again, and
  :func:`set_alternates` records the language switcher's targets the way static-i18n
  records them for Markdown pages (a ``file.alternates`` mapping);
- the language of the current build lives in static-i18n's plugin object
  (``current_language``, ``default_language``, ``build_languages``, ``building``):
  :func:`languages` reads it;
- mkdocs-jupyter evicts, after each language build, the cached HTML that build did not
  use: :func:`keep_cached` marks entries used (``_used_cache_paths``,
  ``_compute_cache_key``, ``_get_cache_path``).

Tested with mkdocs-static-i18n 1.3.x and mkdocs-jupyter 0.25.x / 0.26.x
(:data:`TESTED`). :func:`check_versions` fails the build with a clear message when a
configured plugin has another major version (its internals may have moved, and a
silently broken workaround would publish notebooks as raw JSON or break the language
switcher); an untested minor version is logged and tried. The cache workaround is an
optimisation: without the private helpers it falls back to doing nothing.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

__all__ = [
    "TESTED",
    "JupyterPlugin",
    "Languages",
    "check_versions",
    "jupyter_plugin",
    "keep_cached",
    "languages",
    "relocate",
    "rewrap_notebook",
    "set_alternates",
]

log = logging.getLogger("mkdocs.plugins.cnnnotes")

#: Distribution -> (its name in ``mkdocs.yml``'s plugins, the (major, minor) versions tested).
TESTED: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {
    "mkdocs-static-i18n": ("i18n", ((1, 3),)),
    "mkdocs-jupyter": ("mkdocs-jupyter", ((0, 26), (0, 25))),
}


def _installed(dist: str) -> tuple[int, int] | None:
    """(major, minor) of an installed distribution, or None when it isn't installed."""
    try:
        found = version(dist)
    except PackageNotFoundError:
        return None
    major, minor, *_ = [*(int(x) for x in re.findall(r"\d+", found)[:2]), 0, 0]
    return major, minor


def check_versions(config: MkDocsConfig) -> None:
    """Refuse a configured plugin of an untested major version; log an untested minor one."""
    for dist, (plugin, tested) in TESTED.items():
        if plugin not in config.plugins:
            continue
        found = _installed(dist)
        if found is None or found in tested:
            continue
        names = " or ".join(f"{major}.{minor}.x" for major, minor in tested)
        if found[0] not in {major for major, _ in tested}:
            raise PluginError(
                f"cnnnotes: {dist} {version(dist)} is not supported: the site's workarounds "
                f"(cnnnotes/site/_compat.py) use private parts of {dist} {names}. Install a "
                f"tested version (pip install -c constraints.txt -e .) or port _compat.py."
            )
        log.info(f"cnnnotes: {dist} {version(dist)} is untested (tested: {names}); trying it")


@dataclass(frozen=True)
class Languages:
    """static-i18n's view of the current build."""

    current: str
    default: str
    built: list[str]
    #: True during a nested language build (static-i18n's ``on_post_build`` runs them).
    building: bool


def languages(config: MkDocsConfig) -> Languages | None:
    """The languages of static-i18n's current build, or None without the plugin."""
    i18n: Any = config.plugins.get("i18n")  # static-i18n's plugin object: untyped
    if i18n is None:
        return None
    return Languages(
        current=str(i18n.current_language),
        default=str(i18n.default_language),
        built=[str(x) for x in i18n.build_languages],
        building=bool(getattr(i18n, "building", False)),
    )


def set_alternates(file: File, urls: Mapping[str, str]) -> None:
    """Give ``file`` the alternates (language -> URL) static-i18n's switcher reads.

    static-i18n treats notebooks as assets and records no alternates for them; it
    reads ``file.alternates[lang].url`` (and ``.locale``) when it builds the switcher.
    """
    file.alternates = {  # type: ignore[attr-defined]  # static-i18n's own File attribute
        lang: SimpleNamespace(url=url, locale=lang) for lang, url in urls.items()
    }


def relocate(file: File, prefix: str, config: MkDocsConfig) -> None:
    """Serve ``file`` under a language folder, as static-i18n does for its own files."""
    file.dest_path = f"{prefix}{file.dest_path}"
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))
    file.url = file._get_url(config.use_directory_urls)  # soft-deprecated in MkDocs 1.6


class JupyterPlugin(Protocol):
    """What the hook uses of mkdocs-jupyter's plugin object."""

    config: dict[str, Any]

    def should_include(self, file: File) -> bool: ...


def jupyter_plugin(config: MkDocsConfig) -> JupyterPlugin | None:
    """mkdocs-jupyter's plugin object, or None when it isn't configured."""
    return cast("JupyterPlugin | None", config.plugins.get("mkdocs-jupyter"))


def rewrap_notebook(files: Files, file: File, config: MkDocsConfig) -> None:
    """Hand a notebook back to mkdocs-jupyter, keeping static-i18n's URL (static-i18n #198)."""
    from mkdocs_jupyter.plugin import NotebookFile

    page: File = NotebookFile(file, **config)
    page.dest_path, page.abs_dest_path, page.url = file.dest_path, file.abs_dest_path, file.url
    page.abs_src_path = file.abs_src_path
    files.remove(file)
    files.append(page)


def keep_cached(config: MkDocsConfig, notebooks: Iterable[Path]) -> None:
    """Mark the cached HTML of ``notebooks`` as used by this build of mkdocs-jupyter.

    Without the private helpers (mkdocs-jupyter 0.25 has no cache) this does nothing:
    the cache then just thrashes between the language builds.
    """
    jupyter: Any = config.plugins.get("mkdocs-jupyter")  # untyped plugin object
    if jupyter is None or not jupyter.config.get("cache"):
        return
    try:
        from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path
    except ImportError:
        return
    used = getattr(jupyter, "_used_cache_paths", None)
    if not isinstance(used, set):
        return
    for notebook in notebooks:
        key = _compute_cache_key(notebook, jupyter.config, jupyter.config["execute"])
        used.add(_get_cache_path(jupyter.config["cache_dir"], key))
