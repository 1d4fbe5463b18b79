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

from cnnnotes.experiments.cases import NOTES
from cnnnotes.site.figures._runs import (
    ALL_RUNS,
    hardware,
    missing_seeds,
    order,
    present_seeds,
    seconds_per_epoch,
)
from cnnnotes.site.figures.registry import fragment
from cnnnotes.experiments.results import RunResult
from cnnnotes.site.style import Lang

__all__ = ["SLOW", "slow_epochs", "training_times", "wall_seconds"]

#: An epoch slower than this many times its run's median is listed as an outlier.
SLOW = 1.3

_TEXT: dict[Lang, dict[str, str]] = {
    "ko": {
        "head": "| Case | 실행 (계획 대비) | 실행 하나 (중앙값) | 초/에포크 (중앙값) | 합계 | "
        "하드웨어 |",
        "total": "**합계**",
        "lead": "아래 시간은 이 사이트의 실행들이 기록한 값입니다(학습과 테스트 평가를 포함한 "
        "실행마다의 경과 시간).",
        "sum": "커밋된 실행 {n}개의 학습 시간은 모두 합쳐 {total}입니다.",
        "rest": " 아직 학습하지 않은 계획된 실행 {n}개는 Case별 중앙값으로 어림하면 약 {rest} 더 "
        "걸립니다.",
        "slow_lead": "그 실행 중앙값의 {slow}배보다 오래 걸린 에포크(같은 기계의 다른 작업 같은 "
        "호스트 사건이나 첫 에포크의 그래프 추적; 합계에는 그대로 들어 있습니다):",
        "slow_item": "{name} 시드 {seed} (중앙값 {median} s): {epochs}",
        "epoch": "에포크 {k} ({s} s)",
        "none": "아직 학습한 실행이 없어 기록된 시간이 없습니다.",
        "h": "{h}시간 {m}분",
        "m": "{m}분",
        "baseline": "기준 모델",
    },
    "en": {
        "head": "| Case | Runs (of planned) | One run (median) | s / epoch (median) | Total | "
        "Hardware |",
        "total": "**Total**",
        "lead": "The times below are those this site's runs recorded (each run's wall time, "
        "training and test evaluation included).",
        "sum": "The {n} committed runs took {total} of training in all.",
        "rest": " The {n} planned runs not trained yet would take about {rest} more, estimated "
        "from each case's median.",
        "slow_lead": "Epochs slower than {slow}× their run's median (host events such as other "
        "jobs on the machine, or the first epoch's graph tracing; they stay in the totals):",
        "slow_item": "{name} seed {seed} (median {median} s): {epochs}",
        "epoch": "epoch {k} ({s} s)",
        "none": "No run has been trained yet, so no time has been recorded.",
        "h": "{h} h {m} min",
        "m": "{m} min",
        "baseline": "Baseline",
    },
}


def wall_seconds(run: RunResult) -> float:
    """The run's recorded wall time (the sum of its epochs when it recorded none)."""
    wall = run.provenance.get("wall_seconds")
    return float(wall) if wall is not None else float(sum(run.epoch_seconds))


def slow_epochs(run: RunResult, factor: float = SLOW) -> list[tuple[int, float]]:
    """``(epoch, seconds)`` of each epoch slower than ``factor`` × the run's median (1-based)."""
    median = seconds_per_epoch(run)
    return [(i + 1, float(s)) for i, s in enumerate(run.epoch_seconds) if s > factor * median]


def _duration(seconds: float, lang: Lang) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return _TEXT[lang]["m"].format(m=minutes)
    return _TEXT[lang]["h"].format(h=minutes // 60, m=minutes % 60)


def _name(case: str, lang: Lang) -> str:
    return _TEXT[lang]["baseline"] if case == "baseline" else case.replace("case", "Case ")


@fragment("training-times", inputs=ALL_RUNS)
def training_times(lang: Lang, *, results_dir: Path) -> str:
    """The reproduce page's training times: per case and in total, with the slow epochs."""
    w = _TEXT[lang]
    seeds = present_seeds(results_dir)
    if not seeds:
        return w["none"] + "\n"
    rows = [w["head"], "| --- | --- | --- | --- | --- | --- |"]
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
        rows.append(f"| {_name(case, lang)} | {len(runs)} / {planned} | "
                    f"{_duration(median, lang)} | {per_epoch:.0f} | "
                    f"{_duration(sum(walls), lang)} | {machines} |")  # fmt: skip
        for k, run in runs.items():
            epochs = slow_epochs(run)
            if epochs:
                listed = ", ".join(w["epoch"].format(k=e, s=f"{s:.0f}") for e, s in epochs)
                mid = f"{seconds_per_epoch(run):.0f}"
                slow.append(w["slow_item"].format(name=_name(case, lang), seed=k,
                                                  epochs=listed, median=mid))  # fmt: skip
    n = sum(len(r) for r in seeds.values())
    rows.append(f"| {w['total']} | {n} | | | **{_duration(total, lang)}** | |")
    text = w["sum"].format(n=n, total=_duration(total, lang))
    if n_rest:
        text += w["rest"].format(n=n_rest, rest=_duration(rest, lang))
    out = [w["lead"], "", *rows, "", text, ""]
    if slow:
        out += [w["slow_lead"].format(slow=f"{SLOW:g}"), "", *(f"- {s}" for s in slow), ""]
    return "\n".join(out)
