"""The mutation test: every sentence about our runs answers to the runs.

A copy of the committed results is altered (Case 3's training loss made lower than the
baseline's in every seed, its validation loss made the baseline's, its validation
accuracy flat over the last ten epochs, its training accuracy raised; Case 2 made
clearly better; Case 4's validation loss spread out) and the boxes are rendered again:
every box that states how our runs behave (ERRATA 33, 37, 41, 42, 44 and the errata
page's table of our corrections) must change its wording in both languages, and must
quote the verdict the altered runs give. The slow variant builds a miniature site from
the real pages' boxes with mkdocs, before and after.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, TINYSITE, copy_project, mkdocs_build
from fakeruns import edit_fake_run

from cnnnotes.experiments.runs._judged_render import box_line
from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.experiments.runs.judged import Record, records
from cnnnotes.site.figures import load_all

BOXES = ("errata-33-box", "case2-box", "errata-41-box", "errata-42-box", "errata-44-box",
         "corrections-table")  # fmt: skip
#: Our corrections, and the box that must quote each.
OURS = {
    "ours.adam_fits_fast": "errata-41-box",
    "ours.val_loss_noise": "errata-42-box",
    "ours.enough_epochs": "errata-44-box",
    "ours.no_measurable_difference": "case2-box",
}
LANGS = ("ko", "en")


def _floats(values: np.ndarray) -> list[float]:
    return [float(v) for v in values]


def mutate(results: Path) -> None:
    """Alter the runs so that each of our corrections meets other evidence."""
    base = load_seeds(results, "notes", "baseline")
    for seed, run in load_seeds(results, "notes", "case3").items():
        b, h = base[seed].history, run.history
        late = float(np.mean(h["val_accuracy"][-10:]))
        flat = _floats(h["val_accuracy"][:-10]) + [
            late + 0.0005 * ((seed + k) % 3) for k in range(10)
        ]
        edit_fake_run(results, "case3", seed=seed, history={
            "loss": _floats(b["loss"] - 0.3),
            "accuracy": _floats(np.minimum(h["accuracy"] + 0.1, 1.0)),
            "val_loss": _floats(b["val_loss"] + 0.002 * (seed - 2)),
            "val_accuracy": flat,
        })  # fmt: skip
    for seed, run in load_seeds(results, "notes", "case2").items():
        better = _floats(run.history["val_accuracy"] + 0.08)
        edit_fake_run(results, "case2", seed=seed, history={"val_accuracy": better})
    for seed, run in load_seeds(results, "notes", "case4").items():
        spread = _floats(run.history["val_loss"] + 0.3 * seed)
        edit_fake_run(results, "case4", seed=seed, history={"val_loss": spread})


def _render(results: Path) -> dict[tuple[str, str], str]:
    assets = load_all(["cnnnotes.site.figures.corrections", "cnnnotes.site.figures.verdicts"])
    return {
        (name, lang): assets[name].func(lang, results_dir=results, **assets[name].params)
        for name in BOXES
        for lang in LANGS
    }


def _ours(results: Path) -> dict[str, Record]:
    cases = ("baseline", "case2", "case3")
    seeds = {c: load_seeds(results, "notes", c) for c in cases}
    return {r.spec.id: r for r in records(seeds, family="ours")}


@pytest.fixture(scope="module")
def altered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("altered") / "results"
    shutil.copytree(ROOT / "results", copy)
    mutate(copy)
    return copy


def test_every_box_about_our_runs_changes_with_the_runs_in_both_languages(altered: Path) -> None:
    before, after = _render(ROOT / "results"), _render(altered)
    unchanged = [key for key in before if before[key] == after[key]]
    assert unchanged == []


def test_each_correction_meets_other_evidence_and_its_box_quotes_the_new_verdict(
    altered: Path,
) -> None:
    before, after = _ours(ROOT / "results"), _ours(altered)
    boxes = _render(altered)
    for key, box in OURS.items():
        assert before[key].outcome != after[key].outcome, key
        for lang in LANGS:
            assert box_line(after[key], lang) in boxes[(box, lang)]
            assert box_line(before[key], lang) not in boxes[(box, lang)]


# --- the same through mkdocs: a miniature site made of the real pages' boxes ---------------------

_TITLE = re.compile(r'^(!!!|\?\?\?\+?) warning ".*\(ERRATA (33|37|41|42|44)\)"$')


def _boxes(page: str) -> str:
    """The correction boxes of ERRATA 33, 37, 41, 42 and 44 from a real page, as written."""
    out, keep = [], False
    for line in page.splitlines():
        if _TITLE.match(line):
            keep = True
        elif line and not line.startswith("    "):
            keep = False
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


def _ours_section(page: str) -> str:
    return page[page.index("## ", page.index("{ #ours }") - 60) :]


def _mini_site(root: Path, results: Path) -> None:
    copy_project(root, ("mkdocs.yml",), src=TINYSITE)
    copy_project(root, ("hooks", "cnnnotes"))
    shutil.copytree(results, root / "results")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("figures: [tinyfigs]", "figures: [cnnnotes.site.figures.corrections, "
                            "cnnnotes.site.figures.verdicts]")  # fmt: skip
    config = re.sub(r"nav:\n(  - .*\n)+", "nav:\n  - 홈: index.md\n", config)
    config = config.replace("  - admonition\n", "  - admonition\n  - attr_list\n  - md_in_html\n"
                            "  - pymdownx.details\n  - tables\n")  # fmt: skip
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    docs = root / "docs"
    docs.mkdir()
    for suffix in ("", ".en"):
        cases = (ROOT / "docs" / f"cases{suffix}.md").read_text(encoding="utf-8")
        errata = (ROOT / "docs" / f"errata{suffix}.md").read_text(encoding="utf-8")
        page = f"# Boxes\n\n{_boxes(cases)}\n{_ours_section(errata)}"
        (docs / f"index{suffix}.md").write_text(page, encoding="utf-8")
        # the ERRATA 44 box links to the Beyond page's answer: a stub holds its anchor
        stub = "# Beyond\n\n## Case 4 { #case4-causes }\n"
        (docs / f"beyond{suffix}.md").write_text(stub, encoding="utf-8")


def _segments(html: str) -> dict[str, str]:
    """The built page cut at each box title (and at the table of our corrections)."""
    title = r'(?:admonition-title">|<summary>)[^<]*\(ERRATA (\d+)\)'
    marks = [(m.start(), m.group(1)) for m in re.finditer(title, html)]
    marks.append((html.index('id="ours"'), "ours"))
    marks.sort()
    ends = [start for start, _ in marks[1:]] + [len(html)]
    return {name: html[start:end] for (start, name), end in zip(marks, ends, strict=True)}


@pytest.mark.slow
def test_the_built_boxes_change_their_wording_when_the_runs_change(
    altered: Path, tmp_path: Path
) -> None:
    built = {}
    for label, results in (("before", ROOT / "results"), ("after", altered)):
        root = tmp_path / label
        _mini_site(root, results)
        build = mkdocs_build(root)
        built[label] = {
            lang: _segments((build.site / sub / "index.html").read_text(encoding="utf-8"))
            for lang, sub in (("ko", "."), ("en", "en"))
        }
    for lang in LANGS:
        before, after = built["before"][lang], built["after"][lang]
        assert sorted(before) == sorted(["33", "37", "41", "42", "44", "ours"])
        assert [k for k in before if before[k] == after[k]] == [], lang
