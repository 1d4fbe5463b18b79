"""Keep the first-layer kernels of committed runs, before and after training.

The redundancy question of Case 2 (:mod:`cnnnotes.experiments.runs.filters`) needs each run's
first-layer filters as trained and as initialised. Both are tiny, and both are added to
the run folder as ``kernels.npz`` outside the run key (the run's numbers do not change):

- the **initial** kernels are rebuilt from the run's seed (:func:`numerics.start`
  initialises exactly as training did, without training);
- the **trained** kernels come from the run's committed weights when it keeps them (the
  first seed); otherwise the run is **retrained** and must reproduce its committed history
  bit for bit, which is guaranteed only on the same kind of CPU with the same thread count
  (across kinds some cases happen to reproduce and others do not: the baseline's first
  epoch already differs between an AMD EPYC and an Intel Xeon). A run committed on other
  hardware is refused before any training, and a retrain that differs is refused after
  it: in both cases nothing is written.

The planner never schedules a fresh run, so this is a command of its own
(``cnnnotes kernels``). TensorFlow is imported inside the functions that need it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnnotes.data import Cifar10
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Case, Profile
from cnnnotes.experiments.runs.folder import (
    load_weights,
    read_run_dir,
    run_dir,
    run_files,
    write_run_dir,
)
from cnnnotes.experiments.runs.provenance import cpu_model
from cnnnotes.experiments.runs.record import HISTORY_KEYS, KERNELS, WEIGHTS, RunResult
from cnnnotes.experiments.training import numerics
from cnnnotes.experiments.training.loop import train
from cnnnotes.files import lock, npz_bytes

__all__ = ["KEPT_FOR", "KernelsKept", "ReproductionError", "initial_kernels", "keep_kernels"]

#: The cases whose runs keep their first-layer kernels (Case 2's question compares them).
KEPT_FOR: tuple[str, ...] = ("baseline", "case2")


class ReproductionError(CnnnotesError):
    """A committed run cannot be, or was not, reproduced by retraining; nothing was written."""


@dataclass(frozen=True)
class KernelsKept:
    """What :func:`keep_kernels` did for one run.

    Attributes
    ----------
    label
        ``profile/case/seed-k``.
    source
        ``"weights"`` (trained kernels from the committed weights) or ``"retrained"``.
    path
        The run folder, now listing ``kernels.npz``.
    """

    label: str
    source: str
    path: Path


def initial_kernels(case: Case, seed: int) -> np.ndarray:
    """The first-layer kernels of ``case`` as a run with ``seed`` starts, ``(3, 3, 3, F)``."""
    model = numerics.start(case, seed)
    return np.asarray(model.get_layer("conv1").kernel.numpy(), dtype=np.float32)


def keep_kernels(
    case: Case,
    profile: Profile,
    seed: int,
    results: Path,
    *,
    data: Callable[[], Cifar10],
    store: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> KernelsKept:
    """Add ``kernels.npz`` to the committed run of ``case``/``seed`` under ``profile``.

    ``data`` is called only when the run must be retrained.

    Raises
    ------
    ReproductionError
        When the run was committed on another CPU or thread count, or its retrain
        differs from it (the message names the first differing epoch).
    ResultsError
        When the committed run is missing or corrupt.
    """
    folder = run_dir(results, profile.name, case.name, seed)
    label = f"{profile.name}/{case.name}/seed-{seed}"
    run = read_run_dir(folder)
    if WEIGHTS in run.record.files:
        trained, source = load_weights(folder)["conv1/kernel"], "weights"
    else:
        trained, source = _retrained(case, profile, seed, run, label, data, store, log), "retrained"
    outputs = {**run_files(folder, run.record), KERNELS: _kernels_bytes(case, seed, trained)}
    with lock(folder):
        write_run_dir(folder, run.record, outputs)
    return KernelsKept(label, source, folder)


def _kernels_bytes(case: Case, seed: int, trained: np.ndarray) -> bytes:
    initial = initial_kernels(case, seed)
    if initial.shape != trained.shape:
        raise ReproductionError(
            f"case {case.name!r}: initial kernels {initial.shape}, trained {trained.shape}"
        )
    return npz_bytes({"initial": initial, "trained": np.asarray(trained, dtype=np.float32)})


def _retrained(
    case: Case,
    profile: Profile,
    seed: int,
    run: RunResult,
    label: str,
    data: Callable[[], Cifar10],
    store: Path | None,
    log: Callable[[str], None] | None,
) -> np.ndarray:
    hw = run.provenance.hardware
    here, cores = cpu_model(), os.cpu_count()
    if hw is None or hw.cpu is None or here != hw.cpu or hw.cpu_count != cores:
        committed = "unknown hardware" if hw is None else f"{hw.cpu} × {hw.cpu_count}"
        raise ReproductionError(
            f"{label}: committed on {committed}, this machine is {here} × {cores}; a retrain "
            "would not reproduce it bit for bit (nothing written)"
        )
    fresh = train(case, profile, data(), seed=seed, store=store, log=log).run
    if fresh.key != run.key:
        raise ReproductionError(
            f"{label}: its key differs from today's (other data or training code); retrain it "
            "with `cnnnotes train` first (nothing written)"
        )
    for k in HISTORY_KEYS:
        differs = np.flatnonzero(fresh.history[k] != run.history[k])
        if differs.size:
            raise ReproductionError(
                f"{label}: the retrain differs from the committed run at epoch "
                f"{int(differs[0]) + 1} ({k}); nothing written"
            )
    return load_weights(fresh.path)["conv1/kernel"]
