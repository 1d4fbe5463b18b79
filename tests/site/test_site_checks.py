"""The build refuses corrupt runs and flags runs a page would contradict (site.check_runs)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from fakeruns import FP, fake_run
from mkdocs.exceptions import PluginError

import cnnnotes.experiments.runs.status as status_module
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.folder import run_dir
from cnnnotes.experiments.runs.store import publish
from cnnnotes.site.hook import check_runs


@pytest.fixture
def results(tmp_path: Path, monkeypatch) -> Path:
    """Today's runs of seed 0 for every case of the notes profile, under a made-up dataset."""
    out = tmp_path / "results"
    (out / "dataset").mkdir(parents=True)
    (out / "dataset" / "info.json").write_text(f'{{"fingerprint": "{FP}"}}')
    for case in CASES.values():
        publish(fake_run(tmp_path / "store", case, NOTES, FP), out, NOTES)
    return out


def _messages(caplog, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


def test_fresh_runs_pass_and_planned_seeds_are_only_logged(results, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.cnnnotes")
    check_runs(results)
    assert _messages(caplog, logging.WARNING) == []
    (info,) = _messages(caplog, logging.INFO)
    assert "planned seed(s) not trained yet" in info and "baseline/seed-1" in info


@pytest.mark.parametrize("name", ["history.json", "predictions.npz", "weights.npz"])
def test_a_corrupt_run_fails_every_build(results, name):
    path = run_dir(results, "notes", "baseline") / name
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(PluginError, match=r"corrupt run, not publishing: notes/baseline"):
        check_runs(results)
    path.unlink()
    with pytest.raises(PluginError, match=rf"{name} is missing"):
        check_runs(results)


def test_a_run_of_other_settings_is_a_warning_that_strict_builds_fail_on(
    results, caplog, monkeypatch
):
    edited = {**CASES, "case1": dataclasses.replace(CASES["case1"], pool_size=2)}
    monkeypatch.setattr(status_module, "CASES", edited)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.cnnnotes")
    check_runs(results)
    (warning,) = _messages(caplog, logging.WARNING)
    assert "stale run" in warning and "case: pool_size 1 → 2" in warning


def test_a_run_of_earlier_training_code_is_logged_not_failed(results, caplog, monkeypatch):
    monkeypatch.setattr(status_module, "training_code_key", lambda: "edited")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.cnnnotes")
    check_runs(results)
    assert _messages(caplog, logging.WARNING) == []
    assert sum("outdated" in m for m in _messages(caplog, logging.INFO)) == len(CASES)


def test_a_missing_first_seed_is_a_warning(results, caplog):
    for name in ("run.json", "history.json", "predictions.npz", "weights.npz"):
        (run_dir(results, "notes", "case2") / name).unlink(missing_ok=True)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.cnnnotes")
    check_runs(results)
    (warning,) = _messages(caplog, logging.WARNING)
    assert "missing run: notes/case2     seed-0  missing" in warning
