"""Benchmark the site build: cold, warm, and warm with the hook removed (prints, not a test).

Each measurement is the median of N alternating runs on a private copy of the project:

- cold: the figure/notebook cache emptied first (every figure rendered, notebooks executed);
- warm: nothing changed since the last build (the hook's fast path);
- no hook: the same site with ``hooks:`` removed — a floor (what MkDocs itself costs), not a
  valid site, so it is built without ``--strict`` (and with a separate mkdocs-jupyter cache,
  so that alternating the two does not evict each other's entries).

Goal: warm / no-hook <= 1.05. Run with nothing else busy on the machine:

    python scripts/bench_site.py [--runs 5] [--skip-cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("mkdocs.yml", "docs", "hooks", "results", "cnnnotes")


def _copy(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".cache", "site")
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)


def _build(root: Path, config: str, strict: bool) -> float:
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"]
    start = time.perf_counter()
    subprocess.run([*cmd, *(["--strict"] if strict else [])], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true", help="cold builds take ~40 s each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _copy(root)
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs-nohook.yml").write_text(_without_hooks(text), encoding="utf-8")
        _build(root, "mkdocs.yml", strict=True)  # warm-up: fills the cache
        times: dict[str, list[float]] = {"cold": [], "warm": [], "no hook": []}
        for _ in range(args.runs):
            if not args.skip_cold:
                shutil.rmtree(root / ".cache", ignore_errors=True)
                times["cold"].append(_build(root, "mkdocs.yml", strict=True))
            times["warm"].append(_build(root, "mkdocs.yml", strict=True))
            times["no hook"].append(_build(root, "mkdocs-nohook.yml", strict=False))
    print(f"{'build':<10}{'median s':>10}{'min s':>9}{'max s':>9}   runs={args.runs}")
    for name, values in times.items():
        if values:
            print(f"{name:<10}{statistics.median(values):>10.2f}{min(values):>9.2f}"
                  f"{max(values):>9.2f}")  # fmt: skip
    ratio = statistics.median(times["warm"]) / statistics.median(times["no hook"])
    print(f"warm / no hook = {ratio:.3f}  (goal <= 1.05)")
    return 0


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
