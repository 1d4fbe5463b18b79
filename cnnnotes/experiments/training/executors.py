"""Where ``cnnnotes train`` trains: this process (``local``) or tasks on a Ray cluster (``ray``).

Both executors train a run with the same function
(:func:`cnnnotes.experiments.training.loop.train`),
with TensorFlow's thread pools and ``OMP_NUM_THREADS`` pinned to the same count
(:func:`pin_threads`, recorded in each run's provenance), and publish it with the
same function (:func:`cnnnotes.experiments.runs.store.publish`). A run trained anywhere is known by
its key, as before; nothing here enters a key.

With Ray (:func:`train_runs_ray`), each run that is not fresh becomes one task that
declares ``threads`` CPUs and runs in a fresh worker process. The dataset reaches
the workers once: this process loads it and puts it in Ray's object store (sent
once to each node, shared there by its tasks), or, with ``data_via="source"``,
every worker loads ``--source`` itself from a path all nodes see. A worker trains
into its run cache and returns the finished run's files and record. This process
accepts them only when the recorded key, training-code key and dataset fingerprint
are its own and every sha256 matches; it then stores and publishes the run.

A worker that dies (its process or node lost) is retried up to ``retries`` times.
The retry resumes from the run's last checkpoint when it can see it: always with a
``store`` every node mounts, otherwise only when it lands on the same node; else it
starts again from epoch 1. Training is deterministic, so either way the numbers
are the same. Ctrl-C cancels the tasks; runs published before it stay, and no
partial run is published.

Ray is optional (the ``cluster`` extra) and imported here only. Its usage
statistics and dashboard are off, and a cluster started here listens on loopback.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from cnnnotes.data import Cifar10, load_cifar10, user_cache_dir
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Case, Profile
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.record import RECORD, ResultsError, RunResult
from cnnnotes.experiments.runs.store import (
    entry_dir,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)
from cnnnotes.files import lock

__all__ = [
    "DATA_VIA",
    "EXECUTORS",
    "ExecutorError",
    "accept_result",
    "default_threads",
    "pin_threads",
    "train_runs_ray",
]

Log = Callable[[str], None]
#: The executors ``cnnnotes train --executor`` knows.
EXECUTORS: tuple[str, ...] = ("local", "ray")
#: How Ray workers get the dataset: Ray's object store, or the ``--source`` path itself.
DATA_VIA: tuple[str, ...] = ("object-store", "source")
_POLL_SECONDS = 0.5


class _RayQuiet(TypedDict):
    """The ``ray.init`` options that keep Ray's dashboard and logs out of this process."""

    include_dashboard: bool
    log_to_driver: bool
    configure_logging: bool


class ExecutorError(CnnnotesError):
    """A cluster could not be used, or returned a run this process does not accept."""


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


# --- what the driver accepts ---------------------------------------------------------------------


def accept_result(record: dict[str, Any], files: dict[str, bytes], inputs: dict[str, Any]) -> None:
    """Raise :class:`ExecutorError` unless a worker's run is the one ``inputs`` describe, intact.

    ``record`` is the worker's ``run.json``; ``files`` its other files by name;
    ``inputs`` the key inputs this process computed (its own training-code key and
    dataset fingerprint). The record's training code, dataset and key must be ours,
    and every file the record lists must be there with its sha256, and no other.
    """
    got = record.get("key_inputs") if isinstance(record, dict) else None
    if not isinstance(got, dict):
        raise ExecutorError("worker result: the record holds no key inputs")
    tag = f"worker result {record.get('profile')}/{record.get('case')}/seed-{record.get('seed')}"
    if got.get("code") != inputs["code"]:
        raise ExecutorError(
            f"{tag}: trained by other training code ({str(got.get('code'))[:12]} != "
            f"{inputs['code'][:12]}); install the same cnnnotes on every node"
        )
    if got.get("dataset") != inputs["dataset"]:
        raise ExecutorError(
            f"{tag}: trained on other data (fingerprint {str(got.get('dataset'))[:12]} != "
            f"{inputs['dataset'][:12]})"
        )
    if got != inputs or record.get("key") != run_key(inputs):
        raise ExecutorError(f"{tag}: its key inputs or key are not the run asked for")
    listed = record.get("files")
    if not isinstance(listed, dict) or set(listed) != set(files):
        raise ExecutorError(f"{tag}: files {sorted(files)} are not those its record lists")
    for name, data in files.items():
        if hashlib.sha256(data).hexdigest() != listed[name]:
            raise ExecutorError(f"{tag}: {name} does not match the sha256 in its record")


def _store_result(
    entry: Path, key: str, record: dict[str, Any], files: dict[str, bytes]
) -> RunResult:
    """The accepted run in the store entry ``entry``, written there unless already finished."""
    with lock(entry):
        run = read_finished(entry, key)
        if run is None:
            meta = {k: v for k, v in record.items() if k not in ("files", "format")}
            write_finished(entry, meta, files)
            run = read_finished(entry, key)
    if run is None:
        raise ResultsError(f"store: run {key} unreadable right after writing it")
    return run


