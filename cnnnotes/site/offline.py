"""The whole site as one zip that reads from ``file://``: ``cnnnotes build --offline``.

mkdocs-material's offline plugin (``material/offline`` in ``mkdocs.yml``, switched on by
``$CNNNOTES_OFFLINE``) turns off directory URLs, so links go to ``.html`` files and not to
folders, and inlines the search index into a script; a second, separate build therefore
makes the offline site. Its search runs in a Web Worker, which ``file://`` pages cannot
start: the theme's iframe-worker shim, vendored under ``docs/javascripts/vendor/``, stands
in for it (the hook names it instead of the theme's default, a third-party address).

The zip is the same bytes from build to build: its members are sorted, dated
1980-01-01, with fixed permissions and compression; the sitemaps, which carry the
build date and are of no use from a disk, are left out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cnnnotes.errors import CnnnotesError
from cnnnotes.site.build import site_cache_dir

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = [
    "DOWNLOAD",
    "DOWNLOAD_MARK",
    "OFFLINE_ENV",
    "ZIP_NAME",
    "build_offline",
    "download_sentence",
    "is_offline",
    "offline_zip",
    "serve_shim",
    "write_zip",
]

#: The environment variable ``mkdocs.yml`` reads to switch on the offline plugin.
OFFLINE_ENV = "CNNNOTES_OFFLINE"
#: The zip's file name, in the cache and on the site.
ZIP_NAME = "cnnnotes-site.zip"
#: Where the published site offers the zip.
DOWNLOAD = f"downloads/{ZIP_NAME}"
#: The home pages' placeholder for the download's sentence.
DOWNLOAD_MARK = "<!-- offline-download -->"
#: The vendored iframe-worker shim (npm ``iframe-worker`` 1.0.4, ``shim/index.js``).
SHIM = "javascripts/vendor/iframe-worker-shim.js"
#: Files of a built site that the zip leaves out (dated by the build; useless from a disk).
_LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz"})
_EPOCH = (1980, 1, 1, 0, 0, 0)


def offline_zip(root: Path) -> Path:
    """Where ``cnnnotes build --offline`` leaves the zip: ``<root>/.cache/offline/``."""
    return site_cache_dir(root) / "offline" / ZIP_NAME


def write_zip(site: Path, out: Path, folder: str = "cnnnotes") -> Path:
    """Zip the built ``site`` into ``out`` (under one top folder), the same bytes every time."""
    out.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(
        p
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).as_posix() not in _LEFT_OUT
    )
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever builds it
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(out)
    return out


def build_offline(
    root: Path,
    out: Path | None = None,
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] = print,
) -> Path:
    """Build the offline site of the project at ``root`` and zip it (default: :func:`offline_zip`).

    Runs ``mkdocs build --strict`` in a child process with the offline plugin on, into a
    temporary folder. Raises :class:`CnnnotesError` with the build's last lines if it fails.
    """
    out = out or offline_zip(root)
    env = {**os.environ, OFFLINE_ENV: "true"}
    if jobs is not None:
        env["CNNNOTES_JOBS"] = str(jobs)
    with tempfile.TemporaryDirectory(prefix="cnnnotes-offline-") as tmp:
        site = Path(tmp) / "site"
        progress(f"offline: building the site for file:// into {site}")
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
               "-f", str(root / "mkdocs.yml"), "-d", str(site)]  # fmt: skip
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise CnnnotesError(f"build --offline: mkdocs build failed:\n{tail}")
        write_zip(site, out)
    progress(f"offline: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def is_offline(config: MkDocsConfig) -> bool:
    """Whether this MkDocs build is the offline one (the theme's offline plugin is on)."""
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.get("enabled"))


def serve_shim(config: MkDocsConfig) -> None:
    """Load the iframe-worker shim from the site, in place of the theme's CDN address."""
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in p]
    config.extra["polyfills"] = [*polyfills, SHIM]


def download_sentence(root: Path, page_url: str, lang: str, *, offline: bool) -> str:
    """The home page's sentence: the zip's link and size, how to make it, or (in the offline
    copy itself) that this is the offline copy."""
    import posixpath
    from typing import cast

    from cnnnotes.i18n import Lang, t
    from cnnnotes.site.readability import page_dir

    language = cast("Lang", lang)
    if offline:
        return t("common.offline_reading", language)
    download = offline_zip(root)
    if not download.is_file():
        return t("common.offline_missing", language)
    href = posixpath.relpath(DOWNLOAD, page_dir(page_url) or ".")
    size = f"{download.stat().st_size / 1e6:.1f}"
    return t("common.offline_download", language, href=href, size=size)
