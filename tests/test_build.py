"""The build's bookkeeping: inputs, reports, and when a cached build may be reused."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from cnnnotes import build
from cnnnotes.build import BuildReport, SiteFile
from cnnnotes.forward import ForwardError


def test_plain_inputs_must_exist_and_globs_may_match_nothing(tmp_path: Path) -> None:
    (tmp_path / "runs" / "a").mkdir(parents=True)
    (tmp_path / "runs" / "a" / "run.json").write_text("{}")
    paths, missing = build._input_files(tmp_path, ("runs/*/run.json", "runs/none/*.json"))
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["runs/a/run.json"]
    assert missing == []
    paths, missing = build._input_files(tmp_path, ("runs/b/run.json",))
    assert paths == [] and missing == ["runs/b/run.json"]


def test_figures_and_downloads_get_their_site_paths() -> None:
    assert build._site_path("stride", "png") == "figures/stride.png"
    assert build._site_path("results", "csv") == "downloads/results.csv"
    assert build._site_path("results-table", "md") is None  # included by snippets


def _report(tmp_path: Path) -> BuildReport:
    figure = tmp_path / "stride.png"
    figure.write_bytes(b"png")
    return BuildReport(
        files=[SiteFile("figures/stride.png", "ko", figure)],
        notebooks={},
        rendered=["stride[ko]"],
        reused=3,
        skipped={"curves-case1": "missing results/runs/notes/case1/run.json"},
        executed=[],
        seconds=1.5,
    )


def test_report_survives_its_json_form(tmp_path: Path) -> None:
    report = _report(tmp_path)
    again = BuildReport.from_json(report.to_json())
    assert again.files == report.files and again.skipped == report.skipped
    assert "rendered 1 asset(s) (stride[ko])" in again.summary()
    assert "skipped 1 (curves-case1)" in again.summary()


def test_a_manifest_is_reused_only_with_the_same_key_and_all_files(tmp_path: Path) -> None:
    manifest = {"fast_key": "k", "report": _report(tmp_path).to_json()}
    assert build._manifest_valid(manifest, "k")
    assert not build._manifest_valid(manifest, "other")
    (tmp_path / "stride.png").unlink()
    assert not build._manifest_valid(manifest, "k")
    assert not build._manifest_valid({"fast_key": "k"}, "k")


def test_fast_key_changes_with_results_and_package_code(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    before = build._fast_key(tmp_path)
    assert build._fast_key(tmp_path) == before
    (tmp_path / "results" / "x.json").write_text("1")
    assert build._fast_key(tmp_path) != before


def test_a_users_error_in_the_renderer_is_one_line_and_fails_the_build(tmp_path, monkeypatch):
    def child(*args, **kwargs):
        return subprocess.CompletedProcess(
            args, 2, stderr="a warning\ncnnnotes: error: notes/baseline: test image 3 differs\n"
        )

    monkeypatch.setattr(build.subprocess, "run", child)
    with pytest.raises(build.BuildError, match=r"^notes/baseline: test image 3 differs$"):
        build.build_site_assets(tmp_path)


def test_the_renderer_prints_a_users_error_in_one_line_exit_2(tmp_path, capsys, monkeypatch):
    def fail(root):
        raise ForwardError("notes/baseline: test image 3 differs")

    monkeypatch.setattr(build, "_render_all", fail)
    assert build._main([str(tmp_path)]) == 2
    assert capsys.readouterr().err == "cnnnotes: error: notes/baseline: test image 3 differs\n"


def test_an_optional_asset_waits_for_its_results_instead_of_being_skipped(tmp_path: Path) -> None:
    report = dataclasses.replace(
        _report(tmp_path),
        skipped={},
        waiting={"feature-maps-compare": "missing results/runs/notes/case3/weights.npz"},
    )
    again = BuildReport.from_json(report.to_json())
    assert again.waiting == report.waiting
    assert "skipped" not in again.summary()
    assert "waiting for the results of 1 (feature-maps-compare)" in again.summary()
