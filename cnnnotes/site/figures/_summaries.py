"""What the generated tables and page blocks share: per-run numbers and their formatting."""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.record import DatasetInfo, RunResult
from cnnnotes.i18n import Lang, t
from cnnnotes.i18n.prose import render
from cnnnotes.site.figures._runs import PROFILE, hardware, seconds_per_epoch, seed

_NO_DATASET = DatasetInfo("arrays", "?", False, {}, "")

__all__ = ["image", "missing_block", "n_images", "n_of", "name", "num", "spread", "summarize"]


def n_images(run: RunResult, split: str) -> int:
    """How many images the run's ``split`` held."""
    counts = run.provenance.counts
    return int(counts.get(split) or (len(run.labels) if split == "test" else 10_000))


def summarize(run: RunResult) -> dict[str, Any]:
    """The numbers the downloads report for one run (epochs are 1-based).

    The summaries verdicts use (last-five means, the dropout-off gap) come from
    :func:`cnnnotes.experiments.runs.stats.summarize`, the one place they are defined.
    """
    h = run.history
    m = run.metrics
    st = stats.summarize(run)
    return {
        "epochs": len(run.epochs),
        "seed": seed(run),
        "val_accuracy_last5": st["val_accuracy_last5"],
        "val_loss_last5": st["val_loss_last5"],
        "best_val_accuracy": st["best_val_accuracy"],
        "best_val_epoch": int(st["best_epoch"]),
        "final_val_accuracy": float(h["val_accuracy"][-1]),
        "final_val_loss": float(h["val_loss"][-1]),
        "lowest_val_loss": float(h["val_loss"].min()),
        "lowest_val_loss_epoch": int(np.argmin(h["val_loss"])) + 1,
        "final_train_accuracy": float(h["accuracy"][-1]),
        "final_train_loss": float(h["loss"][-1]),
        "train_accuracy_dropout_off": m.get("train_accuracy"),
        "train_loss_dropout_off": m.get("train_loss"),
        "gap_dropout_off": st.get("gap"),
        "test_accuracy": m.get("test_accuracy"),
        "test_loss": m.get("test_loss"),
        "param_count": run.param_count,
        "seconds_per_epoch": seconds_per_epoch(run),
        "wall_seconds": run.provenance.wall_seconds,
        "hardware": hardware(run, "en"),
        "dataset_fingerprint": (run.provenance.dataset or _NO_DATASET).fingerprint,
    }


def num(x: Any, digits: int = 3) -> str:
    """``x`` with ``digits`` decimals, or a dash for a missing number."""
    return "—" if x is None else f"{x:.{digits}f}"


def spread(values: list[float], digits: int = 3) -> str:
    """``mean ± sd`` over seeds (the mean alone for one seed)."""
    v = [x for x in values if x is not None]
    if not v:
        return "—"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    # no-break spaces keep each number whole and "± sd" together; a table may wrap before it
    return f"{np.mean(v):.{digits}f} ±\u00a0{np.std(v, ddof=1):.{digits}f}"


#: The mark of an experiment beyond the notes in tables and lists.
BEYOND_MARK = "‡"


def name(case: str, lang: Lang) -> str:
    """Short name of a case with a † when its settings are our reading.

    An experiment beyond the notes is named by its change and marked with
    :data:`BEYOND_MARK` (``Adam + dropout 0.3 ‡``).
    """
    if CASES[case].beyond:
        return f"{CASES[case].short(lang)} {BEYOND_MARK}"
    short = t("tables.baseline", lang) if case == "baseline" else case.replace("case", "Case ")
    return short + (" †" if CASES[case].assumed(lang) else "")


def n_of(case: str, runs: dict[int, RunResult], lang: Lang) -> str:
    """ "n of planned" for ``case``."""
    return t("tables.n_of", lang, n=len(runs), planned=len(NOTES.planned_seeds(case)))


def missing_block(lang: Lang, cases: list[str]) -> str:
    """A note that ``cases`` are not trained yet, with the command that trains them."""
    flags = "--case " + " ".join(cases)
    names = ", ".join(name(c, lang).rstrip(" †") for c in cases)
    return render(
        "missing", lang, names=names, command=f"cnnnotes train --profile {PROFILE} {flags}"
    )


def image(name: str, alt: str, caption: str) -> str:
    """The figure and its caption (the italic paragraph right after it, see pagehtml)."""
    return f"![{alt}](figures/{name}.png)\n\n*{caption}*\n"