# --- the worker side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    case: Case
    profile: Profile
    seed: int
    fingerprint: str
    store: str | None
    threads: int
    attempt: int
    crash_after_epoch: int | None


class _Progress:
    """Lines from the workers, kept until the driver collects them (a Ray actor)."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def put(self, line: str) -> None:
        self._lines.append(line)

    def take(self) -> list[str]:
        lines, self._lines = self._lines, []
        return lines


def _work(task: _Task, data: Cifar10 | str, progress: Any) -> dict[str, Any]:
    """Train one run in a Ray worker; return its record, files and where it ran."""
    import ray

    pin_threads(task.threads)
    # A worker is an entry point on its own node: without a shared store it trains into,
    # and loads data through, the cache its node's environment names.
    cache = user_cache_dir(os.environ)
    if isinstance(data, str):
        data = load_cifar10(data, cache_dir=cache)
        if data.info.fingerprint != task.fingerprint:
            raise ExecutorError(
                f"source: {data.info.source} on {socket.gethostname()} holds other data "
                f"(fingerprint {data.info.fingerprint[:12]} != {task.fingerprint[:12]})"
            )
    from cnnnotes.experiments.training.loop import train

    def emit(line: str) -> None:
        if (
            task.crash_after_epoch
            and task.attempt == 1
            and (f" epoch {task.crash_after_epoch}/" in line)
        ):
            ray.get(progress.put.remote(f"{line} (worker exits here, as asked)"))
            os._exit(1)
        progress.put.remote(line)

    started = time.perf_counter()
    store = Path(task.store) if task.store else cache
    run = train(task.case, task.profile, data, seed=task.seed, store=store, log=emit)
    files = {name: (run.path / name).read_bytes() for name in run.files}
    record = json.loads((run.path / RECORD).read_bytes())
    return {
        "record": record,
        "files": files,
        "node": f"{socket.gethostname()}/{ray.get_runtime_context().get_node_id()[:8]}",
        "seconds": time.perf_counter() - started,
    }


# --- the driver side -----------------------------------------------------------------------------


@dataclass
class _Run:
    """One planned run as the driver follows it."""

    case: Case
    seed: int
    inputs: dict[str, Any]
    attempts: int = 0
    node: str = ""
    resumed: list[int] = field(default_factory=list)
    seconds: float = 0.0
    published: Path | None = None

    @property
    def key(self) -> str:
        return run_key(self.inputs)


def _connect(address: str | None, threads: int) -> tuple[Any, bool]:
    """Ray, connected to ``address`` or to the running instance, else a new local one."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if not address or address.split(":")[0] in ("127.0.0.1", "localhost"):
        # Read when Ray is imported: a single-machine instance, whose servers and workers
        # listen on loopback only (Ray binds them to the node's IP, then 127.0.0.1), and
        # a loopback address is not swapped for the machine's network address.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    token = os.environ.get("RAY_AUTH_TOKEN") or (Path.home() / ".ray" / "auth_token").is_file()
    if address and token:
        # Ray sends its token (made by `ray start`) to a given address only when asked.
        os.environ.setdefault("RAY_AUTH_MODE", "token")
    try:
        import ray
    except ImportError:
        raise ExecutorError(
            'executor: Ray is not installed; pip install -c constraints.txt -e ".[cluster]"'
        ) from None
    if ray.is_initialized():
        return ray, False
    quiet: _RayQuiet = {
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
    }
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(
                num_cpus=max(threads, default_threads()), _node_ip_address="127.0.0.1", **quiet
            )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise ExecutorError(f"executor: cannot use {where} ({exc})") from None
    return ray, True


