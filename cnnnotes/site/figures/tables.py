"""Generated text about the runs: the results table, its downloads, the per-case page blocks.

Nothing here is typed by hand: every number comes from the committed runs
(``results/runs/notes/<case>/``) and every fragment renders for any subset of
them. A page includes a fragment with ``--8<-- "<lang>/<name>.md"``; a block
shows a figure (``figures/<name>.png``) only when the runs that figure needs
exist, so the strict build passes with no run, some runs or all of them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.claims import binomial_se
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.i18n import Lang, t, words
from cnnnotes.site.casepage import BEYOND_PAGE, anchor
from cnnnotes.site.figures._runs import (
    ALL_RUNS,
    PROFILE,
    hardware,
    missing_seeds,
    notes_order,
    order,
    present_seeds,
)
from cnnnotes.site.figures._summaries import (
    BEYOND_MARK,
    image,
    missing_block,
    n_images,
    n_of,
    name,
    spread,
    summarize,
)
from cnnnotes.site.figures.registry import fragment

__all__ = ["overlay_block", "results_csv", "results_glance", "results_table", "runs_json"]


#: Columns of the CSV download, in order: one row per run (case and seed).
CSV_COLUMNS: tuple[str, ...] = (
    "case",
    "title",
    "beyond_the_notes",
    "parent_case",
    "settings_assumed",
    "seed",
    "trained",
    "epochs",
    "val_accuracy_last5",
    "val_loss_last5",
    "best_val_accuracy",
    "best_val_epoch",
    "final_val_accuracy",
    "final_val_loss",
    "lowest_val_loss",
    "lowest_val_loss_epoch",
    "final_train_accuracy",
    "final_train_loss",
    "train_accuracy_dropout_off",
    "train_loss_dropout_off",
    "gap_dropout_off",
    "test_accuracy",
    "test_loss",
    "param_count",
    "seconds_per_epoch",
    "wall_seconds",
    "hardware",
    "dataset_fingerprint",
)


def _missing_line(seeds: dict[str, dict[int, RunResult]], lang: Lang) -> str:
    """Which planned seeds are not trained yet, per case (empty when none)."""
    parts = []
    for case in order():
        gone = missing_seeds(case, seeds.get(case, {}))
        if gone:
            parts.append(
                t(
                    "tables.missing_case",
                    lang,
                    name=name(case, lang).rstrip(" †"),
                    seeds=", ".join(map(str, gone)),
                )
            )
    return t("tables.missing_seeds", lang, list="; ".join(parts)) if parts else ""


@fragment("results-table", inputs=ALL_RUNS)
def results_table(lang: Lang, *, results_dir: Path) -> str:
    """The comparison table: mean ± sd over seeds and "n of planned" per case."""
    seeds = present_seeds(results_dir)
    columns = words("tables.columns", lang)
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for case in order():
        link = f"[{name(case, lang)}]({anchor(case)})"
        runs = seeds.get(case, {})
        if not runs:
            lines.append(
                f"| {link} | {n_of(case, runs, lang)} | {t('tables.not_trained', lang)} |"
                + " — |" * (len(columns) - 3)
            )
            continue
        rows = [summarize(r) for r in runs.values()]

        def col(key: str, rows: list[dict[str, Any]] = rows) -> list[float]:
            return [r[key] for r in rows]

        cells = [
            link,
            n_of(case, runs, lang),
            spread(col("val_accuracy_last5")),
            spread(col("best_val_accuracy")),
            spread(col("val_loss_last5")),
            spread(col("gap_dropout_off")),
            spread(col("test_accuracy")),
            f"{rows[0]['param_count']:,}",
            f"{np.median(col('seconds_per_epoch')):.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    assumed = [
        f"- † {CASES[c].title(lang)}: {CASES[c].assumed(lang)}"
        for c in order()
        if CASES[c].assumed(lang)
    ]
    every = [r for runs in seeds.values() for r in runs.values()]
    n_val = min((n_images(r, "validation") for r in every), default=10_000)
    notes = t("tables.table_notes", lang, profile=PROFILE, se=binomial_se(0.7, n_val), n=n_val)
    missing = _missing_line(seeds, lang)
    beyond = [c for c in order() if CASES[c].beyond]
    marked = (
        [t("tables.beyond_line", lang, mark=BEYOND_MARK, page=BEYOND_PAGE), ""] if beyond else []
    )
    # provenance in one line below the table, not a wrapping column in every row
    machines = sorted({hardware(r, lang) for r in every})
    hw = [t("tables.hardware_line", lang, hw="; ".join(machines)), ""] if machines else []
    table = ['<div class="results-table" markdown>', "", *lines, "", "</div>"]
    extra = [missing, ""] if missing else []
    return "\n".join(
        [*table, "", *marked, *extra, *hw, *assumed, "", notes, "", t("tables.downloads", lang), ""]
    )


@fragment("results", kind="csv", shared=True, inputs=ALL_RUNS)
def results_csv(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/results.csv``: one row per planned or committed run (case, seed)."""
    seeds = present_seeds(results_dir)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for case in order():
        runs = seeds.get(case, {})
        for k in sorted(set(runs) | set(NOTES.planned_seeds(case))):
            row: dict[str, Any] = {
                "case": case,
                "title": CASES[case].title("en"),
                "beyond_the_notes": CASES[case].beyond,
                "parent_case": CASES[case].parent,
                "settings_assumed": CASES[case].assumed("en"),
                "seed": k,
                "trained": k in runs,
            }
            if k in runs:
                row.update(
                    {
                        key: round(v, 6) if isinstance(v, float) else v
                        for key, v in summarize(runs[k]).items()
                    }
                )
            writer.writerow(row)
    return buf.getvalue()


