"""The verdicts as flat rows: what ``cnnnotes claims --json`` prints and the site offers.

A row names every field plainly (``id``, ``family``, ``case``, ``kind``, ``estimate``,
``low``, ``high``, ``n``, ``outcome``, ``quoted_low``, ``quoted_high``, …), so a reader's
script needs no knowledge of the package's classes. ``outcome`` is the v2 headline, spelt
``consistent`` / ``close`` / ``agree`` / ``disagree`` / ``can't tell``; ``outcome_v1`` and
``outcome_bonferroni`` sit beside it, and ``seeds_needed`` says, for a "can't tell", how
many seeds would settle it at the observed spread (``"none"``: no number would).

The pre-registered hypotheses beyond the notes (:mod:`~cnnnotes.experiments.runs.hypotheses`)
join as rows of family ``beyond`` and kind ``hypothesis``, with the same fields; their
Bonferroni view counts the hypotheses as their own family (``bonferroni_m``), and
``missing_runs`` / ``unmeasured_runs`` name the runs a verdict still waits for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs import hypotheses, rules, stats
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.claims import Seeds
from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.experiments.runs.judged import Record, family_size, records, summary_of

__all__ = ["all_rows", "hypothesis_rows", "load", "outcome_name", "row", "rows"]


def outcome_name(outcome: str | None) -> str | None:
    """The public spelling of an outcome (``unclear`` is "can't tell")."""
    if outcome is None:
        return None
    return "can't tell" if outcome == "unclear" else outcome


def _needed(j: rules.Judgement | None) -> int | str | None:
    if j is None or j.seeds_needed is None:
        return None
    return "none" if j.seeds_needed == rules.NO_SEEDS else j.seeds_needed


def row(rec: Record) -> dict[str, Any]:
    """One record as a flat dictionary (see the module docstring)."""
    spec, j, adj = rec.spec, rec.v2, rec.adjusted
    return {
        "id": spec.id,
        "family": spec.family,
        "case": spec.case,
        "kind": spec.kind,
        "key": spec.key,
        "claim": spec.claim if spec.kind != "hypothesis" else None,
        "reference": spec.ref,
        "metric": spec.measure or None,
        "summary": summary_of(spec.measure) if spec.measure else None,
        "method": j.method if j else None,
        "n": j.n if j else 0,
        "estimate": j.estimate if j else None,
        "level": stats.LEVEL,
        "low": j.low if j else None,
        "high": j.high if j else None,
        "tolerance": j.tol if j else None,
        "quoted_low": spec.quoted[0] if spec.quoted else None,
        "quoted_high": spec.quoted[1] if spec.quoted else None,
        "seed_se": rec.seed_se,
        "image_se": rec.image_se,
        "outcome": outcome_name(rec.outcome),
        "outcome_v1": outcome_name(rec.v1.outcome) if rec.v1 else None,
        "outcome_bonferroni": outcome_name(adj.outcome) if adj else None,
        "bonferroni_m": family_size(spec.family),
        "adjusted_level": adj.level if adj else None,
        "adjusted_low": adj.low if adj else None,
        "adjusted_high": adj.high if adj else None,
        "seeds_needed": _needed(j),
        "rules": "v2",
    }


def _case_of(h: hypotheses.Hypothesis) -> str:
    return h.cases[0]


def hypothesis_rows(seeds: Seeds) -> list[dict[str, Any]]:
    """The pre-registered hypotheses judged over ``seeds``, as rows like :func:`row`'s."""
    found = hypotheses.judge_all(seeds)
    m = family_size(hypotheses.FAMILY)
    adjusted = hypotheses.judge_all(seeds, level=rules.bonferroni_level(m))
    out = []
    for f, adj in zip(found, adjusted, strict=True):
        h, j, a = f.hypothesis, f.judgement, adj.judgement
        defined = j.n > 0
        out.append(
            {
                "id": f"{hypotheses.FAMILY}.{h.id}",
                "family": hypotheses.FAMILY,
                "case": _case_of(h),
                "kind": "hypothesis",
                "key": h.id,
                "claim": h.expected,
                "reference": h.cases[1] if len(h.cases) > 1 else None,
                "cases": list(h.cases),
                "question": h.question,
                "cause": h.cause,
                "statement": h.statement,
                "quantity": h.quantity or None,
                "metric": h.metric,
                "summary": summary_of(h.metric),
                "method": j.method,
                "n": j.n,
                "estimate": j.estimate if defined else None,
                "level": j.level,
                "low": j.low,
                "high": j.high,
                "tolerance": j.tol,
                "quoted_low": None,
                "quoted_high": None,
                "seed_se": None,
                "image_se": None,
                "outcome": outcome_name(j.outcome),
                "outcome_v1": None,
                "outcome_bonferroni": outcome_name(a.outcome),
                "bonferroni_m": m,
                "adjusted_level": a.level,
                "adjusted_low": a.low,
                "adjusted_high": a.high,
                "seeds_needed": _needed(j) if j.n >= stats.MIN_N else None,
                "planned_seeds": list(h.seeds),
                "reported_n": f.reported.n if f.reported else None,
                "reported_estimate": f.reported.estimate if f.reported and f.reported.n else None,
                "reported_outcome": outcome_name(f.reported.outcome) if f.reported else None,
                "missing_runs": list(f.missing),
                "unmeasured_runs": list(f.unmeasured),
                "rules": "v2",
            }
        )
    return out


def rows(recs: Sequence[Record]) -> list[dict[str, Any]]:
    """Every record as a row, in registry order."""
    return [row(r) for r in recs]


def load(results_dir: Path, profile: str = NOTES.name) -> Seeds:
    """Every committed seed of every case under ``profile`` that has one."""
    seeds = {c: load_seeds(Path(results_dir), profile, c) for c in CASES}
    return {c: runs for c, runs in seeds.items() if runs}


def all_rows(results_dir: Path) -> list[dict[str, Any]]:
    """The rows of every registered claim and hypothesis over the runs of ``results_dir``."""
    seeds = load(results_dir)
    return rows(records(seeds)) + hypothesis_rows(seeds)
