"""Correction boxes and tables that state how our runs behave, rendered from records only.

Every sentence here about this site's runs comes from a
:class:`cnnnotes.experiments.runs.judged.Record` (a verdict under the v2 rules) or from the
per-run summaries, worded by the catalogues and templates: the ERRATA 33, 37, 41, 42
and 44 boxes, the table of our own corrections on the errata page (with a filter for
those the runs did not support), and the record of what v2 changed. Alter the runs
and every one of them changes its wording.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs._judged_render import box_line, claim_words, describe2, outcome_word
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.judged import Record, records
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.i18n import Lang, t, words
from cnnnotes.i18n.prose import render
from cnnnotes.site.figures._runs import ALL_RUNS, notes_order, present_seeds, seed_globs
from cnnnotes.site.figures.beyond import cause_lines, dropout_sentence
from cnnnotes.site.figures.registry import fragment

__all__ = [
    "corrections_table",
    "errata_33_box",
    "errata_41_box",
    "errata_42_box",
    "errata_44_box",
    "same_outcome",
    "unsupported",
    "verdict_review",
]

#: Outcomes of our corrections that the runs did not support.
_UNSUPPORTED = ("disagree", "unclear")


def _by_id(results_dir: Path, cases: tuple[str, ...]) -> dict[str, Record]:
    seeds = present_seeds(results_dir, cases)
    return {r.spec.id: r for r in records(seeds)} if seeds else {}


def _lines(recs: dict[str, Record], ids: tuple[str, ...], lang: Lang) -> list[str]:
    return [box_line(recs[i], lang) for i in ids if i in recs]


def _case_name(case: str, lang: Lang) -> str:
    return t("claims.baseline", lang) if case == "baseline" else case.replace("case", "Case ")


def _sd(runs: dict[int, RunResult], key: str) -> float:
    values = [float(np.mean(r.history[key][-stats.LAST :])) for r in runs.values()]
    return float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")


@fragment("errata-33-box", inputs=seed_globs(*CASES))
def errata_33_box(lang: Lang, *, results_dir: Path) -> str:
    """ERRATA 33: the size of run-to-run noise, as the seeds of every case show it."""
    seeds = {c: r for c, r in present_seeds(results_dir, notes_order()).items() if len(r) > 1}
    if not seeds:
        return t("tables.box_missing", lang) + "\n"
    acc = {c: _sd(r, "val_accuracy") for c, r in seeds.items()}
    loss = {c: _sd(r, "val_loss") for c, r in seeds.items()}
    top_acc, top_loss = max(acc, key=acc.__getitem__), max(loss, key=loss.__getitem__)
    return render(
        "errata-33", lang, last=stats.LAST, n_cases=len(seeds),
        acc_low=f"{min(acc.values()):.3f}", acc_high=f"{acc[top_acc]:.3f}",
        loss_low=f"{min(loss.values()):.3f}", loss_high=f"{loss[top_loss]:.3f}",
        acc_case=_case_name(top_acc, lang), loss_case=_case_name(top_loss, lang),
    )  # fmt: skip


@fragment("errata-41-box", inputs=seed_globs("case3", "baseline"))
def errata_41_box(lang: Lang, *, results_dir: Path) -> str:
    """ERRATA 41: our "Adam fits at least as fast" and the notes' "tendency", as judged."""
    recs = _by_id(results_dir, ("baseline", "case3"))
    ids = ("ours.adam_fits_fast", "case3.train_loss_higher", "case3.tendency")
    return render(
        "errata-41", lang, lines=_lines(recs, ids, lang) or [t("tables.box_missing", lang)]
    )


@fragment("errata-42-box", inputs=seed_globs("case3", "baseline"))
def errata_42_box(lang: Lang, *, results_dir: Path) -> str:
    """ERRATA 42: our "within noise" and the notes' lower validation loss, as judged."""
    recs = _by_id(results_dir, ("baseline", "case3"))
    ids = ("ours.val_loss_noise", "case3.lower_val_loss")
    return render(
        "errata-42", lang, lines=_lines(recs, ids, lang) or [t("tables.box_missing", lang)]
    )


