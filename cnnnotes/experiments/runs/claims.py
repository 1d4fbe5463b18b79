"""The notes' claims checked against every committed seed, through :mod:`~.stats`.

Each case's analysis in the notes quotes numbers (≈ 0.69 validation accuracy)
and draws conclusions ("no gain", "underfitting"). :func:`verdicts` turns each
into a :class:`Verdict` that carries its outcome **and** its numbers (the
estimate, the interval, n, the method, the observed correlation of a paired
interval). Every place that states a conclusion — the claims tables, the
correction boxes that quote a verdict, the prose of a block — renders from these
objects (:mod:`cnnnotes.experiments.runs._claims_render`), so a box and its table row cannot
disagree.

What is measured, per run (the summaries of :func:`cnnnotes.experiments.runs.stats.summarize`
where they apply, so that one epoch cannot swing a verdict):

- a quoted validation number is compared with ``val_accuracy_last5`` /
  ``val_loss_last5``; a quoted training number with the mean of the training
  curve over the same last :data:`cnnnotes.experiments.runs.stats.LAST` epochs (the notes quote the
  curve Keras reports, dropout on where the case has dropout);
- comparisons between cases use the summaries of ``stats.summarize``; every
  train–validation gap is ``summarize(run)["gap"]``, measured with dropout **off**
  (ERRATA 43), and no verdict mixes dropout-on and dropout-off numbers;
- claims about the shape of a curve use a per-run difference (for example the last
  five epochs' mean validation loss minus the five before) and a one-sample interval.

Intervals, tolerances and rules are those of :mod:`cnnnotes.experiments.runs.stats`: paired by seed
when :func:`cnnnotes.experiments.runs.stats.paired`, Welch otherwise; fewer than ``MIN_N`` seeds
give no interval and the verdict "can't tell".

Nothing here imports matplotlib or TensorFlow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.record import RunResult

__all__ = [
    "MEASURES",
    "Seeds",
    "Verdict",
    "binomial_se",
    "measure",
    "references",
    "verdicts",
]

Outcome = stats.Outcome
Kind = Literal["quoted", "relation", "shape", "hypothesis", "missing"]
#: Runs of several cases: case name → seed → run.
Seeds = Mapping[str, Mapping[int, RunResult]]

#: Epoch (1-based) after which the notes say Case 1's validation curves turn (their 5–7 + 1).
TURN = 8


def _mean_last(run: RunResult, key: str) -> float:
    return float(np.mean(run.history[key][-stats.LAST :]))


def _summary(name: str) -> Callable[[RunResult], float]:
    return lambda run: stats.summarize(run).get(name, float("nan"))


def _late_change(run: RunResult) -> float:
    v = run.history["val_loss"]
    return float(np.mean(v[-stats.LAST :]) - np.mean(v[-2 * stats.LAST : -stats.LAST]))


def _gain_after_turn(run: RunResult) -> float:
    v = run.history["val_accuracy"]
    return float(v[TURN:].max() - v[:TURN].max())


def _rise_after_turn(run: RunResult) -> float:
    v = run.history["val_loss"]
    return float(np.mean(v[-stats.LAST :]) - np.mean(v[TURN - 3 : TURN]))


def _gap_widening(run: RunResult) -> float:
    # Case 1 has no dropout: its per-epoch training accuracy is the dropout-off one
    g = run.history["accuracy"] - run.history["val_accuracy"]
    return float(np.mean(g[-stats.LAST :]) - g[TURN - 1])


#: What each verdict measures on one run, by name (the names are those the pages show).
MEASURES: dict[str, Callable[[RunResult], float]] = {
    **{k: _summary(k) for k in stats.TOL},
    "train_accuracy_last5": lambda r: _mean_last(r, "accuracy"),
    "train_loss_last5": lambda r: _mean_last(r, "loss"),
    "train_accuracy_off": lambda r: float(r.metrics.get("train_accuracy", float("nan"))),
    "late_change": _late_change,
    "gain_after_turn": _gain_after_turn,
    "rise_after_turn": _rise_after_turn,
    "gap_widening": _gap_widening,
}
#: The tolerance of each measure: that of the ``stats`` summary it is measured like.
_TOL_OF: dict[str, str] = {
    **{k: k for k in stats.TOL},
    "train_accuracy_last5": "val_accuracy_last5",
    "train_loss_last5": "val_loss_last5",
    "train_accuracy_off": "val_accuracy_last5",
    "late_change": "val_loss_last5",
    "gain_after_turn": "val_accuracy_last5",
    "rise_after_turn": "val_loss_last5",
    "gap_widening": "gap",
}


@dataclass(frozen=True)
class Verdict:
    """One claim of the notes judged over seeds: the outcome and the numbers behind it.

    Attributes
    ----------
    case, key
        The case and the claim (a key of the claims catalogue).
    kind
        ``quoted`` (a number the notes quote, against a prediction interval),
        ``relation`` (two cases compared), ``shape`` (a per-run difference within one
        case), ``hypothesis`` (no run can show it) or ``missing`` (a run to compare with
        is not trained yet).
    outcome
        ``agree``, ``disagree`` or ``unclear`` (can't tell).
    measure
        The key of :data:`MEASURES` that was measured (empty for hypotheses).
    claim
        The claim type judged: ``same``, ``higher`` or ``lower`` (None for quoted numbers).
    interval
        The difference (relation, shape) or the prediction interval (quoted numbers).
    tol
        The practical tolerance used.
    cases
        The case, then the reference case of a relation.
    means, ns
        The mean of the measure and the number of seeds, per case in ``cases``.
    quoted
        The notes' value (low, high) for a quoted number.
    """

    case: str
    key: str
    kind: Kind
    outcome: Outcome
    measure: str = ""
    claim: stats.Claim | None = None
    interval: stats.Interval | None = None
    tol: float = 0.0
    cases: tuple[str, ...] = ()
    means: tuple[float, ...] = ()
    ns: tuple[int, ...] = ()
    quoted: tuple[float, float] | None = None

    @property
    def n(self) -> int:
        """Seeds behind the interval (0 without one)."""
        return self.interval.n if self.interval is not None else 0


def binomial_se(p: float, n: int) -> float:
    """Standard error of an accuracy ``p`` measured on ``n`` independent images."""
    if n < 1:
        raise ValueError(f"n: {n} < 1")
    return float(np.sqrt(max(p * (1.0 - p), 0.0) / n))


def measure(name: str, runs: Mapping[int, RunResult]) -> dict[int, float]:
    """The measure ``name`` of each run, by seed (runs that lack it are left out)."""
    values = {s: MEASURES[name](r) for s, r in sorted(runs.items())}
    return {s: v for s, v in values.items() if not np.isnan(v)}


def _mean(values: Mapping[int, float]) -> float:
    return float(np.mean(list(values.values()))) if values else float("nan")


class _Judge:
    """Builds the verdicts of one case from its seeds and its references' seeds."""

    def __init__(self, case: str, seeds: Seeds) -> None:
        self.case, self.seeds = case, seeds

    def quoted(self, key: str, name: str, low: float, high: float) -> Verdict:
        values = measure(name, self.seeds[self.case])
        ours = stats.prediction_interval(list(values.values()))
        tol = stats.TOL[_TOL_OF[name]]
        outcome = stats.judge_quoted(low, high, ours, tol)
        return Verdict(
            self.case,
            key,
            "quoted",
            outcome,
            name,
            None,
            ours,
            tol,
            (self.case,),
            (_mean(values),),
            (len(values),),
            (low, high),
        )

    def shape(self, key: str, name: str, claim: stats.Claim) -> Verdict:
        values = measure(name, self.seeds[self.case])
        zero = dict.fromkeys(values, 0.0)
        diff = stats.difference(values, zero, pair=True)
        diff = dataclasses.replace(diff, method="one-sample", correlation=None)
        tol = stats.TOL[_TOL_OF[name]]
        return Verdict(
            self.case,
            key,
            "shape",
            stats.judge(diff, claim, tol),
            name,
            claim,
            diff,
            tol,
            (self.case,),
            (_mean(values),),
            (len(values),),
        )

    def relation(self, key: str, name: str, ref: str, claim: stats.Claim) -> Verdict:
        tol = stats.TOL[_TOL_OF[name]]
        if ref not in self.seeds or not self.seeds[ref]:
            return Verdict(
                self.case, key, "missing", "unclear", name, claim, None, tol, (self.case, ref)
            )
        a, b = measure(name, self.seeds[self.case]), measure(name, self.seeds[ref])
        diff = stats.difference(a, b, pair=stats.paired(CASES[self.case], CASES[ref]))
        return Verdict(
            self.case,
            key,
            "relation",
            stats.judge(diff, claim, tol),
            name,
            claim,
            diff,
            tol,
            (self.case, ref),
            (_mean(a), _mean(b)),
            (len(a), len(b)),
        )

    def hypothesis(self, key: str) -> Verdict:
        return Verdict(self.case, key, "hypothesis", "unclear", cases=(self.case,))


_Claims = Callable[[_Judge], list[Verdict]]
#: The claims of each case, as recorded by :func:`_claims_of`.
_CASES: dict[str, _Claims] = {}


def _claims_of(case: str) -> Callable[[_Claims], _Claims]:
    """Decorator: record the claims the notes make about ``case`` (a case without any has none)."""

    def record(func: _Claims) -> _Claims:
        _CASES[case] = func
        return func

    return record


class _References:
    """A stand-in judge that only notes which cases a case's claims compare with."""

    def __init__(self) -> None:
        self.cases: list[str] = []

    def relation(self, key: str, name: str, ref: str, claim: stats.Claim) -> None:
        if ref not in self.cases:
            self.cases.append(ref)

    def quoted(self, *args: object) -> None:
        return None

    shape = hypothesis = quoted


def references(case: str) -> tuple[str, ...]:
    """The cases whose runs ``case``'s claims compare against (read off its claims), in order."""
    if case not in _CASES:
        return ()
    judge = _References()
    _CASES[case](judge)  # type: ignore[arg-type]  # a stand-in that records the cases named
    return tuple(c for c in CASES if c in judge.cases)


@_claims_of("baseline")
def _baseline(j: _Judge) -> list[Verdict]:
    return [
        j.quoted("train_acc_079", "train_accuracy_last5", 0.79, 0.79),
        j.quoted("val_acc_069", "val_accuracy_last5", 0.69, 0.69),
        j.quoted("train_loss_061", "train_loss_last5", 0.61, 0.61),
        j.quoted("val_loss_095", "val_loss_last5", 0.95, 1.0),
        j.shape("late_flat", "late_change", "same"),
    ]


@_claims_of("case1")
def _case1(j: _Judge) -> list[Verdict]:
    return [
        j.quoted("to_one", "train_accuracy_last5", 1.0, 1.0),
        j.quoted("val_060", "val_accuracy_last5", 0.60, 0.65),
        j.shape("val_stalls", "gain_after_turn", "same"),
        j.shape("val_loss_turns", "rise_after_turn", "higher"),
        j.shape("gap_widens", "gap_widening", "higher"),
    ]


@_claims_of("case2")
def _case2(j: _Judge) -> list[Verdict]:
    return [
        j.relation("no_gain_acc", "val_accuracy_last5", "baseline", "same"),
        j.relation("no_gain_loss", "val_loss_last5", "baseline", "same"),
        j.relation("same_gap", "gap", "baseline", "same"),
        j.hypothesis("filters_suffice"),
    ]


@_claims_of("case3")
def _case3(j: _Judge) -> list[Verdict]:
    return [
        j.quoted("train_acc_079", "train_accuracy_last5", 0.79, 0.79),
        j.quoted("val_acc_069", "val_accuracy_last5", 0.69, 0.69),
        j.quoted("adam_train_loss", "train_loss_last5", 0.79, 0.79),
        j.quoted("adam_val_loss", "val_loss_last5", 0.9, 0.9),
        j.relation("same_as_rmsprop", "val_accuracy_last5", "baseline", "same"),
        j.relation("lower_val_loss", "val_loss_last5", "baseline", "lower"),
        j.relation("tendency", "gap", "baseline", "lower"),
    ]


@_claims_of("case4")
def _case4(j: _Judge) -> list[Verdict]:
    return [
        j.quoted("train_acc_065", "train_accuracy_last5", 0.65, 0.65),
        j.quoted("train_loss_095", "train_loss_last5", 0.95, 0.95),
        j.relation("underfitting", "train_accuracy_off", "case3", "lower"),
    ]


@_claims_of("case5")
def _case5(j: _Judge) -> list[Verdict]:
    return [
        j.relation("beats_case4", "val_accuracy_last5", "case4", "higher"),
        j.relation("beats_case3", "test_accuracy", "case3", "higher"),
        j.relation("ideal_curve", "gap", "case3", "lower"),
    ]


def verdicts(case: str, seeds: Seeds) -> list[Verdict]:
    """The notes' claims about ``case``, judged over every seed in ``seeds`` (case → seed → run).

    ``seeds`` must hold at least one run of ``case``; the cases of :func:`references`
    are used when present, and their claims are ``missing`` (can't tell) when absent.
    A case of :data:`cnnnotes.experiments.runs.cases.CASES` without recorded claims has none.

    Raises
    ------
    KeyError
        When ``case`` is unknown or has no run in ``seeds``.
    """
    if case not in _CASES and case not in CASES:
        raise KeyError(f"case: no claims recorded for {case!r}")
    if not seeds.get(case):
        raise KeyError(f"seeds: no run of {case!r} to check")
    if case not in _CASES:
        return []
    return _CASES[case](_Judge(case, seeds))
