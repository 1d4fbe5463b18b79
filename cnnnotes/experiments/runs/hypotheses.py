"""The pre-registered hypotheses beyond the notes, judged against their runs.

``cnnnotes/experiments/hypotheses.toml`` was committed on its own before any run of the
experiments it names, and every such run records the file's sha256
(:func:`~cnnnotes.experiments.runs.provenance.claims_digest`). :func:`load` reads it
(validating every field, one line per mistake); :func:`judge_all` judges each hypothesis
on the runs that exist, under the site's v2 rules (:mod:`~cnnnotes.experiments.runs.rules`),
as family ``beyond``, at the unadjusted level or (``level``) the family's Bonferroni
level. A hypothesis whose runs are not all trained yet is judged on the seeds that have
every run it needs; with fewer than three it is "can't tell", and says which runs are
still missing, and which trained runs lack what its metric reads (kernels, an
evaluation after epoch 20).

Per-run measures (:func:`measure`):

- ``train_accuracy_off``: the final model on the training images, dropout off;
  ``…@20`` the same evaluation after epoch 20 of a longer run;
- ``val_accuracy_last5`` / ``val_loss_last5``: the mean of the last five epochs;
  ``…@20`` the mean of epochs 16–20;
- ``gap``: ``train_accuracy_off`` minus the final epoch's validation accuracy;
- ``filter_redundancy``: the count-matched redundancy of the first-layer filters,
  trained minus initial (:func:`~cnnnotes.experiments.runs.filters.redundancy_gain`).

Per-seed quantities, by ``comparison`` / ``quantity``: ``paired`` (a − b),
``welch`` (two groups), ``within-run`` (final − at 20), ``difference_of_differences``
((a − b) − (c − d)), ``difference_of_differences_in_time`` ((a − b) at the end minus at
20) and ``slope`` (least squares against ``doses``).

Nothing here imports matplotlib or TensorFlow.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs import rules, stats
from cnnnotes.experiments.runs.filters import redundancy_gain
from cnnnotes.experiments.runs.folder import load_kernels
from cnnnotes.experiments.runs.provenance import HYPOTHESES
from cnnnotes.experiments.runs.record import RunResult

__all__ = [
    "AT",
    "FAMILY",
    "Finding",
    "HypothesesError",
    "Hypothesis",
    "Seeds",
    "experiments",
    "judge",
    "judge_all",
    "load",
    "measure",
]

#: The family of every hypothesis here (the multiplicity view reads them together).
FAMILY = "beyond"
#: The notes' length: a longer run is also evaluated after it.
AT = 20

#: Runs of several cases: case name → seed → run.
Seeds = Mapping[str, Mapping[int, RunResult]]

_METRICS = (
    "train_accuracy_off",
    "val_accuracy_last5",
    "val_loss_last5",
    "gap",
    "filter_redundancy",
)
_COMPARISONS = ("paired", "welch", "within-run", "one-sample")
_QUANTITIES = (
    "",
    "after_minus_at_20",
    "difference_of_differences",
    "difference_of_differences_in_time",
    "slope",
)
_EXPECTED = ("higher", "lower", "same")
#: How many cases each quantity reads.
_ARITY = {
    ("paired", ""): 2,
    ("welch", ""): 2,
    ("within-run", "after_minus_at_20"): 1,
    ("one-sample", "difference_of_differences"): 4,
    ("one-sample", "difference_of_differences_in_time"): 2,
}


class HypothesesError(CnnnotesError, ValueError):
    """The hypotheses file is unreadable or a hypothesis in it is malformed (names which)."""


@dataclass(frozen=True)
class Hypothesis:
    """One pre-registered hypothesis (see the hypotheses file's header for each field)."""

    id: str
    question: str
    cause: str
    statement: str
    metric: str
    comparison: str
    quantity: str
    cases: tuple[str, ...]
    expected: str
    tolerance: float
    seeds: tuple[int, ...]
    report_seeds: tuple[int, ...]
    doses: tuple[float, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A hypothesis judged on the runs that exist.

    Attributes
    ----------
    hypothesis
        What was pre-registered.
    judgement
        The v2 judgement on the pre-registered seeds that have every run needed.
    values
        The per-seed quantity, by seed, over those seeds (for Welch: the first group's
        per-seed values minus the second group's mean, for showing only).
    reported
        For a hypothesis that reports on more seeds than it was registered on, the same
        judgement over those (None otherwise).
    missing
        ``case/seed-k`` of every planned run not trained yet.
    unmeasured
        ``case/seed-k`` of every trained run that lacks what the metric reads (a run
        trained without keeping its kernels; a 20-epoch run asked for ``…@20``).
    """

    hypothesis: Hypothesis
    judgement: rules.Judgement
    values: Mapping[int, float]
    reported: rules.Judgement | None
    missing: tuple[str, ...]
    unmeasured: tuple[str, ...] = ()


def _field(doc: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in doc:
        raise HypothesesError(f"{where}: missing field {key!r}")
    value = doc[key]
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise HypothesesError(f"{where}.{key}: expected {kind.__name__}, got {value!r}")
    return value


def _one(doc: Mapping[str, Any], index: int, path: Path) -> Hypothesis:
    where = f"{path.name}: hypothesis {index + 1}"
    hid = _field(doc, "id", str, where)
    where = f"{path.name}: hypothesis {hid!r}"
    metric = _field(doc, "metric", str, where)
    comparison = _field(doc, "comparison", str, where)
    quantity = str(doc.get("quantity", ""))
    expected = _field(doc, "expected", str, where)
    for name, value, known in (
        ("metric", metric, _METRICS),
        ("comparison", comparison, _COMPARISONS),
        ("quantity", quantity, _QUANTITIES),
        ("expected", expected, _EXPECTED),
    ):
        if value not in known:
            raise HypothesesError(f"{where}.{name}: {value!r} (known: {', '.join(known)})")
    cases = tuple(_field(doc, "cases", list, where))
    if not all(isinstance(c, str) and c.isidentifier() for c in cases):
        raise HypothesesError(f"{where}.cases: expected case names, got {list(cases)}")
    seeds = _seeds(doc.get("seeds"), f"{where}.seeds")
    report_seeds = _seeds(doc.get("report_seeds", list(seeds)), f"{where}.report_seeds")
    if not set(seeds) <= set(report_seeds):
        raise HypothesesError(f"{where}.report_seeds: must hold every seed of seeds")
    doses = _doses(doc, quantity, where)
    arity = len(doses) if quantity == "slope" else _ARITY.get((comparison, quantity))
    if arity is None or (quantity == "slope" and comparison != "one-sample"):
        raise HypothesesError(f"{where}.quantity: comparison {comparison!r} takes no {quantity!r}")
    if len(cases) != arity:
        raise HypothesesError(f"{where}.cases: expected {arity} case names, got {list(cases)}")
    tolerance = float(_field(doc, "tolerance", float, where))
    if not tolerance >= 0:
        raise HypothesesError(f"{where}.tolerance: {tolerance!r} < 0")
    return Hypothesis(
        id=hid,
        question=_field(doc, "question", str, where),
        cause=_field(doc, "cause", str, where),
        statement=_field(doc, "statement", str, where),
        metric=metric,
        comparison=comparison,
        quantity=quantity,
        cases=cases,
        expected=expected,
        tolerance=tolerance,
        seeds=seeds,
        report_seeds=report_seeds,
        doses=doses,
    )


def _seeds(value: object, where: str) -> tuple[int, ...]:
    ok = isinstance(value, list) and bool(value)
    if ok:
        assert isinstance(value, list)
        ok = all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in value)
        ok = ok and len(set(value)) == len(value)
    if not ok:
        raise HypothesesError(f"{where}: expected distinct ints >= 0, got {value!r}")
    assert isinstance(value, list)
    return tuple(value)


def _doses(doc: Mapping[str, Any], quantity: str, where: str) -> tuple[float, ...]:
    raw = doc.get("doses", [])
    if quantity != "slope":
        if raw:
            raise HypothesesError(f"{where}.doses: only a slope takes doses")
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(d, int | float) and not isinstance(d, bool) for d in raw
    ):
        raise HypothesesError(f"{where}.doses: expected numbers, got {raw!r}")
    if len(set(raw)) < 2:
        raise HypothesesError(f"{where}.doses: a slope needs two different doses, got {raw!r}")
    return tuple(float(d) for d in raw)


def load(path: Path = HYPOTHESES) -> tuple[Hypothesis, ...]:
    """The hypotheses of ``path``, in file order.

    Raises
    ------
    HypothesesError
        On a TOML error (with its position) or a malformed hypothesis (naming it and the
        field).
    """
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise HypothesesError(f"{path}: unreadable ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise HypothesesError(f"{Path(path).name}: {exc}") from None
    entries = doc.get("hypothesis", [])
    if not isinstance(entries, list) or not entries:
        raise HypothesesError(f"{Path(path).name}: no [[hypothesis]] entries")
    found = tuple(_one(e, i, Path(path)) for i, e in enumerate(entries))
    ids = [h.id for h in found]
    if len(set(ids)) != len(ids):
        raise HypothesesError(f"{Path(path).name}: an id is used twice ({sorted(ids)})")
    return found


def measure(metric: str, run: RunResult, *, at: int | None = None) -> float:
    """``metric`` of ``run``, at its end or (``at``) after epoch ``at`` of a longer run.

    NaN when the run does not hold it (no evaluation at ``at``, no kernels).
    """
    if metric == "filter_redundancy":
        kernels = load_kernels(run.path) if run.path is not None else None
        return math.nan if kernels is None else redundancy_gain(*kernels)
    if metric in ("val_accuracy_last5", "val_loss_last5"):
        curve = run.history[metric.removesuffix("_last5")]
        end = len(curve) if at is None else at
        if end > len(curve):
            return math.nan
        return float(np.mean(curve[end - stats.LAST : end]))
    suffix = "" if at is None else f"_at_{at}"
    off = run.metrics.get(f"train_accuracy{suffix}", math.nan)
    if metric == "train_accuracy_off":
        return float(off)
    if metric == "gap":
        if at is not None:
            return math.nan
        return float(off - run.history["val_accuracy"][-1])
    raise ValueError(f"metric: unknown {metric!r}")


def _per_seed(h: Hypothesis, seeds: Seeds, wanted: Sequence[int]) -> dict[int, float]:
    """The per-seed quantity over the seeds of ``wanted`` that have every run needed."""
    out: dict[int, float] = {}
    for seed in wanted:
        runs = [seeds.get(case, {}).get(seed) for case in h.cases]
        if any(r is None for r in runs):
            continue
        rs: list[RunResult] = [r for r in runs if r is not None]
        m = [measure(h.metric, r) for r in rs]
        if h.quantity == "after_minus_at_20":
            value = m[0] - measure(h.metric, rs[0], at=AT)
        elif h.quantity == "difference_of_differences":
            value = (m[0] - m[1]) - (m[2] - m[3])
        elif h.quantity == "difference_of_differences_in_time":
            early = [measure(h.metric, r, at=AT) for r in rs]
            value = (m[0] - m[1]) - (early[0] - early[1])
        elif h.quantity == "slope":
            value = float(np.polyfit(np.asarray(h.doses), np.asarray(m), 1)[0])
        else:
            value = m[0] - m[1]
        if not math.isnan(value):
            out[seed] = float(value)
    return out


def _judged(
    h: Hypothesis, seeds: Seeds, wanted: Sequence[int], level: float
) -> tuple[rules.Judgement, dict[int, float]]:
    if h.comparison == "welch":
        a, b = (
            {s: measure(h.metric, r) for s, r in seeds.get(c, {}).items() if s in wanted}
            for c in h.cases
        )
        va = [v for v in a.values() if not math.isnan(v)]
        vb = [v for v in b.values() if not math.isnan(v)]
        judged = rules.judge_welch(va, vb, _claim(h), h.tolerance, level=level)
        mean_b = float(np.mean(vb)) if vb else math.nan
        return judged, {s: v - mean_b for s, v in a.items() if not math.isnan(v)}
    values = _per_seed(h, seeds, wanted)
    method = "paired" if h.comparison == "paired" else "one-sample"
    judged = rules.judge_values(
        list(values.values()), _claim(h), h.tolerance, level=level, method=method
    )
    return judged, values


def _claim(h: Hypothesis) -> rules.Claim:
    claim: rules.Claim = h.expected  # type: ignore[assignment]  # validated by load()
    return claim


def _unmeasured(h: Hypothesis, run: RunResult) -> bool:
    """Whether a trained run lacks what ``h`` reads of it."""
    ats: tuple[int | None, ...] = (None,)
    if h.quantity in ("after_minus_at_20", "difference_of_differences_in_time"):
        ats = (None, AT)
    return any(math.isnan(measure(h.metric, run, at=at)) for at in ats)


def judge(h: Hypothesis, seeds: Seeds, *, level: float = stats.LEVEL) -> Finding:
    """``h`` judged on ``seeds`` (case → seed → run), its interval at ``level``."""
    judgement, values = _judged(h, seeds, h.seeds, level)
    reported = None
    if set(h.report_seeds) != set(h.seeds):
        reported, _ = _judged(h, seeds, h.report_seeds, level)
    wanted = [(case, seed) for case in dict.fromkeys(h.cases) for seed in h.report_seeds]
    missing = tuple(f"{c}/seed-{s}" for c, s in wanted if s not in seeds.get(c, {}))
    unmeasured = tuple(
        f"{c}/seed-{s}" for c, s in wanted if s in seeds.get(c, {}) and _unmeasured(h, seeds[c][s])
    )
    return Finding(h, judgement, values, reported, missing, unmeasured)


def judge_all(
    seeds: Seeds, path: Path = HYPOTHESES, *, level: float | None = None
) -> list[Finding]:
    """Every hypothesis of ``path`` judged on ``seeds``, in file order.

    ``level`` defaults to the unadjusted level; pass ``bonferroni_level(len(...))`` for the
    family's multiplicity view.
    """
    found = load(path)
    lv = stats.LEVEL if level is None else level
    return [judge(h, seeds, level=lv) for h in found]


def experiments(path: Path = HYPOTHESES) -> dict[str, dict[str, Any]]:
    """The ``[experiment.*]`` table: case name → ``parent``, ``change``, ``seeds``."""
    doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    table = doc.get("experiment", {})
    return {str(k): dict(v) for k, v in table.items()} if isinstance(table, dict) else {}
