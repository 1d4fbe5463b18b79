"""The single entry point that renders every site asset (tier 2 of the cache).

``build_site_assets(root)`` is what the MkDocs hook, ``cnnnotes build`` and
``scripts/`` call. It renders each registered figure and fragment once per
language, and executes each notebook under ``docs/`` once, into
``<root>/.cache/`` — never into the watched ``docs/`` tree.

Two levels of checking keep rebuilds cheap:

1. a *fast key* over the package's code, the committed results, the notebooks
   and the library versions: when it matches the last build's, nothing is
   imported and nothing is rendered (this is every warm build, and the second
   language build of every build). The package counts as normalised code
   (:func:`cnnnotes.codehash.source_digests`, the normalisation of the asset
   keys), so an edit to comments, docstrings or layout only is recognised as
   such: its files are re-parsed, nothing else happens;
2. otherwise, per asset, a key over the code that draws it
   (:func:`cnnnotes.codehash.function_code_key`), its parameters, the language,
   the bytes of its inputs, the matplotlib version, the font and the PNG
   encoding, and the values of the shared data it read when last drawn (a case's
   title, say: :mod:`cnnnotes.reads`). Only assets whose key changed are rendered, in
   a fresh interpreter (a ``spawn`` process, so that ``mkdocs serve`` always runs the
   code as it is on disk), shared out
   between ``jobs`` worker processes (:mod:`cnnnotes.site.render`) together with the
   notebooks to execute.

This function is the only entry point, and it alone writes the manifest
(``.cache/manifest.json``: the fast keys and the :class:`BuildReport` as JSON, which
tests and tools read instead of log lines).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cnnnotes.bounded import RESULT_LIMIT, read_bounded
from cnnnotes.codehash import digest, source_digests, tree_digests
from cnnnotes.errors import CnnnotesError, PathError
from cnnnotes.experiments.runs.provenance import installed_versions
from cnnnotes.files import atomic_write_json, lock, read_json
from cnnnotes.site.notebooks import published

__all__ = [
    "DATA_DIR",
    "BuildError",
    "BuildReport",
    "SiteFile",
    "build_site_assets",
    "site_cache_dir",
]

#: Folder, at the site's root, of the data scripts of the pages' interactive parts: one
#: copy for every language (the hook does not move them under ``en/``).
DATA_DIR = "data"

#: The package whose code any asset may run: all of cnnnotes (cases, results, stats …).
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The catalogue and templates (cnnnotes.i18n): data files the fast key hashes too.
_WORDS_DIR = _PACKAGE_DIR / "i18n"
_VERSIONED = ("matplotlib", "numpy", "nbclient", "ipykernel", "koreanize-matplotlib", "pillow")
_MANIFEST_VERSION = 2


@dataclasses.dataclass(frozen=True)
class SiteFile:
    """One generated file, its language (``"all"``: every language) and its site path.

    ``site_path`` is relative to the docs root of the file's language: the hook
    serves the English file of ``figures/x.png`` at ``en/figures/x.png``, so
    pages of both languages write the same relative link. Data scripts
    (``data/*.js``, language ``"all"``) are the exception: one copy at the site's root.
    """

    site_path: str
    lang: str
    path: Path


@dataclasses.dataclass
class BuildReport:
    """What a build did: rendered, reused, skipped (with reasons), executed notebooks.

    ``waiting`` names optional assets whose inputs are not committed yet (not an error).
    """

    files: list[SiteFile]
    notebooks: dict[str, Path]
    rendered: list[str]
    reused: int
    skipped: dict[str, str]
    executed: list[str]
    seconds: float
    fast: bool = False
    waiting: dict[str, str] = dataclasses.field(default_factory=dict)

    def summary(self) -> str:
        """One line for logs: what was rendered and what was reused."""
        parts = [
            f"rendered {len(self.rendered)} asset(s)"
            + (f" ({', '.join(self.rendered)})" if self.rendered else ""),
            f"reused {self.reused}",
            f"executed {len(self.executed)} notebook(s)"
            + (f" ({', '.join(self.executed)})" if self.executed else ""),
        ]
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} ({', '.join(sorted(self.skipped))})")
        if self.waiting:
            names = ", ".join(sorted(self.waiting))
            parts.append(f"waiting for the results of {len(self.waiting)} ({names})")
        return f"cnnnotes: {'; '.join(parts)} in {self.seconds:.2f} s"

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [[f.site_path, f.lang, str(f.path)] for f in self.files],
            "notebooks": {k: str(v) for k, v in self.notebooks.items()},
            "rendered": self.rendered,
            "reused": self.reused,
            "skipped": self.skipped,
            "waiting": self.waiting,
            "executed": self.executed,
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BuildReport:
        return cls(
            files=[SiteFile(s, lang, Path(p)) for s, lang, p in obj["files"]],
            notebooks={k: Path(v) for k, v in obj["notebooks"].items()},
            rendered=list(obj["rendered"]),
            reused=int(obj["reused"]),
            skipped=dict(obj["skipped"]),
            waiting=dict(obj.get("waiting", {})),
            executed=list(obj["executed"]),
            seconds=float(obj["seconds"]),
        )


def site_cache_dir(root: Path) -> Path:
    """The project-local cache of rendered assets: ``<root>/.cache``."""
    return root / ".cache"


@dataclasses.dataclass(frozen=True)
class _Keys:
    """The two fast keys: over the package's raw bytes, and over its normalised code."""

    raw: str
    code: str
    sources: dict[str, tuple[str, str]]


def _module_files(figures: Sequence[str] | None) -> list[str]:
    """Name and bytes of each figure module a site names outside the package (not imported)."""
    import importlib.util

    parts: list[str] = []
    for name in figures or ():
        if name.split(".")[0] == "cnnnotes":
            continue  # in the package's sources already
        found = importlib.util.find_spec(name)
        if found is None or not found.origin:
            raise BuildError(f"figures: no module named {name!r} (is the project on the path?)")
        parts += [name, hashlib.sha256(Path(found.origin).read_bytes()).hexdigest()]
    return parts


def _keys(root: Path, known: Any = None, figures: Sequence[str] | None = None) -> _Keys:
    """Everything any asset can depend on, hashed without importing anything heavy.

    ``known``: the ``sources`` table of the last build, so that only package files
    whose bytes changed are parsed to compute the normalised key.
    """
    common = digest(
        str(_MANIFEST_VERSION),
        json.dumps(list(figures) if figures is not None else None),
        *_module_files(figures),
        json.dumps(installed_versions(_VERSIONED), sort_keys=True),
        *tree_digests(root / "results", "*"),
        *tree_digests(root / "docs", "*.ipynb", keep=published),
        *tree_digests(_WORDS_DIR, "*", keep=lambda rel: not rel.endswith(".py")),
    )
    sources = source_digests(_PACKAGE_DIR, known if isinstance(known, dict) else None)
    return _Keys(
        raw=digest(common, *(f"{rel}:{raw}" for rel, (raw, _) in sources.items())),
        code=digest(common, *(f"{rel}:{code}" for rel, (_, code) in sources.items())),
        sources=sources,
    )


def _fast_key(root: Path, figures: Sequence[str] | None = None) -> str:
    """The fast key over the package's raw bytes (equal keys: nothing at all changed)."""
    return _keys(root, figures=figures).raw


def _manifest(keys: _Keys, report: BuildReport) -> dict[str, Any]:
    return {
        "fast_key": keys.raw,
        "code_key": keys.code,
        "sources": keys.sources,
        "report": report.to_json(),
    }


def build_site_assets(
    root: Path,
    *,
    isolated: bool = True,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    figures: Sequence[str] | None = None,
) -> BuildReport:
    """Render every figure, fragment and notebook of the site that is out of date.

    Parameters
    ----------
    root
        The project root (the folder holding ``mkdocs.yml``, ``docs/`` and ``results/``).
    isolated
        Render in a fresh interpreter (the hook's choice: code edited under
        ``mkdocs serve`` is picked up). ``False`` renders in this process.
    jobs
        Worker processes that render assets and execute notebooks side by side
        (default: one per core; ``1``: everything in one process, in order). The
        files are the same bytes whatever the number.
    progress
        Called with one line as each stage of a cold build begins (loading the
        figure code, rendering, executing notebooks); a warm build never calls it.
    figures
        The modules whose registered assets this site shows (default: every module of
        :mod:`cnnnotes.site.figures`); a small site names its own and renders only those.

    Returns
    -------
    BuildReport
        The files the site must serve, and what was rendered or reused.

    Raises
    ------
    CnnnotesError
        One line: a cache folder that cannot be written, a notebook that fails.
    """
    root = Path(root).resolve()
    start = time.perf_counter()
    manifest_path = site_cache_dir(root) / "manifest.json"
    # A warm build only reads files that were written atomically: it takes no lock,
    # so a read-only cache that is up to date still serves the site.
    manifest = read_json(manifest_path)
    known = manifest.get("sources") if isinstance(manifest, dict) else None
    keys = _keys(root, known, figures)
    if _manifest_valid(manifest, keys.raw):
        return _reuse(manifest, start)
    with _cache_errors(root), lock(site_cache_dir(root) / "build"):
        manifest = read_json(manifest_path)  # another build may have finished meanwhile
        known = manifest.get("sources") if isinstance(manifest, dict) else None
        keys = _keys(root, known, figures)
        if _manifest_valid(manifest, keys.raw):
            return _reuse(manifest, start)
        if _manifest_valid(manifest, keys.code, field="code_key"):
            # Only comments, docstrings or layout changed: remember the new bytes.
            atomic_write_json(
                manifest_path, {**(manifest or {}), "fast_key": keys.raw, "sources": keys.sources}
            )
            return _reuse(manifest, start)
        if isolated:
            report = _render_isolated(root, progress or (lambda line: None), jobs, figures)
        else:
            report = _render_all(root, jobs, progress, figures)
        atomic_write_json(manifest_path, _manifest(keys, report))
    report.seconds = time.perf_counter() - start
    return report


class BuildError(CnnnotesError):
    """Rendering the site's assets failed (the message says which asset and why)."""


@contextlib.contextmanager
def _cache_errors(root: Path) -> Iterator[None]:
    """Name the remedy when the project cache cannot be written."""
    try:
        yield
    except PathError as exc:
        raise PathError(
            f"site cache: {exc}; make {site_cache_dir(root)} a writable folder with free space, "
            "or delete it"
        ) from None


def _reuse(manifest: Any, start: float) -> BuildReport:
    report = BuildReport.from_json(manifest["report"])
    reused = len(report.rendered) + report.reused
    return dataclasses.replace(
        report,
        rendered=[],
        executed=[],
        reused=reused,
        seconds=time.perf_counter() - start,
        fast=True,
    )


def _isolated(
    conn: Any, root: str, jobs: int | None, parent: int, figures: Sequence[str] | None = None
) -> None:
    """The fresh interpreter's work: render, sending progress lines and then the report.

    It leaves, with its workers, when the build that started it is killed.
    """
    from cnnnotes.site.render import _exit_with_parent

    _exit_with_parent(parent)
    try:
        with _cache_errors(Path(root)):
            say = lambda line: conn.send(("progress", line))  # noqa: E731
            report = _render_all(Path(root), jobs, say, figures)
        conn.send(("report", report.to_json()))
    except CnnnotesError as exc:
        conn.send(("error", str(exc)))
    finally:
        conn.close()


def _render_isolated(
    root: Path,
    progress: Callable[[str], None],
    jobs: int | None,
    figures: Sequence[str] | None = None,
) -> BuildReport:
    """Render in a fresh interpreter (the code as it is on disk); relay its progress lines.

    A user error there stays one line here (:class:`BuildError`); a bug's traceback is
    printed by the fresh interpreter itself.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    args = (send, str(root), jobs, os.getpid(), figures)
    proc = context.Process(target=_isolated, args=args, name="cnnnotes-build")
    proc.start()
    send.close()
    outcome: tuple[str, Any] | None = None
    with receive:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                break
            if kind == "progress":
                progress(payload)
            else:
                outcome = (kind, payload)
    proc.join()
    if outcome is None:
        raise RuntimeError(f"site build: the renderer failed (exit status {proc.exitcode})")
    if outcome[0] == "error":
        raise BuildError(outcome[1])
    return BuildReport.from_json(outcome[1])


def _manifest_valid(manifest: Any, key: str, field: str = "fast_key") -> bool:
    if not isinstance(manifest, dict) or manifest.get(field) != key:
        return False
    try:
        report = BuildReport.from_json(manifest["report"])
    except (KeyError, TypeError, ValueError):
        return False
    paths = [f.path for f in report.files] + list(report.notebooks.values())
    return all(p.is_file() for p in paths)


def _site_path(name: str, kind: str) -> str | None:
    if kind == "md":
        return None  # included into pages by pymdownx.snippets, not served
    if kind == "js":
        return f"{DATA_DIR}/{name}.js"  # served once, at the site's root (see the hook)
    return f"{'figures' if kind == 'png' else 'downloads'}/{name}.{kind}"


def _input_files(results: Path, patterns: tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """The files an asset reads: plain paths must exist; glob patterns may match nothing."""
    paths: list[Path] = []
    missing: list[str] = []
    for pattern in patterns:
        if any(c in pattern for c in "*?["):
            paths += sorted(p for p in results.glob(pattern) if p.is_file())
        elif (results / pattern).is_file():
            paths.append(results / pattern)
        else:
            missing.append(pattern)
    return paths, missing


@dataclasses.dataclass
class _Plan:
    """What a build must do: the files to serve, the jobs to run, what it skips or reuses."""

    files: list[SiteFile]
    notebooks: dict[str, Path]
    assets: list[Any]  # render.Job
    notebook_jobs: list[Any]  # render.Job
    skipped: dict[str, str]
    waiting: dict[str, str]
    reused: int


def _plan(
    root: Path,
    say: Callable[[str], None] = lambda line: None,
    figures: Sequence[str] | None = None,
) -> _Plan:
    """Decide what is out of date, rendering nothing (the figure modules are imported)."""
    import matplotlib
    import PIL

    from cnnnotes.codehash import function_code_key
    from cnnnotes.i18n import LANGS
    from cnnnotes.site.figures import load_all
    from cnnnotes.site.notebooks import notebook_key, site_notebooks
    from cnnnotes.site.render import PNG_FORMAT, Job, asset_is_current
    from cnnnotes.site.style import font_fingerprint

    results = root / "results"
    assets = site_cache_dir(root) / "assets"
    png_format = f"{PNG_FORMAT} pillow={PIL.__version__}"
    plan = _Plan([], {}, [], [], {}, {}, 0)
    specs = list(load_all(figures).values())
    say(f"cnnnotes: checking {len(specs)} figures and tables; rendering those out of date")
    for spec in specs:
        paths, missing = _input_files(results, spec.inputs)
        if missing:
            (plan.waiting if spec.optional else plan.skipped)[spec.name] = (
                f"missing results/{missing[0]}"
            )
            continue
        inputs = digest(
            *(p.relative_to(results).as_posix() for p in paths),
            *(read_bounded(p, RESULT_LIMIT, "a results file") for p in paths),
        )
        code = function_code_key(spec.func, traced=True)
        params = json.dumps(dict(spec.params), sort_keys=True, default=repr)
        encoding = [png_format] if spec.kind == "png" else []
        for lang in ("all",) if spec.shared else LANGS:
            key = digest(
                code,
                params,
                lang,
                spec.kind,
                inputs,
                matplotlib.__version__,
                font_fingerprint(),
                *encoding,
            )
            out = assets / lang / spec.filename
            if out.is_file() and asset_is_current(out.with_name(out.name + ".key"), key):
                plan.reused += 1
            else:
                own = spec.func.__module__.startswith("cnnnotes.site.figures.")
                module = None if own else spec.func.__module__
                plan.assets.append(Job("asset", spec.name, lang, out, key, results, module))
            site_path = _site_path(spec.name, spec.kind)
            if site_path:
                plan.files.append(SiteFile(site_path, lang, out))
    for rel, src in site_notebooks(root / "docs"):
        out = plan.notebooks[rel] = site_cache_dir(root) / "notebooks" / rel
        key = notebook_key(src, results)
        keyfile = out.with_name(out.name + ".key")
        if not (out.is_file() and keyfile.is_file() and keyfile.read_text() == key):
            plan.notebook_jobs.append(Job("notebook", rel, "all", out, key, src))
    return plan


def _render_all(
    root: Path,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    figures: Sequence[str] | None = None,
) -> BuildReport:
    """Render what is out of date, with ``jobs`` processes. The fast key is not consulted."""
    say = progress or (lambda line: None)
    say("cnnnotes: loading the figure code")
    from cnnnotes.site.render import default_jobs, run_jobs

    start = time.perf_counter()
    plan = _plan(root, say, figures)
    # Longest first, so that no long job starts last while the other workers idle: the
    # notebooks (seconds each), then the figures, then the text (milliseconds each).
    pngs = [j for j in plan.assets if j.out.suffix == ".png"]
    texts = [j for j in plan.assets if j.out.suffix != ".png"]
    if plan.notebook_jobs:
        say(f"cnnnotes: executing {len(plan.notebook_jobs)} notebook(s) beside the figures")
    run_jobs([*plan.notebook_jobs, *pngs, *texts], jobs or default_jobs())
    return BuildReport(
        files=plan.files,
        notebooks=plan.notebooks,
        rendered=[j.label for j in plan.assets],
        reused=plan.reused,
        skipped=plan.skipped,
        executed=[j.name for j in plan.notebook_jobs],
        seconds=time.perf_counter() - start,
        waiting=plan.waiting,
    )
