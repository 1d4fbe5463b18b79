"""Rendering jobs: lossless cheaper PNGs, and the same bytes in one process or in workers."""

from __future__ import annotations

import io
import json
import multiprocessing
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from conftest import ROOT
from PIL import Image

from cnnnotes.site import render
from cnnnotes.site.render import Job
from cnnnotes.site.style import figure_context, new_figure


def _figure(facecolor: str | None = None):
    with figure_context():
        fig = new_figure(figsize=(3.0, 2.0))
        if facecolor:
            fig.set_facecolor(facecolor)
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [1, 0, 2], label="합성곱")
        ax.imshow(np.arange(12).reshape(3, 4), extent=(0, 2, 0, 2), alpha=0.5)
        ax.legend()
    return fig


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _matplotlib_png(fig, **kwargs) -> bytes:
    buf = io.BytesIO()
    with figure_context():
        fig.savefig(buf, format="png", dpi=render.DPI, **kwargs)
    return buf.getvalue()


def test_an_opaque_figure_is_stored_as_rgb_with_matplotlibs_exact_pixels() -> None:
    fig = _figure()
    with figure_context():
        ours = render.encode_png(fig)
    assert Image.open(io.BytesIO(ours)).mode == "RGB"
    assert np.array_equal(_pixels(ours), _pixels(_matplotlib_png(fig)))


def test_a_figure_with_transparency_keeps_its_alpha_channel() -> None:
    fig = _figure(facecolor="none")
    with matplotlib.rc_context({"savefig.facecolor": "auto"}):  # the figure's own: none
        ours = render.encode_png(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=render.DPI)
        theirs = buf.getvalue()
    assert Image.open(io.BytesIO(ours)).mode == "RGBA"
    assert np.array_equal(_pixels(ours), _pixels(theirs))


def test_default_jobs_is_at_least_one_core() -> None:
    assert render.default_jobs() >= 1


# Cheap real assets of every kind: figures of two modules and a Markdown fragment.
_NAMES = ("pool-max", "pool-average", "tensor-ranks", "case-case1")


def _jobs(out: Path) -> list[Job]:
    results, kinds = ROOT / "results", {"case-case1": "md"}
    return [
        Job("asset", name, lang, out / lang / f"{name}.{kinds.get(name, 'png')}",
            f"key-{name}-{lang}", results)
        for name in _NAMES for lang in ("ko", "en")
    ]  # fmt: skip


def test_workers_write_the_same_bytes_and_keys_as_one_process(tmp_path: Path) -> None:
    done: list[str] = []
    render.run_jobs(_jobs(tmp_path / "one"), 1)
    render.run_jobs(_jobs(tmp_path / "two"), 2, done=lambda job, s: done.append(job.label))
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file()}  # fmt: skip
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file()}  # fmt: skip
    assert len(one) == 2 * 2 * len(_NAMES)  # every output and its key file
    assert one == two
    assert done == [job.label for job in _jobs(tmp_path)]  # reported in the order planned
    record = json.loads((tmp_path / "two" / "ko" / "pool-max.png.key").read_text())
    assert record["key"] == "key-pool-max-ko"
    assert {r[0] for r in record["reads"]} == {"word"}  # a concept figure: its words only
    assert render.asset_is_current(tmp_path / "two" / "ko" / "pool-max.png.key", "key-pool-max-ko")
    case_block = json.loads((tmp_path / "two" / "en" / "case-case1.md.key").read_text())
    assert ["word", "en", "case.case1.title"] in case_block["reads"]  # its alt text's title
    assert ["word", "ko", "case.case1.title"] not in case_block["reads"]


def test_a_failing_job_raises_in_the_caller_and_writes_no_key(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path)[:2]
    bad = Job("asset", "no-such-asset", "ko", tmp_path / "ko" / "x.png", "k", ROOT / "results")
    with pytest.raises(KeyError, match="no-such-asset"):
        render.run_jobs([bad, *jobs], 2)
    assert not (tmp_path / "ko" / "x.png").exists()
    assert not (tmp_path / "ko" / "x.png.key").exists()


def test_spawned_workers_write_the_same_bytes_as_forked_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs(tmp_path / "forked")[:4]
    render.run_jobs(jobs, 2)
    monkeypatch.setattr(render, "_pool_context", lambda: multiprocessing.get_context("spawn"))
    render.run_jobs(_jobs(tmp_path / "spawned")[:4], 2)
    for job in jobs:
        spawned = tmp_path / "spawned" / job.out.relative_to(tmp_path / "forked")
        assert spawned.read_bytes() == job.out.read_bytes()


def _notebook(path: Path, *sources: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_notebook_executed_twice_gives_the_same_bytes_without_timing(tmp_path: Path) -> None:
    src = _notebook(tmp_path / "nb.ipynb", "x = 6\nprint('out', x)", "x * 7")
    jobs = [Job("notebook", "nb.ipynb", "all", tmp_path / d / "nb.ipynb", "k", src)
            for d in ("a", "b")]  # fmt: skip
    render.run_jobs(jobs, 2)
    a, b = (job.out.read_text() for job in jobs)
    assert a == b and "out 6" in a and "42" in a
    assert '"execution"' not in a and "iopub" not in a  # no per-cell timing


@pytest.mark.slow
def test_a_failing_notebook_raises_its_error_through_a_worker(tmp_path: Path) -> None:
    from cnnnotes.site.notebooks import NotebookError

    src = _notebook(tmp_path / "bad.ipynb", "raise ValueError('boom')")
    out = tmp_path / "out" / "bad.ipynb"
    good = _jobs(tmp_path)[0]
    with pytest.raises(NotebookError, match=r"bad\.ipynb failed to execute: .*boom"):
        render.run_jobs([Job("notebook", "bad.ipynb", "all", out, "k", src), good], 2)
    assert not out.exists() and not out.with_name("bad.ipynb.key").exists()
