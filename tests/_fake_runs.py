"""Finished runs with made-up numbers, written the way training writes them (no TensorFlow)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cnnnotes.cases import CASES, QUICK, Case, Profile
from cnnnotes.results import RunResult
from cnnnotes.store import (
    encode_outputs,
    entry_dir,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)

#: A made-up dataset fingerprint.
FP = "f" * 64


def fake_run(
    store: Path,
    case: Case = CASES["baseline"],
    profile: Profile = QUICK,
    fp: str = FP,
    *,
    versions: dict[str, str] | None = None,
) -> RunResult:
    """Write a finished run with made-up numbers into ``store`` and read it back."""
    inputs = run_key_inputs(case, profile, fp)
    key = run_key(inputs)
    n = profile.epochs
    history = {k: [0.5] * n for k in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds")}
    meta = {
        "case": case.name,
        "profile": profile.name,
        "key": key,
        "key_inputs": inputs,
        "epochs": n,
        "metrics": {"test_accuracy": 0.25},
        "param_count": 1,
        "provenance": {"versions": versions or {}},
    }
    weights = {"conv1/kernel": np.ones((3, 3, 3, 32), np.float32)}
    outputs = encode_outputs(history, np.zeros(4), np.full((4, 10), 0.1), weights)
    write_finished(entry_dir(store, key), json.loads(json.dumps(meta)), outputs)
    run = read_finished(entry_dir(store, key), key)
    assert run is not None
    return run


def publish_all(tmp_path: Path, profile: Profile = QUICK, fp: str = FP) -> Path:
    """Publish a made-up run of every case into ``tmp_path/results``; return that folder."""
    results = tmp_path / "results"
    for case in CASES.values():
        publish(fake_run(tmp_path / "store", case, profile, fp), results)
    return results
