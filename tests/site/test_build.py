"""The build's bookkeeping: inputs, reports, and when a cached build may be reused."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project

from cnnnotes.errors import PathError
from cnnnotes.experiments.runs.forward import ForwardError
from cnnnotes.files import atomic_write_json
from cnnnotes.site import build
from cnnnotes.site.build import BuildReport, SiteFile
from cnnnotes.site.notebooks import published, site_notebooks


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


def test_data_scripts_are_served_from_the_sites_data_folder() -> None:
    assert build._site_path("network-baseline", "js") == f"{build.DATA_DIR}/network-baseline.js"


def _report(tmp_path: Path) -> BuildReport:
    figure = tmp_path / "stride.png"
    figure.write_bytes(b"png")
    return BuildReport(
        files=[SiteFile("figures/stride.png", "ko", figure)],
        notebooks={},
        rendered=["stride[ko]"],
        reused=3,
        skipped={"curves-case1": "missing results/runs/notes/case1/seed-0/run.json"},
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


# --- a cache that cannot be written, notebooks that are not published ----------------------------


def _warm_project(tmp_path: Path) -> Path:
    """A project whose cache holds a valid manifest for its current inputs."""
    (tmp_path / "results").mkdir()
    (tmp_path / "docs").mkdir()
    manifest = {"fast_key": build._fast_key(tmp_path), "report": _report(tmp_path).to_json()}
    atomic_write_json(build.site_cache_dir(tmp_path) / "manifest.json", manifest)
    return tmp_path


def test_a_warm_build_reads_a_read_only_cache_without_locking(tmp_path, monkeypatch) -> None:
    root = _warm_project(tmp_path)

    def no_lock(path: Path):
        raise PathError(f"permission denied: {path}.lock")

    monkeypatch.setattr(build, "lock", no_lock)
    report = build.build_site_assets(root)
    assert report.fast and report.rendered == [] and report.reused == 4


def test_a_cold_build_with_an_unwritable_cache_is_one_line(tmp_path, monkeypatch) -> None:
    root = _warm_project(tmp_path)
    (root / "results" / "new.json").write_text("1")  # the manifest is out of date now

    def no_lock(path: Path):
        raise PathError(f"permission denied: {path}.lock")

    monkeypatch.setattr(build, "lock", no_lock)
    with pytest.raises(PathError) as err:
        build.build_site_assets(root)
    assert str(err.value) == (
        f"site cache: permission denied: {root / '.cache' / 'build'}.lock; "
        f"make {root / '.cache'} a writable folder with free space, or delete it"
    )


def test_a_file_in_place_of_the_cache_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / ".cache").write_text("")
    with pytest.raises(PathError, match=r"^site cache: not a folder: .*\.cache \(a file is"):
        build.build_site_assets(tmp_path)


@pytest.mark.slow
def test_the_isolated_renderer_reports_a_user_error_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "assets").write_text("")  # where the figures go
    lines: list[str] = []
    with pytest.raises(build.BuildError) as err:
        build.build_site_assets(tmp_path, progress=lines.append)
    assert str(err.value).startswith(f"site cache: not a folder: {tmp_path / '.cache' / 'assets'}")
    assert "\n" not in str(err.value)
    assert lines[:2] == [
        "cnnnotes: loading the figure code",
        lines[1],  # the count of registered figures is the registry's business
    ] and lines[1].startswith("cnnnotes: checking ")


def test_notebooks_in_hidden_folders_are_never_executed(tmp_path: Path) -> None:
    hidden = tmp_path / "docs" / ".hidden"
    hidden.mkdir(parents=True)
    (hidden / "x.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}')
    (tmp_path / "docs" / "templates").mkdir()
    (tmp_path / "docs" / "templates" / "t.ipynb").write_text("{}")
    (tmp_path / "docs" / "shown.ipynb").write_text("{}")
    assert [rel for rel, _ in site_notebooks(tmp_path / "docs")] == ["shown.ipynb"]
    assert [published(p) for p in ("a.ipynb", "sub/b.ipynb", ".x/c.ipynb", "d/.e.ipynb")] == [
        True,
        True,
        False,
        False,
    ]


def test_a_hidden_notebook_does_not_change_the_fast_key(tmp_path: Path) -> None:
    (tmp_path / "docs" / ".hidden").mkdir(parents=True)
    before = build._fast_key(tmp_path)
    (tmp_path / "docs" / ".hidden" / "x.ipynb").write_text("{}")
    assert build._fast_key(tmp_path) == before
    (tmp_path / "docs" / "y.ipynb").write_text("{}")
    assert build._fast_key(tmp_path) != before


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose package (as the fast key sees it) is a small throw-away tree."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "figs.py").write_text('"""Figures."""\n\n\ndef f(x):\n    return x + 1\n')
    (tmp_path / "results").mkdir()
    monkeypatch.setattr(build, "_PACKAGE_DIR", pkg)
    return pkg


def test_fast_keys_see_comments_as_bytes_but_not_as_code(tmp_path: Path, package: Path) -> None:
    before = build._keys(tmp_path)
    (package / "figs.py").write_text(
        '"""Other words."""\n\n\ndef f(x):  # why\n    return (x + 1)\n'
    )
    comment = build._keys(tmp_path, before.sources)
    assert comment.raw != before.raw and comment.code == before.code
    (package / "figs.py").write_text("def f(x):\n    return x + 2\n")
    code = build._keys(tmp_path, comment.sources)
    assert code.raw != comment.raw and code.code != comment.code


def test_a_comment_only_edit_reuses_the_last_build_without_starting_the_renderer(
    tmp_path: Path, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest_path = build.site_cache_dir(tmp_path) / "manifest.json"
    build.atomic_write_json(
        manifest_path, build._manifest(build._keys(tmp_path), _report(tmp_path))
    )
    (package / "figs.py").write_text("def f(x):\n    # only a comment\n    return x + 1\n")

    def renderer(*args: object, **kwargs: object) -> None:
        raise AssertionError("the renderer was started")

    monkeypatch.setattr(build, "_render_isolated", renderer)
    report = build.build_site_assets(tmp_path)
    assert report.fast and report.rendered == [] and report.reused == 4
    # The new bytes are remembered: the next build takes the cheapest path at once.
    assert build.read_json(manifest_path)["fast_key"] == build._fast_key(tmp_path)
    (package / "figs.py").write_text("def f(x):\n    return x + 3\n")
    with pytest.raises(AssertionError, match="renderer was started"):
        build.build_site_assets(tmp_path)


def _cached_files(root: Path) -> dict[str, bytes]:
    """Every rendered asset, executed notebook and key file (no leftover temporaries)."""
    cache = build.site_cache_dir(root)
    return {
        p.relative_to(cache).as_posix(): p.read_bytes()
        for sub in ("assets", "notebooks")
        for p in sorted((cache / sub).rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _workers_of(root: Path) -> list[int]:
    """Processes that run in ``root``: the build, its renderer and the renderer's workers."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (
                str(root) in (entry / "cmdline").read_text()
                or os.readlink(entry / "cwd") == str(root)
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_workers_build_the_same_bytes_as_one_process_and_die_with_a_killed_build(
    tmp_path: Path,
) -> None:
    parts = ("docs", "results", "cnnnotes")
    one, two = copy_project(tmp_path / "one", parts), copy_project(tmp_path / "two", parts)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def renderer(root: Path, jobs: int) -> subprocess.Popen[bytes]:
        code = ("import sys; from cnnnotes.site.build import build_site_assets as b; "
                "b(sys.argv[1], jobs=int(sys.argv[2]))")  # fmt: skip
        cmd = [sys.executable, "-c", code, str(root), str(jobs)]
        return subprocess.Popen(cmd, env={**env, "PYTHONPATH": str(root)}, cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    # Kill a parallel build as soon as its workers have written something.
    victim = renderer(two, 2)
    deadline = time.monotonic() + 300
    while not any((two / ".cache").rglob("*.key")) and time.monotonic() < deadline:
        assert victim.poll() is None, "the build ended before it could be killed"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 20
    while _workers_of(two) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _workers_of(two) == [], "workers outlived the build that started them"
    assert not (two / ".cache" / "manifest.json").exists()  # killed before it finished

    assert renderer(two, 2).wait(timeout=900) == 0  # finishes what the killed build left
    assert renderer(one, 1).wait(timeout=900) == 0
    files = _cached_files(one)
    assert sum(name.endswith(".png") for name in files) > 40
    assert sum(name.endswith(".ipynb") for name in files) >= 2
    assert _cached_files(two) == files


def test_the_renderer_sends_a_users_error_back_as_one_line(tmp_path, monkeypatch):
    import multiprocessing

    def fail(*args, **kwargs):
        raise ForwardError("notes/baseline: test image 3 differs")

    monkeypatch.setattr(build, "_render_all", fail)
    receive, send = multiprocessing.Pipe(duplex=False)
    build._isolated(send, str(tmp_path), None, os.getppid())
    assert receive.recv() == ("error", "notes/baseline: test image 3 differs")


def test_an_optional_asset_waits_for_its_results_instead_of_being_skipped(tmp_path: Path) -> None:
    report = dataclasses.replace(
        _report(tmp_path),
        skipped={},
        waiting={"feature-maps-compare": "missing results/runs/notes/case3/seed-0/weights.npz"},
    )
    again = BuildReport.from_json(report.to_json())
    assert again.waiting == report.waiting
    assert "skipped" not in again.summary()
    assert "waiting for the results of 1 (feature-maps-compare)" in again.summary()


def test_the_fast_key_covers_the_whole_package_not_only_the_site_code() -> None:
    """The case table (experiments/) decides what pages show: editing it must wake the build."""
    assert (build._PACKAGE_DIR / "experiments" / "runs" / "cases.py").is_file()
    assert (build._PACKAGE_DIR / "site" / "build.py").is_file()
