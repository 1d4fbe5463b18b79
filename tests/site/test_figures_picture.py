"""Tests of cnnnotes.site.figures.picture: the panel's element, its words and its cases."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cnnnotes.experiments.runs.architecture import total_params
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.i18n import class_names, t
from cnnnotes.site.figures import picture
from cnnnotes.site.figures.registry import REGISTRY

RESULTS = Path(__file__).resolve().parents[2] / "results"


def _panel(lang: str, results: Path = RESULTS) -> tuple[str, dict[str, object]]:
    spec = REGISTRY["picture-panel"]
    text = spec.func(lang, results_dir=results, **spec.params)
    attrs = {
        name: json.loads(html.unescape(value))
        for name, value in re.findall(r'data-([a-z]+)="([^"]*)"', text)
    }
    return text, attrs


def test_offered_cases_are_those_with_committed_weights_in_the_tables_order():
    cases = picture.offered(RESULTS)
    assert "baseline" in cases and "case1" not in cases
    assert all((RESULTS / f"runs/notes/{c}/seed-0/weights.npz").is_file() for c in cases)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_panel_names_the_absent_case_in_one_sentence_with_its_parameters(lang):
    text, attrs = _panel(lang)
    absent = t(
        "picture.absent",
        lang,
        cases=CASES["case1"].title(lang),
        params=total_params(CASES["case1"]),
    )
    assert absent in text and absent.count(".") == 1
    assert [c["name"] for c in attrs["cases"]] == list(picture.offered(RESULTS))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_panel_carries_every_word_in_the_pages_language_with_placeholders_left(lang):
    _, attrs = _panel(lang)
    words = attrs["words"]
    assert set(words) == set(picture.WORDS)
    assert "{label}" in words["agree"] and "{parts}" in words["disagree"]
    assert attrs["classes"]["names"] == list(class_names(lang))


def test_korean_class_names_carry_the_particles_that_agree_with_them():
    _, attrs = _panel("ko")
    classes = attrs["classes"]
    names = classes["names"]
    horse, dog, deer = names.index("말"), names.index("개"), names.index("사슴")
    assert classes["subject"][horse] == "말이" and classes["object"][horse] == "말을"
    assert classes["subject"][dog] == "개가" and classes["object"][dog] == "개를"
    assert classes["subject"][deer] == "사슴이" and classes["object"][deer] == "사슴을"


def test_english_class_names_carry_no_particle():
    _, attrs = _panel("en")
    assert attrs["classes"]["subject"] == attrs["classes"]["names"] == attrs["classes"]["object"]


def test_panel_offers_every_committed_test_image():
    from cnnnotes.experiments.runs.testimages import read_test_images

    _, attrs = _panel("en")
    test = read_test_images(RESULTS)
    assert attrs["images"] == [
        [int(i), int(y)] for i, y in zip(test.indices, test.labels, strict=True)
    ]
