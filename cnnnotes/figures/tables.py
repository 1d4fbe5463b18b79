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

from cnnnotes.cases import CASES
from cnnnotes.claims import (
    NOISE_ACC,
    NOISE_LOSS,
    REFERENCES,
    TOL_ACC,
    TOL_LOSS,
    binomial_se,
    check_case,
)
from cnnnotes.figures._runs import (
    ALL_RUNS,
    ORDER,
    PROFILE,
    hardware,
    present_runs,
    run_globs,
    seconds_per_epoch,
    seed,
)
from cnnnotes.figures._tables_text import TEXT
from cnnnotes.figures.registry import fragment
from cnnnotes.results import RunResult
from cnnnotes.style import Lang

__all__ = [
    "case4_dropout_block",
    "case4_vs_case5_block",
    "case_block",
    "overlay_block",
    "results_csv",
    "results_table",
    "runs_json",
    "summarize",
]

#: Columns of the CSV download, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "case", "title", "settings_assumed", "trained", "epochs", "seed",
    "best_val_accuracy", "best_val_epoch", "final_val_accuracy", "final_val_loss",
    "lowest_val_loss", "lowest_val_loss_epoch", "final_train_accuracy", "final_train_loss",
    "final_train_val_gap", "train_accuracy_dropout_off", "train_loss_dropout_off",
    "test_accuracy", "test_loss", "param_count", "seconds_per_epoch", "hardware",
    "dataset_fingerprint",
)  # fmt: skip


def _n_images(run: RunResult, split: str) -> int:
    counts = run.provenance.get("counts", {}) or {}
    return int(counts.get(split) or (len(run.labels) if split == "test" else 10_000))


def summarize(run: RunResult) -> dict[str, Any]:
    """The numbers the table and the downloads report for one run (epochs are 1-based)."""
    h = run.history
    m = run.metrics
    return {
        "epochs": len(run.epochs),
        "seed": seed(run),
        "best_val_accuracy": float(h["val_accuracy"].max()),
        "best_val_epoch": int(np.argmax(h["val_accuracy"])) + 1,
        "final_val_accuracy": float(h["val_accuracy"][-1]),
        "final_val_loss": float(h["val_loss"][-1]),
        "lowest_val_loss": float(h["val_loss"].min()),
        "lowest_val_loss_epoch": int(np.argmin(h["val_loss"])) + 1,
        "final_train_accuracy": float(h["accuracy"][-1]),
        "final_train_loss": float(h["loss"][-1]),
        "final_train_val_gap": float(h["accuracy"][-1] - h["val_accuracy"][-1]),
        "train_accuracy_dropout_off": m.get("train_accuracy"),
        "train_loss_dropout_off": m.get("train_loss"),
        "test_accuracy": m.get("test_accuracy"),
        "test_loss": m.get("test_loss"),
        "param_count": run.param_count,
        "seconds_per_epoch": seconds_per_epoch(run),
        "hardware": hardware(run, "en"),
        "dataset_fingerprint": str((run.provenance.get("dataset") or {}).get("fingerprint", "")),
    }


