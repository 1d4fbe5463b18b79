"""Which runs ``cnnnotes train`` trains: the planned runs that are not fresh, in order.

:func:`plan` reads the committed runs' status (no TensorFlow, no data: a fingerprint
is enough), refuses to replace a committed run of other data or another profile's
settings unless asked, and returns a :class:`~cnnnotes.experiments.training.reports.PlanReport`
whose items each executor trains as they are (the case travels as itself, with its
seed). Estimates come from the recorded times of the same case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from cnnnotes.experiments.runs.cases import Case, CaseError, Profile
from cnnnotes.experiments.runs.folder import run_label
from cnnnotes.experiments.runs.status import RunStatus, status
from cnnnotes.experiments.training.reports import PlanItem, PlanReport

__all__ = ["plan"]


def _estimates(states: Iterable[RunStatus]) -> dict[str, float]:
    by_case: dict[str, list[float]] = {}
    for s in states:
        if s.wall_seconds is not None:
            by_case.setdefault(s.case, []).append(s.wall_seconds)
    return {case: float(np.median(v)) for case, v in by_case.items()}


def _seed_list(seeds: Iterable[int]) -> str:
    return ", ".join(map(str, seeds))


def plan(
    profile: Profile,
    cases: Sequence[Case],
    fingerprint: str,
    results_dir: Path,
    *,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
) -> PlanReport:
    """The runs to train, seed by seed and case by case in the given order.

    A run is planned when its committed state is not ``fresh``. Without ``replace``, a
    committed run of another profile's settings or of other data, or a corrupt one (it
    cannot say what it was), is refused with one line saying what is wrong and how to
    proceed; a run whose case was edited, or that
    earlier training code made, is replaced (retraining it is the point).
    """
    wanted = None if seeds is None else {int(s) for s in seeds}
    unplanned = sorted(
        s for s in wanted or () if all(s not in profile.planned_seeds(c.name) for c in cases)
    )
    if unplanned:
        planned = ", ".join(f"{c.name} {_seed_list(profile.planned_seeds(c.name))}" for c in cases)
        raise CaseError(
            f"seed {_seed_list(unplanned)}: not planned by profile {profile.name!r} for these "
            f"cases (planned: {planned})"
        )
    states = status(profile, fingerprint, results_dir, cases)
    estimates = _estimates(states)
    chosen: list[PlanItem] = []
    by_run = {(s.case, s.seed): s for s in states}
    all_seeds = sorted({s.seed for s in states} | (wanted or set()))
    for seed in all_seeds:
        for case in cases:
            if wanted is not None and seed not in wanted:
                continue
            if seed not in profile.planned_seeds(case.name):
                continue  # --seed picks among the planned seeds (`clean` removes the others)
            state = by_run.get((case.name, seed)) or RunStatus(
                case.name, profile.name, seed, "missing"
            )
            if state.state == "fresh":
                continue
            if state.state == "corrupt" and not replace:
                raise CaseError(
                    f"{run_label(profile.name, case.name, seed)}: the committed run is corrupt "
                    f"({state.reasons[0] if state.reasons else 'unreadable'}); restore it "
                    "(git checkout), or pass --replace to overwrite it, or --results DIR to "
                    "train elsewhere"
                )
            refused = [r for r in state.reasons if r.startswith(("dataset", "profile"))]
            if refused and not replace:
                raise CaseError(
                    f"{run_label(profile.name, case.name, seed)}: the committed run differs "
                    f"({'; '.join(refused)}); pass --replace to overwrite it, "
                    "or --results DIR to train elsewhere"
                )
            chosen.append(PlanItem(case, seed, state, estimates.get(case.name)))
    return PlanReport(profile.name, tuple(chosen))
