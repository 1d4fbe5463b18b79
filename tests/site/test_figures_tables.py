"""Tests of site.figures.tables: generated tables and page blocks for any subset of runs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from fakeruns import SPECS, fake_history, write_fake_run, write_fake_runs

from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.judged import REGISTRY as CLAIMS
from cnnnotes.i18n import words
from cnnnotes.site.build import _input_files
from cnnnotes.site.figures import tables, training, verdicts  # noqa: F401  (register the assets)
from cnnnotes.site.figures.registry import REGISTRY

LANGS = ("ko", "en")
ALL = tuple(SPECS)
SUBSETS = {"all": ALL, "none": (), "some": ("baseline", "case4")}
BLOCKS = (
    *(f"case-{c}" for c in ALL),
    "overlay-block",
    "case4-vs-case5-block",
    "case4-dropout-block",
)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(figures/([\w-]+)\.png\)")


def _results(tmp_path: Path, cases: tuple[str, ...]) -> Path:
    results = tmp_path / "results"
    write_fake_runs(results, cases)
    return results


def _render(name: str, lang: str, results: Path) -> str:
    spec = REGISTRY[name]
    return spec.func(lang, results_dir=results, **spec.params)


def _table_rows(md: str, *, beyond: bool = False) -> dict[str, list[str]]:
    """The notes cases' rows by name (``beyond``: the experiments' rows, marked ‡)."""
    rows = {}
    for line in md.splitlines():
        m = re.match(r"^\| \[([^\]]+)\]\([^)]*\) \|(.*)\|$", line)
        if m and m[1].endswith(" ‡") == beyond:
            rows[m[1].rstrip(" †‡")] = [c.strip() for c in m[2].split("|")]
    return rows


def test_results_table_marks_every_experiment_and_links_it_to_the_beyond_page(
    tmp_path: Path,
) -> None:
    md = _render("results-table", "en", _results(tmp_path, ALL))
    experiments = [c for c in CASES if CASES[c].beyond]
    links = re.findall(r"^\| \[[^\]]+ ‡\]\(([^)]*)\) \|", md, re.M)
    assert links == [f"beyond.md#{c}" for c in experiments]
    assert ("‡ Beyond the notes:" in md) == bool(experiments)
    assert all(f"beyond.md#{c})" not in md for c in CASES if not CASES[c].beyond)


@pytest.mark.parametrize("subset", sorted(SUBSETS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_fragment_renders_and_shows_only_figures_the_build_draws(
    tmp_path: Path, subset: str, lang: str
) -> None:
    """The strict build fails on a link to a skipped figure: a block must not show one."""
    results = _results(tmp_path, SUBSETS[subset])
    for name in (*BLOCKS, "results-table"):
        assert not _input_files(results, REGISTRY[name].inputs)[1], "blocks always render"
        md = _render(name, lang, results)
        assert md.strip() and "{" not in md, f"{name}: empty or unformatted"
        for alt, figure in _IMAGE.findall(md):
            assert figure in REGISTRY and REGISTRY[figure].kind == "png"
            assert not _input_files(results, REGISTRY[figure].inputs)[1], (
                f"{name} shows {figure}, which the build skips in subset {subset}"
            )
            assert len(alt) > 20, f"{name}: alt text too short"


def test_results_table_numbers_are_those_the_histories_imply(tmp_path: Path) -> None:
    md = _render("results-table", "en", _results(tmp_path, ALL))
    rows = _table_rows(md)
    assert set(rows) == {"Baseline", "Case 1", "Case 2", "Case 3", "Case 4", "Case 5"}
    for case, name in zip(ALL, ["Baseline", *(f"Case {i}" for i in range(1, 6))], strict=True):
        h = {k: np.asarray(v) for k, v in fake_history(case).items()}
        s = SPECS[case]
        n, val5, best, loss5, gap, test, params, sec = rows[name]
        assert n == f"1 of {3 if case == 'case1' else 5}"
        assert val5 == f"{h['val_accuracy'][-5:].mean():.3f}"
        assert best == f"{h['val_accuracy'].max():.3f}"
        assert loss5 == f"{h['val_loss'][-5:].mean():.3f}"
        assert gap == f"{s['off'] - h['val_accuracy'][-1]:.3f}"  # dropout off (ERRATA 43)
        assert test == f"{s['test']:.3f}"
        assert params == f"{s['params']:,}"
        assert sec == f"{s['sec']:.0f}"  # the median: the slower first epoch does not count
    # the hardware is one line below the table, not a column wrapping in every row
    assert "\nTrained on: Test CPU @ 2.2GHz, 2 CPU cores.\n" in md
    assert "Planned seeds not trained yet: Baseline seed 1, 2, 3, 4; Case 1 seed 1, 2;" in md


def test_results_table_shows_mean_and_sd_over_seeds(tmp_path: Path) -> None:
    results = _results(tmp_path, ALL)
    for k, shift in ((1, 0.01), (2, -0.01)):
        write_fake_run(results, "case4", seed=k, shift=shift)
    rows = _table_rows(_render("results-table", "ko", results))
    tests = [round(SPECS["case4"]["test"] + d, 3) for d in (0.0, 0.01, -0.01)]
    assert rows["Case 4"][0] == "3 / 5"
    assert rows["Case 4"][5] == f"{np.mean(tests):.3f} ±\u00a0{np.std(tests, ddof=1):.3f}"


@pytest.mark.parametrize("lang", LANGS)
def test_results_table_says_which_runs_are_not_trained_and_marks_our_readings(
    tmp_path: Path, lang: str
) -> None:
    md = _render("results-table", lang, _results(tmp_path, ("baseline", "case4")))
    missing = "아직 학습 전" if lang == "ko" else "not trained yet"
    rows = _table_rows(md)
    assert len(rows) == 6
    trained = {k for k, v in rows.items() if v[1] != missing}
    assert len(trained) == 2 and all(v[1] == missing for k, v in rows.items() if k not in trained)
    assert rows["Case 2"][0] == ("0 / 5" if lang == "ko" else "0 of 5")
    marked = re.findall(r"\[(Case \d) †\]", md)
    assert marked == ["Case 1", "Case 2", "Case 5"]
    assert md.count("\n- † ") == 3
    assert "(downloads/results.csv)" in md and "(downloads/runs.json)" in md


def test_csv_download_holds_one_row_per_planned_or_committed_run(tmp_path: Path) -> None:
    assert REGISTRY["results"].kind == "csv" and REGISTRY["results"].shared
    assert REGISTRY["runs"].kind == "json" and REGISTRY["runs"].shared
    results = _results(tmp_path, ("case1", "case3"))
    write_fake_run(results, "case3", seed=2, shift=0.01)
    text = _render("results", "en", results)
    rows = {(r["case"], int(r["seed"])): r for r in csv.DictReader(io.StringIO(text))}
    # every planned seed, trained or not; experiments beyond the notes marked
    assert len(rows) == sum(len(NOTES.planned_seeds(c)) for c in CASES)
    assert {r["beyond_the_notes"] for r in rows.values() if r["case"] in ALL} == {"False"}
    assert rows[("case1", 0)]["trained"] == "True" and rows[("case2", 0)]["trained"] == "False"
    assert rows[("case3", 2)]["trained"] == "True" and rows[("case3", 1)]["trained"] == "False"
    assert rows[("case2", 0)]["best_val_accuracy"] == ""
    assert float(rows[("case1", 0)]["best_val_accuracy"]) == pytest.approx(0.64, abs=1e-6)
    assert float(rows[("case3", 2)]["test_accuracy"]) == pytest.approx(
        SPECS["case3"]["test"] + 0.01
    )
    assert rows[("case1", 0)]["lowest_val_loss_epoch"] == "7"
    assert int(rows[("case1", 0)]["param_count"]) == 2_825_930
    assert rows[("case1", 0)]["settings_assumed"].startswith("optimizer assumed RMSprop")


def test_json_download_holds_every_run_with_its_seed(tmp_path: Path) -> None:
    results = _results(tmp_path, ("case4",))
    write_fake_run(results, "case4", seed=3)
    data = json.loads(_render("runs", "en", results))
    assert data["profile"] == "notes" and data["statistics"]["min_n"] == 3
    assert data["statistics"]["tolerances"]["val_loss_last5"] == 0.10
    assert data["cases"]["case3"]["runs"] == [] and data["cases"]["case3"]["missing_seeds"] == [
        0,
        1,
        2,
        3,
        4,
    ]
    case4 = data["cases"]["case4"]
    assert [r["seed"] for r in case4["runs"]] == [0, 3] and case4["missing_seeds"] == [1, 2, 4]
    run = case4["runs"][0]
    assert run["history"]["val_loss"] == pytest.approx(fake_history("case4")["val_loss"])
    assert run["summary"]["train_accuracy_dropout_off"] == SPECS["case4"]["off"]
    assert run["provenance"]["dataset"]["source"] == "cifar-10-images.tar.gz"


@pytest.mark.parametrize("lang", LANGS)
def test_case_block_shows_curves_our_numbers_and_the_claims_table(tmp_path: Path, lang) -> None:
    md = _render("case-case3", lang, _results(tmp_path, ("baseline", "case3")))
    assert [f for _alt, f in _IMAGE.findall(md)] == ["curves-case3"]
    head = "| " + " | ".join(words("v2.head", lang)) + " |"
    assert head in md
    words_seen = re.findall(r"\| \*\*([^*]+)\*\*:", md)
    words_ = {"ko": {"일치", "불일치", "판단 불가"}, "en": {"agree", "disagree", "can't tell"}}
    n_claims = sum(1 for s in CLAIMS if s.case == "case3" and s.family == "notes")
    assert len(words_seen) == n_claims and set(words_seen) <= words_[lang]
    # one seed each: every verdict needs an interval, and there is none below stats.MIN_N
    assert words_seen.count("판단 불가" if lang == "ko" else "can't tell") == n_claims
    last5 = np.mean(fake_history("case3")["val_accuracy"][-5:])
    assert f"{last5:.3f}" in md and ("seed 0" in md or "시드 0" in md)
    assert "0.03" in md and "0.10" in md and "0.005" in md  # tolerances and the SE are stated


@pytest.mark.parametrize("lang", LANGS)
def test_case_block_without_its_run_says_how_to_train_it(tmp_path: Path, lang: str) -> None:
    md = _render("case-case2", lang, _results(tmp_path, ("baseline",)))
    assert not _IMAGE.findall(md)
    assert "`cnnnotes train --profile notes --case case2`" in md
    assert ("아직 학습 전" if lang == "ko" else "Not trained yet") in md


def test_baseline_block_carries_the_notes_numbers_it_checks(tmp_path: Path) -> None:
    md = _render("case-baseline", "en", _results(tmp_path, ("baseline",)))
    for quoted in ("0.79", "0.69", "0.61", "0.95–1.0"):
        assert quoted in md
    assert "test accuracy 0.684" in md and "1 of 5 planned seeds" in md


def test_comparison_blocks_show_their_figure_only_when_all_runs_exist(tmp_path: Path) -> None:
    some = _results(tmp_path / "a", ("case4",))
    assert not _IMAGE.findall(_render("case4-vs-case5-block", "en", some))
    assert "--case case5`" in _render("case4-vs-case5-block", "en", some)
    assert _IMAGE.findall(_render("case4-dropout-block", "en", some))
    assert "**can't tell**" in _render("case4-dropout-block", "en", some)  # no Case 3
    none = _results(tmp_path / "b", ())
    assert not _IMAGE.findall(_render("overlay-block", "en", none))
    both = _results(tmp_path / "c", ("case4", "case5"))
    assert _IMAGE.findall(_render("case4-vs-case5-block", "ko", both))
    assert _IMAGE.findall(_render("overlay-block", "ko", both))


@pytest.mark.parametrize("lang", LANGS)
def test_case_page_blocks_put_the_figure_before_the_analysis_and_claims_after(
    tmp_path: Path, lang: str
) -> None:
    results = _results(tmp_path, ("baseline", "case3"))
    figure = _render("case-figure-case3", lang, results)
    claims = _render("case-claims-case3", lang, results)
    assert [f for _alt, f in _IMAGE.findall(figure)] == ["curves-case3"]
    caption = re.search(r"\)\n\n\*([^*\n]+)\*\n", figure)
    assert caption and "Case 3" in caption[1]  # the italic caption right under the image
    assert ("파란 점" if lang == "ko" else "blue dots") in caption[1]
    assert not _IMAGE.findall(claims) and claims.count("\n| ") >= 7
    assert "???" not in figure + claims  # the verdict rules are shown once per page
    rules = REGISTRY["verdict-rules"].func(lang)
    assert rules.startswith('??? note "') and "0.03" in rules


@pytest.mark.parametrize("lang", LANGS)
def test_case_figure_without_its_run_says_how_to_train_it_and_claims_stay_empty(
    tmp_path: Path, lang: str
) -> None:
    results = _results(tmp_path, ("baseline",))
    assert "`cnnnotes train --profile notes --case case2`" in _render(
        "case-figure-case2", lang, results
    )
    assert _render("case-claims-case2", lang, results) == ""


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("en", ("after all the runs had been seen", "not pre-registered", "equivalence",
                "Bonferroni", "fewer than 3 seeds", "paired", "Welch", "JPEG copy",
                "official CIFAR-10", "cannot include the images' part", "dropout **off**")),
        ("ko", ("모든 실행을 본 뒤에", "미리 등록한 규칙이 아니므로", "동등성", "본페로니",
                "3개보다 적으면", "짝지어", "Welch", "JPEG 사본", "공식 CIFAR-10",
                "이미지 몫을 넣을 수 없습니다", "드롭아웃을 **끄고**")),
    ],
)  # fmt: skip
def test_verdict_rules_state_the_statistics_of_stats_py(lang: str, phrases: tuple) -> None:
    from cnnnotes.experiments.runs import stats

    rules = REGISTRY["verdict-rules"].func(lang)
    for phrase in phrases:
        assert phrase in rules, phrase
    for tol in {f"{v:.2f}" for v in stats.TOL.values()}:
        assert tol in rules
    assert "95" in rules and f"{stats.LAST}" in rules
