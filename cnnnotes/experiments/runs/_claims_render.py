"""Words for :class:`~cnnnotes.experiments.runs.claims.Verdict` objects: rows, sentences, prose.

Every place that states a verdict renders it here, from the same object, so a
claims table row and a correction box that quotes it say the same thing. This
module picks which sentence fits a verdict and passes it the numbers; the
sentences are in the catalogue (:mod:`cnnnotes.i18n`, keys ``claims.*`` and
``verdict.*``) and the box line in the template ``verdict-box``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.claims import Seeds, Verdict, verdicts
from cnnnotes.i18n import Lang, has, t
from cnnnotes.i18n.prose import render

__all__ = ["Check", "box_sentence", "check_case", "describe", "verdict_word"]


def verdict_word(outcome: str, lang: Lang) -> str:
    """The verdict word of an outcome (``agree``, ``disagree``, ``unclear``)."""
    return t(f"verdict.{outcome}", lang)


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
    return t("claims.baseline", lang) if case == "baseline" else case.replace("case", "Case ")


def _ours(v: Verdict, lang: Lang) -> str:
    if v.kind in ("hypothesis", "missing"):
        return "—"
    iv = v.interval
    assert iv is not None
    measure = t(f"claims.measures.{v.measure}", lang)
    if v.kind == "quoted":
        if not iv.defined:
            return t("claims.ours_n", lang, measure=measure, mean=_f(iv.estimate), n=iv.n)
        return t(
            "claims.quoted_ours",
            lang,
            measure=measure,
            mean=_f(iv.estimate),
            n=iv.n,
            low=_f(iv.low),
            high=_f(iv.high),
        )
    if v.kind == "shape":
        key = "shape_ours" if iv.defined else "shape_ours_n"
        return t(
            f"claims.{key}",
            lang,
            measure=measure,
            est=_s(iv.estimate),
            low=_s(iv.low),
            high=_s(iv.high),
            n=iv.n,
        )
    r = "" if iv.correlation is None else t("claims.corr", lang, r=f"{iv.correlation:+.2f}")
    key = "relation_ours" if iv.defined else "relation_ours_n"
    return t(
        f"claims.{key}",
        lang,
        measure=measure,
        a=_f(v.means[0]),
        ref=_case_name(v.cases[1], lang),
        b=_f(v.means[1]),
        est=_s(iv.estimate),
        low=_s(iv.low),
        high=_s(iv.high),
        method=t(f"claims.methods.{iv.method}", lang),
        n=iv.n,
        r=r.replace("-", "−"),
    )


def _why(v: Verdict, lang: Lang) -> str:
    if v.kind == "hypothesis":
        return t(f"claims.hypothesis.{v.key}", lang)
    if v.kind == "missing":
        return t("claims.needs", lang, other=_case_name(v.cases[1], lang))
    iv = v.interval
    assert iv is not None
    if not iv.defined:
        return t("claims.too_few", lang, min_n=stats.MIN_N, n=iv.n)
    tol = f"{v.tol:.2f}"
    if v.kind == "quoted":
        assert v.quoted is not None
        low, high = v.quoted
        target = f"{low:g}" if low == high else f"{low:g}–{high:g}"
        key = "within" if v.outcome == "agree" else "outside"
        return t(f"claims.{key}", lang, target=target, tol=tol, low=_f(iv.low), high=_f(iv.high))
    if v.claim == "same":
        if v.outcome == "agree":
            return t("claims.same_agree", lang, tol=tol)
        if v.outcome == "disagree":
            return t(
                "claims.same_higher" if iv.estimate > 0 else "claims.same_lower", lang, tol=tol
            )
        return t("claims.same_unclear", lang, tol=tol)
    if v.outcome == "unclear":
        return t("claims.dir_unclear", lang)
    return t("claims.dir_higher" if (iv.low or 0.0) > 0 else "claims.dir_lower", lang)


def describe(v: Verdict, lang: Lang) -> Check:
    """``v`` in the words of ``lang``: what the notes say, our numbers, the verdict, why."""
    why = _why(v, lang)
    note = f"claims.why_notes.{v.key}"
    if v.kind == "relation" and has(note, lang):
        why += f"; {t(note, lang)}"
    return Check(t(f"claims.claim.{v.key}", lang), _ours(v, lang), v.outcome, why)


def box_sentence(v: Verdict, lang: Lang) -> str:
    """The sentence a correction box uses to quote ``v``: the table row's words, in one line."""
    c = describe(v, lang)
    n = min(v.ns) if v.ns else v.n
    return render(
        "verdict-box", lang, n=n, verdict=verdict_word(c.verdict, lang), why=c.why, ours=c.ours
    ).rstrip("\n")


def check_case(case: str, seeds: Seeds, lang: Lang) -> list[Check]:
    """The notes' claims about ``case`` checked over ``seeds`` (case → seed → run), in words."""
    return [describe(v, lang) for v in verdicts(case, seeds)]
