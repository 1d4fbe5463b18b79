"""The Ray executor: each run of a plan is one task on a Ray cluster.

With :class:`Ray`, each run that is not fresh becomes one task that
declares ``threads`` CPUs and runs in a fresh worker process. The dataset reaches
the workers once: this process loads it and puts it in Ray's object store (sent
once to each node, shared there by its tasks), or, with ``data_via="source"``,
every worker loads ``--source`` itself from a path all nodes see. A worker trains
into its run cache and returns the finished run's files and record. This process
accepts them only when the recorded key, training-code key and dataset fingerprint
are its own and every sha256 matches (:func:`accept_result`); it then stores the run
and yields it, to be published as a local one is
(:func:`cnnnotes.experiments.training.orchestrate.train_plan`).

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
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypedDict

from cnnnotes.data import Cifar10, load_cifar10, user_cache_dir
from cnnnotes.experiments.runs.cases import Profile
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.record import RECORD, ResultsError, RunResult
from cnnnotes.experiments.runs.store import (
    entry_dir,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)
from cnnnotes.experiments.training.executors import ExecutorError, default_threads, pin_threads
from cnnnotes.experiments.training.loop import Log, train
from cnnnotes.experiments.training.reports import PlanItem, RunOutcome
from cnnnotes.files import lock

__all__ = ["DATA_VIA", "Ray", "accept_result"]

#: How Ray workers get the dataset: Ray's object store, or the ``--source`` path itself.
DATA_VIA: tuple[str, ...] = ("object-store", "source")
_POLL_SECONDS = 0.5


class _RayQuiet(TypedDict):
    """The ``ray.init`` options that keep Ray's dashboard and logs out of this process."""

    include_dashboard: bool
    log_to_driver: bool
    configure_logging: bool


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


