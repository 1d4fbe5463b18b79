"""Tests of site.figures.beyond: the page "Beyond the notes" and its generated blocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from fakeruns import SPECS, write_fake_run, write_fake_runs

from cnnnotes.experiments.runs import hypotheses
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.i18n import t
from cnnnotes.site.build import _input_files
from cnnnotes.site.figures import beyond, training  # noqa: F401  (register the assets)
from cnnnotes.site.figures._runs import present_seeds
from cnnnotes.site.figures.registry import REGISTRY

LANGS = ("ko", "en")
BLOCKS = ("beyond-intro", *(f"beyond-{q.replace('_', '-')}" for q in beyond.QUESTIONS))
_IMAGE = re.compile(r"!\[([^\]]*)\]\(figures/([\w-]+)\.png\)")


def _render(name: str, lang: str, results: Path) -> str:
    spec = REGISTRY[name]
    return str(spec.func(lang, results_dir=results, **spec.params))


@pytest.mark.parametrize("lang", LANGS)
def test_page_exists_in_both_languages_after_the_cases_and_includes_every_generated_block(
    lang: str,
) -> None:
    page = ROOT / "docs" / ("beyond.md" if lang == "ko" else "beyond.en.md")
    text = page.read_text(encoding="utf-8")
    for block in BLOCKS:
        assert f'--8<-- "{lang}/{block}.md"' in text
    assert text.count("\n> ") >= 3  # the author's words, quoted
    tree = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n")[1]
    nav = re.findall(r"^  - [^:]+: (\S+)$", tree, re.M)
    assert nav[nav.index("cases.md") + 1] == "beyond.md"


@pytest.mark.parametrize("subset", ["none", "notes", "experiments"])
@pytest.mark.parametrize("lang", LANGS)
def test_blocks_render_for_any_subset_and_show_only_figures_the_build_draws(
    tmp_path: Path, subset: str, lang: str
) -> None:
    results = tmp_path / "results"
    if subset != "none":
        write_fake_runs(results, tuple(SPECS))
    if subset == "experiments":
        for case in (c for c in CASES if CASES[c].beyond):
            write_fake_run(results, case)
    for name in BLOCKS:
        md = _render(name, lang, results)
        assert md.strip() and "{" not in md.replace("{ #", ""), f"{name}: unformatted"
        for _, figure in _IMAGE.findall(md):
            assert not _input_files(results, REGISTRY[figure].inputs)[1], f"{name}: {figure}"
    every = "".join(_render(n, lang, results) for n in BLOCKS)
    for case in hypotheses.experiments():
        assert f"{{ #{case} }}" in every  # the results table links here
    if subset == "none":
        assert "case4_fast` " in every and every.count("`case1_dropout`") == 1


def _row(md: str, lang: str) -> str:
    """The verdict table's row of the learning-rate hypothesis."""
    statement = t("hypothesis.learning_rate_helps_case4", lang)
    return next(line for line in md.splitlines() if line.startswith(f"| {statement} |"))


def test_verdict_blocks_change_when_a_run_changes(tmp_path: Path) -> None:
    """A cheap mutation: Case 4's faster variant first helps, then hurts, in every seed."""
    if "case4_fast" not in CASES:
        pytest.skip("case4_fast is not registered yet")
    results = tmp_path / "results"
    for k in range(3):
        write_fake_run(results, "case4", seed=k, shift=0.003 * k)
        write_fake_run(results, "case4_fast", seed=k, shift=0.001 * k)
    before = {lang: _render("beyond-case4-causes", lang, results) for lang in LANGS}
    for k in range(3):
        write_fake_run(results, "case4_fast", seed=k, shift=-0.1 + 0.001 * k)
    after = {lang: _render("beyond-case4-causes", lang, results) for lang in LANGS}
    for lang, word in (("en", ("supported", "contradicted")), ("ko", ("지지", "반박"))):
        assert f"| {word[0]} |" in _row(before[lang], lang)
        assert f"| {word[1]} |" in _row(after[lang], lang)
        assert before[lang] != after[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_trained_runs_without_kernels_are_named_as_waiting_for_kernels_not_for_training(
    tmp_path: Path, lang: str
) -> None:
    results = tmp_path / "results"
    for case, seeds in (("baseline", range(5)), ("case2", range(4))):
        for k in seeds:
            write_fake_run(results, case, seed=k)  # fake runs keep no kernels
    md = _render("beyond-case2-redundancy", lang, results)
    statement = t("hypothesis.case2_filters_redundant", lang)
    row = next(line for line in md.splitlines() if line.startswith(f"| {statement} |"))
    waits = row.removesuffix(" |").rsplit(" | ", 1)[1]
    trained = [f"case2/seed-{k}" for k in range(4)] + [f"baseline/seed-{k}" for k in range(5)]
    kernels = t("beyond.unmeasured.filter_redundancy", lang, runs=", ".join(trained))
    assert waits == f"case2/seed-4, {kernels}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_dropout_answer_names_the_other_causes_a_supported_hypothesis_backs(
    tmp_path: Path, lang: str
) -> None:
    results = tmp_path / "results"
    none = beyond.dropout_sentence(present_seeds(results), lang)
    assert none.endswith(t("beyond.other_causes_none", lang))
    for k in range(5):  # the wide layer helps Case 4 in every seed, clearly
        write_fake_run(results, "case4", seed=k, shift=0.001 * k)
        write_fake_run(results, "case4_wide", seed=k, shift=0.1 + 0.002 * k)
    some = beyond.dropout_sentence(present_seeds(results), lang)
    capacity = t("beyond.cause.capacity", lang)
    assert some.endswith(t("beyond.other_causes", lang, causes=capacity))
