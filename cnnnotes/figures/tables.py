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

from cnnnotes import stats
from cnnnotes._claims_render import VERDICT_WORDS, box_sentence, describe
from cnnnotes.cases import CASES, NOTES
from cnnnotes.claims import REFERENCES, Verdict, binomial_se, verdicts
from cnnnotes.figures._runs import (
    ALL_RUNS,
    ORDER,
    PROFILE,
    hardware,
    missing_seeds,
    present_seeds,
    seconds_per_epoch,
    seed,
    seed_globs,
)
from cnnnotes.figures._tables_text import TEXT
from cnnnotes.figures.registry import fragment
from cnnnotes.results import RunResult
from cnnnotes.style import Lang

__all__ = [
    "case2_box",
    "case4_dropout_block",
    "case4_vs_case5_block",
    "case_block",
    "overlay_block",
    "results_csv",
    "results_table",
    "runs_json",
    "summarize",
]

#: Columns of the CSV download, in order: one row per run (case and seed).
CSV_COLUMNS: tuple[str, ...] = (
    "case", "title", "settings_assumed", "seed", "trained", "epochs",
    "val_accuracy_last5", "val_loss_last5", "best_val_accuracy", "best_val_epoch",
    "final_val_accuracy", "final_val_loss", "lowest_val_loss", "lowest_val_loss_epoch",
    "final_train_accuracy", "final_train_loss", "train_accuracy_dropout_off",
    "train_loss_dropout_off", "gap_dropout_off", "test_accuracy", "test_loss", "param_count",
    "seconds_per_epoch", "wall_seconds", "hardware", "dataset_fingerprint",
)  # fmt: skip


def _n_images(run: RunResult, split: str) -> int:
    counts = run.provenance.get("counts", {}) or {}
    return int(counts.get(split) or (len(run.labels) if split == "test" else 10_000))


def summarize(run: RunResult) -> dict[str, Any]:
    """The numbers the downloads report for one run (epochs are 1-based).

    The summaries verdicts use (last-five means, the dropout-off gap) come from
    :func:`cnnnotes.stats.summarize`, the one place they are defined.
    """
    h = run.history
    m = run.metrics
    st = stats.summarize(run)
    return {
        "epochs": len(run.epochs),
        "seed": seed(run),
        "val_accuracy_last5": st["val_accuracy_last5"],
        "val_loss_last5": st["val_loss_last5"],
        "best_val_accuracy": st["best_val_accuracy"],
        "best_val_epoch": int(st["best_epoch"]),
        "final_val_accuracy": float(h["val_accuracy"][-1]),
        "final_val_loss": float(h["val_loss"][-1]),
        "lowest_val_loss": float(h["val_loss"].min()),
        "lowest_val_loss_epoch": int(np.argmin(h["val_loss"])) + 1,
        "final_train_accuracy": float(h["accuracy"][-1]),
        "final_train_loss": float(h["loss"][-1]),
        "train_accuracy_dropout_off": m.get("train_accuracy"),
        "train_loss_dropout_off": m.get("train_loss"),
        "gap_dropout_off": st.get("gap"),
        "test_accuracy": m.get("test_accuracy"),
        "test_loss": m.get("test_loss"),
        "param_count": run.param_count,
        "seconds_per_epoch": seconds_per_epoch(run),
        "wall_seconds": run.provenance.get("wall_seconds"),
        "hardware": hardware(run, "en"),
        "dataset_fingerprint": str((run.provenance.get("dataset") or {}).get("fingerprint", "")),
    }


