"""The notes' claims about each run, checked against our runs with stated tolerances.

Each case's analysis in the notes quotes numbers (≈ 0.69 validation accuracy)
and draws conclusions ("no improvement", "underfitting"). :func:`check_case`
turns each into a :class:`Check`: what the notes say, what our run gives, and a
verdict — ``agree``, ``disagree`` or ``unclear`` (can't tell) — with the reason.

The rules, stated once (they appear on the pages as well):

- A number the notes quote **agrees** when ours is within :data:`TOL_ACC`
  (accuracy) or :data:`TOL_LOSS` (loss) of it: the notes round to two digits
  and ran once, unseeded, on the official data; we run once, seeded, on our copy.
- Two of **our** runs differ only when they differ by more than
  :data:`NOISE_ACC` or :data:`NOISE_LOSS`. The binomial standard error of an
  accuracy on 10,000 images is √(p(1 − p)/10,000) ≈ 0.005; runs with different
  seeds usually differ by 1–2 points (ERRATA 33). That spread is not measured here.
- A comparison whose other run is missing, or a difference inside the noise,
  cannot be told from one run per setting.

Nothing here imports matplotlib or TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from cnnnotes._claims_text import TEXT
from cnnnotes.results import RunResult

__all__ = [
    "NOISE_ACC",
    "NOISE_LOSS",
    "REFERENCES",
    "TOL_ACC",
    "TOL_LOSS",
    "Check",
    "Expect",
    "Verdict",
    "binomial_se",
    "check_case",
    "compare",
    "near",
]

Verdict = Literal["agree", "disagree", "unclear"]
Expect = Literal["same", "higher", "lower", "not_higher", "not_lower"]
_EXPECT: tuple[str, ...] = ("same", "higher", "lower", "not_higher", "not_lower")
Lang = Literal["ko", "en"]

#: Agreement with an accuracy the notes quote.
TOL_ACC = 0.03
#: Agreement with a loss the notes quote.
TOL_LOSS = 0.10
#: A real difference in accuracy between two of our runs (≈ seed-to-seed spread).
NOISE_ACC = 0.02
#: A real difference in loss between two of our runs ("a few hundredths", ERRATA 33).
NOISE_LOSS = 0.05
#: Slack for float comparisons at a threshold (values are judged at three decimals).
_EPS = 1e-9
#: Epoch (1-based) after which the notes say Case 1's validation curves turn (their 5–7 + 1).
_TURN = (6, 8)
#: The runs each case's claims compare against.
REFERENCES: dict[str, tuple[str, ...]] = {
    "baseline": (),
    "case1": (),
    "case2": ("baseline",),
    "case3": ("baseline",),
    "case4": ("case3",),
    "case5": ("case3", "case4"),
}


@dataclass(frozen=True)
class Check:
    """One claim of the notes beside our number: ``claim``, ``ours``, ``verdict``, ``why``."""

    claim: str
    ours: str
    verdict: Verdict
    why: str


def binomial_se(p: float, n: int) -> float:
    """Standard error of an accuracy ``p`` measured on ``n`` independent images."""
    if n < 1:
        raise ValueError(f"n: {n} < 1")
    return math.sqrt(max(p * (1.0 - p), 0.0) / n)


def near(ours: float, lo: float, hi: float, tol: float) -> Verdict:
    """``agree`` when ``ours`` lies in ``[lo - tol, hi + tol]``, else ``disagree``."""
    return "agree" if lo - tol - _EPS <= ours <= hi + tol + _EPS else "disagree"


def compare(diff: float, noise: float, expect: Expect) -> Verdict:
    """Verdict on a claimed relation between two runs, from their difference ``diff``.

    ``same``: agree when ``|diff| <= noise``. ``higher``/``lower``: agree when
    ``diff`` exceeds the noise in that direction, disagree when it exceeds it in the
    other, unclear inside the noise. ``not_higher``/``not_lower`` ("no gain"): agree
    unless ``diff`` exceeds the noise in the excluded direction.
    """
    if expect not in _EXPECT:
        raise ValueError(f"expect: {expect!r} is not one of {', '.join(_EXPECT)}")
    noise += _EPS  # a difference equal to the threshold is inside it
    if expect == "same":
        return "agree" if abs(diff) <= noise else "disagree"
    if expect.startswith("not_"):
        signed = diff if expect == "not_higher" else -diff
        return "disagree" if signed > noise else "agree"
    signed = diff if expect == "higher" else -diff
    if signed > noise:
        return "agree"
    return "disagree" if signed < -noise else "unclear"


def _f(x: float) -> str:
    return f"{x:.3f}"


def _signed(x: float) -> str:
    """``+0.012`` / ``-0.012``; a value that rounds to zero prints as ``0.000``, not ``-0.000``."""
    x = round(x, 3)
    return f"{x:+.3f}" if x else "0.000"


def _final(run: RunResult, key: str) -> float:
    return float(run.history[key][-1])


def _gap(run: RunResult) -> np.ndarray:
    return run.history["accuracy"] - run.history["val_accuracy"]


class _Checker:
    """Builds :class:`Check` rows in one language, with the shared phrasing of reasons."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.w = TEXT[lang]

    def claim(self, key: str, **kw: object) -> str:
        return self.w["claims"][key].format(**kw)

    def quoted(self, key: str, ours: float, lo: float, hi: float, tol: float) -> Check:
        """A number the notes quote (``lo``–``hi``) against ours, with tolerance ``tol``."""
        ours = round(ours, 3)  # judged as shown: three decimals
        verdict = near(ours, lo, hi, tol)
        target = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
        reason = "within" if verdict == "agree" else "outside"
        why = self.w[reason].format(target=target, tol=f"{tol:.2f}")
        return Check(self.claim(key), _f(ours), verdict, why)

    def relation(self, key: str, ours: str, diff: float, noise: float, expect: Expect) -> Check:
        """A claimed relation between two runs, judged by :func:`compare`."""
        diff = round(diff, 3)  # judged as shown: three decimals
        verdict = compare(diff, noise, expect)
        why = self.w["inside" if abs(diff) <= noise + _EPS else "beyond"].format(
            diff=_signed(diff), noise=f"{noise:.2f}"
        )
        if verdict == "unclear":
            why += self.w["cannot"]
        return Check(self.claim(key), ours, verdict, why)

    def missing(self, key: str, other: str) -> Check:
        return Check(self.claim(key), "—", "unclear", self.w["needs"].format(other=other))

    def unclear(self, key: str, ours: str, why: str) -> Check:
        return Check(self.claim(key), ours, "unclear", self.w[why])


