"""What ``cnnnotes train`` does, as library calls: plan the stale runs, train them, publish.

:func:`plan_stale` lists the planned runs that are not fresh (``--dry-run``), from a
dataset fingerprint or the one committed with the results; :func:`train_stale` loads
the data, then trains those runs here (:func:`cnnnotes.experiments.training.loop.train_runs`)
or as Ray tasks (:func:`cnnnotes.experiments.training.executors.train_runs_ray`) and publishes
each as it finishes. Every default that comes from the environment (the data source,
the cache folder) is the caller's to pass: the ``cnnnotes`` command reads them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from cnnnotes.data import load_cifar10
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Case, Profile
from cnnnotes.experiments.runs.status import recorded_fingerprint
from cnnnotes.experiments.training.executors import default_threads, pin_threads, train_runs_ray
from cnnnotes.experiments.training.loop import Planned, plan, train_runs

__all__ = ["plan_stale", "train_stale"]

Log = Callable[[str], None]


def plan_stale(
    profile: Profile,
    cases: Sequence[Case],
    results_dir: Path,
    *,
    fingerprint: str | None = None,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
) -> list[Planned]:
    """The runs :func:`train_stale` would train, with estimated times; nothing is trained.

    ``fingerprint`` defaults to the one committed in ``results_dir/dataset/info.json``;
    with neither, a :class:`CnnnotesError` asks for a source.
    """
    fingerprint = fingerprint or recorded_fingerprint(results_dir)
    if fingerprint is None:
        raise CnnnotesError("dataset: give --source (no results/dataset/info.json to read)")
    return plan(profile, cases, fingerprint, results_dir, seeds=seeds, replace=replace)


def train_stale(
    profile: Profile,
    cases: Sequence[Case],
    results_dir: Path,
    *,
    source: str | os.PathLike[str],
    cache_dir: Path,
    store: Path | None = None,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
    executor: str = "local",
    threads: int | None = None,
    address: str | None = None,
    data_via: str = "object-store",
    log: Log | None = None,
) -> list[Path]:
    """Load the data, train every planned run of ``profile`` that is not fresh, publish each.

    Parameters
    ----------
    profile, cases, results_dir, seeds, replace
        As for :func:`cnnnotes.experiments.training.loop.train_runs` (what is planned and refused).
    source
        The CIFAR-10 source (see :func:`cnnnotes.data.load_cifar10`).
    cache_dir
        The user cache: decoded datasets, and the run cache when ``store`` is None.
    store
        The run cache to train into; with Ray, one every node mounts (else each
        worker uses its node's own cache).
    executor
        ``"local"`` (this process, run after run) or ``"ray"``.
    threads
        Threads per run, pinned by both executors; default: this process's CPUs.
    address, data_via
        Ray only: the cluster, and how workers get the data.
    log
        Receives one line per event; default stderr.

    Returns
    -------
    list[Path]
        The published run folders.
    """
    if executor == "local" and (address or data_via != "object-store"):
        raise CnnnotesError("--address and --data-via need --executor ray")
    threads = threads or default_threads()
    data = load_cifar10(source, cache_dir=cache_dir)
    if executor == "ray":
        return train_runs_ray(
            profile,
            cases,
            data,
            results_dir,
            seeds=seeds,
            replace=replace,
            store=store,
            cache_dir=cache_dir,
            log=log,
            address=address,
            threads=threads,
            data_via=data_via,
        )
    pinned = threads
    # Threads are pinned once the plan stands, so a refusal comes before TensorFlow starts.
    return train_runs(
        profile,
        cases,
        data,
        results_dir,
        seeds=seeds,
        replace=replace,
        store=store or cache_dir,
        log=log,
        before=lambda _: pin_threads(pinned),
    )
