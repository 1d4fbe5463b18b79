"""Words for :class:`cnnnotes.experiments.claims.Verdict` objects: table rows, box sentences, prose.

Every place that states a verdict renders it here, from the same object, so a
claims table row and a correction box that quotes it say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from cnnnotes.experiments import stats
from cnnnotes.experiments._claims_text import TEXT
from cnnnotes.experiments.claims import Seeds, Verdict, verdicts

__all__ = ["VERDICT_WORDS", "Check", "box_sentence", "check_case", "describe"]

Lang = Literal["ko", "en"]

#: The verdict words, by outcome.
VERDICT_WORDS: dict[str, dict[str, str]] = {
    "ko": {"agree": "일치", "disagree": "불일치", "unclear": "판단 불가"},
    "en": {"agree": "agree", "disagree": "disagree", "unclear": "can't tell"},
}


@dataclass(frozen=True)
class Check:
    """One verdict in words: ``claim`` (the notes), ``ours``, ``verdict`` (outcome), ``why``."""

    claim: str
    ours: str
    verdict: stats.Outcome
    why: str


def _f(x: float | None) -> str:
    return "—" if x is None or math.isnan(x) else f"{x:.3f}"


def _s(x: float | None) -> str:
    """Signed, with a real minus sign."""
    return "—" if x is None or math.isnan(x) else f"{x:+.3f}".replace("-", "−")


def _case_name(case: str, lang: Lang) -> str:
    return TEXT[lang]["baseline"] if case == "baseline" else case.replace("case", "Case ")


def _ours(v: Verdict, lang: Lang) -> str:
    w = TEXT[lang]
    if v.kind in ("hypothesis", "missing"):
        return "—"
    iv = v.interval
    assert iv is not None
    measure = w["measures"][v.measure]
    if v.kind == "quoted":
        if not iv.defined:
            return w["ours_n"].format(measure=measure, mean=_f(iv.estimate), n=iv.n)
        return w["quoted_ours"].format(measure=measure, mean=_f(iv.estimate), n=iv.n,
                                       low=_f(iv.low), high=_f(iv.high))  # fmt: skip
    if v.kind == "shape":
        key = "shape_ours" if iv.defined else "shape_ours_n"
        return w[key].format(measure=measure, est=_s(iv.estimate), low=_s(iv.low),
                             high=_s(iv.high), n=iv.n)  # fmt: skip
    r = "" if iv.correlation is None else w["corr"].format(r=f"{iv.correlation:+.2f}")
    key = "relation_ours" if iv.defined else "relation_ours_n"
    return w[key].format(
        measure=measure, a=_f(v.means[0]), ref=_case_name(v.cases[1], lang), b=_f(v.means[1]),
        est=_s(iv.estimate), low=_s(iv.low), high=_s(iv.high),
        method=w["methods"][iv.method], n=iv.n, r=r.replace("-", "−"),
    )  # fmt: skip


def _why(v: Verdict, lang: Lang) -> str:
    w = TEXT[lang]
    if v.kind == "hypothesis":
        return w["hypothesis"][v.key]
    if v.kind == "missing":
        return w["needs"].format(other=_case_name(v.cases[1], lang))
    iv = v.interval
    assert iv is not None
    if not iv.defined:
        return w["too_few"].format(min_n=stats.MIN_N, n=iv.n)
    tol = f"{v.tol:.2f}"
    if v.kind == "quoted":
        assert v.quoted is not None
        low, high = v.quoted
        target = f"{low:g}" if low == high else f"{low:g}–{high:g}"
        key = "within" if v.outcome == "agree" else "outside"
        return w[key].format(target=target, tol=tol, low=_f(iv.low), high=_f(iv.high))
    if v.claim == "same":
        if v.outcome == "agree":
            return w["same_agree"].format(tol=tol)
        if v.outcome == "disagree":
            return w["same_higher" if iv.estimate > 0 else "same_lower"].format(tol=tol)
        return w["same_unclear"].format(tol=tol)
    if v.outcome == "unclear":
        return w["dir_unclear"]
    return w["dir_higher" if (iv.low or 0.0) > 0 else "dir_lower"]


def describe(v: Verdict, lang: Lang) -> Check:
    """``v`` in the words of ``lang``: what the notes say, our numbers, the verdict, why."""
    why = _why(v, lang)
    note = TEXT[lang]["why_notes"].get(v.key)
    if note and v.kind == "relation":
        why += f"; {note}"
    return Check(TEXT[lang]["claims"][v.key], _ours(v, lang), v.outcome, why)


def box_sentence(v: Verdict, lang: Lang) -> str:
    """The sentence a correction box uses to quote ``v``: the table row's words, in one line."""
    c = describe(v, lang)
    n = min(v.ns) if v.ns else v.n
    return TEXT[lang]["box"].format(n=n, verdict=VERDICT_WORDS[lang][c.verdict], why=c.why,
                                    ours=c.ours)  # fmt: skip


def check_case(case: str, seeds: Seeds, lang: Lang) -> list[Check]:
    """The notes' claims about ``case`` checked over ``seeds`` (case → seed → run), in words."""
    return [describe(v, lang) for v in verdicts(case, seeds)]