def _late_drop(run: RunResult, span: int = 5) -> tuple[int, float, float]:
    """(first epoch, value there, final value) of the validation loss over the last ``span``."""
    v = run.history["val_loss"]
    i = max(len(v) - 1 - span, 0)
    return i + 1, float(v[i]), float(v[-1])


def _baseline(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r = runs["baseline"]
    e0, a, b = _late_drop(r)
    ok = a - b <= NOISE_LOSS
    why = c.w["late_flat" if ok else "late_falls"].format(drop=f"{a - b:.3f}", noise=NOISE_LOSS)
    ours = c.w["from_to"].format(e0=e0, e1=len(r.epochs), a=_f(a), b=_f(b))
    return [
        c.quoted("train_acc_079", _final(r, "accuracy"), 0.79, 0.79, TOL_ACC),
        c.quoted("val_acc_069", _final(r, "val_accuracy"), 0.69, 0.69, TOL_ACC),
        c.quoted("train_loss_061", _final(r, "loss"), 0.61, 0.61, TOL_LOSS),
        c.quoted("val_loss_095", _final(r, "val_loss"), 0.95, 1.0, TOL_LOSS),
        Check(c.claim("late_flat"), ours, "agree" if ok else "disagree", why),
    ]


def _case1(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r = runs["case1"]
    h, turn = r.history, _TURN[1]
    checks = [
        c.quoted("to_one", _final(r, "accuracy"), 1.0, 1.0, TOL_ACC),
        c.quoted("val_060", _final(r, "val_accuracy"), 0.60, 0.65, TOL_ACC),
    ]
    if len(r.epochs) > turn:
        gain = float(h["val_accuracy"][turn:].max() - h["val_accuracy"][:turn].max())
        best = int(np.argmax(h["val_accuracy"])) + 1
        ours = c.w["best_gain"].format(
            best=_f(float(h["val_accuracy"].max())), k=best, turn=turn, gain=_signed(gain)
        )
        checks.append(c.relation("val_stalls", ours, gain, NOISE_ACC, "not_higher"))
        k = int(np.argmin(h["val_loss"])) + 1
        low, last = float(h["val_loss"].min()), _final(r, "val_loss")
        turns = _TURN[0] - 1 <= k <= _TURN[1] + 1 and last - low > NOISE_LOSS
        ours = c.w["low_final"].format(low=_f(low), k=k, last=_f(last))
        why = c.w["turn_yes" if turns else "turn_no"].format(k=k, rise=f"{last - low:.3f}",
                                                              noise=NOISE_LOSS)  # fmt: skip
        checks.append(Check(c.claim("val_loss_turns"), ours, "agree" if turns else "disagree", why))
        g = _gap(r)
        widen = float(g[-1] - g[turn - 1])
        ours = c.w["gap_from_to"].format(turn=turn, a=_f(float(g[turn - 1])), b=_f(float(g[-1])))
        checks.append(c.relation("gap_widens", ours, widen, NOISE_ACC, "higher"))
    return checks


def _case2(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r, base = runs["case2"], runs.get("baseline")
    ref = c.w["baseline"]
    params = c.w["params"].format(n=f"{r.param_count:,}")
    if base is None:
        checks = [c.missing(k, ref) for k in ("no_gain_acc", "no_gain_loss", "same_gap")]
    else:
        da = _final(r, "val_accuracy") - _final(base, "val_accuracy")
        dl = _final(r, "val_loss") - _final(base, "val_loss")
        dg = float(_gap(r)[-1] - _gap(base)[-1])
        vs = c.w["vs"]
        checks = [
            c.relation("no_gain_acc", vs.format(a=_f(_final(r, "val_accuracy")), ref=ref,
                       b=_f(_final(base, "val_accuracy"))), da, NOISE_ACC, "not_higher"),
            c.relation("no_gain_loss", vs.format(a=_f(_final(r, "val_loss")), ref=ref,
                       b=_f(_final(base, "val_loss"))), dl, NOISE_LOSS, "not_lower"),
            c.relation("same_gap", vs.format(a=_f(float(_gap(r)[-1])), ref=ref,
                       b=_f(float(_gap(base)[-1]))), dg, NOISE_ACC, "same"),
        ]  # fmt: skip
        params += c.w["params_ref"].format(n=f"{base.param_count:,}")
    return [*checks, c.unclear("filters_suffice", params, "hypothesis")]


def _case3(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r, base = runs["case3"], runs.get("baseline")
    ref = c.w["rmsprop"]
    checks = [
        c.quoted("train_acc_079", _final(r, "accuracy"), 0.79, 0.79, TOL_ACC),
        c.quoted("val_acc_069", _final(r, "val_accuracy"), 0.69, 0.69, TOL_ACC),
        c.quoted("adam_train_loss", _final(r, "loss"), 0.79, 0.79, TOL_LOSS),
        c.quoted("adam_val_loss", _final(r, "val_loss"), 0.9, 0.9, TOL_LOSS),
    ]
    if base is None:
        checks += [c.missing(k, ref) for k in ("same_as_rmsprop", "lower_val_loss")]
    else:
        vs = c.w["vs"]
        a, b = _final(r, "val_accuracy"), _final(base, "val_accuracy")
        checks.append(c.relation("same_as_rmsprop", vs.format(a=_f(a), ref=ref, b=_f(b)),
                                 a - b, NOISE_ACC, "same"))  # fmt: skip
        a, b = _final(r, "val_loss"), _final(base, "val_loss")
        checks.append(c.relation("lower_val_loss", vs.format(a=_f(a), ref=ref, b=_f(b)),
                                 a - b, NOISE_LOSS, "lower"))  # fmt: skip
    ours = "—" if base is None else c.w["vs"].format(
        a=_f(_final(r, "loss")), ref=ref, b=_f(_final(base, "loss")))  # fmt: skip
    return [*checks, c.unclear("tendency", ours, "one_run")]


def _case4(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r, ref = runs["case4"], runs.get("case3")
    on, val = _final(r, "accuracy"), _final(r, "val_accuracy")
    off = float(r.metrics.get("train_accuracy", math.nan))
    lift = off - on
    ours = c.w["dropout_ours"].format(on=_f(on), off=_f(off), val=_f(val))
    if ref is not None and "train_accuracy" in ref.metrics:
        lift3 = ref.metrics["train_accuracy"] - _final(ref, "accuracy")
        ours += c.w["dropout_ref"].format(lift=_signed(lift), lift3=_signed(lift3))
    if math.isnan(off):
        verdict: Verdict = "unclear"
        why = c.w["no_off"]
    elif lift > NOISE_ACC and val >= on - NOISE_ACC:
        verdict, why = "disagree", c.w["dropout_effect"].format(lift=_signed(lift))
    elif lift <= NOISE_ACC:
        verdict, why = "agree", c.w["really_low"].format(lift=_signed(lift), noise=NOISE_ACC)
    else:
        verdict, why = "unclear", c.w["mixed"]
    return [
        c.quoted("train_acc_065", on, 0.65, 0.65, TOL_ACC),
        c.quoted("train_loss_095", _final(r, "loss"), 0.95, 0.95, TOL_LOSS),
        Check(c.claim("underfitting"), ours, verdict, why),
    ]


def _case5(c: _Checker, runs: Mapping[str, RunResult]) -> list[Check]:
    r, c4, c3 = runs["case5"], runs.get("case4"), runs.get("case3")
    vs, checks = c.w["vs"], []
    if c4 is None:
        checks.append(c.missing("beats_case4", "Case 4"))
    else:
        a, b = _final(r, "val_accuracy"), _final(c4, "val_accuracy")
        ours = vs.format(a=_f(a), ref="Case 4", b=_f(b))
        checks.append(c.relation("beats_case4", ours, a - b, NOISE_ACC, "higher"))
    if c3 is None:
        checks += [c.missing(k, "Case 3") for k in ("beats_case3", "ideal_curve")]
        return checks
    a, b = r.metrics.get("test_accuracy", math.nan), c3.metrics.get("test_accuracy", math.nan)
    ours = c.w["test_vs"].format(a=_f(a), ref="Case 3", b=_f(b))
    checks.append(c.relation("beats_case3", ours, a - b, NOISE_ACC, "higher"))
    g5, g3 = float(_gap(r)[-1]), float(_gap(c3)[-1])
    rise = _final(r, "val_loss") - float(r.history["val_loss"].min())
    ideal = g5 < g3 - NOISE_ACC and rise <= NOISE_LOSS
    ours = c.w["ideal_ours"].format(g5=_f(g5), g3=_f(g3), rise=_f(rise))
    why = c.w["ideal_yes" if ideal else "ideal_no"].format(noise=NOISE_ACC, lnoise=NOISE_LOSS)
    checks.append(Check(c.claim("ideal_curve"), ours, "agree" if ideal else "disagree", why))
    return checks


_CASES: dict[str, Callable[[_Checker, Mapping[str, RunResult]], list[Check]]] = {
    "baseline": _baseline,
    "case1": _case1,
    "case2": _case2,
    "case3": _case3,
    "case4": _case4,
    "case5": _case5,
}


def check_case(case: str, runs: Mapping[str, RunResult], lang: Lang) -> list[Check]:
    """The notes' claims about ``case``, checked against ``runs`` (by case name).

    ``runs`` must hold ``case``; the runs in :data:`REFERENCES` are used when present
    and their claims are ``unclear`` when absent.

    Raises
    ------
    KeyError
        When ``case`` is unknown or its run is not in ``runs``.
    """
    if case not in _CASES:
        raise KeyError(f"case: no claims recorded for {case!r}")
    if case not in runs:
        raise KeyError(f"runs: no run of {case!r} to check")
    return _CASES[case](_Checker(lang), runs)
