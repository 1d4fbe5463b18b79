"""How long training took: per-case medians and totals from the times the runs recorded.

Nothing here is typed by hand: each committed run records its wall time
(``provenance.wall_seconds``, training and the test evaluation), the seconds of
every epoch and the hardware it ran on. Epochs slower than :data:`SLOW` times
their run's median are listed (a host event such as another job on the machine,
or the first epoch's graph tracing); they stay in the totals.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.i18n import Lang, t
from cnnnotes.site.figures._runs import (
    ALL_RUNS,
    hardware,
    missing_seeds,
    order,
    present_seeds,
    seconds_per_epoch,
)
from cnnnotes.site.figures._summaries import name
from cnnnotes.site.figures.registry import fragment

__all__ = ["SLOW", "slow_epochs", "training_times", "wall_seconds"]

#: An epoch slower than this many times its run's median is listed as an outlier.
SLOW = 1.3


def wall_seconds(run: RunResult) -> float:
    """The run's recorded wall time (the sum of its epochs when it recorded none)."""
    wall = run.provenance.wall_seconds
    return float(wall) if wall is not None else float(sum(run.epoch_seconds))


def slow_epochs(run: RunResult, factor: float = SLOW) -> list[tuple[int, float]]:
    """``(epoch, seconds)`` of each epoch slower than ``factor`` × the run's median (1-based)."""
    median = seconds_per_epoch(run)
    return [(i + 1, float(s)) for i, s in enumerate(run.epoch_seconds) if s > factor * median]


def _duration(seconds: float, lang: Lang) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return t("fig.timing.m", lang, m=minutes)
    return t("fig.timing.h", lang, h=minutes // 60, m=minutes % 60)


def _name(case: str, lang: Lang) -> str:
    if CASES[case].beyond:
        return name(case, lang)
    return t("fig.timing.baseline", lang) if case == "baseline" else case.replace("case", "Case ")


@fragment("training-times", inputs=ALL_RUNS)
def training_times(lang: Lang, *, results_dir: Path) -> str:
    """The reproduce page's training times: per case and in total, with the slow epochs."""
    seeds = present_seeds(results_dir)
    if not seeds:
        return t("fig.timing.none", lang) + "\n"
    rows = [t("fig.timing.head", lang), "| --- | --- | --- | --- | --- | --- |"]
    total, rest, n_rest, slow = 0.0, 0.0, 0, []
    for case in order():
        runs = seeds.get(case, {})
        if not runs:
            continue
        walls = [wall_seconds(r) for r in runs.values()]
        median = statistics.median(walls)
        gone = len(missing_seeds(case, runs))
        total, rest, n_rest = total + sum(walls), rest + gone * median, n_rest + gone
        machines = "; ".join(sorted({hardware(r, lang) for r in runs.values()}))
        per_epoch = statistics.median(seconds_per_epoch(r) for r in runs.values())
        planned = len(NOTES.planned_seeds(case))
        rows.append(
            f"| {_name(case, lang)} | {len(runs)} / {planned} | "
            f"{_duration(median, lang)} | {per_epoch:.0f} | "
            f"{_duration(sum(walls), lang)} | {machines} |"
        )
        for k, run in runs.items():
            epochs = slow_epochs(run)
            if epochs:
                listed = ", ".join(
                    t("fig.timing.epoch", lang, k=e, s=f"{s:.0f}") for e, s in epochs
                )
                mid = f"{seconds_per_epoch(run):.0f}"
                slow.append(
                    t(
                        "fig.timing.slow_item",
                        lang,
                        name=_name(case, lang),
                        seed=k,
                        epochs=listed,
                        median=mid,
                    )
                )
    n = sum(len(r) for r in seeds.values())
    rows.append(f"| {t('fig.timing.total', lang)} | {n} | | | **{_duration(total, lang)}** | |")
    text = t("fig.timing.sum", lang, n=n, total=_duration(total, lang))
    if n_rest:
        text += t("fig.timing.rest", lang, n=n_rest, rest=_duration(rest, lang))
    out = [t("fig.timing.lead", lang), "", *rows, "", text, ""]
    if slow:
        out += [
            t("fig.timing.slow_lead", lang, slow=f"{SLOW:g}"),
            "",
            *(f"- {s}" for s in slow),
            "",
        ]
    return "\n".join(out)
