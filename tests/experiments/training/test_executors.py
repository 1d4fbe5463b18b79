"""Training on Ray gives the runs local training gives: same keys, same numbers, published once.

Two cases of the ``quick`` profile train on a tiny image folder, once with the
local executor (the CLI, in a subprocess) and on a local Ray instance of 2 CPUs,
both with one pinned thread per run. Arrays are compared, not files: records hold
wall times and dates.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Read when Ray is imported: no usage statistics, and a single-machine instance on loopback.
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

import numpy as np
import pytest

pytest.importorskip("tensorflow")
ray = pytest.importorskip("ray")

from fakedata import write_image_tree  # noqa: E402
from test_loop import ENV  # noqa: E402

from cnnnotes.data import load_cifar10  # noqa: E402
from cnnnotes.experiments.runs.cases import CASES, QUICK  # noqa: E402
from cnnnotes.experiments.runs.folder import load_run, load_weights, run_dir  # noqa: E402
from cnnnotes.experiments.runs.record import HISTORY_KEYS, RECORD  # noqa: E402
from cnnnotes.experiments.training.cluster import Ray, accept_result  # noqa: E402
from cnnnotes.experiments.training.executors import ExecutorError  # noqa: E402
from cnnnotes.experiments.training.orchestrate import train_plan  # noqa: E402
from cnnnotes.experiments.training.plan import plan  # noqa: E402
from cnnnotes.experiments.training.reports import TrainReport  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
CASE_NAMES = ("case4", "case5")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A folder with the tiny image tree in ``data/``."""
    root = tmp_path_factory.mktemp("cluster")
    write_image_tree(root / "data")
    return root


