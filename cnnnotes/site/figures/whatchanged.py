"""The cases page's "What changed" list, generated from ``results/changes.json``.

Each entry is a published verdict or headline number that a retrain or a new seed
changed, with its date and old → new value (:mod:`cnnnotes.experiments.changes` records them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cnnnotes.experiments._claims_render import VERDICT_WORDS
from cnnnotes.experiments._claims_text import TEXT as CLAIMS
from cnnnotes.experiments.changes import FILE, load
from cnnnotes.site.figures.registry import fragment
from cnnnotes.site.style import Lang

__all__ = ["what_changed"]

_TEXT: dict[Lang, dict[str, str]] = {
    "ko": {
        "none": "아직 기록된 변경이 없습니다. 변경 기록은 `cnnnotes changes --record`로 남깁니다.",
        "since": "{since}부터 기록한 변경(날짜, 이전 → 이후)입니다. 재학습이나 새 시드로 게시된 "
        "판정이나 주요 수치가 바뀌면 여기에 더해집니다.",
        "nothing": "{since} 이후 게시된 판정과 주요 수치는 바뀌지 않았습니다.",
        "verdict": "{date}: {name}, “{claim}”의 판정: {old} → {new}",
        "headline": "{date}: {name}, {what}의 시드 평균: {old} → {new}",
        "n": "{date}: {name}, 학습한 시드 수: {old} → {new}",
        "baseline": "기준 모델",
    },
    "en": {
        "none": "No change has been recorded yet; `cnnnotes changes --record` records them.",
        "since": "Changes recorded since {since} (date, old → new). When a retrain or a new "
        "seed changes a published verdict or headline number, it is added here.",
        "nothing": "No published verdict or headline number has changed since {since}.",
        "verdict": "{date}: {name}, verdict on “{claim}”: {old} → {new}",
        "headline": "{date}: {name}, {what}, mean over seeds: {old} → {new}",
        "n": "{date}: {name}, seeds trained: {old} → {new}",
        "baseline": "Baseline",
    },
}


def _value(kind: str, value: Any, lang: Lang) -> str:
    if value is None:
        return "—"
    if kind == "verdict":
        return VERDICT_WORDS[lang][value]
    return f"{value:.3f}" if kind == "headline" else str(value)


@fragment("what-changed", inputs=(f"{FILE}*",))
def what_changed(lang: Lang, *, results_dir: Path) -> str:
    """The list of changed verdicts and headline numbers, newest first."""
    w = _TEXT[lang]
    doc = load(results_dir)
    if doc is None:
        return w["none"] + "\n"
    since = doc.get("since", doc["date"])
    if not doc["changes"]:
        return w["nothing"].format(since=since) + "\n"
    items = []
    for c in reversed(doc["changes"]):
        kind = c["kind"]
        name = w["baseline"] if c["case"] == "baseline" else c["case"].replace("case", "Case ")
        claim = CLAIMS[lang]["claims"].get(c["key"], c["key"]) if kind == "verdict" else ""
        what = CLAIMS[lang]["measures"].get(c["key"], c["key"])
        items.append("- " + w[kind].format(date=c["date"], name=name, claim=claim, what=what,
                                           old=_value(kind, c["old"], lang),
                                           new=_value(kind, c["new"], lang)))  # fmt: skip
    return "\n".join([w["since"].format(since=since), "", *items, ""])
