"""What training planned and did, as data: the CLI prints these reports, tests read them.

:class:`PlanItem` is one run to train (the case travels as itself, with its seed),
:class:`PlanReport` what ``cnnnotes train --dry-run`` shows, :class:`RunOutcome` one
run trained or taken from the store by either executor, :class:`TrainReport` all of
them after publishing. Log lines (progress, one per epoch) are for people watching;
these are what callers decide on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cnnnotes.experiments.runs.cases import Case
from cnnnotes.experiments.runs.folder import run_label
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.experiments.runs.status import RunStatus

__all__ = ["PlanItem", "PlanReport", "RunOutcome", "TrainReport"]


@dataclass(frozen=True)
class PlanItem:
    """One run to train: its case and seed, its committed state and an estimate of its time."""

    case: Case
    seed: int
    state: RunStatus
    estimate_seconds: float | None = None

    @property
    def label(self) -> str:
        """``notes/case5/seed-0``."""
        return self.state.label


@dataclass(frozen=True)
class PlanReport:
    """The runs ``cnnnotes train`` would train for a profile, in training order."""

    profile: str
    items: tuple[PlanItem, ...]

    @property
    def total_seconds(self) -> float:
        """The sum of the estimates that exist."""
        return sum(item.estimate_seconds or 0.0 for item in self.items)

    @property
    def unknown(self) -> int:
        """How many runs have no recorded time to estimate from."""
        return sum(item.estimate_seconds is None for item in self.items)

    def lines(self) -> list[str]:
        """One line per run, then the total."""
        out = []
        for item in self.items:
            est = item.estimate_seconds
            shown = f"~{est / 60:.0f} min" if est else "no recorded time"
            out.append(f"{item.label}  {item.state.state}  {shown}")
        unknown = f" plus {self.unknown} without one" if self.unknown else ""
        out.append(
            f"{len(self.items)} run(s) to train, about {self.total_seconds / 60:.0f} min "
            f"from recorded times{unknown}"
        )
        return out


@dataclass(frozen=True)
class RunOutcome:
    """One run an executor finished: trained now, or taken from the store.

    Attributes
    ----------
    run
        The finished run, read back (and verified) from the store.
    trained
        False when the finished run was already in the store.
    ignored
        Damaged checkpoints or finished entries that were set aside, one line each.
    node
        Where it ran (``local``, or host/node of a Ray worker).
    attempts
        How often it was started (Ray starts a run again when its worker dies).
    seconds
        Wall seconds spent on it by the executor.
    published
        The committed folder, once published.
    """

    run: RunResult
    trained: bool
    ignored: tuple[str, ...] = ()
    node: str = "local"
    attempts: int = 1
    seconds: float = 0.0
    published: Path | None = None

    @property
    def label(self) -> str:
        """``notes/case5/seed-0``."""
        return run_label(self.run.profile, self.run.case, self.run.seed)

    @property
    def resumed_after_epochs(self) -> tuple[int, ...]:
        """The epochs after which the run was resumed from a checkpoint."""
        return self.run.provenance.resumed_after_epochs


@dataclass(frozen=True)
class TrainReport:
    """Every run ``cnnnotes train`` finished and published, in the order they finished."""

    profile: str
    executor: str
    runs: tuple[RunOutcome, ...]
    seconds: float

    @property
    def published(self) -> list[Path]:
        """The published folders."""
        return [run.published for run in self.runs if run.published is not None]

    @property
    def trained(self) -> int:
        """How many runs were trained now (not taken from the store)."""
        return sum(run.trained for run in self.runs)

    def lines(self) -> list[str]:
        """A summary: one line per run (node, attempts, resumed after epochs, seconds), a total."""
        out = []
        if self.runs:
            out.append("run, node, attempts, resumed after epochs, seconds")
        for run in self.runs:
            resumed = ",".join(map(str, run.resumed_after_epochs)) or "-"
            how = "trained" if run.trained else "from the store"
            out.append(
                f"  {run.label}  {how}  {run.node}  {run.attempts}  {resumed}  {run.seconds:.1f}"
            )
        out.append(
            f"{len(self.runs)} run(s) trained or taken from the store and published "
            f"({self.trained} trained, executor {self.executor}, {self.seconds:.0f} s)"
        )
        return out
