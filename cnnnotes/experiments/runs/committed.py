"""The committed files beside the runs, checked: ``changes.json`` and ``dataset/``.

:func:`problems` reads each of them that exists as its own reader does
(bounded, structure checked) and returns one line per bad file. ``cnnnotes status
--check`` fails on any, and so does every site build, before drawing from them.
Missing files are not problems here: status reports what a missing excerpt
means (an unknown fingerprint), and a page that needs one fails in one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cnnnotes.data.excerpt import read_excerpt
from cnnnotes.data.info import EXCERPT_FILE, INFO_FILE
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs import changes, testimages

__all__ = ["problems"]


def problems(results_dir: Path) -> list[str]:
    """One line per committed file of ``results_dir`` that is unreadable or malformed."""
    results_dir = Path(results_dir)
    dataset = results_dir / "dataset"
    found: list[str] = []
    checks: list[tuple[Path, Callable[[], object]]] = [
        (results_dir / changes.FILE, lambda: changes.load(results_dir)),
        (dataset / EXCERPT_FILE, lambda: read_excerpt(dataset)),
        (dataset / INFO_FILE, lambda: read_excerpt(dataset)),
        (dataset / testimages.NPZ_NAME, lambda: testimages.read_test_images(results_dir)),
        (dataset / testimages.JSON_NAME, lambda: testimages.read_test_images(results_dir)),
    ]
    for path, check in checks:
        if not os.path.lexists(path):
            continue
        try:
            check()
        except CnnnotesError as exc:
            line = " ".join(str(exc).split())
            if line not in found:
                found.append(line)
    return found
