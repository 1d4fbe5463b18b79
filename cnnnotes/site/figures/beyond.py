"""The page "Beyond the notes": the notes' open questions, answered by pre-registered experiments.

Every block is generated from the hypotheses file
(:mod:`cnnnotes.experiments.runs.hypotheses`), the case registry and the committed runs,
so the page renders for any subset of the experiments registered and trained: a run
not trained yet is named as still to come, never an error. Each experiment's section
(anchor ``#<case>``, the link the results table gives it) shows its learning curves
with seed bands (the per-case figure ``curves-<case>``) once it has a run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnnotes.experiments.runs import filters, hypotheses, stats
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.folder import load_kernels
from cnnnotes.experiments.runs.hypotheses import Seeds
from cnnnotes.experiments.runs.provenance import claims_digest
from cnnnotes.experiments.runs.repeats import repeats
from cnnnotes.i18n import Lang, has, t
from cnnnotes.site.figures._runs import ALL_RUNS, hardware, missing_seeds, present_seeds
from cnnnotes.site.figures._summaries import image
from cnnnotes.site.figures.filters_compared import kernel_files
from cnnnotes.site.figures.registry import fragment

__all__ = [
    "QUESTIONS",
    "beyond_intro",
    "cause_lines",
    "dropout_sentence",
    "finding_line",
    "question_block",
]

#: The notes' open questions, in page order (the ``question`` field of each hypothesis).
QUESTIONS: tuple[str, ...] = ("case4_causes", "case2_redundancy", "case1_cure")


def _title(case: str, lang: Lang) -> str:
    return CASES[case].title(lang) if case in CASES else case


@fragment("beyond-intro", inputs=ALL_RUNS)
def beyond_intro(lang: Lang, *, results_dir: Path) -> str:
    """The digest of the hypotheses file, and where the notes' and the experiments' runs ran."""
    seeds = present_seeds(results_dir)
    machines = {
        beyond: sorted(
            {hardware(r, lang) for c, runs in seeds.items() if CASES[c].beyond == beyond
             for r in runs.values()}
        )
        for beyond in (False, True)
    }  # fmt: skip
    lines = [t("beyond.digest", lang, digest=claims_digest(), n=len(hypotheses.load()))]
    if machines[True]:
        same = machines[True] == machines[False]
        key = "beyond.machines_same" if same else "beyond.machines_differ"
        lines.append(
            t(key, lang, notes="; ".join(machines[False]) or "—", beyond="; ".join(machines[True]))
        )
        found = repeats(seeds)
        if found:
            alike = sum(r.same for r in found)
            lines.append(t("beyond.repeats", lang, n=found[0].epochs, same=alike, pairs=len(found)))
    else:
        lines.append(t("beyond.machines_none", lang))
    return "\n\n".join(lines) + "\n"


def _experiment(case: str, lang: Lang, seeds: Seeds) -> list[str]:
    planned = hypotheses.experiments().get(case, {})
    change = str(planned.get("change", ""))
    out = [f"### {_title(case, lang)} {{ #{case} }}", "", t("beyond.change", lang, change=change)]
    runs = seeds.get(case, {})
    if case in CASES and runs:
        title = _title(case, lang)
        n_epochs = len(next(iter(runs.values())).epochs)
        alt = t("tables.alt_curves", lang, title=title, n=n_epochs, seeds=len(runs))
        cap = t("tables.cap_curves", lang, title=title, seeds=len(runs))
        out += ["", image(f"curves-{case}", alt, cap)]
    gone = missing_seeds(case, runs) if case in CASES else list(planned.get("seeds", []))
    if gone:
        out += ["", t("beyond.to_come", lang, case=case, seeds=", ".join(map(str, gone)))]
    return out


def _number(x: float | None) -> str:
    return "—" if x is None or not np.isfinite(x) else f"{x:+.3f}"


def _verdicts(found: list[hypotheses.Finding], lang: Lang) -> list[str]:
    head = t("beyond.verdict_head", lang, level=round(stats.LEVEL * 100))
    lines = [head, "| --- | --- | --- | --- | --- | --- |"]
    for f in found:
        j = f.judgement
        interval = "—" if j.low is None else f"[{_number(j.low)}, {_number(j.high)}]"
        waiting = _waiting(f, lang) or "—"
        outcome = t(f"beyond.outcome.{j.outcome}", lang)
        statement = t(f"hypothesis.{f.hypothesis.id}", lang)
        lines.append(
            f"| {statement} | {j.n} / {len(f.hypothesis.seeds)} | {_number(j.estimate)} | "
            f"{interval} | {outcome} | {waiting} |"
        )
    return lines


def _waiting(f: hypotheses.Finding, lang: Lang) -> str:
    """What ``f`` still waits for: runs not trained yet, then trained runs not measured yet."""
    parts = list(f.missing)
    if f.unmeasured:
        key = f"beyond.unmeasured.{f.hypothesis.metric}"
        parts.append(
            t(
                key if has(key, lang) else "beyond.unmeasured.other",
                lang,
                runs=", ".join(f.unmeasured),
            )
        )
    return ", ".join(parts)


def finding_line(f: hypotheses.Finding, lang: Lang) -> str:
    """One hypothesis in a sentence: its verdict with its numbers, or the runs still to come."""
    j = f.judgement
    statement = t(f"hypothesis.{f.hypothesis.id}", lang)
    waiting = _waiting(f, lang)
    if j.n == 0 and not f.unmeasured:
        return t("beyond.line_none", lang, statement=statement, runs=waiting)
    interval = "—" if j.low is None else f"[{_number(j.low)}, {_number(j.high)}]"
    line = t(
        "beyond.line",
        lang,
        statement=statement,
        outcome=t(f"beyond.outcome.{j.outcome}", lang),
        estimate=_number(j.estimate),
        interval=interval,
        n=j.n,
        planned=len(f.hypothesis.seeds),
    )
    return line + (" " + t("beyond.line_waiting", lang, runs=waiting) if waiting else "")


#: Case 4's causes, in the notes' order (the ``cause`` field of each hypothesis).
CAUSES: tuple[str, ...] = ("capacity", "learning_rate", "epochs", "regularisation")


def cause_lines(seeds: Seeds, lang: Lang) -> list[dict[str, object]]:
    """Per cause of Case 4's underfitting: its name and one line per hypothesis."""
    found = [f for f in hypotheses.judge_all(seeds) if f.hypothesis.question == "case4_causes"]
    return [
        {
            "name": t(f"beyond.cause.{cause}", lang),
            "lines": [finding_line(f, lang) for f in found if f.hypothesis.cause == cause],
        }
        for cause in CAUSES
    ]