def train_runs_ray(
    profile: Profile,
    cases: Sequence[Case],
    data: Cifar10,
    results_dir: Path,
    *,
    seeds: Iterable[int] | None = None,
    replace: bool = False,
    store: Path | None = None,
    cache_dir: Path | None = None,
    log: Log | None = None,
    address: str | None = None,
    threads: int = 1,
    data_via: str = "object-store",
    retries: int = 2,
    crash_after_epoch: int | None = None,
) -> list[Path]:
    """Train the planned runs that are not fresh as Ray tasks; publish each as it arrives.

    Parameters
    ----------
    profile, cases, data, results_dir, seeds, replace
        As for :func:`cnnnotes.experiments.training.loop.train_runs` (the same runs are
        planned and refused).
    store
        The run cache the workers train into; give a folder every node mounts so
        that a retried run resumes from its checkpoints anywhere. Default: each
        node's own cache (:func:`cnnnotes.data.user_cache_dir` of its environment).
    cache_dir
        This process's run cache, where accepted runs are stored when ``store`` is
        None; default :func:`cnnnotes.data.user_cache_dir` (no environment).
    log
        Receives the workers' lines (one per epoch per run, with metrics and ETA),
        retries, publications and a final summary; default stderr.
    address
        A running cluster (``HOST:PORT``); default: the Ray instance this process
        already started, else a new local one on loopback.
    threads
        CPUs each task declares, and the threads it pins (:func:`pin_threads`).
    data_via
        ``"object-store"`` (this process sends ``data`` once) or ``"source"``
        (workers load ``data.info.source``, a path every node must see).
    retries
        How often a run whose worker died is started again.
    crash_after_epoch
        For tests of recovery: a run's first attempt exits its worker right after
        the checkpoint of this epoch.

    Returns
    -------
    list[Path]
        The published folders, in the order the runs finished.
    """
    from cnnnotes.experiments.training.loop import plan

    emit = log or (lambda line: print(line, file=sys.stderr, flush=True))
    if data_via not in DATA_VIA:
        raise ExecutorError(f"data_via: {data_via!r} is not one of {', '.join(DATA_VIA)}")
    if data_via == "source" and data.info.kind in ("keras", "arrays"):
        raise ExecutorError(f"--data-via source: needs a --source path, not {data.info.source}")
    fp = data.info.fingerprint
    todo = plan(profile, cases, fp, results_dir, seeds=seeds, replace=replace)
    if not todo:
        return []
    driver_cache = Path(cache_dir) if cache_dir is not None else user_cache_dir()
    code = training_code_key()
    runs = [_Run(p.case, p.seed, run_key_inputs(p.case, profile, p.seed, fp, code)) for p in todo]
    ray, started = _connect(address, threads)
    t0 = time.perf_counter()
    published: list[Path] = []
    pending: dict[Any, _Run] = {}
    try:
        shared = (
            ray.put(data) if data_via == "object-store" else str(Path(data.info.source).resolve())
        )
        progress = ray.remote(num_cpus=0)(_Progress).remote()
        work = ray.remote(max_calls=1, max_retries=0)(_work).options(num_cpus=threads)
        errors = ray.exceptions
        dead = (errors.WorkerCrashedError, errors.NodeDiedError, errors.OutOfMemoryError)
        largest = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n["Alive"]), default=0)
        if largest < threads:
            raise ExecutorError(
                f"--threads {threads}: no node of the cluster has that many "
                f"CPUs (at most {largest:.0f})"
            )

        def submit(run: _Run) -> None:
            run.attempts += 1
            where = str(Path(store).resolve()) if store is not None else None
            task = _Task(
                run.case, profile, run.seed, fp, where, threads, run.attempts, crash_after_epoch
            )
            pending[work.remote(task, shared, progress)] = run

        def relay() -> None:
            for line in ray.get(progress.take.remote()):
                emit(line)

        emit(
            f"ray: {len(runs)} run(s) as tasks of {threads} CPU(s) on "
            f"{ray.cluster_resources().get('CPU', 0):.0f} CPU(s), data via {data_via}"
        )
        for run in runs:
            submit(run)
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=_POLL_SECONDS)
            relay()
            for ref in ready:
                run = pending.pop(ref)
                tag = f"[{profile.name}/{run.case.name}/seed-{run.seed}]"
                try:
                    out = ray.get(ref)
                except dead as exc:
                    if run.attempts > retries:
                        raise ExecutorError(
                            f"{tag} worker lost {run.attempts} times; giving up ({exc})"
                        ) from None
                    emit(f"{tag} worker lost on attempt {run.attempts}; starting it again")
                    submit(run)
                    continue
                relay()
                accept_result(out["record"], out["files"], run.inputs)
                entry = entry_dir(Path(store) if store is not None else driver_cache, run.key)
                result = _store_result(entry, run.key, out["record"], out["files"])
                run.published = publish(result, results_dir, profile)
                run.node, run.seconds = out["node"], out["seconds"]
                run.resumed = list(out["record"]["provenance"].get("resumed_after_epochs", []))
                published.append(run.published)
                emit(f"published {run.published}")
    except BaseException as exc:
        for ref in pending:
            ray.cancel(ref, force=True)
        if pending:
            why = "interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped"
            emit(f"ray: {why}; cancelled {len(pending)} run(s), none of them published")
        raise
    finally:
        if started:
            ray.shutdown()
    _summary(runs, profile, emit, time.perf_counter() - t0)
    return published


def _summary(runs: Sequence[_Run], profile: Profile, emit: Log, seconds: float) -> None:
    emit("summary: run, node, attempts, resumed after epochs, seconds in the worker")
    for run in runs:
        resumed = ",".join(map(str, run.resumed)) or "-"
        emit(
            f"  {profile.name}/{run.case.name}/seed-{run.seed}  {run.node}  "
            f"{run.attempts}  {resumed}  {run.seconds:.1f}"
        )
    nodes = len({run.node for run in runs})
    emit(f"ray: {len(runs)} run(s) trained on {nodes} node(s) in {seconds:.1f} s")
