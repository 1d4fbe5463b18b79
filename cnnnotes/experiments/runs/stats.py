"""Statistics over seeds: per-run summaries, intervals and verdict rules (v1 and v2).

Two sets of rules live here. **v1** (below, down to "Nothing here imports") was committed
before any run with a seed other than 0 existed, so the data could not shape it. **v2**
(:data:`RULES_V2`, implemented in :mod:`cnnnotes.experiments.runs.rules` and
:mod:`cnnnotes.experiments.runs.seedimage`) was written *after* every run had been seen: it is
not pre-registered, and the site says so and shows the v1 outcome beside each v2 one.
Both are stated on the site as they are here.

**Per-run summaries** (:func:`summarize`), chosen so that one epoch cannot swing them:

- ``val_accuracy_last5`` / ``val_loss_last5``: the mean of the last five epochs;
- ``best_val_accuracy`` and ``best_epoch`` (1-based);
- ``test_accuracy``: the final model on the 10,000 test images;
- ``gap``: the final model's training accuracy **with dropout off** minus its
  validation accuracy (ERRATA 43: a gap measured with dropout on is not comparable).
  Training metrics with dropout off are recorded for the final model only, not per
  epoch: recording them every epoch would cost about a fifth more training time.

**Intervals** are two-sided t-intervals at :data:`LEVEL`, over seeds. Runs of two
cases with the same seed share their initial weights and batch order when their
layers have the same shapes (:func:`paired`: the baseline and Cases 3, 4 and 5);
their difference is taken seed by seed (a paired interval). Otherwise the two
means are compared with Welch's interval. With n ≤ 5, bootstrap and sign-flip
tests cannot reach the stated level, so none is used. The intervals cover
seed-to-seed variation on one fixed validation/test split only.

**Verdicts** (:func:`judge`), by claim type, with a practical tolerance
(:data:`TOL`) that is a margin of practical importance, not a noise estimate:

- "about the same" / "no gain": the whole interval of the difference inside
  ±tolerance → agree; the whole interval outside → disagree; otherwise can't tell;
- "higher" / "lower": the interval entirely on the claimed side → agree; entirely
  on the other side → disagree; otherwise can't tell;
- a number the author quotes from one unseeded run on the official data: agree when
  it lies in the prediction interval mean ± t·sd·√(1 + 1/n) widened by the
  tolerance on each side; disagree otherwise (and our data is a JPEG copy).

With fewer than :data:`MIN_N` = 3 seeds there is no interval (at n = 2 a t-interval
has one degree of freedom and is too wide to mean anything), and every verdict that
needs one is "can't tell". About 25 verdicts at 95 % mean
about one is expected to be wrong by chance.

**v2 rules** (written after the runs were seen; see DESIGN.md "Verdict rules v2"):

- *Measure and summary per claim.* A number the notes quote is compared with the summary
  its wording names: the final epoch for "final / reaches / stays at", the mean of the
  last :data:`LAST` epochs for "around / about the end" (the notes' words: DESIGN.md).
  Comparisons between cases keep the v1 summaries.
- *Tolerance.* :data:`TOL`, unchanged: a margin of practical importance.
- *Quoted numbers* get a prediction interval for the **author's** measurement (one new
  seed, other images): mean ± t·√(s²(1 + 1/n) + image term), the image term from the
  seed × image decomposition of our committed per-image test results (no image term for
  losses), not widened by the tolerance. Outcomes: *consistent* (inside), *close* (outside
  by at most the tolerance: never "agree"), *disagree* (further), *can't tell* (half-width
  above :data:`QUOTED_MAX_HALF` × tolerance, unless it already disagrees).
- *Same* claims are two one-sided tests at 2.5 % per side (the 95 % interval inside
  ±tolerance); *disagree* only for an interval wholly outside the margin. *Higher / lower*
  as v1. *No detectable difference* claims (ours: "within noise", "no measurable
  difference", "enough epochs"): an interval that excludes zero disagrees; one inside
  ±tolerance that holds zero agrees; otherwise can't tell.
- *Test accuracy* comparisons use the crossed seed × image decomposition
  (:mod:`~cnnnotes.experiments.runs.seedimage`), never a bootstrap over seeds.
- Every *can't tell* states the seeds that would settle it at the observed spread.
- *Families* (:data:`FAMILIES`) for multiplicity: the notes' claims, our corrections,
  new experiments. A Bonferroni view recomputes each family at 1 − (1 − LEVEL)/m; the
  unadjusted outcome stays the headline.

Nothing here imports matplotlib or TensorFlow; only numpy and the standard library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from cnnnotes.experiments.runs.cases import Case
from cnnnotes.experiments.runs.record import RunResult

__all__ = [
    "FAMILIES",
    "LAST",
    "LEVEL",
    "MIN_N",
    "QUOTED_MAX_HALF",
    "RULES_V2",
    "TOL",
    "Interval",
    "Outcome",
    "difference",
    "judge",
    "judge_quoted",
    "paired",
    "prediction_interval",
    "summarize",
    "t_quantile",
]

#: Two-sided confidence level of every interval.
LEVEL = 0.95
#: Fewest seeds (or pairs) behind any interval.
MIN_N = 3
#: Epochs averaged at the end of training.
LAST = 5
#: Practical tolerance by summary: accuracies in fractions, losses in loss units.
TOL: dict[str, float] = {
    "val_accuracy_last5": 0.03,
    "best_val_accuracy": 0.03,
    "test_accuracy": 0.03,
    "gap": 0.03,
    "val_loss_last5": 0.10,
}

#: The v2 rules' version tag, and the fact the site states about them.
RULES_V2 = "v2: written after the runs were seen, not pre-registered"
#: A quoted number's prediction interval wider than this many tolerances (half-width) can't tell.
QUOTED_MAX_HALF = 1.0
#: Families of verdicts read together (Bonferroni view within each).
FAMILIES = ("notes", "ours", "beyond")

Outcome = Literal["agree", "disagree", "unclear"]
Claim = Literal["same", "higher", "lower"]


def summarize(run: RunResult) -> dict[str, float]:
    """The per-run summaries of the module docstring, for one run."""
    val_acc, val_loss = run.history["val_accuracy"], run.history["val_loss"]
    best = int(np.argmax(val_acc))
    out = {
        "val_accuracy_last5": float(np.mean(val_acc[-LAST:])),
        "val_loss_last5": float(np.mean(val_loss[-LAST:])),
        "best_val_accuracy": float(val_acc[best]),
        "best_epoch": float(best + 1),
        "test_accuracy": float(run.metrics["test_accuracy"]),
    }
    if "train_accuracy" in run.metrics:
        out["gap"] = float(run.metrics["train_accuracy"] - val_acc[-1])
    return out


def paired(a: Case, b: Case) -> bool:
    """Whether runs of ``a`` and ``b`` with the same seed start from the same weights.

    They do when every layer has the same shape: the weights are drawn from the same
    global seed in the same order, and the batch order depends on the seed only.
    Dropout draws from its own stream and has no weights.
    """
    shape = ("filters", "kernel_size", "pool_size", "dense_units")
    return all(getattr(a, f) == getattr(b, f) for f in shape)


# --- the t distribution, without SciPy -----------------------------------------------------------


def _t_cdf(t: float, df: float) -> float:
    """Student's t CDF through the regularized incomplete beta function."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _betainc(b, a, 1.0 - x)
    f, c, d = 1.0, 1.0, 0.0
    for i in range(400):
        m = i // 2
        if i == 0:
            num = 1.0
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1.0 + num / (c if abs(c) > 1e-300 else 1e-300)
        f *= c * d
        if abs(1.0 - c * d) < 1e-15:
            break
    return front * (f - 1.0) / a


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection)."""
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# --- intervals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """An estimate with its interval at :data:`LEVEL`; ``low``/``high`` are None below
    :data:`MIN_N`.

    Attributes
    ----------
    estimate
        The mean (or the mean difference).
    low, high
        The interval's ends.
    n
        Seeds behind it (pairs for a paired interval, the smaller group for Welch).
    method
        ``"paired"``, ``"welch"``, ``"one-sample"`` or ``"prediction"``.
    correlation
        For a paired interval, the observed correlation between the two cases' values
        across seeds (None when undefined).
    """

    estimate: float
    low: float | None
    high: float | None
    n: int
    method: str
    correlation: float | None = None

    @property
    def defined(self) -> bool:
        """Whether there is an interval at all."""
        return self.low is not None and self.high is not None


def _mean_interval(values: Sequence[float], method: str = "one-sample") -> Interval:
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    if n < MIN_N:
        return Interval(float(v.mean()) if n else math.nan, None, None, n, method)
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * float(v.std(ddof=1)) / math.sqrt(n)
    return Interval(float(v.mean()), float(v.mean() - half), float(v.mean() + half), n, method)


def difference(a: Mapping[int, float], b: Mapping[int, float], *, pair: bool) -> Interval:
    """The interval of mean(a) − mean(b) over seeds (paired by seed when ``pair``)."""
    if pair:
        seeds = sorted(set(a) & set(b))
        da = np.array([a[s] for s in seeds])
        db = np.array([b[s] for s in seeds])
        out = _mean_interval(da - db, "paired")
        corr = None
        if len(seeds) >= 3 and da.std() > 0 and db.std() > 0:
            corr = float(np.corrcoef(da, db)[0, 1])
        return Interval(out.estimate, out.low, out.high, out.n, "paired", corr)
    va, vb = np.asarray(list(a.values()), float), np.asarray(list(b.values()), float)
    na, nb = len(va), len(vb)
    estimate = float(va.mean() - vb.mean()) if na and nb else math.nan
    if na < MIN_N or nb < MIN_N:
        return Interval(estimate, None, None, min(na, nb), "welch")
    sa, sb = va.var(ddof=1) / na, vb.var(ddof=1) / nb
    se = math.sqrt(sa + sb)
    if se == 0:
        return Interval(estimate, estimate, estimate, min(na, nb), "welch")
    df = (sa + sb) ** 2 / (sa**2 / (na - 1) + sb**2 / (nb - 1))
    half = t_quantile(0.5 + LEVEL / 2, df) * se
    return Interval(estimate, estimate - half, estimate + half, min(na, nb), "welch")


def prediction_interval(values: Sequence[float]) -> Interval:
    """Where one more run would fall: mean ± t·sd·√(1 + 1/n) (needs n ≥ 3)."""
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    if n < 3:
        return Interval(float(v.mean()) if n else math.nan, None, None, n, "prediction")
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * float(v.std(ddof=1)) * math.sqrt(1 + 1 / n)
    return Interval(
        float(v.mean()), float(v.mean() - half), float(v.mean() + half), n, "prediction"
    )


# --- verdicts ------------------------------------------------------------------------------------


def judge(diff: Interval, claim: Claim, tol: float) -> Outcome:
    """The verdict on a claim about the difference ``diff`` (see the module docstring)."""
    if not diff.defined:
        return "unclear"
    low, high = float(diff.low), float(diff.high)  # type: ignore[arg-type]  # defined: not None
    if claim == "same":
        if -tol <= low and high <= tol:
            return "agree"
        if high < -tol or low > tol:
            return "disagree"
        return "unclear"
    if claim == "higher":
        return "agree" if low > 0 else "disagree" if high < 0 else "unclear"
    return "agree" if high < 0 else "disagree" if low > 0 else "unclear"


def judge_quoted(quoted_low: float, quoted_high: float, ours: Interval, tol: float) -> Outcome:
    """The verdict on a number the author quotes (a value, or a range low–high).

    ``ours`` is a :func:`prediction_interval`; the quote agrees when it overlaps the
    interval widened by ``tol`` on each side.
    """
    if not ours.defined:
        return "unclear"
    low, high = float(ours.low) - tol, float(ours.high) + tol  # type: ignore[arg-type]  # defined
    return "agree" if quoted_high >= low and quoted_low <= high else "disagree"
