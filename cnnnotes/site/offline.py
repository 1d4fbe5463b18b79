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

from cnnnotes.errors import CnnnotesError
from cnnnotes.site.build import site_cache_dir

__all__ = ["OFFLINE_ENV", "ZIP_NAME", "build_offline", "offline_zip", "write_zip"]

#: The environment variable ``mkdocs.yml`` reads to switch on the offline plugin.
OFFLINE_ENV = "CNNNOTES_OFFLINE"
#: The zip's file name, in the cache and on the site.
ZIP_NAME = "cnnnotes-site.zip"
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
