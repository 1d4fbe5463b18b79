"""Generated text about the notes' claims: per-case blocks, claims tables, boxes, the rules.

Every verdict comes from :func:`cnnnotes.experiments.runs.judged.records` over every committed seed
(the v2 outcome, with the v1 one of :mod:`cnnnotes.experiments.runs.claims` beside it) and is worded
by :mod:`cnnnotes.experiments.runs._judged_render`; a table row, the ERRATA 37 box and the Case 4
prose that quote the same verdict render from the same record. A
block shows a figure only when the runs it needs exist, so the strict build passes
with any subset of runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs._judged_render import box_line, describe2
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.claims import binomial_se, references
from cnnnotes.experiments.runs.judged import REGISTRY, Record, records
from cnnnotes.experiments.runs.judged import references as judged_references
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.i18n import Lang, t, words
from cnnnotes.i18n.prose import render
from cnnnotes.site.casepage import on_cases_page
from cnnnotes.site.figures._runs import missing_seeds, present_seeds, seed_globs
from cnnnotes.site.figures._summaries import (
    image,
    missing_block,
    n_images,
    num,
    spread,
    summarize,
)
from cnnnotes.site.figures.registry import fragment, per_case

__all__ = [
    "case2_box",
    "case4_dropout_block",
    "case4_vs_case5_block",
    "case_block",
    "case_claims",
    "case_figure",
    "verdict_rules",
]


def _md_row(cells: Sequence[str]) -> str:
    """One row of a Markdown table."""
    return "| " + " | ".join(cells) + " |"


def _claims(recs: list[Record], lang: Lang) -> str:
    """The claims table: the v2 verdict with why, the v1 outcome and the Bonferroni view."""
    head = words("v2.head", lang)
    rows = [_md_row(head), _md_row(["---"] * len(head))]
    for r in recs:
        c = describe2(r, lang)
        rows.append(_md_row([c.claim, c.ours, f"**{c.verdict}**: {c.why}", c.v1, c.bonferroni]))
    return "\n".join(rows) + "\n"


def _notes_records(case: str, seeds: dict[str, dict[int, RunResult]]) -> list[Record]:
    return records(seeds, family="notes", case=case)


def _our_runs(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    """Our numbers over the seeds of one case: mean ± sd, with n and the missing seeds."""
    rows = [summarize(r) for r in runs.values()]
    first = next(iter(runs.values()))
    gone = missing_seeds(case, runs)
    return t(
        "tables.our_runs", lang,
        n=len(runs), planned=len(NOTES.planned_seeds(case)),
        seeds=", ".join(map(str, runs)), epochs=rows[0]["epochs"],
        missing=t("tables.our_missing", lang, seeds=", ".join(map(str, gone))) if gone else "",
        val=spread([r["val_accuracy_last5"] for r in rows]),
        test=spread([r["test_accuracy"] for r in rows]),
        off=spread([r["train_accuracy_dropout_off"] for r in rows]),
        gap=spread([r["gap_dropout_off"] for r in rows]),
        se_val=num(binomial_se(rows[0]["val_accuracy_last5"], n_images(first, "validation"))),
        n_val=n_images(first, "validation"), n_test=n_images(first, "test"),
        params=rows[0]["param_count"],
    )  # fmt: skip  # arguments grouped: the spreads, then the sample sizes


def _refs(case: str) -> tuple[str, ...]:
    """The cases the v1 and v2 claims about ``case`` compare against."""
    both = set(references(case)) | set(judged_references(case))
    return tuple(c for c in CASES if c in both)


def _block_seeds(results_dir: Path, case: str) -> dict[str, dict[int, RunResult]]:
    return present_seeds(results_dir, (case, *_refs(case)))


def _claim_inputs(case: str) -> tuple[str, ...]:
    """Every seed of ``case`` and of the cases its claims compare against."""
    return seed_globs(case, *_refs(case))


@per_case("case-{case}", kind="md", inputs=_claim_inputs)
def case_block(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's block: its learning curves, our numbers, and the notes' claims checked.

    Without the run it says the run is not trained yet and how to train it.
    """
    seeds = _block_seeds(results_dir, case)
    if case not in seeds:
        return missing_block(lang, [case])
    checked = _notes_records(case, seeds)
    claims = (
        [t("tables.claims_lead", lang), _claims(checked, lang), verdict_rules(lang)]
        if checked
        else []
    )
    return "\n".join(
        [_curves_image(case, seeds[case], lang), _our_runs(case, seeds[case], lang), *claims]
    )