@pytest.fixture(scope="module")
def local(project) -> Path:
    """The two runs trained by ``cnnnotes train --executor local --threads 1``; results folder.

    Started first and awaited last, so it trains while Ray starts.
    """
    env = {**ENV, "CNNNOTES_CACHE_DIR": str(project / "cache-local")}
    cmd = [sys.executable, "-m", "cnnnotes", "train", "--profile", "quick", "--source", "data",
           "--results", "results-local", "--case", *CASE_NAMES, "--executor", "local",
           "--threads", "1"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    yield proc
    if proc.poll() is None:
        proc.kill()


def _local_results(proc: subprocess.Popen[str], project: Path) -> Path:
    if proc.returncode is None:
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, out
    assert proc.returncode == 0
    return project / "results-local"


@pytest.fixture(scope="module")
def cluster(local):
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _ray_train(project: Path, name: str, **kw) -> tuple[TrainReport, list[str]]:
    lines: list[str] = []
    data = load_cifar10(project / "data")
    results = project / f"results-{name}"
    todo = plan(QUICK, [CASES[c] for c in CASE_NAMES], data.info.fingerprint, results)
    executor = Ray(threads=1, store=project / f"store-{name}", **kw)
    return train_plan(QUICK, todo, data, results, executor, log=lines.append), lines


def _assert_same_runs(results: Path, reference: Path) -> None:
    for case in CASE_NAMES:
        got, want = load_run(results, "quick", case), load_run(reference, "quick", case)
        assert got.key == want.key
        for k in HISTORY_KEYS:
            assert np.array_equal(got.history[k], want.history[k]), (case, k)
        assert got.metrics == want.metrics
        assert np.array_equal(got.predicted, want.predicted)
        assert np.array_equal(got.probabilities, want.probabilities)
        got_w, want_w = load_weights(got.path), load_weights(want.path)
        assert got_w.keys() == want_w.keys() and got_w
        for name, w in got_w.items():
            assert np.array_equal(w, want_w[name]), (case, name)
        threads = got.provenance.threads
        assert threads == want.provenance.threads
        assert threads == {"intra_op": 1, "inter_op": 1, "OMP_NUM_THREADS": "1"}


def test_a_local_ray_instance_listens_on_loopback(cluster):
    (node,) = cluster.nodes()
    assert node["NodeManagerAddress"] == "127.0.0.1"


@pytest.fixture(scope="module")
def on_ray(cluster, project) -> tuple[TrainReport, list[str]]:
    """The two runs trained on Ray: the report and the lines logged."""
    return _ray_train(project, "ray")


def test_ray_trains_the_runs_local_training_gives(on_ray, local, project):
    report, lines = on_ray
    published = report.published
    assert sorted(published) == [run_dir(project / "results-ray", "quick", c) for c in CASE_NAMES]
    assert (report.executor, report.trained) == ("ray", 2)
    assert {(r.label, r.attempts, r.resumed_after_epochs) for r in report.runs} == {
        (f"quick/{c}/seed-0", 1, ()) for c in CASE_NAMES
    }
    assert len({r.node for r in report.runs}) == 1 and report.runs[0].node != "local"
    for case in CASE_NAMES:  # the workers' progress reaches the driver's log
        epochs = [ln for ln in lines if ln.startswith(f"[quick/{case}/seed-0] epoch ")]
        assert [ln.split()[2] for ln in epochs] == ["1/2", "2/2"]
        assert all(" val_accuracy " in ln and " ETA " in ln for ln in epochs)
    _assert_same_runs(project / "results-ray", _local_results(local, project))


def test_a_worker_that_dies_after_its_first_checkpoint_is_retried_once(cluster, local, project):
    report, _ = _ray_train(project, "crash", crash_after_epoch=1, data_via="source")
    results = project / "results-crash"
    assert {(r.label, r.attempts, r.resumed_after_epochs) for r in report.runs} == {
        (f"quick/{c}/seed-0", 2, (1,)) for c in CASE_NAMES
    }
    for case in CASE_NAMES:
        assert load_run(results, "quick", case).provenance.resumed_after_epochs == (1,)
        folders = [p.name for p in (results / "runs" / "quick" / case).iterdir() if p.is_dir()]
        assert folders == ["seed-0"]
    published = report.published
    assert len(published) == len(set(published)) == 2
    assert len(list((project / "store-crash" / "runs").glob(f"*/{RECORD}"))) == 2
    _assert_same_runs(results, _local_results(local, project))


def _worker_output(project: Path) -> tuple[dict, dict[str, bytes], dict]:
    entry = next((project / "store-ray" / "runs").glob(f"*/{RECORD}")).parent
    record = json.loads((entry / RECORD).read_bytes())
    files = {name: (entry / name).read_bytes() for name in record["files"]}
    return record, files, dict(record["key_inputs"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("code", "trained by other training code"),
        ("dataset", "trained on other data"),
        ("seed", "not the run asked for"),
        ("sha256", "does not match the sha256"),
        ("missing", "are not those its record lists"),
    ],
)
def test_the_driver_rejects_a_result_of_other_code_data_or_bytes(on_ray, project, change, message):
    record, files, inputs = _worker_output(project)
    accept_result(record, files, inputs)  # the untouched result is accepted
    if change in ("code", "dataset", "seed"):
        inputs[change] = 7 if change == "seed" else hashlib.sha256(b"other").hexdigest()
    elif change == "sha256":
        files["history.json"] = files["history.json"].replace(b"[", b"[ ", 1)
    else:
        del files["weights.npz"]
    with pytest.raises(ExecutorError, match=message):
        accept_result(record, files, inputs)


def test_ctrl_c_cancels_the_tasks_and_publishes_nothing(project):
    env = {**ENV, "CNNNOTES_CACHE_DIR": str(project / "cache-interrupted")}
    cmd = [sys.executable, "-m", "cnnnotes", "train", "--profile", "quick", "--source", "data",
           "--results", "results-interrupted", "--case", *CASE_NAMES, "--executor", "ray",
           "--threads", "1"]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # Ctrl-C's default action, whatever this process inherited: a Python started with
        # SIGINT ignored never turns it into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            # The driver's own line, printed as it submits the tasks. (A worker's lines reach
            # the driver only at its next poll, which under load can come after the runs end.)
            if line.startswith("ray: ") and " run(s) as tasks " in line:
                break
        # Each task still has TensorFlow to import, a model to build and two epochs to train.
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    out = "".join(lines) + out
    assert proc.returncode == 130, out
    assert "ray: interrupted; cancelled " in out and "none of them published" in out, out
    assert not list((project / "results-interrupted").glob(f"runs/**/{RECORD}"))