def _num(x: Any, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _name(case: str, lang: Lang) -> str:
    """Short name of a case with a † when its settings are our reading."""
    short = TEXT[lang]["baseline"] if case == "baseline" else case.replace("case", "Case ")
    return short + (" †" if CASES[case].assumed(lang) else "")


@fragment("results-table", inputs=ALL_RUNS)
def results_table(lang: Lang, *, results_dir: Path) -> str:
    """The comparison table of every case, with a row saying so for each run not trained yet."""
    w = TEXT[lang]
    runs = present_runs(results_dir)
    lines = ["| " + " | ".join(w["columns"]) + " |", "|" + " --- |" * len(w["columns"])]
    for case in ORDER:
        link = f"[{_name(case, lang)}]({w['anchor'][case]})"
        if case not in runs:
            lines.append(f"| {link} | {w['not_trained']} |" + " — |" * (len(w["columns"]) - 2))
            continue
        s = summarize(runs[case])
        cells = [
            link,
            f"{_num(s['best_val_accuracy'])} ({s['best_val_epoch']})",
            _num(s["final_val_accuracy"]),
            str(s["lowest_val_loss_epoch"]),
            f"{s['final_train_val_gap']:+.3f}",
            _num(s["train_accuracy_dropout_off"]),
            _num(s["test_accuracy"]),
            f"{s['param_count']:,}",
            f"{s['seconds_per_epoch']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    assumed = [f"- † {CASES[c].title(lang)}: {CASES[c].assumed(lang)}" for c in ORDER
               if CASES[c].assumed(lang)]  # fmt: skip
    n_val = min((_n_images(r, "validation") for r in runs.values()), default=10_000)
    se = binomial_se(0.7, n_val)
    notes = w["table_notes"].format(profile=PROFILE, se=se, n=n_val, noise=NOISE_ACC)
    # provenance in one line below the table, not a wrapping column in every row
    machines = sorted({hardware(r, lang) for r in runs.values()})
    if len(machines) > 1:
        machines = [f"{_name(c, lang).rstrip(' †')}: {hardware(runs[c], lang)}" for c in runs]
    hw = [w["hardware_line"].format(hw="; ".join(machines)), ""] if machines else []
    table = ['<div class="results-table" markdown>', "", *lines, "", "</div>"]
    return "\n".join([*table, "", *hw, *assumed, "", notes, "", w["downloads"], ""])


@fragment("results", kind="csv", shared=True, inputs=ALL_RUNS)
def results_csv(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/results.csv``: one row per case (6 decimals), empty cells when not trained."""
    runs = present_runs(results_dir)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for case in ORDER:
        row: dict[str, Any] = {"case": case, "title": CASES[case].title_en,
                               "settings_assumed": CASES[case].assumed_en,
                               "trained": case in runs}  # fmt: skip
        if case in runs:
            row.update({k: round(v, 6) if isinstance(v, float) else v
                        for k, v in summarize(runs[case]).items()})  # fmt: skip
        writer.writerow(row)
    return buf.getvalue()


@fragment("runs", kind="json", shared=True, inputs=ALL_RUNS)
def runs_json(lang: Lang, *, results_dir: Path) -> str:
    """``downloads/runs.json``: the summary, per-epoch history and provenance of every run."""
    runs = present_runs(results_dir)
    out: dict[str, Any] = {
        "profile": PROFILE,
        "thresholds": {"tol_accuracy": TOL_ACC, "tol_loss": TOL_LOSS,
                       "noise_accuracy": NOISE_ACC, "noise_loss": NOISE_LOSS},
        "runs": {},
    }  # fmt: skip
    for case in ORDER:
        run = runs.get(case)
        entry: dict[str, Any] = {"title": CASES[case].title_en, "trained": run is not None,
                                 "settings_assumed": CASES[case].assumed_en}  # fmt: skip
        if run is not None:
            entry["summary"] = summarize(run)
            entry["history"] = {k: v.tolist() for k, v in run.history.items()}
            entry["epoch_seconds"] = run.epoch_seconds.tolist()
            entry["metrics"] = run.metrics
            entry["key"] = run.key
            entry["provenance"] = run.provenance
        out["runs"][case] = entry
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


def _claims(case: str, runs: dict[str, RunResult], lang: Lang) -> str:
    w = TEXT[lang]
    rows = [f"| {w['claims_head'][0]} | {w['claims_head'][1]} | {w['claims_head'][2]} |",
            "| --- | --- | --- |"]  # fmt: skip
    for c in check_case(case, runs, lang):
        rows.append(f"| {c.claim} | {c.ours} | **{w['verdict'][c.verdict]}**: {c.why} |")
    return "\n".join(rows) + "\n"


def _our_run(run: RunResult, lang: Lang) -> str:
    s = summarize(run)
    n_val, n_test = _n_images(run, "validation"), _n_images(run, "test")
    se_val = binomial_se(s["final_val_accuracy"], n_val)
    test = s["test_accuracy"]
    se_test = binomial_se(test, n_test) if test is not None else None
    return TEXT[lang]["our_run"].format(
        seed=s["seed"], epochs=s["epochs"], train=_num(s["final_train_accuracy"]),
        val=_num(s["final_val_accuracy"]), se_val=_num(se_val), n_val=n_val,
        test=_num(test), se_test=_num(se_test), n_test=n_test,
        off=_num(s["train_accuracy_dropout_off"]), params=s["param_count"],
    )  # fmt: skip


@fragment("case-baseline", inputs=run_globs("baseline"), case="baseline")
@fragment("case-case1", inputs=run_globs("case1"), case="case1")
@fragment("case-case2", inputs=run_globs("case2", *REFERENCES["case2"]), case="case2")
@fragment("case-case3", inputs=run_globs("case3", *REFERENCES["case3"]), case="case3")
@fragment("case-case4", inputs=run_globs("case4", *REFERENCES["case4"]), case="case4")
@fragment("case-case5", inputs=run_globs("case5", *REFERENCES["case5"]), case="case5")
def case_block(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's block: its learning curves, our numbers, and the notes' claims checked.

    Without the run it says the run is not trained yet and how to train it.
    """
    w = TEXT[lang]
    runs = present_runs(results_dir, (case, *REFERENCES[case]))
    if case not in runs:
        return _missing(lang, [case])
    alt = w["alt_curves"].format(title=CASES[case].title(lang), n=len(runs[case].epochs))
    return "\n".join([
        _image(f"curves-{case}", alt, w["cap_curves"].format(title=CASES[case].title(lang))),
        _our_run(runs[case], lang), w["claims_lead"],
        _claims(case, runs, lang),
        w["rules"].format(tol_acc=f"{TOL_ACC:.2f}", tol_loss=f"{TOL_LOSS:.2f}",
                          noise_acc=f"{NOISE_ACC:.2f}", noise_loss=f"{NOISE_LOSS:.2f}"),
    ])  # fmt: skip


@fragment("case-figure-case1", inputs=run_globs("case1"), case="case1")
@fragment("case-figure-case2", inputs=run_globs("case2"), case="case2")
@fragment("case-figure-case3", inputs=run_globs("case3"), case="case3")
@fragment("case-figure-case4", inputs=run_globs("case4"), case="case4")
@fragment("case-figure-case5", inputs=run_globs("case5"), case="case5")
def case_figure(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's learning curves and our numbers: shown before the author's analysis."""
    w = TEXT[lang]
    runs = present_runs(results_dir, (case,))
    if case not in runs:
        return _missing(lang, [case])
    title = CASES[case].title(lang)
    alt = w["alt_curves"].format(title=title, n=len(runs[case].epochs))
    caption = w["cap_curves"].format(title=title)
    return "\n".join([_image(f"curves-{case}", alt, caption), _our_run(runs[case], lang)])


@fragment("case-claims-case1", inputs=run_globs("case1"), case="case1")
@fragment("case-claims-case2", inputs=run_globs("case2", *REFERENCES["case2"]), case="case2")
@fragment("case-claims-case3", inputs=run_globs("case3", *REFERENCES["case3"]), case="case3")
@fragment("case-claims-case4", inputs=run_globs("case4", *REFERENCES["case4"]), case="case4")
@fragment("case-claims-case5", inputs=run_globs("case5", *REFERENCES["case5"]), case="case5")
def case_claims(lang: Lang, *, case: str, results_dir: Path) -> str:
    """The author's claims of a case checked against our run: shown after the analysis."""
    w = TEXT[lang]
    runs = present_runs(results_dir, (case, *REFERENCES[case]))
    if case not in runs:
        return ""  # the figure block already says how to train it
    return "\n".join([w["claims_lead"], _claims(case, runs, lang)])


@fragment("results-glance", inputs=ALL_RUNS)
def results_glance(lang: Lang, *, results_dir: Path) -> str:
    """The home page's summary: each trained case's test accuracy, no "winner" picked."""
    w = TEXT[lang]
    runs = present_runs(results_dir)
    if not runs:
        return _missing(lang, list(ORDER))
    items = []
    for case in ORDER:
        if case in runs:
            s = summarize(runs[case])
            items.append(w["glance_item"].format(name=CASES[case].title(lang),
                                                 test=_num(s["test_accuracy"]),
                                                 val=_num(s["final_val_accuracy"])))  # fmt: skip
    n_test = _n_images(next(iter(runs.values())), "test")
    lead = w["glance_lead"].format(n=len(runs), noise=f"{NOISE_ACC:.2f}", n_test=n_test)
    return lead + "\n\n" + "\n".join(f"- {item}" for item in items) + "\n"


@fragment("verdict-rules")
def verdict_rules(lang: Lang) -> str:
    """How the verdicts are decided: once per page, not once per case."""
    return TEXT[lang]["rules"].format(
        tol_acc=f"{TOL_ACC:.2f}",
        tol_loss=f"{TOL_LOSS:.2f}",
        noise_acc=f"{NOISE_ACC:.2f}",
        noise_loss=f"{NOISE_LOSS:.2f}",
    )


@fragment("overlay-block", inputs=ALL_RUNS)
def overlay_block(lang: Lang, *, results_dir: Path) -> str:
    """The cross-case overlay when at least one run exists, and which runs are still missing."""
    w = TEXT[lang]
    runs = present_runs(results_dir)
    if not runs:
        return _missing(lang, list(ORDER))
    text = _image("overlay-val", w["alt_overlay"], w["cap_overlay"])
    absent = [c for c in ORDER if c not in runs]
    if absent:
        text += "\n" + _missing(lang, absent)
    return text


@fragment("case4-vs-case5-block", inputs=run_globs("case4", "case5"))
def case4_vs_case5_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4 next to Case 5 (the notes' re-analysis) once both runs exist."""
    w = TEXT[lang]
    runs = present_runs(results_dir, ("case4", "case5"))
    absent = [c for c in ("case4", "case5") if c not in runs]
    if absent:
        return _missing(lang, absent)
    s4, s5 = summarize(runs["case4"]), summarize(runs["case5"])
    return _image("case4-vs-case5", w["alt_vs"], w["cap_vs"]) + "\n" + w["vs_text"].format(
        v4=_num(s4["final_val_accuracy"]), v5=_num(s5["final_val_accuracy"]),
        t4=_num(s4["test_accuracy"]), t5=_num(s5["test_accuracy"]),
        g4=f"{s4['final_train_val_gap']:+.3f}", g5=f"{s5['final_train_val_gap']:+.3f}",
    ) + "\n"  # fmt: skip


@fragment("case4-dropout-block", inputs=run_globs("case4", "case3"))
def case4_dropout_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4's dropout evidence (ERRATA 43): the figure and the verdict on "underfitting"."""
    w = TEXT[lang]
    runs = present_runs(results_dir, ("case4", "case3"))
    if "case4" not in runs:
        return _missing(lang, ["case4"])
    check = check_case("case4", runs, lang)[-1]
    return "\n".join([
        _image("case4-dropout", w["alt_dropout"], w["cap_dropout"]),
        w["dropout_text"].format(ours=check.ours, verdict=w["verdict"][check.verdict],
                                 why=check.why),
    ])  # fmt: skip
