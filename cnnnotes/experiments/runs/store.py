"""The run store (tier 1): honest keys, finished entries, publishing, clean-up — no TensorFlow.

A run's key is the sha256 of its *key inputs*: the case's hyper-parameters, the
profile's settings, the run's seed, the dataset fingerprint and the code key of
:mod:`cnnnotes.experiments.training.numerics` (the functions that decide a run's
numbers, normalised and independent of where they live; see
:mod:`cnnnotes.experiments.runs.codekey`). Library versions, hardware and times are
provenance: ``cnnnotes status`` warns about them but never calls a run stale for
them.

The local cache holds ``<store>/runs/<key>/`` (finished outputs with the weights,
and checkpoints); :func:`publish` copies a finished run into the committed
``results/runs/<profile>/<case>/seed-<k>/`` in the folder format of
:mod:`cnnnotes.experiments.runs.folder`: the first planned seed keeps its probabilities, and its
weights when they are small (:data:`WEIGHTS_LIMIT`); other seeds keep their history,
record and predicted labels. :func:`clean` removes entries no current key uses.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from filelock import Timeout

from cnnnotes.codehash import digest
from cnnnotes.experiments.runs.cases import CASES, PROFILES, Case, Profile
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.folder import (
    checkpoint_paths,
    clear_run_dir,
    predictions_bytes,
    read_record,
    read_run_dir,
    run_dir,
    run_files,
    write_run_dir,
)
from cnnnotes.experiments.runs.record import (
    HISTORY,
    PREDICTIONS,
    WEIGHTS,
    ResultsError,
    RunRecord,
    RunResult,
)
from cnnnotes.files import lock

__all__ = [
    "WEIGHTS_LIMIT",
    "Orphan",
    "clean",
    "entry_dir",
    "publish",
    "read_finished",
    "run_key",
    "run_key_inputs",
    "write_finished",
]

#: Committed weights are kept only under this size (Case 1's are about 11 MB).
WEIGHTS_LIMIT = 1_000_000
_KEY_VERSION = "cnnnotes-run-v2"


def run_key_inputs(
    case: Case, profile: Profile, seed: int, fingerprint: str, code: str | None = None
) -> dict[str, Any]:
    """The key inputs of a run (``code`` defaults to :func:`training_code_key`)."""
    return {
        "case": case.hyperparameters(),
        "profile": profile.settings(),
        "seed": int(seed),
        "dataset": fingerprint,
        "code": code if code is not None else training_code_key(),
    }


def run_key(inputs: Mapping[str, Any]) -> str:
    """The run key: sha256 hex of the canonical JSON of the key inputs."""
    return digest(_KEY_VERSION, json.dumps(inputs, sort_keys=True, separators=(",", ":")))


def entry_dir(store: Path, key: str) -> Path:
    """The cache folder of run ``key`` in ``store``."""
    return Path(store) / "runs" / key


def write_finished(
    entry: Path, record: RunRecord | Mapping[str, Any], outputs: Mapping[str, bytes]
) -> None:
    """Write a finished run into its cache entry (outputs first, ``run.json`` last)."""
    write_run_dir(entry, record, outputs)


def read_finished(entry: Path, key: str) -> RunResult | None:
    """The finished run in ``entry`` if it is complete, intact and of ``key``; else None."""
    try:
        if read_record(entry).key != key:
            return None
        run = read_run_dir(entry)
    except ResultsError:
        return None
    return run if run.has_weights and run.probabilities is not None else None


def clear_finished(entry: Path) -> None:
    """Remove a finished (or damaged) entry's outputs, ``run.json`` first; keep checkpoints."""
    clear_run_dir(entry)


