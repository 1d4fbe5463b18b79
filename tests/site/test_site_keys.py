"""An asset's key follows the values it read: a case's title re-renders only what shows it.

The shared table of cases is left out of the assets' code keys (``__traced_data__``);
each render records the case fields it read (:mod:`cnnnotes.reads`), and the next
build compares their values. Measured on the real site (183 files): an edit to Case 3's
English title re-rendered 145 of 175 files before, 9 of 183 after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import patch_words
from fakeruns import write_fake_runs

import cnnnotes.site.figures as figures
from cnnnotes import reads
from cnnnotes.codehash import function_code_key
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.i18n import catalogue
from cnnnotes.site import build

#: A few assets of several kinds that read case fields, and one that reads none.
NAMES = ("curves-case3", "case-figure-case3", "results-table", "results", "overlay-val",
         "model-summary-case3", "case-case4", "verdict-rules")  # fmt: skip


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project with fake runs whose build knows only :data:`NAMES`, rendered once."""
    write_fake_runs(tmp_path / "results", ("baseline", "case3", "case4", "case5"))
    every = figures.load_all()
    monkeypatch.setattr(figures, "load_all", lambda modules=None: {n: every[n] for n in NAMES})
    monkeypatch.setattr(CASES, "_built", {n: CASES[n] for n in CASES})  # type: ignore[attr-defined]
    first = build._render_all(tmp_path, jobs=1)
    assert len(first.rendered) == 2 * len(NAMES) - 1 and first.reused == 0  # the CSV is shared
    yield tmp_path


def _edit(case: str, **fields: object) -> None:
    CASES._built[case] = dataclasses.replace(CASES[case], **fields)  # type: ignore[attr-defined]


def _out_of_date(root: Path) -> set[str]:
    return {job.label for job in build._plan(root).assets}


def test_a_title_change_re_renders_only_the_assets_that_show_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _out_of_date(project) == set()
    patch_words(monkeypatch, "en", case__case3__title="Case 3: RMSprop → Adam, retitled")
    assert _out_of_date(project) == {"curves-case3[en]", "case-figure-case3[en]", "results[all]"}
    patch_words(monkeypatch, "ko", case__case3__title="Case 3: 새 제목")
    assert _out_of_date(project) == {"curves-case3[en]", "case-figure-case3[en]", "results[all]",
                                     "curves-case3[ko]", "case-figure-case3[ko]"}  # fmt: skip


def test_a_value_an_asset_reads_re_renders_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = CASES["case3"].short("en")
    patch_words(monkeypatch, "en", case__case3__short="Case 3: Adam, relabelled")  # a legend
    assert _out_of_date(project) == {"overlay-val[en]"}
    patch_words(monkeypatch, "en", case__case3__short=short, case__case3__assumed="assumed")
    # every case's † note is read by the table, the CSV and the downloads
    assert {"results-table[en]", "results[all]"} <= _out_of_date(project)
    assert "results-table[ko]" not in _out_of_date(project)


def test_a_setting_re_renders_what_is_computed_from_it(project: Path) -> None:
    _edit("case3", dense_units=128)
    assert {"model-summary-case3[ko]", "model-summary-case3[en]"} <= _out_of_date(project)
    assert "verdict-rules[en]" not in _out_of_date(project)


def test_the_case_table_is_data_in_asset_keys_and_code_elsewhere() -> None:
    spec = figures.load_all()["curves-case3"]
    assert function_code_key(spec.func, traced=True) != function_code_key(spec.func)


def test_reads_are_recorded_inside_a_trace_only() -> None:
    with reads.trace() as read:
        CASES["case1"].title("en")
        with reads.quiet():
            CASES["case2"].title("en")
    CASES["case3"].title("en")
    # the title's words, and the case values they show (its pool size and the baseline's)
    assert read == {
        ("word", "en", "case.case1.title"),
        ("case", "case1", "pool_size"),
        ("case", "baseline", "pool_size"),
    }
    assert reads.value(("word", "en", "case.case1.title")) == catalogue("en")["case.case1.title"]
    assert reads.value(("word", "en", "case.no-such-case.title")) is None


def test_a_template_read_is_recorded_with_its_source() -> None:
    from cnnnotes.i18n.prose import render

    with reads.trace() as read:
        render("missing", "en", names="Case 9", command="cnnnotes train --case case9")
    assert ("template", "en", "missing") in read
    assert "{{ command }}" in str(reads.value(("template", "en", "missing")))
