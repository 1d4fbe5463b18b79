"""The single entry point that renders every site asset (tier 2 of the cache).

``build_site_assets(root)`` is what the MkDocs hook, ``cnnnotes build`` and
``scripts/`` call. It renders each registered figure and fragment once per
language, and executes each notebook under ``docs/`` once, into
``<root>/.cache/`` — never into the watched ``docs/`` tree.

Two levels of checking keep rebuilds cheap:

1. a *fast key* over the package's source files, the committed results, the
   notebooks and the library versions: when it matches the last build's, nothing
   is imported and nothing is rendered (this is every warm build, and the second
   language build of every build);
2. otherwise, per asset, a key over the code that draws it
   (:func:`cnnnotes.codehash.function_code_key`), its parameters, the language,
   the bytes of its inputs, the matplotlib version and the font. Only assets
   whose key changed are rendered, in a fresh interpreter (so that
   ``mkdocs serve`` always runs the code as it is on disk).
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cnnnotes.cache import atomic_write_bytes, atomic_write_json, atomic_write_text, lock, read_json
from cnnnotes.codehash import digest
from cnnnotes.provenance import installed_versions

__all__ = ["BuildReport", "SiteFile", "build_site_assets", "cache_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent
_VERSIONED = ("matplotlib", "numpy", "nbclient", "ipykernel", "koreanize-matplotlib")
_MANIFEST_VERSION = 1


@dataclasses.dataclass(frozen=True)
class SiteFile:
    """One generated file, its language (``"all"``: every language) and its site path.

    ``site_path`` is relative to the docs root of the file's language: the hook
    serves the English file of ``figures/x.png`` at ``en/figures/x.png``, so
    pages of both languages write the same relative link.
    """

    site_path: str
    lang: str
    path: Path


@dataclasses.dataclass
class BuildReport:
    """What a build did: rendered, reused, skipped (with reasons), executed notebooks."""

    files: list[SiteFile]
    notebooks: dict[str, Path]
    rendered: list[str]
    reused: int
    skipped: dict[str, str]
    executed: list[str]
    seconds: float
    fast: bool = False

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
        return f"cnnnotes: {'; '.join(parts)} in {self.seconds:.2f} s"

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [[f.site_path, f.lang, str(f.path)] for f in self.files],
            "notebooks": {k: str(v) for k, v in self.notebooks.items()},
            "rendered": self.rendered,
            "reused": self.reused,
            "skipped": self.skipped,
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
            executed=list(obj["executed"]),
            seconds=float(obj["seconds"]),
        )


def cache_dir(root: Path) -> Path:
    """The project-local cache of rendered assets: ``<root>/.cache``."""
    return root / ".cache"


def _tree_parts(base: Path, pattern: str) -> list[str]:
    parts: list[str] = []
    if base.is_dir():
        for path in sorted(base.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [path.relative_to(base).as_posix(), path.read_bytes().hex()]
    return parts


def _fast_key(root: Path) -> str:
    """Everything any asset can depend on, hashed without importing anything heavy."""
    return digest(
        str(_MANIFEST_VERSION),
        json.dumps(installed_versions(_VERSIONED), sort_keys=True),
        *_tree_parts(_PACKAGE_DIR, "*.py"),
        *_tree_parts(root / "results", "*"),
        *_tree_parts(root / "docs", "*.ipynb"),
    )


def build_site_assets(root: Path, *, isolated: bool = True) -> BuildReport:
    """Render every figure, fragment and notebook of the site that is out of date.

    Parameters
    ----------
    root
        The project root: the folder holding ``mkdocs.yml``, ``docs/`` and ``results/``.
    isolated
        Render in a fresh interpreter (the hook's choice: code edited under
        ``mkdocs serve`` is picked up). ``False`` renders in this process.

    Returns
    -------
    BuildReport
        The files the site must serve, and what was rendered or reused.
    """
    root = Path(root).resolve()
    start = time.perf_counter()
    manifest_path = cache_dir(root) / "manifest.json"
    with lock(cache_dir(root) / "build"):
        fast = _fast_key(root)
        manifest = read_json(manifest_path)
        if _manifest_valid(manifest, fast):
            report = BuildReport.from_json(manifest["report"])
            reused = len(report.rendered) + report.reused
            return dataclasses.replace(
                report, rendered=[], executed=[], reused=reused,
                seconds=time.perf_counter() - start, fast=True,
            )  # fmt: skip
        if isolated:
            subprocess.run([sys.executable, "-m", "cnnnotes.build", str(root)], check=True)
            report = BuildReport.from_json(read_json(manifest_path)["report"])
        else:
            report = _render_all(root)
            atomic_write_json(manifest_path, {"fast_key": fast, "report": report.to_json()})
    report.seconds = time.perf_counter() - start
    return report


def _manifest_valid(manifest: Any, fast: str) -> bool:
    if not isinstance(manifest, dict) or manifest.get("fast_key") != fast:
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


def _render_all(root: Path) -> BuildReport:
    """Render what is out of date, in this process. The fast key is not consulted."""
    import matplotlib

    from cnnnotes.codehash import function_code_key
    from cnnnotes.figures import load_all
    from cnnnotes.notebooks import execute_notebooks
    from cnnnotes.style import DPI, LANGS, figure_context, font_fingerprint, stamp

    start = time.perf_counter()
    results = root / "results"
    assets = cache_dir(root) / "assets"
    files: list[SiteFile] = []
    rendered: list[str] = []
    skipped: dict[str, str] = {}
    reused = 0
    for spec in load_all().values():
        paths, missing = _input_files(results, spec.inputs)
        if missing:
            skipped[spec.name] = f"missing results/{missing[0]}"
            continue
        inputs = digest(*(p.relative_to(results).as_posix() for p in paths),
                        *(p.read_bytes() for p in paths))  # fmt: skip
        code = function_code_key(spec.func)
        params = json.dumps(dict(spec.params), sort_keys=True, default=repr)
        for lang in ("all",) if spec.shared else LANGS:
            key = digest(code, params, lang, spec.kind, inputs, matplotlib.__version__,
                         font_fingerprint())  # fmt: skip
            out = assets / lang / spec.filename
            keyfile = out.with_name(out.name + ".key")
            if out.is_file() and keyfile.is_file() and keyfile.read_text() == key:
                reused += 1
            else:
                kwargs = dict(spec.params)
                if spec.inputs:
                    kwargs["results_dir"] = results
                call_lang = "en" if lang == "all" else lang
                if spec.kind == "png":
                    with figure_context():
                        fig = spec.func(call_lang, **kwargs)
                        if not getattr(fig, "_cnnnotes_stamped", False):
                            stamp(fig, f"cnnnotes · {spec.func.__module__}.{spec.func.__name__}")
                        buf = io.BytesIO()
                        fig.savefig(buf, format="png", dpi=DPI)
                    data = buf.getvalue()
                else:
                    data = str(spec.func(call_lang, **kwargs)).encode("utf-8")
                atomic_write_bytes(out, data)
                atomic_write_text(keyfile, key)
                rendered.append(f"{spec.name}[{lang}]")
            site_path = _site_path(spec.name, spec.kind)
            if site_path:
                files.append(SiteFile(site_path, lang, out))
    notebooks, executed = execute_notebooks(root / "docs", cache_dir(root) / "notebooks")
    return BuildReport(
        files=files, notebooks=notebooks, rendered=rendered, reused=reused,
        skipped=skipped, executed=executed, seconds=time.perf_counter() - start,
    )  # fmt: skip


def _main(argv: list[str]) -> int:
    """``python -m cnnnotes.build ROOT``: the isolated renderer the hook starts."""
    root = Path(argv[0]).resolve()
    report = _render_all(root)
    atomic_write_json(
        cache_dir(root) / "manifest.json", {"fast_key": _fast_key(root), "report": report.to_json()}
    )
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
