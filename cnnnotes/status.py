"""Status of the committed runs: fresh, stale (and which key input changed) or missing.

Works without TensorFlow and without the dataset: the current key inputs come
from the cases, the profile and the training code, and the dataset fingerprint
from the caller or from ``results/dataset/info.json`` (committed with the excerpt).
Differences in library versions only warn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cnnnotes.cache import read_json
from cnnnotes.cases import CASES, Case, Profile
from cnnnotes.provenance import installed_version
from cnnnotes.results import ResultsError, read_run_dir, run_dir
from cnnnotes.store import run_key, run_key_inputs, training_code_key

__all__ = ["RunStatus", "recorded_fingerprint", "status"]


@dataclass(frozen=True)
class RunStatus:
    """Where a committed run stands against the current code, cases, profile and data.

    Attributes
    ----------
    case, profile
        Names.
    state
        ``fresh`` (key matches), ``stale`` (a key input changed) or ``missing``.
    reasons
        Why stale: one line per changed key input (``case``, ``profile``, ``dataset``, ``code``).
    warnings
        Provenance differences that do not make the run stale (library versions, unknown data).
    key
        The current key (None when the dataset fingerprint is unknown).
    """

    case: str
    profile: str
    state: Literal["fresh", "stale", "missing"]
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    key: str | None = None

    def line(self) -> str:
        """One human-readable line, e.g. ``notes/case5  stale (case: dropout 0.2 → 0.3)``."""
        text = f"{self.profile}/{self.case:<9} {self.state}"
        if self.reasons:
            text += f" ({'; '.join(self.reasons)})"
        return text + "".join(f"  [warning: {w}]" for w in self.warnings)


def recorded_fingerprint(results_dir: Path) -> str | None:
    """The dataset fingerprint committed in ``results_dir/dataset/info.json``, if any."""
    info = read_json(Path(results_dir) / "dataset" / "info.json")
    fp = info.get("fingerprint") if isinstance(info, dict) else None
    return fp if isinstance(fp, str) else None


def _diff(old: Any, new: Any) -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(set(old) | set(new))
        return ", ".join(
            f"{k} {old.get(k, '—')} → {new.get(k, '—')}" for k in keys if old.get(k) != new.get(k)
        )
    return f"{old} → {new}"


def _reason(name: str, old: Any, new: Any) -> str:
    if name == "code":
        return "code: training code changed"
    if name == "dataset":
        return f"dataset: fingerprint {str(old)[:12]}… → {str(new)[:12]}…"
    return f"{name}: {_diff(old, new)}"


def _version_warnings(provenance: Mapping[str, Any]) -> list[str]:
    recorded = provenance.get("versions", {}) if isinstance(provenance, Mapping) else {}
    out = []
    for name, dists in (("tensorflow", ("tensorflow", "tensorflow-cpu")), ("keras", ("keras",))):
        now, then = installed_version(*dists), recorded.get(name)
        if now is not None and then is not None and now != then:
            out.append(f"trained with {name} {then}, installed {now}")
    return out


def _status_one(
    case: Case, profile: Profile, fingerprint: str | None, code: str, results_dir: Path
) -> RunStatus:
    folder = run_dir(results_dir, profile.name, case.name)
    key = run_key(run_key_inputs(case, profile, fingerprint, code)) if fingerprint else None
    if not (folder / "run.json").exists():
        return RunStatus(case.name, profile.name, "missing", key=key)
    try:
        run = read_run_dir(folder)
    except ResultsError as exc:
        return RunStatus(case.name, profile.name, "stale", (f"unreadable: {exc}",), key=key)
    warnings = _version_warnings(run.provenance)
    recorded = run.key_inputs
    current = run_key_inputs(case, profile, fingerprint or recorded.get("dataset", ""), code)
    if fingerprint is None:
        warnings.append("dataset fingerprint unknown (no --source, no results/dataset/info.json)")
    reasons = [
        _reason(name, recorded.get(name), current[name])
        for name in ("case", "profile", "dataset", "code")
        if recorded.get(name) != current[name]
    ]
    if not reasons and run.key != run_key(current):
        reasons.append("key: recorded key does not match its inputs")
    state: Literal["fresh", "stale"] = "stale" if reasons else "fresh"
    return RunStatus(case.name, profile.name, state, tuple(reasons), tuple(warnings), key)


def status(
    profile: Profile,
    data_fingerprint: str | None,
    results_dir: Path,
    cases: Iterable[Case] | None = None,
) -> list[RunStatus]:
    """Status of the committed runs of ``profile`` (all cases, or ``cases``) in ``results_dir``.

    Parameters
    ----------
    profile
        The profile whose runs to check.
    data_fingerprint
        Fingerprint of the dataset the runs should come from; None: the one recorded in
        ``results_dir/dataset/info.json`` (no data and no TensorFlow needed).
    results_dir
        The committed results folder.
    cases
        The cases to check (default: all of :data:`cnnnotes.cases.CASES`, in order).
    """
    fp = data_fingerprint or recorded_fingerprint(results_dir)
    code = training_code_key()
    chosen = list(CASES.values()) if cases is None else list(cases)
    return [_status_one(c, profile, fp, code, Path(results_dir)) for c in chosen]