def publish(run: RunResult, results_dir: Path, profile: Profile) -> Path:
    """Copy finished ``run`` into ``results_dir`` as its committed seed folder; return the folder.

    The first planned seed of ``profile`` keeps its probabilities, and its weights when
    they are under :data:`WEIGHTS_LIMIT`; other seeds, and every seed of an experiment
    beyond the notes, keep their history, record and labels. The old ``run.json`` goes
    first and the new one is written last.
    """
    try:
        record = read_record(run.path)
    except ResultsError:
        record = None
    if record is None or record.key != run.key or run.probabilities is None:
        raise ResultsError(f"run: {run.path} is not a finished run")
    # experiments beyond the notes keep their history and predicted labels only
    first = run.seed == profile.planned_seeds(run.case)[0] and not CASES[run.case].beyond
    files = run_files(run.path, record)
    keep_weights = first and WEIGHTS in files and len(files[WEIGHTS]) < WEIGHTS_LIMIT
    outputs = {HISTORY: files[HISTORY]}
    # The first seed keeps the cache's own bytes; the others keep the labels and the
    # predicted labels as trained (never re-derived from float16 probabilities, whose
    # rounding can tie two classes).
    outputs[PREDICTIONS] = (
        files[PREDICTIONS] if first else predictions_bytes(run.labels, run.predicted)
    )
    if keep_weights:
        outputs[WEIGHTS] = files[WEIGHTS]
    target = run_dir(results_dir, run.profile, run.case, run.seed)
    with lock(target):
        write_run_dir(target, record, outputs)
    return target


@dataclass(frozen=True)
class Orphan:
    """A store entry that no current key uses: its folder, size and why."""

    path: Path
    bytes: int
    why: str


def _folder_bytes(path: Path) -> int:
    if path.is_symlink():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _entry_inputs(entry: Path) -> dict[str, Any] | None:
    try:
        return dict(read_record(entry).key_inputs)
    except ResultsError:
        pass
    for checkpoint in reversed(checkpoint_paths(entry)):
        if not checkpoint.is_file() or checkpoint.is_symlink():
            continue  # a FIFO would block, a link could lead anywhere
        try:
            with np.load(checkpoint, allow_pickle=False) as npz:
                meta = json.loads(str(npz["meta"]))
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            continue
        key_inputs = meta.get("key_inputs") if isinstance(meta, dict) else None
        if isinstance(key_inputs, dict):
            return key_inputs
    return None


def _current(cases: Iterable[Case], profiles: Iterable[Profile]) -> set[str]:
    """Canonical (case, profile, seed) inputs of every planned run, without the dataset."""
    out = set()
    for profile in profiles:
        for case in cases:
            for seed in profile.planned_seeds(case.name):
                inputs = run_key_inputs(case, profile, seed, "", code="")
                out.add(json.dumps(inputs, sort_keys=True))
    return out


def clean(store: Path, *, dry_run: bool = False) -> list[Orphan]:
    """Remove the entries of ``store`` that no current key uses; return them.

    An entry is used when it was made by today's training code for a case, profile
    and seed that are planned today (for any dataset). Entries whose lock is held (a
    run training now) are left alone. With ``dry_run`` nothing is removed.
    """
    base = Path(store) / "runs"
    if not base.is_dir():
        return []
    code = training_code_key()
    current = _current(CASES.values(), PROFILES.values())
    orphans = []
    for entry in sorted(p for p in base.iterdir() if p.is_dir()):
        inputs = _entry_inputs(entry)
        if inputs is None:
            why = "no readable record or checkpoint"
        elif inputs.get("code") != code:
            why = "made by earlier training code"
        elif json.dumps({**inputs, "dataset": "", "code": ""}, sort_keys=True) not in current:
            why = "a case, profile or seed that is no longer planned"
        else:
            continue
        orphans.append(Orphan(entry, _folder_bytes(entry), why))
    if not dry_run:
        for orphan in orphans:
            if orphan.path.is_symlink():  # the link is the entry: never what it points at
                orphan.path.unlink()
                continue
            try:
                with lock(orphan.path, timeout=0):
                    shutil.rmtree(orphan.path, ignore_errors=True)
            except Timeout:
                continue
            Path(f"{orphan.path}.lock").unlink(missing_ok=True)
    return orphans
