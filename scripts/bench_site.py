"""Benchmark the site build, side by side in one run (prints, not a test).

Each build is ``mkdocs build --strict`` of a private copy of the project, timed from
the outside; every kind is measured ``--runs`` times (at least 3), interleaved, and
reported as median, minimum and maximum:

- cold, jobs 1: the figure/notebook cache emptied first, rendered by one process
  (``CNNNOTES_JOBS=1``);
- cold, default: the same with the default (one worker process per core);
- warm: nothing changed since the last build (the hook's fast path); the hook logs the
  seconds its own handlers took, and their share of the warm build's wall time is printed;
- no hook: the same site with ``hooks:`` removed — a floor (what MkDocs itself costs), not
  a valid site, so it is built without ``--strict`` (and with a separate mkdocs-jupyter
  cache, so that alternating the two does not evict each other's entries);
- comment edit: a comment added to a figure function (a new one each run);
- figure edit: a statement added to one figure function (a new one each run), with
  the number of assets re-rendered.

Goals (ratios of medians of the same run): cold default / cold jobs 1 <= 0.75 on 2 cores,
comment edit / warm <= 1.1, warm / no hook <= 1.05, hook share of warm <= 5 %. Absolute
times depend on the machine and on what else runs on it; the load average is printed before
and after, and each cold build says how many cores it kept busy (CPU seconds of the build
and the processes it started, per wall second).

With ``--weights``, it prints instead each page's first-load weight: the bytes a reader's
browser (Chromium, from the system) fetches to show the page, at 1280 and at 390 px wide,
until the network is idle — the page, its figures above the fold, our style sheets,
scripts and fonts, the search index and any data the page loads by itself — the theme's
own files (``assets/``) excluded. The goal is at most 1 MB a page (1,000,000 bytes);
interactive data should load on first use. A built site may be given (``--site``);
otherwise the project is built into a private copy first.

    python scripts/bench_site.py [--runs 3] [--skip-cold]
    python scripts/bench_site.py --weights [--site site]
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "results", "cnnnotes")
#: The figure the edits go into: ``padding`` of the concepts page (two assets, ko and en).
EDITED = ("cnnnotes/site/figures/concepts.py", "padding")
_RENDERED = re.compile(r"cnnnotes: rendered (\d+) asset\(s\)")
#: The hook's own time in one build, as it logs it (``cnnnotes.site.hook``).
_HOOK = re.compile(r"cnnnotes: hook handlers took ([0-9.]+) s in this build")
#: Seconds the hook's handlers took in each build, by kind of build.
_HOOK_SECONDS: list[float] = []


def _copy(dest: Path) -> None:
    # not "site": that names the package's cnnnotes/site too; a built site/ is never a part
    ignore = shutil.ignore_patterns("__pycache__", ".cache")
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)


def _build(root: Path, config: str = "mkdocs.yml", *, strict: bool = True,
           jobs: int | None = None) -> tuple[float, int]:  # fmt: skip
    """Build once; return the wall time and the number of assets the hook rendered."""
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("CNNNOTES_JOBS", None)
    if jobs is not None:
        env["CNNNOTES_JOBS"] = str(jobs)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", config, "-d", "site"]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([*cmd, *(["--strict"] if strict else [])], cwd=root, env=env,
                          capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - start
    _CORES_USED.append((_children_cpu() - cpu_before) / seconds)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    out = proc.stdout + proc.stderr
    _HOOK_SECONDS.append(sum(float(s) for s in _HOOK.findall(out)))
    return seconds, sum(int(n) for n in _RENDERED.findall(out))


#: CPU seconds per wall second of each build (the build and every process it started).
_CORES_USED: list[float] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _edit(root: Path, line: str) -> None:
    """Insert ``line`` before the first statement (after the docstring) of the edited figure."""
    path = root / EDITED[0]
    source = path.read_text(encoding="utf-8")
    func = next(n for n in ast.parse(source).body
                if isinstance(n, ast.FunctionDef) and n.name == EDITED[1])  # fmt: skip
    docstring = ast.get_docstring(func, clean=False) is not None
    first = func.body[1 if docstring else 0]
    lines = source.splitlines(keepends=True)
    lines.insert(first.lineno - 1, " " * first.col_offset + line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def _row(name: str, values: list[float], note: str = "") -> str:
    med, lo, hi = statistics.median(values), min(values), max(values)
    return f"{name:<16}{med:>9.2f}{lo:>9.2f}{hi:>9.2f}{(hi - lo) / med:>9.0%}   {note}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repeats of each build (>= 3)")
    parser.add_argument("--skip-cold", action="store_true", help="cold builds take ~20 s each")
    parser.add_argument("--weights", action="store_true", help="each page's first-load bytes")
    parser.add_argument("--site", type=Path, help="with --weights: a built site to measure")
    args = parser.parse_args()
    if args.weights:
        return _weights(args.site)
    if args.runs < 3:
        parser.error("--runs: medians and spread need at least 3 repeats")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load_before = os.getloadavg()
    kinds = ("cold, jobs 1", "cold, default", "warm", "no hook", "comment edit", "figure edit")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    rerendered: dict[str, list[int]] = {"comment edit": [], "figure edit": []}
    cores_used: dict[str, list[float]] = {"cold, jobs 1": [], "cold, default": []}
    hook_share: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _copy(root)
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs-nohook.yml").write_text(_without_hooks(text), encoding="utf-8")
        _build(root)  # warm-up: fills the cache and the page caches
        _build(root, "mkdocs-nohook.yml", strict=False)
        for run in range(args.runs):
            if not args.skip_cold:
                # alternate which cold build comes first, so that drift favours neither
                for jobs in (1, None) if run % 2 == 0 else (None, 1):
                    shutil.rmtree(root / ".cache", ignore_errors=True)
                    name = "cold, jobs 1" if jobs == 1 else "cold, default"
                    times[name].append(_build(root, jobs=jobs)[0])
                    cores_used[name].append(_CORES_USED[-1])
            times["warm"].append(_build(root)[0])
            hook_share.append(_HOOK_SECONDS[-1] / times["warm"][-1])
            times["no hook"].append(_build(root, "mkdocs-nohook.yml", strict=False)[0])
            _edit(root, f"# benchmark comment {run}")
            seconds, count = _build(root)
            times["comment edit"].append(seconds)
            rerendered["comment edit"].append(count)
            _edit(root, f"_benchmark_edit = {run}")
            seconds, count = _build(root)
            times["figure edit"].append(seconds)
            rerendered["figure edit"].append(count)
    load_after = os.getloadavg()
    print(f"machine: {cores} core(s), {platform.processor() or platform.machine()}; "
          f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          "(above 0 means other work shared the machine)")  # fmt: skip
    print(f"{'build':<16}{'median s':>9}{'min s':>9}{'max s':>9}{'spread':>9}   runs={args.runs}")
    for name, values in times.items():
        if values:
            note = ""
            if name in rerendered:
                note = f"assets re-rendered per build: {sorted(set(rerendered[name]))}"
            if cores_used.get(name):
                note = f"cores busy (CPU s / wall s): {statistics.median(cores_used[name]):.2f}"
            print(_row(name, values, note))
    med = {name: statistics.median(v) for name, v in times.items() if v}
    if "cold, jobs 1" in med:
        ratio = med["cold, default"] / med["cold, jobs 1"]
        print(f"cold default / cold jobs 1 = {ratio:.3f}  (goal <= 0.75 on 2 cores)")
    print(f"comment edit / warm = {med['comment edit'] / med['warm']:.3f}  (goal <= 1.1)")
    print(f"warm / no hook = {med['warm'] / med['no hook']:.3f}  (goal <= 1.05)")
    print(
        f"hook share of a warm build = {statistics.median(hook_share):.1%}  (goal <= 5 %: "
        "the hook's handlers timed inside the build, over the build's wall time)"
    )
    return 0


def _weights(site: Path | None) -> int:
    """Print every page's first-load bytes at two widths; 1 if a page is over budget."""
    if site is None:
        with tempfile.TemporaryDirectory() as tmp:
            _copy(Path(tmp))
            _build(Path(tmp))
            return _weights(Path(tmp) / "site")
    from cnnnotes.site import browser as headless

    chromium = headless.find_chromium()
    if chromium is None:
        print(f"bench_site: {headless.NO_CHROMIUM}")
        return 2
    over = 0
    print(f"{'page':<28}{'1280 px':>12}{'390 px':>12}   (bytes fetched on load, theme excluded)")
    with headless.serve(site) as base, headless.launch(chromium) as browser:
        for page_path in headless.page_paths(site):
            sizes = []
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(base + page_path, wait_until="networkidle")
                sizes.append(headless.first_load_bytes(page, base, excluded=("assets",)))
                context.close()
            flag = "  over budget" if max(sizes) > headless.PAGE_BUDGET else ""
            over += bool(flag)
            print(f"{'/' + page_path:<28}{sizes[0]:>12,}{sizes[1]:>12,}{flag}")
    print(f"budget: {headless.PAGE_BUDGET:,} bytes a page; {over} page(s) over")
    return 1 if over else 0


def _without_hooks(config: str) -> str:
    lines, out, skipping = config.splitlines(), [], False
    for line in lines:
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and (line.startswith("  ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    # Its own mkdocs-jupyter cache: after a build that converted no notebook, mkdocs-jupyter
    # evicts every entry, which would make the next warm build reconvert both notebooks.
    text = "\n".join(out) + "\n"
    return text.replace(
        "cache_dir: .cache/mkdocs-jupyter", "cache_dir: .cache/mkdocs-jupyter-nohook"
    )


if __name__ == "__main__":
    sys.exit(main())
