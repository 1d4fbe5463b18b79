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


@fragment("what-changed", inputs=(f"{FILE}*",))
def what_changed(lang: Lang, *, results_dir: Path) -> str:
    """The list of changed verdicts and headline numbers, newest first."""
    doc = load(results_dir)
    if doc is None:
        return t("fig.whatchanged.none", lang) + "\n"
    since = doc.get("since", doc["date"])
    if not doc["changes"]:
        return t("fig.whatchanged.nothing", lang, since=since) + "\n"
    items = []
    for c in reversed(doc["changes"]):
        kind = c["kind"]
        case = c["case"]
        name = (
            t("fig.whatchanged.baseline", lang)
            if case == "baseline"
            else case.replace("case", "Case ")
        )
        claim = _words("claims.claim", c["key"], lang) if kind == "verdict" else ""
        what = _words("claims.measures", c["key"], lang)
        items.append(
            "- "
            + t(
                f"fig.whatchanged.{kind}",
                lang,
                date=c["date"],
                name=name,
                claim=claim,
                what=what,
                old=_value(kind, c["old"], lang),
                new=_value(kind, c["new"], lang),
            )
        )
    return "\n".join([t("fig.whatchanged.since", lang, since=since), "", *items, ""])
