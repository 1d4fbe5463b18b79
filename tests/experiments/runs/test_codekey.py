"""Every committed run is fresh: today's code key and key are the ones it was trained under.

``status --check`` passes outdated runs (trained by earlier code), so it cannot show that a
refactor left the keyed unit's normalised code alone. This test can: it guards every move of
the training code and every run of the sweep.
"""

from __future__ import annotations

from pathlib import Path

from cnnnotes.experiments.runs.cases import get_case, get_profile
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.folder import read_record, seed_dirs
from cnnnotes.experiments.runs.status import status
from cnnnotes.experiments.runs.store import run_key, run_key_inputs

RESULTS = Path(__file__).resolve().parents[3] / "results"


def _committed_runs() -> list[tuple[str, str, int, Path]]:
    out = []
    for profile_dir in sorted(p for p in (RESULTS / "runs").iterdir() if p.is_dir()):
        for case_dir in sorted(p for p in profile_dir.iterdir() if p.is_dir()):
            for seed, folder in sorted(seed_dirs(RESULTS, profile_dir.name, case_dir.name).items()):
                out.append((profile_dir.name, case_dir.name, seed, folder))
    return out


def test_every_committed_run_of_every_profile_is_fresh():
    runs = _committed_runs()
    assert runs, "no committed runs found"
    code = training_code_key()
    for profile_name, case_name, seed, folder in runs:
        record = read_record(folder)
        label = f"{profile_name}/{case_name}/seed-{seed}"
        assert record.key_inputs["code"] == code, f"{label}: trained by other numerics"
        inputs = run_key_inputs(
            get_case(case_name), get_profile(profile_name), seed, record.key_inputs["dataset"]
        )
        assert record.key == run_key(inputs), f"{label}: its key is not today's"
    for profile_name in {profile for profile, *_ in runs}:
        states = status(get_profile(profile_name), None, RESULTS)
        committed = {(case, seed) for p, case, seed, _ in runs if p == profile_name}
        assert {(s.case, s.seed): s.state for s in states if (s.case, s.seed) in committed} == {
            run: "fresh" for run in committed
        }


def test_the_code_key_changes_with_the_keyed_unit(monkeypatch):
    from cnnnotes.experiments.training import numerics

    before = training_code_key()
    monkeypatch.setattr(numerics, "__all__", [*numerics.__all__[:-1]])
    assert training_code_key() != before
