"""Made-up finished runs, for tests only (written into temporary folders, never ``results/``).

Two kinds, one home:

- :func:`write_fake_run` / :func:`write_fake_runs`: committed runs of the ``notes``
  profile in the layout ``cnnnotes.experiments.runs.folder`` reads, with plausible histories whose
  answers are known (where the validation loss turns, the final values), so tests
  can check the numbers that figures and tables report;
- :func:`fake_run` / :func:`publish_all`: runs written into a run store through the
  same functions training uses (keys, hashes, publishing), with flat numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.experiments.runs.cases import CASES, QUICK, Case, Profile
from cnnnotes.experiments.runs.folder import encode_outputs, read_run_dir, run_dir, write_run_dir
from cnnnotes.experiments.runs.record import RunResult
from cnnnotes.experiments.runs.store import (
    entry_dir,
    publish,
    read_finished,
    run_key,
    run_key_inputs,
    write_finished,
)

__all__ = [
    "BEYOND_SPECS",
    "FP",
    "SPECS",
    "edit_fake_run",
    "fake_history",
    "fake_run",
    "publish_all",
    "write_fake_run",
    "write_fake_runs",
]

EPOCHS = 20

#: Per case: final train/val accuracy, final train loss, lowest val loss, its epoch, the
#: final val loss, train accuracy with dropout off, test accuracy, parameters, s/epoch.
SPECS: dict[str, dict[str, Any]] = {
    "baseline": dict(acc=0.80, val=0.690, loss=0.60, low=0.90, turn=12, vloss=0.97,
                     off=0.83, test=0.684, params=122_570, sec=41.0),
    "case1": dict(acc=0.99, val=0.625, loss=0.04, low=1.02, turn=7, vloss=1.90,
                  off=0.995, test=0.620, params=2_825_930, sec=260.0),
    "case2": dict(acc=0.81, val=0.695, loss=0.57, low=0.89, turn=12, vloss=0.98,
                  off=0.84, test=0.690, params=141_898, sec=60.0),
    "case3": dict(acc=0.80, val=0.700, loss=0.57, low=0.87, turn=19, vloss=0.88,
                  off=0.84, test=0.695, params=122_570, sec=42.0),
    "case4": dict(acc=0.66, val=0.700, loss=0.95, low=0.86, turn=20, vloss=0.86,
                  off=0.76, test=0.696, params=122_570, sec=43.0),
    "case5": dict(acc=0.76, val=0.720, loss=0.68, low=0.81, turn=18, vloss=0.82,
                  off=0.82, test=0.716, params=122_570, sec=43.0),
}  # fmt: skip

#: The experiments beyond the notes, as made-up runs (their parent's numbers, changed).
BEYOND_SPECS: dict[str, dict[str, Any]] = {
    "case3_wide": {**SPECS["case3"], "off": 0.90, "params": 539_850},
    "case4_wide": {**SPECS["case4"], "off": 0.84, "params": 539_850},
    "case4_fast": {**SPECS["case4"], "off": 0.78},
    "case4_mild": {**SPECS["case4"], "off": 0.79},
    "case3_long": {**SPECS["case3"], "off": 0.95},
    "case4_long": {**SPECS["case4"], "off": 0.86},
    "case1_dropout": {**SPECS["case1"], "off": 0.93},
}


def _spec(case: str) -> dict[str, Any]:
    return SPECS[case] if case in SPECS else BEYOND_SPECS[case]


def _approach(start: float, end: float, n: int, tau: float = 3.0) -> np.ndarray:
    e = np.arange(n, dtype=np.float64)
    shape = np.exp(-e / tau)
    return end + (start - end) * (shape - shape[-1]) / (1.0 - shape[-1])


def fake_history(case: str, epochs: int = EPOCHS) -> dict[str, list[float]]:
    """Plausible curves ending exactly at :data:`SPECS` values; val loss lowest at ``turn``."""
    s = _spec(case)
    acc = _approach(0.40, s["acc"], epochs)
    loss = _approach(1.65, s["loss"], epochs)
    turn = min(s["turn"], epochs)
    down = _approach(1.40, s["low"], turn)
    up = np.linspace(s["low"], s["vloss"], epochs - turn + 1)[1:]
    val_loss = np.concatenate([down, up])
    if case == "case1":  # peaks around epoch 7, then drifts down a little
        val = np.concatenate([_approach(0.45, 0.64, 7), np.linspace(0.64, s["val"], 14)[1:]])
        val = val[:epochs]
        val[-1] = s["val"]
    else:
        val = _approach(0.46, s["val"], epochs)
    return {
        "loss": loss.tolist(),
        "accuracy": acc.tolist(),
        "val_loss": val_loss.tolist(),
        "val_accuracy": val.tolist(),
        "seconds": [s["sec"] + 5.0] + [s["sec"]] * (epochs - 1),
    }


def _predictions(case: str, accuracy: float, n: int = 50) -> dict[str, np.ndarray]:
    """Test labels and probabilities whose argmax is right for exactly ``accuracy`` of them."""
    rng = np.random.default_rng(len(case))
    labels = (np.arange(n) % 10).astype(np.uint8)
    right = round(accuracy * n)
    predicted = np.where(np.arange(n) < right, labels, (labels + 1) % 10).astype(np.uint8)
    probs = rng.dirichlet(np.ones(10), size=n)
    probs[np.arange(n), predicted] += 1.0
    probs = (probs / probs.sum(axis=1, keepdims=True)).astype(np.float16)
    assert np.array_equal(probs.argmax(1), predicted)
    return {"labels": labels, "probabilities": probs}


def write_fake_run(
    results_dir: Path,
    case: str,
    *,
    seed: int = 0,
    epochs: int = EPOCHS,
    hardware: dict | None = None,
    shift: float = 0.0,
) -> RunResult:
    """Write a fake committed run of ``case`` (``shift`` added to accuracies); read it back."""
    folder = run_dir(results_dir, "notes", case, seed)
    folder.mkdir(parents=True, exist_ok=True)
    s = _spec(case)
    history = fake_history(case, epochs)
    history["val_accuracy"] = [v + shift for v in history["val_accuracy"]]
    history["accuracy"] = [v + shift for v in history["accuracy"]]
    test = round(s["test"] + shift, 3)
    pred = _predictions(case, test)
    outputs = encode_outputs(history, pred["labels"], pred["probabilities"], None)
    meta = {
        "case": case,
        "profile": "notes",
        "seed": seed,
        "key": "f" * 64,
        "key_inputs": {
            "case": {},
            "profile": {"epochs": epochs},
            "seed": seed,
            "dataset": "bbc5ee95481330a7",
            "code": "c" * 64,
        },
        "epochs": epochs,
        "metrics": {
            "train_loss": s["loss"] * 0.8,
            "train_accuracy": s["off"] + shift,
            "test_loss": s["vloss"] + 0.01,
            "test_accuracy": test,
            "val_loss": history["val_loss"][-1],
            "val_accuracy": history["val_accuracy"][-1],
        },
        "param_count": s["params"],
        "provenance": {
            "dataset": {
                "source": "cifar-10-images.tar.gz",
                "jpeg_recompressed": True,
                "official": False,
                "fingerprint": "bbc5ee95481330a7fb30b21636ed310701a6b7bbf14ff4c65125d5d5b84874c5",
            },
            "counts": {"fit": 40_000, "validation": 10_000, "test": 10_000},
            "hardware": hardware or {"cpu": "Test CPU @ 2.2GHz", "cpu_count": 2, "gpus": []},
            "versions": {"tensorflow": "2.21.0", "keras": "3.15.0"},
            "date": "2025-01-01T00:00:00+00:00",
            "wall_seconds": float(sum(history["seconds"])),
        },
    }
    write_run_dir(folder, meta, outputs)
    return read_run_dir(folder)


def edit_fake_run(
    results_dir: Path,
    case: str,
    *,
    seed: int = 0,
    history: dict | None = None,
    metrics: dict | None = None,
) -> RunResult:
    """Change a committed fake run's history or metrics consistently (files, hashes, record)."""
    folder = run_dir(results_dir, "notes", case, seed)
    meta = json.loads((folder / "run.json").read_text())
    hist = json.loads((folder / "history.json").read_text())
    hist.update(history or {})
    meta["metrics"].update(metrics or {})
    meta["metrics"].update(val_loss=hist["val_loss"][-1], val_accuracy=hist["val_accuracy"][-1])
    outputs = {name: (folder / name).read_bytes() for name in meta["files"]}
    outputs["history.json"] = json.dumps(hist).encode()
    if "test_accuracy" in (metrics or {}):
        pred = _predictions(case, metrics["test_accuracy"])
        outputs["predictions.npz"] = encode_outputs(
            hist, pred["labels"], pred["probabilities"], None
        )["predictions.npz"]
    write_run_dir(folder, {k: v for k, v in meta.items() if k not in ("files", "format")}, outputs)
    return read_run_dir(folder)


