"""Shared fixtures: a private copy of the project, built once per test session, and the
loopback server and headless Chromium that open the built site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fakeruns import publish_all

from cnnnotes.experiments.runs.cases import NOTES
from cnnnotes.site.browser import NO_CHROMIUM, find_chromium, launch, serve
from cnnnotes.site.build import BuildReport, site_cache_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: What a build needs from the project; the package is copied too, so a test may edit it.
SITE_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "results", "cnnnotes")
#: The miniature site, and what it is made of.
TINYSITE = ROOT / "tests" / "site" / "tinysite"
TINY_PARTS = ("mkdocs.yml", "docs", "tinyfigs.py")


@dataclass
class Build:
    """One ``mkdocs build`` of a project copy: its folder, output and what cnnnotes reported."""

    root: Path
    site: Path
    log: str

    def report(self) -> BuildReport:
        """What the last rendering build did, from its machine-readable manifest.

        (A build that found everything up to date rendered nothing and left it as it was.)
        """
        manifest = json.loads((site_cache_dir(self.root) / "manifest.json").read_text())
        return BuildReport.from_json(manifest["report"])


def output_times(root: Path) -> dict[str, int]:
    """Each rendered asset and executed notebook of a project (``name[lang]``): its mtime.

    Two snapshots around a build say what it rewrote, even when it rewrote nothing and so
    left the manifest's report of the last rendering build as it was.
    """
    cache = site_cache_dir(root)
    times = {}
    for path in (cache / "assets").glob("*/*"):
        if not path.name.endswith(".key"):
            times[f"{path.name.split('.')[0]}[{path.parent.name}]"] = path.stat().st_mtime_ns
    for path in (cache / "notebooks").rglob("*.ipynb"):
        times[str(path.relative_to(cache))] = path.stat().st_mtime_ns
    return times


def rewritten(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The outputs a build wrote between two :func:`output_times` snapshots."""
    return sorted(name for name, t in after.items() if before.get(name) != t)


def copy_project(dest: Path, parts: tuple[str, ...] = SITE_PARTS, src: Path = ROOT) -> Path:
    """Copy the parts of the project a build reads into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    # (not "site": that is the package's cnnnotes/site too; the built site is never a part)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".cache")
    for part in parts:
        s = src / part
        if s.is_dir():
            shutil.copytree(s, dest / part, ignore=ignore)  # the built `site/` is no part
        elif s.is_file():
            shutil.copy2(s, dest / part)
    return dest


_BLOCKED = 'raise ImportError("building the site must not need TensorFlow or Keras")\n'


def mkdocs_build(
    root: Path, *extra: str, strict: bool = True, prefix: tuple[str, ...] = ()
) -> Build:
    """Run ``mkdocs build`` in ``root`` with ``root``'s own copy of cnnnotes first on the path.

    TensorFlow and Keras are made unimportable, as on a reader's machine without them.
    ``prefix`` is a command that runs the build (e.g. in a private mount namespace).
    """
    blocked = root / ".no-tensorflow"
    for name in ("tensorflow", "keras"):
        (blocked / name).mkdir(parents=True, exist_ok=True)
        (blocked / name / "__init__.py").write_text(_BLOCKED)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(blocked), str(root)]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", "site", *(["--strict"] if strict else [])]
    proc = subprocess.run(
        [*prefix, *cmd, *extra], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({proc.returncode}):\n{log[-6000:]}")
    return Build(root, root / "site", log)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site, built once, strictly, from a private copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    return mkdocs_build(root)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the miniature site (tests/site/tinysite) with the hook and package beside it.

    Its results are fake runs (the first seed of every case, so that no run is missing);
    it shows its own figure module only (``tinyfigs``), not the real site's assets.
    """
    root = tmp_path_factory.mktemp("tiny")
    copy_project(root, TINY_PARTS, src=TINYSITE)
    copy_project(root, ("hooks", "cnnnotes"))
    publish_all(root, NOTES)
    return root


def _namespace(folder: Path, mount: str) -> tuple[str, ...]:
    """A command prefix: run the command in a private mount namespace after ``mount``.

    ``mount`` is a shell command on ``$0`` (``folder``). The mount ends with the
    command. Skips the test where namespaces are not allowed (no root, a
    restricted container).
    """
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no private mount namespaces here (needs root)")
    return ("unshare", "-m", "sh", "-c", f'{mount} || exit 97; exec "$@"', str(folder))


def read_only(folder: Path) -> tuple[str, ...]:
    """A command prefix that runs its command with ``folder`` mounted read-only.

    Root ignores file modes, so ``chmod`` cannot stand in for a read-only folder.
    """
    mount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && ! touch "$0/.p" 2>/dev/null'
    return _namespace(folder, mount)


def tiny_disk(folder: Path, kib: int) -> tuple[str, ...]:
    """A command prefix that runs its command with an empty ``kib`` KiB disk at ``folder``."""
    return _namespace(folder, f'mkdir -p "$0" && mount -t tmpfs -o size={kib}k cnnnotes "$0"')


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; missing: skip locally, fail on CI (CI=true)."""
    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="module")
def server(built_site: Build) -> Iterator[str]:
    """The real site, served on loopback while a test module runs: its root URL."""
    with serve(built_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """Headless Chromium, launched once per test module."""
    with launch(chromium) as b:
        yield b


def patch_words(monkeypatch: pytest.MonkeyPatch, lang: str, **words: str) -> None:
    """Give the catalogue of ``lang`` these words (dotted keys spelled with ``__``)."""
    from types import MappingProxyType

    from cnnnotes import i18n

    before = i18n.catalogue

    def catalogue(code: str):  # type: ignore[no-untyped-def]
        table = dict(before(code))  # type: ignore[arg-type]
        if code == lang:
            table.update({key.replace("__", "."): value for key, value in words.items()})
        return MappingProxyType(table)

    monkeypatch.setattr(i18n, "catalogue", catalogue)
