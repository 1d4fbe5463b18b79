"""The cases page's "What changed" list, generated from ``results/changes.json``.

Each entry is a published verdict or headline number that a retrain or a new seed
changed, with its date and old → new value (:mod:`cnnnotes.experiments.runs.changes` records them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs._claims_render import verdict_word
from cnnnotes.experiments.runs.changes import FILE, load
from cnnnotes.i18n import Lang, has, t
from cnnnotes.site.figures.registry import fragment

__all__ = ["what_changed"]


def _value(kind: str, value: Any, lang: Lang) -> str:
    if value is None:
        return "—"
    if kind == "verdict":
        return verdict_word(value, lang)
    return f"{value:.3f}" if kind == "headline" else str(value)


def _words(prefix: str, key: str, lang: Lang) -> str:
    """The catalogue's words for ``prefix.key``, or ``key`` itself for an unknown one."""
    return t(f"{prefix}.{key}", lang) if has(f"{prefix}.{key}", lang) else key


#: The groups of a day, in the order they are listed.
_KINDS = ("verdict", "headline", "n")


def _line(key: tuple[str, str, str], history: list[dict[str, Any]], lang: Lang) -> str:
    """One claim or number with its whole history: ``old → new → newer``."""
    kind, case, what_key = key
    name = (
        t("fig.whatchanged.baseline", lang) if case == "baseline" else case.replace("case", "Case ")
    )
    values = [history[0]["old"], *(c["new"] for c in history)]
    chain = " → ".join(_value(kind, v, lang) for v in values)
    first = history[0]["date"]
    line = t(
        f"fig.whatchanged.{kind}",
        lang,
        name=name,
        claim=_words("claims.claim", what_key, lang) if kind == "verdict" else "",
        what=_words("claims.measures", what_key, lang),
        chain=chain,
    )
    if first != history[-1]["date"]:
        line += t("fig.whatchanged.first", lang, first=first)
    return "- " + line


@fragment("what-changed", inputs=(f"{FILE}*",))
def what_changed(lang: Lang, *, results_dir: Path) -> str:
    """The changed verdicts and headline numbers: by the day of their last change (newest
    first), then verdicts, headline numbers and seed counts, one line per claim or number
    with its whole history folded in (``unclear → disagree → unclear``)."""
    doc = load(results_dir)
    if doc is None:
        return t("fig.whatchanged.none", lang) + "\n"
    since = doc.get("since", doc["date"])
    if not doc["changes"]:
        return t("fig.whatchanged.nothing", lang, since=since) + "\n"
    histories: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for c in doc["changes"]:  # oldest first
        histories.setdefault((c["kind"], c["case"], c["key"]), []).append(c)
    days: dict[str, dict[str, list[str]]] = {}
    for key, history in histories.items():
        day = days.setdefault(history[-1]["date"], {kind: [] for kind in _KINDS})
        day.setdefault(key[0], []).append(_line(key, history, lang))
    out = [t("fig.whatchanged.since", lang, since=since), ""]
    for date in sorted(days, reverse=True):
        for kind, lines in days[date].items():
            if lines:
                group = t(f"fig.whatchanged.group_{kind}", lang)
                out += [f"**{date} · {group}**", "", *lines, ""]
    return "\n".join(out)