def write_fake_runs(results_dir: Path, cases: tuple[str, ...] = tuple(SPECS)) -> None:
    """Write fake seed-0 runs of ``cases`` under ``results_dir/runs/notes/``."""
    for case in cases:
        write_fake_run(results_dir, case)


# --- runs in a run store ------------------------------------------------------------------------

#: A made-up dataset fingerprint.
FP = "f" * 64


def fake_run(
    store: Path,
    case: Case = CASES["baseline"],
    profile: Profile = QUICK,
    fp: str = FP,
    *,
    seed: int = 0,
    versions: dict[str, str] | None = None,
) -> RunResult:
    """Write a finished run with made-up numbers into ``store`` and read it back."""
    inputs = run_key_inputs(case, profile, seed, fp)
    key = run_key(inputs)
    n = case.epochs_under(profile)
    history = {k: [0.5] * n for k in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds")}
    meta = {
        "case": case.name,
        "profile": profile.name,
        "seed": seed,
        "key": key,
        "key_inputs": inputs,
        "epochs": n,
        "metrics": {"test_accuracy": 1.0, "val_loss": 0.5, "val_accuracy": 0.5},
        "param_count": 1,
        "provenance": {"versions": versions or {}},
    }
    weights = {"conv1/kernel": np.ones((3, 3, 3, 32), np.float32)}
    outputs = encode_outputs(history, np.zeros(4), np.full((4, 10), 0.1), weights)
    write_finished(entry_dir(store, key), json.loads(json.dumps(meta)), outputs)
    run = read_finished(entry_dir(store, key), key)
    assert run is not None
    return run


def publish_all(
    tmp_path: Path, profile: Profile = QUICK, fp: str = FP, *, all_seeds: bool = False
) -> Path:
    """Publish a made-up run of every case (first planned seed, or ``all_seeds``) into
    ``tmp_path/results``; return that folder."""
    results = tmp_path / "results"
    for case in CASES.values():
        planned = profile.planned_seeds(case.name)
        for seed in planned if all_seeds else planned[:1]:
            publish(fake_run(tmp_path / "store", case, profile, fp, seed=seed), results, profile)
    return results
