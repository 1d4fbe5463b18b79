"""A case added to the table of cases reaches the cases page without an edit to a figure module.

The fixture adds ``case6`` the way an author would: an entry in
:data:`cnnnotes.experiments.runs.cases.CASES`, its runs (fake ones here) and its section
in the cases page. Its figure, fragments, table row, anchor and section then come
from the registry of cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import patch_words
from fakeruns import SPECS, write_fake_run

from cnnnotes.experiments.runs import claims
from cnnnotes.experiments.runs.cases import CASES, Case, default_order
from cnnnotes.site.build import _input_files
from cnnnotes.site.casepage import SectionError, anchor, expand_sections, section_id
from cnnnotes.site.figures import load_all
from cnnnotes.site.render import draw
from cnnnotes.site.style import figure_context

ROOT = Path(__file__).resolve().parents[2]

_SECTION = {
    "en": """<!-- case: case6 -->
## Case 6: fewer filters

*Only the filters change, to (16, 32, 32).*

<!-- analysis -->
### Analysis { #case-6-analysis }

The author's analysis of Case 6.

<!-- end case -->
""",
}


@pytest.fixture
def case6(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A sixth case in the table, with two fake seeds of its own and of the baseline."""
    monkeypatch.setattr(CASES, "_built", dict(CASES._built))  # type: ignore[attr-defined]
    monkeypatch.setitem(
        CASES._entries,  # type: ignore[attr-defined]
        "case6",
        lambda: Case("case6", filters=(16, 32, 32)),
    )
    patch_words(monkeypatch, "ko", case__case6__title="Case 6: 필터 (16, 32, 32)",
                case__case6__assumed="", case__case6__short="Case 6: 필터 16")  # fmt: skip
    patch_words(monkeypatch, "en", case__case6__title="Case 6: filters (16, 32, 32)",
                case__case6__assumed="", case__case6__short="Case 6: 16 filters")  # fmt: skip
    monkeypatch.setitem(SPECS, "case6", {**SPECS["baseline"], "val": 0.65, "params": 60_000})
    results = tmp_path / "results"
    for case in ("baseline", "case6"):
        for seed in (0, 1):
            write_fake_run(results, case, seed=seed, shift=0.002 * seed)
    yield results


def _render(name: str, lang: str, results: Path) -> str | object:
    return draw(load_all()[name], lang, results)


def test_a_new_case_gets_its_assets_from_the_registry(case6: Path) -> None:
    specs = load_all()
    for name in ("curves-case6", "case-figure-case6", "case-claims-case6", "case-case6",
                 "model-summary-case6"):  # fmt: skip
        assert name in specs, name
        assert dict(specs[name].params)["case"] == "case6"
        assert not _input_files(case6, specs[name].inputs)[1]
    assert "case-figure-baseline" not in specs  # the baseline's section is on another page
    assert anchor("case6") == "#case-6" and section_id("case6") == "case-6"
    assert anchor("baseline") == "cifar10.md#baseline-results"
    assert claims.references("case6") == () and claims.references("case5") == ("case3", "case4")
    order = default_order()  # cheapest first: the new case; dearest last: no pooling (Case 1)
    assert order[0] == "case6" and order[-2:] == ("case1", "case1_dropout")


def test_a_new_case_appears_on_the_cases_page(case6: Path) -> None:
    import matplotlib.pyplot as plt

    for lang in ("ko", "en"):
        with figure_context():
            figure = _render("curves-case6", lang, case6)
        assert "Case 6" in figure.texts[0].get_text()  # type: ignore[attr-defined]
        plt.close(figure)  # type: ignore[arg-type]
    block = _render("case-figure-case6", "en", case6)
    assert "![" in block and "(figures/curves-case6.png)" in block
    assert "2 of 5 planned seeds" in block
    assert _render("case-claims-case6", "en", case6) == ""  # the notes claim nothing about it
    table = _render("results-table", "en", case6)
    row = next(line for line in table.splitlines() if line.startswith("| [Case 6]"))
    assert row.startswith("| [Case 6](#case-6) | 2 of 5 |")
    page = (ROOT / "docs" / "cases.en.md").read_text(encoding="utf-8")
    page = page.replace("## Comparison", _SECTION["en"] + "\n## Comparison")
    md = expand_sections(page, "en")
    section = md[md.index("## Case 6") :]
    assert section.startswith("## Case 6: fewer filters { #case-6 }")
    order = [
        section.index(s)
        for s in (
            "*Only the filters",
            '--8<-- "en/case-figure-case6.md"',
            "The author's analysis",
            '"en/case-claims-case6.md"',
        )
    ]
    assert order == sorted(order)
    assert "<!--" not in md.split("## Comparison")[0].split("## Case 1")[1]


def test_the_cases_page_expands_to_what_it_held_before() -> None:
    for page, lang in (("cases.md", "ko"), ("cases.en.md", "en")):
        md = expand_sections((ROOT / "docs" / page).read_text(encoding="utf-8"), lang)
        for n in range(1, 6):  # the five cases of the notes
            assert len(re.findall(rf"^## .* \{{ #case-{n} \}}$", md, re.M)) == 1
            assert md.count(f'--8<-- "{lang}/case-figure-case{n}.md"') == 1
            assert md.count(f'--8<-- "{lang}/case-claims-case{n}.md"') == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- case: case9 -->\n## X\n<!-- analysis -->\n<!-- end case -->", "no such case"),
        ("<!-- case: case1 -->\n## X\n<!-- end case -->", "no <!-- analysis -->"),
        ("<!-- case: case1 -->\n## X\n<!-- analysis -->\n", "no <!-- end case -->"),
        ("<!-- case: case1 -->\ntext\n## X\n<!-- analysis -->\n<!-- end case -->", "heading"),
    ],
)
def test_a_malformed_section_is_named(text: str, message: str) -> None:
    with pytest.raises(SectionError, match=re.escape(message)):
        expand_sections(text, "en")