def _num(x: Any, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _spread(values: list[float], digits: int = 3) -> str:
    """``mean ± sd`` over seeds (the mean alone for one seed)."""
    v = [x for x in values if x is not None]
    if not v:
        return "—"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    return f"{np.mean(v):.{digits}f} ± {np.std(v, ddof=1):.{digits}f}"


def _name(case: str, lang: Lang) -> str:
    """Short name of a case with a † when its settings are our reading."""
    short = TEXT[lang]["baseline"] if case == "baseline" else case.replace("case", "Case ")
    return short + (" †" if CASES[case].assumed(lang) else "")


def _n_of(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    return TEXT[lang]["n_of"].format(n=len(runs), planned=len(NOTES.planned_seeds(case)))


def _missing_line(seeds: dict[str, dict[int, RunResult]], lang: Lang) -> str:
    """Which planned seeds are not trained yet, per case (empty when none)."""
    w = TEXT[lang]
    parts = []
    for case in ORDER:
        gone = missing_seeds(case, seeds.get(case, {}))
        if gone:
            parts.append(w["missing_case"].format(name=_name(case, lang).rstrip(" †"),
                                                  seeds=", ".join(map(str, gone))))  # fmt: skip
    return w["missing_seeds"].format(list="; ".join(parts)) if parts else ""


@fragment("results-table", inputs=ALL_RUNS)
def results_table(lang: Lang, *, results_dir: Path) -> str:
    """The comparison table: mean ± sd over seeds and "n of planned" per case."""
    w = TEXT[lang]
    seeds = present_seeds(results_dir)
    lines = ["| " + " | ".join(w["columns"]) + " |", "|" + " --- |" * len(w["columns"])]
    for case in ORDER:
        link = f"[{_name(case, lang)}]({w['anchor'][case]})"
        runs = seeds.get(case, {})
        if not runs:
            lines.append(f"| {link} | {_n_of(case, runs, lang)} | {w['not_trained']} |"
                         + " — |" * (len(w["columns"]) - 3))  # fmt: skip
            continue
        rows = [summarize(r) for r in runs.values()]

        def col(key: str, rows: list[dict[str, Any]] = rows) -> list[float]:
            return [r[key] for r in rows]

        cells = [
            link,
            _n_of(case, runs, lang),
            _spread(col("val_accuracy_last5")),
            _spread(col("best_val_accuracy")),
            _spread(col("val_loss_last5")),
            _spread(col("gap_dropout_off")),
            _spread(col("test_accuracy")),
            f"{rows[0]['param_count']:,}",
            f"{np.median(col('seconds_per_epoch')):.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    assumed = [f"- † {CASES[c].title(lang)}: {CASES[c].assumed(lang)}" for c in ORDER
               if CASES[c].assumed(lang)]  # fmt: skip
    every = [r for runs in seeds.values() for r in runs.values()]
    n_val = min((_n_images(r, "validation") for r in every), default=10_000)
    notes = w["table_notes"].format(profile=PROFILE, se=binomial_se(0.7, n_val), n=n_val)
    missing = _missing_line(seeds, lang)
    # provenance in one line below the table, not a wrapping column in every row
    machines = sorted({hardware(r, lang) for r in every})
    hw = [w["hardware_line"].format(hw="; ".join(machines)), ""] if machines else []
    table = ['<div class="results-table" markdown>', "", *lines, "", "</div>"]
    extra = [missing, ""] if missing else []
    return "\n".join([*table, "", *extra, *hw, *assumed, "", notes, "", w["downloads"], ""])


@fragment("results", kind="csv", shared=True, inputs=ALL_RUNS)
def results_csv(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/results.csv``: one row per planned or committed run (case, seed)."""
    seeds = present_seeds(results_dir)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for case in ORDER:
        runs = seeds.get(case, {})
        for k in sorted(set(runs) | set(NOTES.planned_seeds(case))):
            row: dict[str, Any] = {"case": case, "title": CASES[case].title_en,
                                   "settings_assumed": CASES[case].assumed_en, "seed": k,
                                   "trained": k in runs}  # fmt: skip
            if k in runs:
                row.update({key: round(v, 6) if isinstance(v, float) else v
                            for key, v in summarize(runs[k]).items()})  # fmt: skip
            writer.writerow(row)
    return buf.getvalue()


@fragment("runs", kind="json", shared=True, inputs=ALL_RUNS)
def runs_json(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/runs.json``: every committed run, seed by seed, with history and provenance."""
    seeds = present_seeds(results_dir)
    out: dict[str, Any] = {
        "profile": PROFILE,
        "statistics": {"level": stats.LEVEL, "min_n": stats.MIN_N, "last_epochs": stats.LAST,
                       "tolerances": dict(stats.TOL)},
        "cases": {},
    }  # fmt: skip
    for case in ORDER:
        runs = seeds.get(case, {})
        entry: dict[str, Any] = {"title": CASES[case].title_en,
                                 "settings_assumed": CASES[case].assumed_en,
                                 "planned_seeds": list(NOTES.planned_seeds(case)),
                                 "missing_seeds": missing_seeds(case, runs),
                                 "runs": []}  # fmt: skip
        for k, run in runs.items():
            entry["runs"].append({
                "seed": k,
                "summary": summarize(run),
                "history": {name: v.tolist() for name, v in run.history.items()},
                "epoch_seconds": run.epoch_seconds.tolist(),
                "metrics": run.metrics,
                "key": run.key,
                "provenance": run.provenance,
            })  # fmt: skip
        out["cases"][case] = entry
    return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _missing(lang: Lang, cases: list[str]) -> str:
    w = TEXT[lang]
    flags = "--case " + " ".join(cases)
    names = ", ".join(_name(c, lang).rstrip(" †") for c in cases)
    body = w["missing_body"].format(names=names, cmd=f"cnnnotes train --profile {PROFILE} {flags}")
    return f'!!! info "{w["missing_title"]}"\n    {body}\n'


def _image(name: str, alt: str, caption: str) -> str:
    """The figure and its caption (the italic paragraph right after it, see pagehtml)."""
    return f"![{alt}](figures/{name}.png)\n\n*{caption}*\n"


def _claims(verdict_list: list[Verdict], lang: Lang) -> str:
    w = TEXT[lang]
    rows = [f"| {w['claims_head'][0]} | {w['claims_head'][1]} | {w['claims_head'][2]} |",
            "| --- | --- | --- |"]  # fmt: skip
    for v in verdict_list:
        c = describe(v, lang)
        rows.append(f"| {c.claim} | {c.ours} | **{VERDICT_WORDS[lang][c.verdict]}**: {c.why} |")
    return "\n".join(rows) + "\n"


def _our_runs(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    """Our numbers over the seeds of one case: mean ± sd, with n and the missing seeds."""
    rows = [summarize(r) for r in runs.values()]
    first = next(iter(runs.values()))
    gone = missing_seeds(case, runs)
    w = TEXT[lang]
    return w["our_runs"].format(
        n=len(runs), planned=len(NOTES.planned_seeds(case)),
        seeds=", ".join(map(str, runs)), epochs=rows[0]["epochs"],
        missing=w["our_missing"].format(seeds=", ".join(map(str, gone))) if gone else "",
        val=_spread([r["val_accuracy_last5"] for r in rows]),
        test=_spread([r["test_accuracy"] for r in rows]),
        off=_spread([r["train_accuracy_dropout_off"] for r in rows]),
        gap=_spread([r["gap_dropout_off"] for r in rows]),
        se_val=_num(binomial_se(rows[0]["val_accuracy_last5"], _n_images(first, "validation"))),
        n_val=_n_images(first, "validation"), n_test=_n_images(first, "test"),
        params=rows[0]["param_count"],
    )  # fmt: skip


def _block_seeds(results_dir: Path, case: str) -> dict[str, dict[int, RunResult]]:
    return present_seeds(results_dir, (case, *REFERENCES[case]))


@fragment("case-baseline", inputs=seed_globs("baseline"), case="baseline")
@fragment("case-case1", inputs=seed_globs("case1"), case="case1")
@fragment("case-case2", inputs=seed_globs("case2", *REFERENCES["case2"]), case="case2")
@fragment("case-case3", inputs=seed_globs("case3", *REFERENCES["case3"]), case="case3")
@fragment("case-case4", inputs=seed_globs("case4", *REFERENCES["case4"]), case="case4")
@fragment("case-case5", inputs=seed_globs("case5", *REFERENCES["case5"]), case="case5")
def case_block(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's block: its learning curves, our numbers, and the notes' claims checked.

    Without the run it says the run is not trained yet and how to train it.
    """
    w = TEXT[lang]
    seeds = _block_seeds(results_dir, case)
    if case not in seeds:
        return _missing(lang, [case])
    return "\n".join([
        _curves_image(case, seeds[case], lang), _our_runs(case, seeds[case], lang),
        w["claims_lead"], _claims(verdicts(case, seeds), lang), verdict_rules(lang),
    ])  # fmt: skip


def _curves_image(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    w = TEXT[lang]
    title = CASES[case].title(lang)
    n_epochs = len(next(iter(runs.values())).epochs)
    alt = w["alt_curves"].format(title=title, n=n_epochs, seeds=len(runs))
    return _image(f"curves-{case}", alt, w["cap_curves"].format(title=title, seeds=len(runs)))


@fragment("case-figure-case1", inputs=seed_globs("case1"), case="case1")
@fragment("case-figure-case2", inputs=seed_globs("case2"), case="case2")
@fragment("case-figure-case3", inputs=seed_globs("case3"), case="case3")
@fragment("case-figure-case4", inputs=seed_globs("case4"), case="case4")
@fragment("case-figure-case5", inputs=seed_globs("case5"), case="case5")
def case_figure(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's learning curves and our numbers: shown before the author's analysis."""
    seeds = present_seeds(results_dir, (case,))
    if case not in seeds:
        return _missing(lang, [case])
    return "\n".join([_curves_image(case, seeds[case], lang),
                      _our_runs(case, seeds[case], lang)])  # fmt: skip


@fragment("case-claims-case1", inputs=seed_globs("case1"), case="case1")
@fragment("case-claims-case2", inputs=seed_globs("case2", *REFERENCES["case2"]), case="case2")
@fragment("case-claims-case3", inputs=seed_globs("case3", *REFERENCES["case3"]), case="case3")
@fragment("case-claims-case4", inputs=seed_globs("case4", *REFERENCES["case4"]), case="case4")
@fragment("case-claims-case5", inputs=seed_globs("case5", *REFERENCES["case5"]), case="case5")
def case_claims(lang: Lang, *, case: str, results_dir: Path) -> str:
    """The author's claims of a case checked over our seeds: shown after the analysis."""
    w = TEXT[lang]
    seeds = _block_seeds(results_dir, case)
    if case not in seeds:
        return ""  # the figure block already says how to train it
    return "\n".join([w["claims_lead"], _claims(verdicts(case, seeds), lang)])


def _verdict(case: str, key: str, seeds: dict[str, dict[int, RunResult]]) -> Verdict:
    (v,) = [v for v in verdicts(case, seeds) if v.key == key]
    return v


@fragment("case2-box", inputs=seed_globs("case2", "baseline"))
def case2_box(lang: Lang, *, results_dir: Path) -> str:
    """The conclusion the ERRATA 37 box states: the same verdict as the claims table's row."""
    seeds = present_seeds(results_dir, ("case2", "baseline"))
    if "case2" not in seeds:
        return TEXT[lang]["box_missing"] + "\n"
    return box_sentence(_verdict("case2", "no_gain_acc", seeds), lang) + "\n"


@fragment("results-glance", inputs=ALL_RUNS)
def results_glance(lang: Lang, *, results_dir: Path) -> str:
    """The home page's summary: each trained case's test accuracy over seeds, no "winner"."""
    w = TEXT[lang]
    seeds = present_seeds(results_dir)
    if not seeds:
        return _missing(lang, list(ORDER))
    items = []
    for case, runs in seeds.items():
        rows = [summarize(r) for r in runs.values()]
        items.append(w["glance_item"].format(
            name=CASES[case].title(lang), n=_n_of(case, runs, lang),
            test=_spread([r["test_accuracy"] for r in rows]),
            val=_spread([r["val_accuracy_last5"] for r in rows])))  # fmt: skip
    first = next(iter(next(iter(seeds.values())).values()))
    lead = w["glance_lead"].format(n=len(seeds), n_test=_n_images(first, "test"))
    return lead + "\n\n" + "\n".join(f"- {item}" for item in items) + "\n"


@fragment("verdict-rules")
def verdict_rules(lang: Lang) -> str:
    """How the verdicts are decided (the rules of :mod:`cnnnotes.stats`): once per page."""
    tol = stats.TOL
    return TEXT[lang]["rules"].format(
        level=f"{stats.LEVEL:.0%}".replace("%", " %" if lang == "en" else "%"),
        min_n=stats.MIN_N, last=stats.LAST,
        tol_acc=f"{tol['val_accuracy_last5']:.2f}", tol_loss=f"{tol['val_loss_last5']:.2f}",
        tol_gap=f"{tol['gap']:.2f}",
    )  # fmt: skip


@fragment("overlay-block", inputs=ALL_RUNS)
def overlay_block(lang: Lang, *, results_dir: Path) -> str:
    """The cross-case small multiples when at least one run exists, and which are missing."""
    w = TEXT[lang]
    seeds = present_seeds(results_dir)
    if not seeds:
        return _missing(lang, list(ORDER))
    ns = ", ".join(f"{_name(c, lang).rstrip(' †')} {len(r)}" for c, r in seeds.items())
    text = _image("overlay-val", w["alt_overlay"], w["cap_overlay"].format(ns=ns))
    absent = [c for c in ORDER if c not in seeds]
    if absent:
        text += "\n" + _missing(lang, absent)
    return text


@fragment("case4-vs-case5-block", inputs=seed_globs("case4", "case5"))
def case4_vs_case5_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4 next to Case 5 (the notes' re-analysis) once both runs exist."""
    w = TEXT[lang]
    seeds = present_seeds(results_dir, ("case4", "case5"))
    absent = [c for c in ("case4", "case5") if c not in seeds]
    if absent:
        return _missing(lang, absent)
    s4 = [summarize(r) for r in seeds["case4"].values()]
    s5 = [summarize(r) for r in seeds["case5"].values()]

    def sp(rows: list[dict[str, Any]], key: str) -> str:
        return _spread([r[key] for r in rows])

    return _image("case4-vs-case5", w["alt_vs"], w["cap_vs"]) + "\n" + w["vs_text"].format(
        v4=sp(s4, "val_accuracy_last5"), v5=sp(s5, "val_accuracy_last5"),
        t4=sp(s4, "test_accuracy"), t5=sp(s5, "test_accuracy"),
        g4=sp(s4, "gap_dropout_off"), g5=sp(s5, "gap_dropout_off"), n4=len(s4), n5=len(s5),
    ) + "\n"  # fmt: skip


@fragment("case4-dropout-block", inputs=seed_globs("case4", "case3"))
def case4_dropout_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4's dropout evidence (ERRATA 43): the figure and the verdict on "underfitting"."""
    w = TEXT[lang]
    seeds = present_seeds(results_dir, ("case4", "case3"))
    if "case4" not in seeds:
        return _missing(lang, ["case4"])
    check = describe(_verdict("case4", "underfitting", seeds), lang)
    return "\n".join([
        _image("case4-dropout", w["alt_dropout"], w["cap_dropout"]),
        w["dropout_text"].format(ours=check.ours, verdict=VERDICT_WORDS[lang][check.verdict],
                                 why=check.why),
    ])  # fmt: skip