@fragment("errata-44-box", inputs=ALL_RUNS)
def errata_44_box(lang: Lang, *, results_dir: Path) -> str:
    """ERRATA 44: what the experiments beyond the notes found about Case 4's four causes.

    Each cause's pre-registered verdicts (or the runs still to come), whether the dropout
    rate is the cause (the dose-response slope), "enough epochs" within Case 3, and the
    verdicts of the notes' claims about Case 4 and Case 5.
    """
    seeds = present_seeds(results_dir)
    recs = {r.spec.id: r for r in records(seeds)}
    epochs = recs.get("ours.enough_epochs")
    ids = ("case5.beats_case4", "case5.better_training", "case4.underfitting")
    return render(
        "errata-44", lang,
        causes=cause_lines(seeds, lang),
        dropout=dropout_sentence(seeds, lang),
        epochs=box_line(epochs, lang) if epochs else t("tables.box_missing", lang),
        lines=_lines(recs, ids, lang),
    )  # fmt: skip


def unsupported(recs: list[Record]) -> list[Record]:
    """Our corrections the runs did not support (disagree or can't tell)."""
    return [r for r in recs if r.spec.family == "ours" and r.outcome in _UNSUPPORTED]


@fragment("corrections-table", inputs=seed_globs(*CASES))
def corrections_table(lang: Lang, *, results_dir: Path) -> str:
    """The errata page's table of our own corrections as judged, with an "unsupported" filter."""
    seeds = present_seeds(results_dir)
    ours = records(seeds, family="ours") if seeds else []
    if not ours:
        return t("tables.box_missing", lang) + "\n"
    head = words("v2.ours_head", lang)
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    bad = unsupported(ours)
    for r in ours:
        c = describe2(r, lang)
        support = t("v2.not_supported" if r in bad else "v2.supported", lang)
        rows.append(
            f"| {claim_words(r, lang)} | {support} | {c.ours} "
            f"| **{outcome_word(r.outcome, lang)}**: {c.why} | {c.bonferroni} |"
        )
    # its own container, so the errata page's filter script finds this table, not the first
    return "\n".join([
        t("v2.ours_lead", lang), '<div class="corrections" markdown>', "",
        '<div class="errata-filter" data-column="1" markdown></div>', "", *rows, "", "</div>",
    ]) + "\n"  # fmt: skip


def same_outcome(v1: str, v2: str) -> bool:
    """Whether a v2 outcome says what the v1 one did (v1's "agree" on a quoted number is
    v2's "consistent": the same verdict under a new name)."""
    return v1 == v2 or (v1 == "agree" and v2 == "consistent")


def _changed_rows(recs: list[Record], lang: Lang) -> list[str]:
    head = words("v2.changed_head", lang)
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in recs:
        if r.v1 is None or r.v2 is None or same_outcome(r.v1.outcome, r.outcome):
            continue
        c = describe2(r, lang)
        rows.append(f"| {c.claim} | {c.v1} | **{c.verdict}** | {c.ours} |")
    return rows if len(rows) > 2 else []


@fragment("verdict-review", inputs=seed_globs(*CASES))
def verdict_review(lang: Lang, *, results_dir: Path) -> str:
    """What the v2 rules changed against v1, how many outcomes the Bonferroni view changes,
    and the seed and image parts of one test-accuracy comparison."""
    seeds = present_seeds(results_dir)
    recs = records(seeds) if seeds else []
    judged = [r for r in recs if r.v2 is not None and r.adjusted is not None]
    if not judged:
        return ""
    both = [r for r in judged if r.v1 is not None]
    changed = _changed_rows(judged, lang)
    bonf = sum(1 for r in judged if r.adjusted is not None and r.adjusted.outcome != r.outcome)
    split = next((r for r in judged if r.seed_se is not None and r.image_se is not None), None)
    example = ""
    if split is not None and split.seed_se is not None and split.image_se is not None:
        seed_se, image_se = f"{split.seed_se:.4f}", f"{split.image_se:.4f}"
        example = t("v2.split", lang, claim=claim_words(split, lang), seed=seed_se, image=image_se)
    return render(
        "verdict-review", lang, n_both=len(both), n_changed=max(len(changed) - 2, 0),
        table="\n".join(changed), n_bonf=bonf, n_all=len(judged), example=example,
    )  # fmt: skip
