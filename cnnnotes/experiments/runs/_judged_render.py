"""Words for :class:`cnnnotes.experiments.runs.judged.Record` objects (v2 verdicts).

Every sentence the site states about our runs under the v2 rules renders here from a
record: the claims tables' cells, the line a correction box quotes, the per-seed
values. The sentences are in the catalogues (keys ``v2.*``, ``claims.*``); this
module picks one and passes it the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnnotes.experiments.runs import rules, stats
from cnnnotes.experiments.runs._claims_render import verdict_word
from cnnnotes.experiments.runs.judged import Record, summary_of
from cnnnotes.i18n import Lang, has, t
from cnnnotes.i18n.prose import render

__all__ = ["Check2", "box_line", "claim_words", "describe2", "outcome_word", "signed"]


def signed(x: float | None) -> str:
    """Signed to three places, with a real minus sign."""
    return "—" if x is None or math.isnan(x) else f"{x:+.3f}".replace("-", "−")


def _quote(x: float) -> str:
    """A quoted value as the notes write it, with at least one decimal (1.0, 0.79)."""
    text = f"{x:g}"
    return text if "." in text else f"{text}.0"


def _f(x: float | None) -> str:
    return "—" if x is None or math.isnan(x) else f"{x:.3f}"


def outcome_word(outcome: str, lang: Lang) -> str:
    """The word of a v2 outcome (``consistent``, ``close``, ``agree``, ``disagree``, ...)."""
    return t(f"v2.outcome.{outcome}", lang)


def claim_words(rec: Record, lang: Lang) -> str:
    """What the claim says: the notes' words, or ours for a correction."""
    base = "claims.ours" if rec.spec.family == "ours" else "claims.claim"
    return t(f"{base}.{rec.spec.key}", lang)


@dataclass(frozen=True)
class Check2:
    """One record in words: the claim, our numbers, the v2 verdict, why, v1 and Bonferroni."""

    claim: str
    ours: str
    verdict: str
    why: str
    v1: str
    bonferroni: str


def _case_name(case: str, lang: Lang) -> str:
    return t("claims.baseline", lang) if case == "baseline" else case.replace("case", "Case ")


def _per_seed(rec: Record, lang: Lang) -> str:
    """The per-seed values (relations: paired differences where paired) as a list."""
    j = rec.v2
    if j is None or not rec.values:
        return ""
    if rec.spec.kind == "relation" and j.method in ("paired", "seed-image"):
        common = sorted(set(rec.values) & set(rec.ref_values))
        vals = [rec.values[s] - rec.ref_values[s] for s in common]
        return t("v2.per_seed_diff", lang, values=", ".join(signed(v) for v in vals))
    shown = signed if rec.spec.kind == "shape" else _f
    values = ", ".join(shown(v) for v in rec.values.values())
    if rec.spec.kind == "relation" and rec.spec.ref is not None:
        ref = ", ".join(_f(v) for v in rec.ref_values.values())
        return t("v2.per_seed_two", lang, values=values, ref=_case_name(rec.spec.ref, lang),
                 ref_values=ref)  # fmt: skip
    return t("v2.per_seed", lang, values=values)