def dropout_sentence(seeds: Seeds, lang: Lang) -> str:
    """Whether the dropout rate is the cause, from the pre-registered dose-response slope.

    A second sentence names the other causes that a supported directional hypothesis
    (expected higher or lower, not "same") backs, so "a cause" is not read as "the cause".
    """
    found = [f for f in hypotheses.judge_all(seeds) if f.hypothesis.question == "case4_causes"]
    slope = next(f for f in found if f.hypothesis.id == "dropout_dose_response")
    j = slope.judgement
    key = "waiting" if j.n == 0 else j.outcome
    sentence = t(f"beyond.dropout_cause.{key}", lang, line=finding_line(slope, lang))
    others = [
        cause
        for cause in CAUSES
        if cause != slope.hypothesis.cause
        and any(
            f.hypothesis.cause == cause
            and f.hypothesis.expected in ("higher", "lower")
            and f.judgement.outcome == "agree"
            for f in found
        )
    ]
    if not others:
        return f"{sentence} {t('beyond.other_causes_none', lang)}"
    names = "; ".join(t(f"beyond.cause.{c}", lang) for c in others)
    return f"{sentence} {t('beyond.other_causes', lang, causes=names)}"


def _conclusion(found: list[hypotheses.Finding], lang: Lang) -> str:
    counts = {o: sum(f.judgement.outcome == o for f in found) for o in ("agree", "disagree")}
    waiting = sum(bool(f.missing or f.unmeasured) for f in found)
    return t(
        "beyond.conclusion",
        lang,
        m=len(found),
        agree=counts["agree"],
        disagree=counts["disagree"],
        unclear=len(found) - counts["agree"] - counts["disagree"],
        waiting=waiting,
    )


