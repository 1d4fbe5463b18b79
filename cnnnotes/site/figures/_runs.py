"""What the experiment's figures and tables share: which runs, their input paths, provenance.

The published runs are those of the ``notes`` profile, committed under
``results/runs/notes/<case>/seed-<k>/``; single-run figures draw from the first
planned seed (:data:`SEED`). Any subset of them may exist; the helpers here load
whatever is present and describe where the numbers come from.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from pathlib import Path

from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.folder import load_all, load_seeds, run_dir
from cnnnotes.experiments.runs.record import (
    HISTORY,
    PREDICTIONS,
    RECORD,
    WEIGHTS,
    Hardware,
    RunResult,
)
from cnnnotes.i18n import Lang, t

__all__ = [
    "ALL_RUNS",
    "PROFILE",
    "SEED",
    "hardware",
    "missing_seeds",
    "notes_order",
    "order",
    "outdated",
    "present_runs",
    "present_seeds",
    "provenance_line",
    "run_files",
    "run_globs",
    "seconds_per_epoch",
    "seed",
    "seed_globs",
    "weights_file",
]

#: The published profile.
PROFILE = NOTES.name
#: The seed single-run figures draw from.
SEED = NOTES.seeds[0]
#: Every file of every published run, all seeds (glob patterns: they may match nothing).
ALL_RUNS: tuple[str, ...] = (f"{run_dir(Path(), PROFILE, '*').parent}/*/*",)


def order() -> tuple[str, ...]:
    """Cases in the table's order; also the order of colours, line styles and markers."""
    return tuple(CASES)


def notes_order() -> tuple[str, ...]:
    """The notes' own cases in the table's order (no experiment beyond the notes)."""
    return tuple(c for c in CASES if not CASES[c].beyond)


def run_files(case: str) -> tuple[str, ...]:
    """Plain input paths of one run: an asset declaring them is skipped while it is missing."""
    folder = run_dir(Path(), PROFILE, case, SEED).as_posix()
    return tuple(f"{folder}/{name}" for name in (RECORD, HISTORY, PREDICTIONS))


def weights_file(case: str) -> str:
    """Plain input path of one run's committed weights (the first seed of a case)."""
    return f"{run_dir(Path(), PROFILE, case, SEED).as_posix()}/{WEIGHTS}"


def run_globs(*cases: str) -> tuple[str, ...]:
    """Glob inputs over every file of ``cases``' runs: they match nothing while a run is missing."""
    return tuple(f"{run_dir(Path(), PROFILE, case, SEED).as_posix()}/*" for case in cases)


def seed_globs(*cases: str) -> tuple[str, ...]:
    """Glob inputs over every file of every seed of ``cases``' runs (they may match nothing)."""
    return tuple(f"{run_dir(Path(), PROFILE, case, SEED).parent.as_posix()}/*/*" for case in cases)


def present_seeds(
    results_dir: Path, cases: Iterable[str] | None = None
) -> dict[str, dict[int, RunResult]]:
    """Every committed seed of each of ``cases`` (default: all) that has one, in table order."""
    wanted = set(order() if cases is None else cases)
    out = {c: load_seeds(Path(results_dir), PROFILE, c) for c in order() if c in wanted}
    return {c: runs for c, runs in out.items() if runs}


def missing_seeds(case: str, runs: Iterable[int]) -> list[int]:
    """The planned seeds of ``case`` that are not among ``runs``."""
    have = set(runs)
    return [s for s in NOTES.planned_seeds(case) if s not in have]


def present_runs(results_dir: Path, cases: Iterable[str] | None = None) -> dict[str, RunResult]:
    """The readable published runs among ``cases`` (default: all), in the notes' order."""
    wanted = set(order() if cases is None else cases)
    return load_all(Path(results_dir), PROFILE, [c for c in order() if c in wanted], SEED)


def seed(run: RunResult) -> int:
    """The seed the run was trained with."""
    return run.seed


def seconds_per_epoch(run: RunResult) -> float:
    """Median wall seconds of one epoch (the first includes graph tracing)."""
    return float(statistics.median(run.epoch_seconds)) if len(run.epoch_seconds) else 0.0


def hardware(run: RunResult, lang: Lang) -> str:
    """Where the run trained: its GPU(s), else its CPU model and core count."""
    hw = run.provenance.hardware or Hardware()
    gpus = list(hw.gpus)
    if gpus:
        first = gpus[0]
        return first if len(gpus) == 1 else f"{first} ×{len(gpus)}"
    cpu = hw.cpu or "?"
    count = hw.cpu_count
    return f"{cpu}, {t('runs.cores', lang, n=count)}" if count else cpu


def _dataset(run: RunResult, lang: Lang) -> str:
    ds = run.provenance.dataset
    text = f"{t('common.data', lang)}: {ds.source if ds else '?'}"
    if ds and ds.origin == "jpeg":
        text += f" ({t('common.offline_copy', lang)})"
    elif ds and ds.origin == "official":
        text += f" ({t('runs.official', lang)})"
    fingerprint = str((ds and ds.fingerprint) or run.key_inputs.get("dataset", "?"))
    return f"{text} · {t('common.fingerprint', lang)} {fingerprint[:12]}"


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def provenance_line(runs: Iterable[RunResult], lang: Lang) -> str:
    """The stamp of a figure drawn from ``runs``.

    ``data: <source> (offline copy, JPEG-recompressed) · fingerprint <12 hex> · profile
    notes · seed <n> · <hardware>``, localized; differing values are joined with `` / ``.
    """
    runs = list(runs)
    if not runs:
        return f"{t('common.profile', lang)} {PROFILE} · {t('common.seed', lang)} {NOTES.seeds[0]}"
    parts = [
        " / ".join(_unique(_dataset(r, lang) for r in runs)),
        f"{t('common.profile', lang)} {' / '.join(_unique(r.profile for r in runs))}",
        f"{t('common.seed', lang)} {' / '.join(_unique(str(seed(r)) for r in runs))}",
        " / ".join(_unique(hardware(r, lang) for r in runs)),
    ]
    if any(outdated(r) for r in runs):
        parts.append(t("common.earlier_code", lang))
    return " · ".join(parts)


def outdated(run: RunResult) -> bool:
    """Whether ``run`` was trained by earlier training code (still true for the code it records).

    Importing the code key here makes every figure that uses this module depend on the
    training code, so the stamp follows it.
    """
    return run.key_inputs.get("code") != training_code_key()