@fragment("runs", kind="json", shared=True, inputs=ALL_RUNS)
def runs_json(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/runs.json``: every committed run, seed by seed, with history and provenance."""
    seeds = present_seeds(results_dir)
    out: dict[str, Any] = {
        "profile": PROFILE,
        "statistics": {
            "level": stats.LEVEL,
            "min_n": stats.MIN_N,
            "last_epochs": stats.LAST,
            "tolerances": dict(stats.TOL),
        },
        "cases": {},
    }
    for case in order():
        runs = seeds.get(case, {})
        entry: dict[str, Any] = {
            "title": CASES[case].title("en"),
            "beyond_the_notes": CASES[case].beyond,
            "parent_case": CASES[case].parent or None,
            "settings_assumed": CASES[case].assumed("en"),
            "planned_seeds": list(NOTES.planned_seeds(case)),
            "missing_seeds": missing_seeds(case, runs),
            "runs": [],
        }
        for k, run in runs.items():
            entry["runs"].append(
                {
                    "seed": k,
                    "summary": summarize(run),
                    "history": {name: v.tolist() for name, v in run.history.items()},
                    "epoch_seconds": run.epoch_seconds.tolist(),
                    "metrics": run.metrics,
                    "key": run.key,
                    "provenance": run.provenance.to_dict(),
                }
            )
        out["cases"][case] = entry
    return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


@fragment("results-glance", inputs=ALL_RUNS)
def results_glance(lang: Lang, *, results_dir: Path) -> str:
    """The home page's summary: each trained notes case's test accuracy over seeds, no "winner"."""
    seeds = present_seeds(results_dir, notes_order())
    if not seeds:
        return missing_block(lang, list(notes_order()))
    items = []
    for case, runs in seeds.items():
        rows = [summarize(r) for r in runs.values()]
        items.append(
            t(
                "tables.glance_item",
                lang,
                name=CASES[case].title(lang),
                n=n_of(case, runs, lang),
                test=spread([r["test_accuracy"] for r in rows]),
                val=spread([r["val_accuracy_last5"] for r in rows]),
            )
        )
    first = next(iter(next(iter(seeds.values())).values()))
    lead = t("tables.glance_lead", lang, n=len(seeds), n_test=n_images(first, "test"))
    return lead + "\n\n" + "\n".join(f"- {item}" for item in items) + "\n"


@fragment("overlay-block", inputs=ALL_RUNS)
def overlay_block(lang: Lang, *, results_dir: Path) -> str:
    """The notes cases' small multiples when at least one run exists, and which are missing."""
    seeds = present_seeds(results_dir, notes_order())
    if not seeds:
        return missing_block(lang, list(notes_order()))
    ns = ", ".join(f"{name(c, lang).rstrip(' †')} {len(r)}" for c, r in seeds.items())
    text = image("overlay-val", t("tables.alt_overlay", lang), t("tables.cap_overlay", lang, ns=ns))
    absent = [c for c in notes_order() if c not in seeds]
    if absent:
        text += "\n" + missing_block(lang, absent)
    return text