def _ours(rec: Record, lang: Lang) -> str:
    j = rec.v2
    if j is None:
        return "—"
    measure = t(f"claims.measures.{rec.spec.measure}", lang)
    summary = t(f"v2.summary.{summary_of(rec.spec.measure)}", lang)
    if rec.spec.kind == "quoted":
        key = "v2.quoted_ours" if j.defined else "claims.ours_n"
        text = t(key, lang, measure=measure, summary=summary, mean=_f(j.estimate), n=j.n,
                 low=_f(j.low), high=_f(j.high))  # fmt: skip
    elif rec.spec.kind == "shape":
        key = "claims.shape_ours" if j.defined else "claims.shape_ours_n"
        text = t(key, lang, measure=measure, est=signed(j.estimate), low=signed(j.low),
                 high=signed(j.high), n=j.n)  # fmt: skip
    else:
        assert rec.spec.ref is not None
        key = "claims.relation_ours" if j.defined else "claims.relation_ours_n"
        a = sum(rec.values.values()) / max(len(rec.values), 1)
        b = sum(rec.ref_values.values()) / max(len(rec.ref_values), 1)
        text = t(key, lang, measure=measure, a=_f(a), ref=_case_name(rec.spec.ref, lang),
                 b=_f(b), est=signed(j.estimate), low=signed(j.low), high=signed(j.high),
                 method=t(f"claims.methods.{j.method}", lang), n=j.n, r="")  # fmt: skip
        if rec.seed_se is not None and rec.image_se is not None:
            text += t("v2.seed_image", lang, seed=f"{rec.seed_se:.4f}", image=f"{rec.image_se:.4f}")
    return f"{text}. {_per_seed(rec, lang)}".rstrip()


def _needed(j: rules.Judgement, lang: Lang) -> str:
    if j.outcome != "unclear" or j.seeds_needed is None:
        return ""
    if j.seeds_needed == rules.NO_SEEDS:
        return t("v2.needed_none", lang)
    return t("v2.needed", lang, n=j.seeds_needed)


def _why(rec: Record, lang: Lang) -> str:
    j = rec.v2
    if rec.spec.kind == "hypothesis":
        return t(f"claims.hypothesis.{rec.spec.key}", lang)
    if j is None:
        return t("claims.needs", lang, other=_case_name(rec.spec.ref or "", lang))
    if not j.defined:
        return t("claims.too_few", lang, min_n=stats.MIN_N, n=j.n) + _needed(j, lang)
    tol = f"{j.tol:.2f}"
    if rec.spec.kind == "quoted":
        assert j.quoted is not None
        low, high = j.quoted
        target = _quote(low) if low == high else f"{_quote(low)}–{_quote(high)}"
        far = max(float(j.low) - high, low - float(j.high), 0.0)  # type: ignore[arg-type]
        why = t(f"v2.quoted_{j.outcome}", lang, target=target, tol=tol, low=_f(j.low),
                high=_f(j.high), far=f"{far:.3f}")  # fmt: skip
        return why + t("v2.author_data", lang) + _needed(j, lang)
    if j.claim in ("same", "null"):
        side = "higher" if j.estimate > 0 else "lower"
        key = f"v2.{j.claim}_{j.outcome}" + (f"_{side}" if j.outcome == "disagree" else "")
        why = t(key, lang, tol=tol)
    elif j.outcome == "unclear":
        why = t("claims.dir_unclear", lang)
    else:
        why = t("claims.dir_higher" if float(j.low or 0.0) > 0 else "claims.dir_lower", lang)
    note = f"claims.why_notes.{rec.spec.key}"
    if has(note, lang):
        why += f"; {t(note, lang)}"
    return why + _needed(j, lang)


def describe2(rec: Record, lang: Lang) -> Check2:
    """``rec`` in the words of ``lang``."""
    v1 = verdict_word(rec.v1.outcome, lang) if rec.v1 is not None else "—"
    adj = outcome_word(rec.adjusted.outcome, lang) if rec.adjusted is not None else "—"
    return Check2(claim_words(rec, lang), _ours(rec, lang), outcome_word(rec.outcome, lang),
                  _why(rec, lang), v1, adj)  # fmt: skip


def box_line(rec: Record, lang: Lang) -> str:
    """The line a correction box uses to quote ``rec``: the claim, the verdict, why, the numbers."""
    c = describe2(rec, lang)
    return render(
        "verdict-box2", lang, claim=c.claim, n=rec.v2.n if rec.v2 else 0, verdict=c.verdict,
        why=c.why, ours=c.ours, v1=c.v1, family=rec.spec.family,
    ).rstrip("\n")  # fmt: skip