class _Progress:
    """Lines from the workers, kept until the driver collects them (a Ray actor)."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def put(self, line: str) -> None:
        self._lines.append(line)

    def take(self) -> list[str]:
        lines, self._lines = self._lines, []
        return lines


@dataclass(frozen=True)
class _Worker:
    """What every task of one plan shares: the profile, where to train, threads, the data."""

    profile: Profile
    fingerprint: str
    store: str | None
    threads: int
    crash_after_epoch: int | None


def _work(
    item: PlanItem, attempt: int, worker: _Worker, data: Cifar10 | str, progress: Any
) -> dict[str, Any]:
    """Train one run in a Ray worker; return its record, files and where it ran."""
    import ray

    pin_threads(worker.threads)
    # A worker is an entry point on its own node: without a shared store it trains into,
    # and loads data through, the cache its node's environment names.
    cache = user_cache_dir(os.environ)
    if isinstance(data, str):
        data = load_cifar10(data, cache_dir=cache)
        if data.info.fingerprint != worker.fingerprint:
            raise ExecutorError(
                f"source: {data.info.source} on {socket.gethostname()} holds other data "
                f"(fingerprint {data.info.fingerprint[:12]} != {worker.fingerprint[:12]})"
            )

    def emit(line: str) -> None:
        crash = worker.crash_after_epoch
        if crash and attempt == 1 and f" epoch {crash}/" in line:
            ray.get(progress.put.remote(f"{line} (worker exits here, as asked)"))
            os._exit(1)
        progress.put.remote(line)

    started = time.perf_counter()
    store = Path(worker.store) if worker.store else cache
    outcome = train(item.case, worker.profile, data, seed=item.seed, store=store, log=emit)
    run = outcome.run
    files = {name: (run.path / name).read_bytes() for name in run.files}
    record = json.loads((run.path / RECORD).read_bytes())
    return {
        "record": record,
        "files": files,
        "trained": outcome.trained,
        "ignored": list(outcome.ignored),
        "node": f"{socket.gethostname()}/{ray.get_runtime_context().get_node_id()[:8]}",
        "seconds": time.perf_counter() - started,
    }


# --- the driver side -----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Ray:
    """Train each run as a Ray task; yield each as its result is accepted and stored.

    Attributes
    ----------
    threads
        CPUs each task declares, and the threads it pins (:func:`pin_threads`).
    address
        A running cluster (``HOST:PORT``); default: the Ray instance this process
        already started, else a new local one on loopback.
    data_via
        ``"object-store"`` (this process sends the data once) or ``"source"`` (workers
        load ``data.info.source``, a path every node must see).
    store
        The run cache the workers train into; give a folder every node mounts so
        that a retried run resumes from its checkpoints anywhere. Default: each
        node's own cache (:func:`cnnnotes.data.user_cache_dir` of its environment).
    cache_dir
        This process's run cache, where accepted runs are stored when ``store`` is
        None; default :func:`cnnnotes.data.user_cache_dir` (no environment).
    retries
        How often a run whose worker died is started again.
    crash_after_epoch
        For tests of recovery: a run's first attempt exits its worker right after
        the checkpoint of this epoch.
    """

    threads: int = 1
    address: str | None = None
    data_via: str = "object-store"
    store: Path | None = None
    cache_dir: Path | None = None
    retries: int = 2
    crash_after_epoch: int | None = None
    name: ClassVar[str] = "ray"

    def check(self, data: Cifar10) -> None:
        """Refuse an unknown ``data_via``, or ``source`` for data that came from no path."""
        if self.data_via not in DATA_VIA:
            raise ExecutorError(f"data_via: {self.data_via!r} is not one of {', '.join(DATA_VIA)}")
        if self.data_via == "source" and data.info.kind in ("keras", "arrays"):
            raise ExecutorError(f"--data-via source: needs a --source path, not {data.info.source}")

    def train(
        self, profile: Profile, items: Sequence[PlanItem], data: Cifar10, log: Log
    ) -> Generator[RunOutcome, None, None]:
        """Submit every item as a task; yield each finished run, retrying lost workers."""
        self.check(data)
        if not items:
            return
        fp = data.info.fingerprint
        driver_cache = Path(self.cache_dir) if self.cache_dir is not None else user_cache_dir()
        code = training_code_key()
        inputs = {
            item.label: run_key_inputs(item.case, profile, item.seed, fp, code) for item in items
        }
        attempts = dict.fromkeys(inputs, 0)
        ray, started = _connect(self.address, self.threads)
        pending: dict[Any, PlanItem] = {}
        try:
            shared = (
                ray.put(data)
                if self.data_via == "object-store"
                else str(Path(data.info.source).resolve())
            )
            progress = ray.remote(num_cpus=0)(_Progress).remote()
            work = ray.remote(max_calls=1, max_retries=0)(_work).options(num_cpus=self.threads)
            errors = ray.exceptions
            dead = (errors.WorkerCrashedError, errors.NodeDiedError, errors.OutOfMemoryError)
            nodes = ray.nodes()
            largest = max((n["Resources"].get("CPU", 0) for n in nodes if n["Alive"]), default=0)
            if largest < self.threads:
                raise ExecutorError(
                    f"--threads {self.threads}: no node of the cluster has that many "
                    f"CPUs (at most {largest:.0f})"
                )
            where = str(Path(self.store).resolve()) if self.store is not None else None
            worker = _Worker(profile, fp, where, self.threads, self.crash_after_epoch)

            def submit(item: PlanItem) -> None:
                attempts[item.label] += 1
                ref = work.remote(item, attempts[item.label], worker, shared, progress)
                pending[ref] = item

            def relay() -> None:
                for line in ray.get(progress.take.remote()):
                    log(line)

            log(
                f"ray: {len(items)} run(s) as tasks of {self.threads} CPU(s) on "
                f"{ray.cluster_resources().get('CPU', 0):.0f} CPU(s), data via {self.data_via}"
            )
            for item in items:
                submit(item)
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=_POLL_SECONDS)
                relay()
                for ref in ready:
                    item = pending.pop(ref)
                    tries = attempts[item.label]
                    try:
                        out = ray.get(ref)
                    except dead as exc:
                        if tries > self.retries:
                            raise ExecutorError(
                                f"[{item.label}] worker lost {tries} times; giving up ({exc})"
                            ) from None
                        log(f"[{item.label}] worker lost on attempt {tries}; starting it again")
                        submit(item)
                        continue
                    relay()
                    wanted = inputs[item.label]
                    accept_result(out["record"], out["files"], wanted)
                    key = run_key(wanted)
                    root = Path(self.store) if self.store is not None else driver_cache
                    run = _store_result(entry_dir(root, key), key, out["record"], out["files"])
                    yield RunOutcome(
                        run,
                        trained=bool(out["trained"]),
                        ignored=tuple(out["ignored"]),
                        node=out["node"],
                        attempts=tries,
                        seconds=out["seconds"],
                    )
        except BaseException as exc:
            for ref in pending:
                ray.cancel(ref, force=True)
            if pending:
                why = (
                    "interrupted"
                    if isinstance(exc, KeyboardInterrupt | GeneratorExit)
                    else "stopped"
                )
                log(f"ray: {why}; cancelled {len(pending)} run(s), none of them published")
            raise
        finally:
            if started:
                ray.shutdown()
