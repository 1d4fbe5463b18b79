"""The verdicts as flat rows: what ``cnnnotes claims --json`` prints and the site offers.

A row names every field plainly (``id``, ``family``, ``case``, ``kind``, ``estimate``,
``low``, ``high``, ``n``, ``outcome``, ``quoted_low``, ``quoted_high``, …), so a reader's
script needs no knowledge of the package's classes. ``outcome`` is the v2 headline, spelt
``consistent`` / ``close`` / ``agree`` / ``disagree`` / ``can't tell``; ``outcome_v1`` and
``outcome_bonferroni`` sit beside it, and ``seeds_needed`` says, for a "can't tell", how
many seeds would settle it at the observed spread (``"none"``: no number would).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs import rules, stats
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.claims import Seeds
from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.experiments.runs.judged import Record, family_size, records, summary_of

__all__ = ["all_rows", "load", "outcome_name", "row", "rows"]


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


def rows(recs: Sequence[Record]) -> list[dict[str, Any]]:
    """Every record as a row, in registry order."""
    return [row(r) for r in recs]


def load(results_dir: Path, profile: str = NOTES.name) -> Seeds:
    """Every committed seed of every case under ``profile`` that has one."""
    seeds = {c: load_seeds(Path(results_dir), profile, c) for c in CASES}
    return {c: runs for c, runs in seeds.items() if runs}


def all_rows(results_dir: Path) -> list[dict[str, Any]]:
    """The rows of every registered claim over the committed runs of ``results_dir``."""
    return rows(records(load(results_dir)))