def _curves_image(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    title = CASES[case].title(lang)
    n_epochs = len(next(iter(runs.values())).epochs)
    alt = t("tables.alt_curves", lang, title=title, n=n_epochs, seeds=len(runs))
    return image(f"curves-{case}", alt, t("tables.cap_curves", lang, title=title, seeds=len(runs)))


@per_case("case-figure-{case}", kind="md", inputs=seed_globs, applies=on_cases_page)
def case_figure(lang: Lang, *, case: str, results_dir: Path) -> str:
    """A case's learning curves and our numbers: shown before the author's analysis."""
    seeds = present_seeds(results_dir, (case,))
    if case not in seeds:
        return missing_block(lang, [case])
    return "\n".join([_curves_image(case, seeds[case], lang), _our_runs(case, seeds[case], lang)])


@per_case("case-claims-{case}", kind="md", inputs=_claim_inputs, applies=on_cases_page)
def case_claims(lang: Lang, *, case: str, results_dir: Path) -> str:
    """The author's claims of a case checked over our seeds: shown after the analysis."""
    seeds = _block_seeds(results_dir, case)
    if case not in seeds or not (checked := _notes_records(case, seeds)):
        return ""  # the figure block already says how to train it; or no claims to check
    return "\n".join([t("tables.claims_lead", lang), _claims(checked, lang)])


@fragment("case2-box", inputs=seed_globs("case2", "baseline"))
def case2_box(lang: Lang, *, results_dir: Path) -> str:
    """The conclusions the ERRATA 37 box states: the claims table's row and our own statement."""
    seeds = present_seeds(results_dir, ("case2", "baseline"))
    if "case2" not in seeds:
        return t("tables.box_missing", lang) + "\n"
    recs = {r.spec.id: r for r in records(seeds, case="case2")}
    ids = ("case2.no_gain_acc", "ours.no_measurable_difference")
    return "\n".join(f"- {box_line(recs[i], lang)}" for i in ids if i in recs) + "\n"


@fragment("verdict-rules")
def verdict_rules(lang: Lang) -> str:
    """How the verdicts are decided (rules: :mod:`cnnnotes.experiments.runs.stats`), once a page."""
    tol = stats.TOL
    return render(
        "verdict-rules",
        lang,
        level=stats.LEVEL,
        min_n=stats.MIN_N,
        last=stats.LAST,
        tol_acc=tol["val_accuracy_last5"],
        tol_loss=tol["val_loss_last5"],
        tol_gap=tol["gap"],
        n_verdicts=sum(1 for spec in REGISTRY if spec.kind != "hypothesis"),
    )


@fragment("case4-vs-case5-block", inputs=seed_globs("case4", "case5"))
def case4_vs_case5_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4 next to Case 5 (the notes' re-analysis) once both runs exist."""
    seeds = present_seeds(results_dir, ("case4", "case5"))
    absent = [c for c in ("case4", "case5") if c not in seeds]
    if absent:
        return missing_block(lang, absent)
    s4 = [summarize(r) for r in seeds["case4"].values()]
    s5 = [summarize(r) for r in seeds["case5"].values()]

    def sp(rows: list[dict[str, Any]], key: str) -> str:
        return spread([r[key] for r in rows])

    figure = image("case4-vs-case5", t("tables.alt_vs", lang), t("tables.cap_vs", lang))
    return figure + "\n" + t(
        "tables.vs_text", lang,
        v4=sp(s4, "val_accuracy_last5"), v5=sp(s5, "val_accuracy_last5"),
        t4=sp(s4, "test_accuracy"), t5=sp(s5, "test_accuracy"),
        g4=sp(s4, "gap_dropout_off"), g5=sp(s5, "gap_dropout_off"), n4=len(s4), n5=len(s5),
    ) + "\n"  # fmt: skip  # arguments paired: each line is case 4 beside case 5


@fragment("case4-dropout-block", inputs=seed_globs("case4", "case3"))
def case4_dropout_block(lang: Lang, *, results_dir: Path) -> str:
    """Case 4's dropout evidence (ERRATA 43): the figure and the verdict on "underfitting"."""
    seeds = present_seeds(results_dir, ("case4", "case3"))
    if "case4" not in seeds:
        return missing_block(lang, ["case4"])
    recs = {r.spec.id: r for r in records(seeds, case="case4")}
    check = describe2(recs["case4.underfitting"], lang)
    return "\n".join(
        [
            image("case4-dropout", t("tables.alt_dropout", lang), t("tables.cap_dropout", lang)),
            t(
                "tables.dropout_text",
                lang,
                ours=check.ours,
                verdict=check.verdict,
                why=check.why,
            ),
        ]
    )
