"""The v2 verdict rules (:data:`cnnnotes.experiments.runs.stats.RULES_V2`): one judgement per claim.

Written after the runs were seen (not pre-registered); DESIGN.md "Verdict rules v2"
states them and the site shows each v1 outcome beside its v2 one. Every v2 verdict
goes through :func:`judgement`, which takes the estimate and a function giving the
interval's half-width at any number of seeds, so one code path decides the outcome,
the interval and the seeds that would settle a "can't tell". :func:`judge_values`
turns per-seed values (or per-seed paired differences) into a verdict; the other
``judge_*`` functions do the same for Welch, seed × image and quoted numbers.

Outcomes: ``consistent`` / ``close`` (quoted numbers only), ``agree``, ``disagree``,
``unclear`` (shown as "can't tell"). Claims: ``same`` (equivalence: two one-sided
tests at (1 − level)/2 each), ``higher``, ``lower`` and ``null`` (no detectable
difference: our own corrections' "within noise").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.seedimage import Decomposition

__all__ = [
    "NO_SEEDS",
    "Claim",
    "Judgement",
    "Outcome",
    "bonferroni_level",
    "decide",
    "judge_quoted",
    "judge_seed_image",
    "judge_values",
    "judge_welch",
    "judgement",
]

Outcome = Literal["consistent", "close", "agree", "disagree", "unclear"]
Claim = Literal["same", "higher", "lower", "null", "quoted"]
#: ``seeds_needed`` when no number of seeds would settle the verdict at the observed spread.
NO_SEEDS = 0
#: The most seeds :func:`judgement` searches before it answers :data:`NO_SEEDS`.
MAX_SEEDS = 100_000

#: The half-width of an interval at ``n`` seeds and a two-sided level (None below MIN_N).
HalfWidth = Callable[[int, float], float]


@dataclass(frozen=True)
class Judgement:
    """A claim judged under the v2 rules.

    Attributes
    ----------
    estimate
        The mean, the mean difference, or (quoted numbers) our mean.
    low, high
        The interval's ends at ``level`` (None below :data:`~stats.MIN_N` seeds).
    n
        Seeds (or pairs) behind it.
    level
        The two-sided level of the interval.
    claim, tol, outcome
        What was judged, its tolerance, and the outcome.
    method
        ``paired``, ``welch``, ``one-sample``, ``seed-image`` or ``prediction``.
    seeds_needed
        For ``unclear``: the seeds that would settle it at the observed spread
        (:data:`NO_SEEDS` when none would); None otherwise.
    quoted
        The quoted value (low, high) for a quoted number.
    """

    estimate: float
    low: float | None
    high: float | None
    n: int
    level: float
    claim: Claim
    tol: float
    outcome: Outcome
    method: str
    seeds_needed: int | None = None
    quoted: tuple[float, float] | None = None

    @property
    def defined(self) -> bool:
        """Whether there is an interval at all."""
        return self.low is not None and self.high is not None


def bonferroni_level(m: int, level: float = stats.LEVEL) -> float:
    """The per-verdict level of a family of ``m`` intervals: 1 − (1 − level)/m."""
    return 1.0 - (1.0 - level) / max(m, 1)


def _distance(quoted: tuple[float, float], low: float, high: float) -> float:
    """How far the quoted value (a range) lies outside [low, high]; 0 when they overlap."""
    q_low, q_high = quoted
    return max(low - q_high, q_low - high, 0.0)


def decide(
    claim: Claim,
    low: float,
    high: float,
    tol: float,
    quoted: tuple[float, float] | None = None,
    width: float | None = None,
) -> Outcome:
    """The outcome of ``claim`` given an interval [low, high] (the module docstring's rules).

    ``width``: for a quoted number, the half-width that decides "can't tell" (that of the
    headline interval, so that a Bonferroni-widened interval only makes "consistent" easier).
    """
    if claim == "quoted":
        assert quoted is not None
        far = _distance(quoted, low, high)
        if far > tol:
            return "disagree"
        if (width if width is not None else (high - low) / 2) > stats.QUOTED_MAX_HALF * tol:
            return "unclear"
        return "consistent" if far == 0 else "close"
    if claim == "same":
        if -tol <= low and high <= tol:
            return "agree"
        return "disagree" if high < -tol or low > tol else "unclear"
    if claim == "null":
        if low > 0 or high < 0:
            return "disagree"
        return "agree" if -tol <= low and high <= tol else "unclear"
    if claim == "higher":
        return "agree" if low > 0 else "disagree" if high < 0 else "unclear"
    return "agree" if high < 0 else "disagree" if low > 0 else "unclear"


def _settles(claim: Claim, estimate: float, half: float, tol: float) -> bool:
    """Whether an interval of half-width ``half`` around ``estimate`` would settle ``claim``."""
    d = abs(estimate)
    if claim == "same":
        return half <= tol - d
    if claim in ("higher", "lower"):
        return half < d
    if claim == "null":
        return half < d or half <= tol - d
    return half <= stats.QUOTED_MAX_HALF * tol


def _seeds_needed(claim: Claim, estimate: float, half: HalfWidth, n: int, tol: float) -> int:
    """The least number of seeds whose interval would settle ``claim`` (binary search)."""
    start = max(n + 1, stats.MIN_N)
    if not _settles(claim, estimate, half(MAX_SEEDS, stats.LEVEL), tol):
        return NO_SEEDS
    lo, hi = start, MAX_SEEDS
    if _settles(claim, estimate, half(lo, stats.LEVEL), tol):
        return lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _settles(claim, estimate, half(mid, stats.LEVEL), tol):
            hi = mid
        else:
            lo = mid
    return hi


def judgement(
    estimate: float,
    half: HalfWidth,
    n: int,
    claim: Claim,
    tol: float,
    method: str,
    *,
    level: float = stats.LEVEL,
    quoted: tuple[float, float] | None = None,
) -> Judgement:
    """Judge ``claim`` from an estimate and the half-width of its interval at any n and level.

    ``half(n, level)`` must give the half-width the interval would have with ``n`` seeds
    at the observed spread; at the actual ``n`` it is the interval judged. Seeds needed
    are counted at the headline level.
    """
    if n < stats.MIN_N or math.isnan(estimate):
        needed = _seeds_needed(claim, estimate, half, n, tol) if not math.isnan(estimate) else None
        return Judgement(estimate, None, None, n, level, claim, tol, "unclear", method,
                         needed if needed is not None else NO_SEEDS, quoted)  # fmt: skip
    h = half(n, level)
    low, high = estimate - h, estimate + h
    outcome = decide(claim, low, high, tol, quoted, half(n, stats.LEVEL))
    needed = _seeds_needed(claim, estimate, half, n, tol) if outcome == "unclear" else None
    return Judgement(estimate, low, high, n, level, claim, tol, outcome, method, needed, quoted)


@functools.lru_cache(maxsize=4096)
def _t(level: float, df: float) -> float:
    return stats.t_quantile(0.5 + level / 2, min(max(df, 1.0), 1e6))


def judge_values(
    values: Sequence[float],
    claim: Claim,
    tol: float,
    *,
    level: float = stats.LEVEL,
    method: str = "paired",
) -> Judgement:
    """Per-seed values (or per-seed paired differences) judged as ``claim`` under v2.

    The interval is the one-sample t-interval of their mean.
    """
    v = np.asarray(values, dtype=np.float64)
    sd = float(v.std(ddof=1)) if len(v) > 1 else math.nan
    est = float(v.mean()) if len(v) else math.nan
    return judgement(
        est, lambda k, lv: _t(lv, k - 1) * sd / math.sqrt(k), len(v), claim, tol, method,
        level=level,
    )  # fmt: skip


def judge_welch(
    a: Sequence[float], b: Sequence[float], claim: Claim, tol: float, *, level: float = stats.LEVEL
) -> Judgement:
    """mean(a) − mean(b) of two unpaired groups (Welch), judged as ``claim``.

    Seeds needed assume both groups grow to the same number of seeds.
    """
    va, vb = np.asarray(a, np.float64), np.asarray(b, np.float64)
    n = min(len(va), len(vb))
    if n < 2:
        est = float(va.mean() - vb.mean()) if n else math.nan
        return judgement(est, lambda k, lv: math.inf, n, claim, tol, "welch", level=level)
    sa, sb = float(va.var(ddof=1)), float(vb.var(ddof=1))

    def half(k: int, lv: float) -> float:
        ka, kb = (len(va), len(vb)) if k == n else (k, k)
        ea, eb = sa / ka, sb / kb
        if ea + eb == 0:
            return 0.0
        df = (ea + eb) ** 2 / (ea**2 / (ka - 1) + eb**2 / (kb - 1))
        return _t(lv, df) * math.sqrt(ea + eb)

    est = float(va.mean() - vb.mean())
    return judgement(est, half, n, claim, tol, "welch", level=level)


def judge_seed_image(
    dec: Decomposition, claim: Claim, tol: float, *, level: float = stats.LEVEL
) -> Judgement:
    """A test-accuracy mean (or paired difference) from its seed × image decomposition."""
    n = dec.n

    def half(k: int, lv: float) -> float:
        # with k seeds the seed part scales as 1/k; the image part stays σ_b²/N
        var = dec.var_seed_part * n / k + dec.var_image_part
        return _t(lv, dec.df if k == n else (k - 1)) * math.sqrt(var)

    return judgement(dec.mean, half, n, claim, tol, "seed-image", level=level)


def judge_quoted(
    values: Sequence[float],
    quoted: tuple[float, float],
    tol: float,
    image_term: float,
    *,
    level: float = stats.LEVEL,
) -> Judgement:
    """A number the author quotes against the prediction interval for his measurement.

    ``image_term`` is σ_b²(1/N* + 1/N) + σ_e²(1/N* − 1/N) (0 for losses): see DESIGN.md.
    """
    v = np.asarray(values, dtype=np.float64)
    s2 = float(v.var(ddof=1)) if len(v) > 1 else math.nan

    def half(k: int, lv: float) -> float:
        seed = s2 * (1 + 1 / k)
        total = seed + image_term
        df = (k - 1) * (total / seed) ** 2 if seed > 0 else 1e9
        return _t(lv, df) * math.sqrt(total)

    est = float(v.mean()) if len(v) else math.nan
    return judgement(est, half, len(v), "quoted", tol, "prediction", level=level, quoted=quoted)