def _redundancy(lang: Lang, results_dir: Path, *, waiting: bool) -> list[str]:
    """The filters figure and seed 0's count-matched redundancy (baseline and Case 2).

    ``waiting``: whether the registered verdict still waits for runs or kernels.
    """
    kept = all((Path(results_dir) / f).is_file() for f in kernel_files())
    shown = [image("filters-compared", t("fig.filters.alt", lang), t("fig.filters.caption", lang))]
    out = []
    for case in ("baseline", "case2"):
        runs = present_seeds(results_dir, (case,)).get(case, {})
        run = runs.get(0)
        kernels = load_kernels(run.path) if run is not None else None
        if kernels is None:
            out.append(t("beyond.redundancy_none", lang, case=case))
            continue
        initial, trained = kernels
        out.append(
            t(
                "beyond.redundancy",
                lang,
                case=case,
                trained=f"{filters.redundancy(trained):.3f}",
                initial=f"{filters.redundancy(initial):.3f}",
                gain=f"{filters.redundancy_gain(initial, trained):+.3f}",
                size=filters.SET_SIZE,
            )
        )
    seeds = "beyond.redundancy_seeds_waiting" if waiting else "beyond.redundancy_seeds"
    lines = [*(f"- {line}" for line in out), "", t(seeds, lang)]
    return [*(shown if kept else []), *lines]


def _reported(found: list[hypotheses.Finding], lang: Lang) -> list[str]:
    """Each judgement over more seeds than were registered, marked as not the verdict."""
    lines = []
    for f in found:
        r = f.reported
        if r is None or r.n == 0:
            continue
        interval = "—" if r.low is None else f"[{_number(r.low)}, {_number(r.high)}]"
        lines.append(
            t(
                "beyond.reported",
                lang,
                statement=t(f"hypothesis.{f.hypothesis.id}", lang),
                seeds=", ".join(map(str, f.hypothesis.report_seeds)),
                outcome=t(f"beyond.outcome.{r.outcome}", lang),
                estimate=_number(r.estimate),
                interval=interval,
                n=r.n,
            )
        )
    return [*(f"- {line}" for line in lines), ""] if lines else []


def question_block(lang: Lang, *, question: str, results_dir: Path) -> str:
    """One open question: the design, each experiment's curves, the verdicts, the conclusion."""
    seeds = present_seeds(results_dir)
    found = [f for f in hypotheses.judge_all(seeds) if f.hypothesis.question == question]
    design = [
        t(
            "beyond.design_item",
            lang,
            statement=t(f"hypothesis.{f.hypothesis.id}", lang),
            comparison=t(f"beyond.comparison.{f.hypothesis.comparison}", lang),
            cases=", ".join(f.hypothesis.cases),
            seeds=", ".join(map(str, f.hypothesis.seeds)),
        )
        for f in found
    ]
    named = dict.fromkeys(c for f in found for c in f.hypothesis.cases)
    planned = hypotheses.experiments()
    sections = [line for c in named if c in planned for line in ("", *_experiment(c, lang, seeds))]
    waiting = any(f.missing or f.unmeasured for f in found)
    extra = (
        _redundancy(lang, results_dir, waiting=waiting) if question == "case2_redundancy" else []
    )
    return "\n".join(
        [
            t("beyond.design_lead", lang),
            "",
            *(f"- {d}" for d in design),
            *sections,
            "",
            f"### {t('beyond.verdicts_title', lang)} {{ #verdicts-{question.replace('_', '-')} }}",
            "",
            *_verdicts(found, lang),
            "",
            *_reported(found, lang),
            *extra,
            "",
            f"**{_conclusion(found, lang)}**",
            "",
        ]
    )


for _q in QUESTIONS:
    fragment(f"beyond-{_q.replace('_', '-')}", inputs=ALL_RUNS, question=_q)(question_block)
