"""Downloads for readers who want to check the verdicts: every row, per seed, per image.

- ``downloads/verdicts.json``: every registered claim as the flat rows of
  ``cnnnotes claims --json`` (:mod:`cnnnotes.experiments.runs.verdict_rows`), and each
  committed run's value of every measure a verdict uses, seed by seed;
- ``downloads/per-image.csv``: for each test image, its label and whether each committed
  seed of each case classified it correctly (1/0): the table the seed × image
  decomposition of test accuracy (:mod:`cnnnotes.experiments.runs.seedimage`) reads.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.claims import MEASURES
from cnnnotes.experiments.runs.judged import EXTRA_MEASURES, records
from cnnnotes.experiments.runs.verdict_rows import hypothesis_rows, rows
from cnnnotes.i18n import Lang
from cnnnotes.site.figures._runs import present_seeds, seed_globs
from cnnnotes.site.figures.registry import fragment

__all__ = ["per_image_csv", "verdicts_json"]

_ALL = seed_globs(*CASES)


@fragment("verdicts", kind="json", shared=True, inputs=_ALL)
def verdicts_json(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/verdicts.json``: the verdict rows and every run's measures, seed by seed."""
    seeds = present_seeds(results_dir)
    per_seed: list[dict[str, Any]] = []
    for case, runs in seeds.items():
        for seed, run in runs.items():
            measured = {name: f(run) for name, f in {**MEASURES, **EXTRA_MEASURES}.items()}
            values = {k: None if math.isnan(v) else v for k, v in measured.items()}
            beyond = CASES[case].beyond
            per_seed.append({"case": case, "beyond_the_notes": beyond, "seed": seed, **values})
    out = {
        "rules": "v2",
        "rules_note": stats.RULES_V2,
        "level": stats.LEVEL,
        "tolerances": dict(stats.TOL),
        "verdicts": (rows(records(seeds)) + hypothesis_rows(seeds)) if seeds else [],
        "per_seed": per_seed,
    }
    return json.dumps(out, indent=1, ensure_ascii=False, allow_nan=False, default=str) + "\n"


@fragment("per-image", kind="csv", shared=True, inputs=_ALL)
def per_image_csv(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/per-image.csv``: per test image, the label and each seed's 1/0 correctness."""
    seeds = present_seeds(results_dir)
    columns = [(case, seed, run) for case, runs in seeds.items() for seed, run in runs.items()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["image", "label", *(f"{case}/seed-{seed}" for case, seed, _ in columns)])
    if not columns:
        return buf.getvalue()
    labels = columns[0][2].labels
    right = [(run.predicted == run.labels).astype(int) for _, _, run in columns]
    for i, label in enumerate(labels):
        writer.writerow([i, int(label), *(int(r[i]) for r in right)])
    return buf.getvalue()
