"""Where ``cnnnotes train`` trains a plan: this process (``local``) or a Ray cluster (``ray``).

An :class:`Executor` takes the plan's items and yields one
:class:`~cnnnotes.experiments.training.reports.RunOutcome` per run as it finishes,
each a finished run in a run store; planning, publishing and the report are
:func:`cnnnotes.experiments.training.orchestrate.train_plan`'s, the same for both.
Both executors train a run with the same function
(:func:`cnnnotes.experiments.training.loop.train`), with TensorFlow's thread pools and
``OMP_NUM_THREADS`` pinned to the same count (:func:`pin_threads`, recorded in each
run's provenance). A run trained anywhere is known by its key; nothing here enters a
key. :class:`Local` is here; the Ray executor is
:class:`cnnnotes.experiments.training.cluster.Ray`.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from cnnnotes.data import Cifar10
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Profile
from cnnnotes.experiments.training.loop import Log, train
from cnnnotes.experiments.training.reports import PlanItem, RunOutcome

__all__ = [
    "EXECUTORS",
    "Executor",
    "ExecutorError",
    "Local",
    "default_threads",
    "pin_threads",
]

#: The executors ``cnnnotes train --executor`` knows.
EXECUTORS: tuple[str, ...] = ("local", "ray")


class ExecutorError(CnnnotesError):
    """A cluster could not be used, or returned a run this process does not accept."""


class Executor(Protocol):
    """Trains the items of a plan; yields each finished run (in a store) as it finishes."""

    name: ClassVar[str]

    def check(self, data: Cifar10) -> None:
        """Raise before any planning or training when this executor cannot train ``data``."""

    def train(
        self, profile: Profile, items: Sequence[PlanItem], data: Cifar10, log: Log
    ) -> Generator[RunOutcome, None, None]:
        """Train ``items`` under ``profile`` on ``data``, logging progress to ``log``."""
        ...  # pragma: no cover - a protocol


def default_threads() -> int:
    """The CPUs this process may use (its affinity), the default threads per run."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def pin_threads(threads: int) -> None:
    """Pin TensorFlow's intra- and inter-op pools and ``OMP_NUM_THREADS`` to ``threads``.

    Call it before TensorFlow runs anything. With ``threads`` equal to the CPUs of
    the machine this is what TensorFlow would choose itself; pinning makes two
    executors (or two machines) use the same count. Without TensorFlow installed
    only the environment is set (training then fails as it would anyway).
    """
    if threads < 1:
        raise ExecutorError(f"threads: {threads} must be at least 1")
    os.environ["OMP_NUM_THREADS"] = str(threads)
    try:
        import tensorflow as tf
    except ImportError:
        return
    pools = tf.config.threading
    for name, get, put in (
        (
            "intra-op",
            pools.get_intra_op_parallelism_threads,
            pools.set_intra_op_parallelism_threads,
        ),
        (
            "inter-op",
            pools.get_inter_op_parallelism_threads,
            pools.set_inter_op_parallelism_threads,
        ),
    ):
        if get() != threads:
            try:
                put(threads)
            except RuntimeError:
                raise ExecutorError(
                    f"threads: TensorFlow already runs with {get()} {name} threads; "
                    f"pin them before training"
                ) from None


@dataclass(frozen=True)
class Local:
    """Train the runs here, one after the other, into ``store``.

    Attributes
    ----------
    store
        The run cache (runs live in ``store/runs/<key>/``).
    threads
        TensorFlow's threads, pinned once the plan stands (a refusal comes first).
    """

    store: Path
    threads: int
    name: ClassVar[str] = "local"

    def check(self, data: Cifar10) -> None:
        """Any dataset will do."""

    def train(
        self, profile: Profile, items: Sequence[PlanItem], data: Cifar10, log: Log
    ) -> Generator[RunOutcome, None, None]:
        """Train each item in turn; yield it when it is finished."""
        if items:
            pin_threads(self.threads)
        for i, item in enumerate(items, 1):
            log(f"[{i}/{len(items)}] {item.label} ({item.state.state})")
            yield train(item.case, profile, data, seed=item.seed, store=self.store, log=log)
