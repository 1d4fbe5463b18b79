"""What ``cnnnotes train`` does, as library calls: plan the stale runs, train them, publish.

:func:`plan_stale` lists the planned runs that are not fresh (``--dry-run``), from a
dataset fingerprint or the one committed with the results. :func:`train_plan` is the
one training path: it hands a plan to an executor
(:mod:`~cnnnotes.experiments.training.executors`: here, or on Ray), publishes each
run as it finishes and returns a :class:`~cnnnotes.experiments.training.reports.TrainReport`.
:func:`train_stale` loads the data, plans, picks the executor and calls it. Every
default that comes from the environment (the data source, the cache folder) is the
caller's to pass: the ``cnnnotes`` command reads them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from cnnnotes.data import Cifar10, load_cifar10
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Case, Profile
from cnnnotes.experiments.runs.status import recorded_fingerprint
from cnnnotes.experiments.runs.store import publish
from cnnnotes.experiments.training.executors import Executor, Local, default_threads
from cnnnotes.experiments.training.loop import Log, stderr
from cnnnotes.experiments.training.plan import plan
from cnnnotes.experiments.training.rayprobe import probe, resolve_address
from cnnnotes.experiments.training.reports import PlanReport, TrainReport

__all__ = ["plan_stale", "train_plan", "train_stale"]


def plan_stale(
    profile: Profile,
    cases: Sequence[Case],
    results_dir: Path,
    *,
    fingerprint: str | None = None,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
) -> PlanReport:
    """The runs :func:`train_stale` would train, with estimated times; nothing is trained.

    ``fingerprint`` defaults to the one committed in ``results_dir/dataset/info.json``;
    with neither, a :class:`CnnnotesError` asks for a source.
    """
    fingerprint = fingerprint or recorded_fingerprint(results_dir)
    if fingerprint is None:
        raise CnnnotesError("dataset: give --source (no results/dataset/info.json to read)")
    return plan(profile, cases, fingerprint, results_dir, seeds=seeds, replace=replace)


def train_plan(
    profile: Profile,
    todo: PlanReport,
    data: Cifar10,
    results_dir: Path,
    executor: Executor,
    *,
    log: Log | None = None,
) -> TrainReport:
    """Train the runs of ``todo`` with ``executor``; publish each to ``results_dir`` at once.

    Parameters
    ----------
    profile
        The profile the plan is of.
    todo
        The plan (:func:`cnnnotes.experiments.training.plan.plan`).
    data
        The dataset (its fingerprint is part of every key).
    results_dir
        Where published runs go (``runs/<profile>/<case>/seed-<k>/``).
    executor
        :class:`~cnnnotes.experiments.training.executors.Local` or
        :class:`~cnnnotes.experiments.training.cluster.Ray`.
    log
        Receives progress lines (one per epoch per run, retries, publications);
        default standard error.

    Returns
    -------
    TrainReport
        Every run finished and published, in the order they finished. Runs published
        before an error or Ctrl-C stay published; nothing partial is.
    """
    emit = log or stderr
    started = time.perf_counter()
    done = []
    runs = executor.train(profile, todo.items, data, emit)
    with contextlib.closing(runs):
        for outcome in runs:
            published = publish(outcome.run, results_dir, profile)
            emit(f"published {published}")
            done.append(dataclasses.replace(outcome, published=published))
    seconds = time.perf_counter() - started
    return TrainReport(profile.name, executor.name, tuple(done), seconds)


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
) -> TrainReport:
    """Load the data, train every planned run of ``profile`` that is not fresh, publish each.

    Parameters
    ----------
    profile, cases, results_dir, seeds, replace
        What is planned and refused (:func:`cnnnotes.experiments.training.plan.plan`).
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
        Ray only: the cluster (default ``$RAY_ADDRESS``, else a local instance), checked
        to answer before the data load (:mod:`~cnnnotes.experiments.training.rayprobe`),
        and how workers get the data.
    log
        Receives one line per event; default stderr.
    """
    if executor == "local" and (address or data_via != "object-store"):
        raise CnnnotesError("--address and --data-via need --executor ray")
    if threads is not None and threads < 1:
        raise CnnnotesError(f"--threads {threads}: must be a positive number of threads")
    threads = threads or default_threads()
    chosen: Executor
    if executor == "ray":
        from cnnnotes.experiments.training.cluster import Ray

        address, shown = resolve_address(address)
        if address:  # before the data load: an address nobody answers at fails in seconds
            probe(address, shown)
        elif threads > default_threads():
            raise CnnnotesError(
                f"--threads {threads}: a local Ray instance has this machine's "
                f"{default_threads()} CPU(s); give at most that, or --address of a cluster"
            )
        chosen = Ray(threads, address, data_via, store=store, cache_dir=cache_dir)
    else:
        chosen = Local(store or cache_dir, threads)
    data = load_cifar10(source, cache_dir=cache_dir)
    chosen.check(data)
    todo = plan(profile, cases, data.info.fingerprint, results_dir, seeds=seeds, replace=replace)
    return train_plan(profile, todo, data, results_dir, chosen, log=log)
