"""Status of the committed runs, seed by seed: what a build may draw from and what to train.

Works without TensorFlow and without the dataset: the current key inputs come from
the cases, the profile and the training code, and the dataset fingerprint from the
caller or from ``results/dataset/info.json`` (committed with the excerpt). Every
committed run is read and verified (:func:`cnnnotes.experiments.runs.folder.read_run_dir`).

A run's state is one of:

==========  =====================================================================  =======
fresh       its key is today's key                                                 ok
outdated    trained by earlier training code; still true for the code it records   warns
planned     a planned seed not trained yet (not the first one)                     warns
stale       its case or profile settings, or its dataset, differ from today's      fails
corrupt     its files disagree with its record                                     fails
missing     the first planned seed (the one pages draw from) is not there          fails
==========  =====================================================================  =======

``cnnnotes status --check`` exits 1 when any run fails. Library version
differences only warn.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs.cases import CASES, Case, Profile
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.folder import (
    has_record,
    read_dataset_info,
    read_run_dir,
    run_dir,
    seed_dirs,
)
from cnnnotes.experiments.runs.provenance import installed_version
from cnnnotes.experiments.runs.record import Provenance, ResultsError
from cnnnotes.experiments.runs.runcheck import FAILING, VERSIONED, RunCheck, RunStatus, State
from cnnnotes.experiments.runs.store import run_key, run_key_inputs

__all__ = ["FAILING", "RunCheck", "RunStatus", "check", "recorded_fingerprint", "status", "summary"]


def recorded_fingerprint(results_dir: Path) -> str | None:
    """The dataset fingerprint committed in ``results_dir/dataset/info.json``, if any."""
    info = read_dataset_info(results_dir)
    return info.fingerprint if info is not None and info.fingerprint else None


def _diff(old: Any, new: Any) -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(set(old) | set(new))
        return ", ".join(
            f"{k} {old.get(k, '—')} → {new.get(k, '—')}" for k in keys if old.get(k) != new.get(k)
        )
    return f"{old} → {new}"


def _reason(name: str, old: Any, new: Any) -> str:
    if name == "code":
        return "code: trained with an earlier version of the training code"
    if name == "dataset":
        return f"dataset: fingerprint {str(old)[:12]}… → {str(new)[:12]}…"
    return f"{name}: {_diff(old, new)}"


def _version_warnings(provenance: Provenance, installed: dict[str, str | None]) -> list[str]:
    recorded = provenance.versions
    out = []
    for name, now in installed.items():
        then = recorded.get(name)
        if now is not None and then is not None and now != then:
            out.append(f"trained with {name} {then}, installed {now}")
    return out


def _status_one(
    case: Case,
    profile: Profile,
    seed: int,
    fingerprint: str | None,
    code: str,
    results: Path,
    installed: dict[str, str | None],
) -> RunStatus:
    folder = run_dir(results, profile.name, case.name, seed)
    key = run_key(run_key_inputs(case, profile, seed, fingerprint, code)) if fingerprint else None
    who = (case.name, profile.name, seed)
    if not has_record(folder):
        first = seed == profile.planned_seeds(case.name)[0]
        return RunStatus(*who, "missing" if first else "planned", key=key)
    try:
        run = read_run_dir(folder)
    except ResultsError as exc:
        return RunStatus(*who, "corrupt", (str(exc),), key=key)
    wall_seconds = run.provenance.wall_seconds
    if (run.case, run.profile, run.seed) != who:
        why = f"holds {run.profile}/{run.case} seed {run.seed}"
        return RunStatus(*who, "corrupt", (why,), key=key, wall_seconds=wall_seconds)
    warnings = _version_warnings(run.provenance, installed)
    recorded = run.key_inputs
    current = run_key_inputs(case, profile, seed, fingerprint or recorded.get("dataset", ""), code)
    if fingerprint is None:
        warnings.append("dataset fingerprint unknown (no --source, no results/dataset/info.json)")
    changed = [n for n in ("case", "profile", "dataset", "code") if recorded.get(n) != current[n]]
    reasons = [_reason(n, recorded.get(n), current[n]) for n in changed]
    state: State = "fresh"
    if set(changed) - {"code"}:
        state = "stale"
    elif changed:
        state = "outdated"
    elif run.key != run_key(current):
        state, reasons = "corrupt", ["key: recorded key does not match its inputs"]
    return RunStatus(*who, state, tuple(reasons), tuple(warnings), key, wall_seconds)


def status(
    profile: Profile,
    data_fingerprint: str | None,
    results_dir: Path,
    cases: Iterable[Case] | None = None,
) -> list[RunStatus]:
    """Status of every planned and every committed run of ``profile`` in ``results_dir``.

    Parameters
    ----------
    profile
        The profile whose runs to check; its planned seeds say what should be there.
    data_fingerprint
        Fingerprint of the dataset the runs should come from; None: the one recorded in
        ``results_dir/dataset/info.json`` (no data and no TensorFlow needed).
    results_dir
        The committed results folder.
    cases
        The cases to check (default: all of
        :data:`cnnnotes.experiments.runs.cases.CASES`, in order).

    Returns
    -------
    list[RunStatus]
        Case by case, seed by seed.
    """
    fp = data_fingerprint or recorded_fingerprint(results_dir)
    code = training_code_key()
    installed = {name: installed_version(*dists) for name, dists in VERSIONED}  # read once
    chosen = list(CASES.values()) if cases is None else list(cases)
    out = []
    for case in chosen:
        committed = seed_dirs(results_dir, profile.name, case.name)
        for seed in sorted(set(profile.planned_seeds(case.name)) | set(committed)):
            out.append(_status_one(case, profile, seed, fp, code, Path(results_dir), installed))
    return out


def check(profile: Profile, results_dir: Path) -> RunCheck:
    """:func:`status` of every run of ``profile`` (the committed fingerprint), as a report."""
    return RunCheck(tuple(status(profile, None, results_dir)))


def summary(profile: Profile, states: Iterable[RunStatus]) -> dict[str, dict[str, Any]]:
    """Per case: ``n`` usable runs (fresh or outdated) of ``planned``, and the missing seeds."""
    out: dict[str, dict[str, Any]] = {}
    for s in states:
        row = out.setdefault(
            s.case,
            {"n": 0, "planned": len(profile.planned_seeds(s.case)), "missing_seeds": []},
        )
        if s.state in ("fresh", "outdated"):
            row["n"] += 1
        elif s.state in ("planned", "missing"):
            row["missing_seeds"].append(s.seed)
    return out
