"""Cases and profiles are frozen, validated data that follow the notes."""

from __future__ import annotations

import collections
import dataclasses
import re

import pytest

from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import (
    CASES,
    DEFAULT_ORDER,
    NOTES,
    PROFILES,
    QUICK,
    Case,
    CaseError,
    Profile,
    Shown,
    cost,
    get_case,
    get_profile,
)
from cnnnotes.i18n import LANGS, Lang, catalogue

BASE = CASES["baseline"]


def test_case_names_are_stable_and_in_the_notes_order():
    notes = [name for name in CASES if not CASES[name].beyond]
    assert notes == ["baseline", "case1", "case2", "case3", "case4", "case5"]
    assert list(CASES)[: len(notes)] == notes  # experiments beyond the notes come after
    assert all(CASES[name].parent in notes for name in CASES if CASES[name].beyond)
    assert sorted(DEFAULT_ORDER) == sorted(CASES)
    assert DEFAULT_ORDER[0] == "baseline"  # cheap first, the costliest last
    assert cost(CASES[DEFAULT_ORDER[-1]]) == max(cost(case) for case in CASES.values())


def test_baseline_is_the_notes_model():
    assert BASE.filters == (32, 64, 64)
    assert (BASE.kernel_size, BASE.pool_size, BASE.dense_units) == (3, 2, 64)
    assert BASE.dropout == 0.0
    assert BASE.optimizer == "rmsprop"


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("case1", {"pool_size": 1}),
        ("case2", {"filters": [64, 64, 64]}),
        ("case3", {"optimizer": "adam"}),
        ("case4", {"optimizer": "adam", "dropout": 0.5}),
        ("case5", {"optimizer": "adam", "dropout": 0.2}),
    ],
)
def test_each_case_differs_from_the_baseline_only_where_the_notes_say(name, changes):
    base, case = BASE.hyperparameters(), CASES[name].hyperparameters()
    assert {k: v for k, v in case.items() if base[k] != v} == changes


@pytest.mark.parametrize("name", ["case1", "case2", "case5"])
def test_cases_without_code_in_the_notes_record_their_assumption_in_both_languages(name):
    case = CASES[name]
    assert case.assumed("ko") and case.assumed("en")
    expected = "Adam" if name == "case5" else "RMSprop"
    assert expected in case.assumed("en") and expected in case.assumed("ko")


@pytest.mark.parametrize("name", ["baseline", "case3", "case4"])
def test_cases_with_code_in_the_notes_assume_nothing(name):
    assert CASES[name].assumed("ko") == CASES[name].assumed("en") == ""


def test_titles_are_localized():
    for case in CASES.values():
        assert case.title("ko") != case.title("en")
    assert BASE.title("ko") == "기준 모델"
    assert BASE.title("en") == "Baseline"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "not a name"),
        ("filters", (32, 64)),
        ("filters", (32, 0, 64)),
        ("kernel_size", 0),
        ("pool_size", 0),
        ("dense_units", -1),
        ("dropout", 1.0),
        ("dropout", -0.1),
        ("optimizer", "sgd"),
        ("learning_rate", 0.0),
        ("learning_rate", "0.001"),
        ("kernel_size", 2.5),
        ("dropout", True),
        ("kernel_size", 40),
        ("pool_size", 8),
    ],
)
def test_an_invalid_case_field_raises_an_error_naming_the_case_and_field(field, value):
    who = value if field == "name" else "baseline"
    with pytest.raises(CaseError, match=rf"case '{who}'\.[a-z_/]*{field}"):
        dataclasses.replace(BASE, **{field: value})


def test_feature_sizes_follow_the_concepts_page():
    assert BASE.feature_sizes() == [32, 30, 15, 13, 6, 4]
    assert CASES["case1"].feature_sizes() == [32, 30, 30, 28, 28, 26]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("epochs", 0),
        ("batch_size", 0),
        ("validation_split", 0.0),
        ("validation_split", 1.0),
        ("train_subset", 0),
        ("test_subset", 0),
        ("epochs", 2.5),
        ("seeds", (-1,)),
        ("seeds", (0, 0)),
        ("seeds", ()),
        ("fewer_seeds", (("case1", 9),)),
    ],
)
def test_an_invalid_profile_field_raises_an_error_naming_it(field, value):
    with pytest.raises(CaseError, match=rf"profile 'notes'\.{field}"):
        dataclasses.replace(NOTES, **{field: value})


def test_a_split_that_leaves_a_side_empty_is_a_profile_error():
    with pytest.raises(CaseError, match=r"validation_split.*one side empty"):
        dataclasses.replace(QUICK, train_subset=1)


def test_case_errors_are_user_errors():
    assert issubclass(CaseError, CnnnotesError)
    assert issubclass(CaseError, ValueError)


def test_notes_profile_holds_the_notes_settings():
    assert (NOTES.epochs, NOTES.batch_size, NOTES.validation_split) == (20, 256, 0.2)
    assert NOTES.train_subset is None and NOTES.test_subset is None
    assert NOTES.planned_seeds("baseline") == (0, 1, 2, 3, 4)
    assert NOTES.planned_seeds("case1") == (0, 1, 2)


def test_quick_profile_is_tiny():
    assert QUICK.epochs <= 2
    assert QUICK.train_subset is not None and QUICK.train_subset <= 2000
    assert QUICK.planned_seeds("baseline") == (0,)
    assert set(PROFILES) == {"notes", "quick"}


def test_key_fields_leave_out_names_titles_and_assumptions():
    assert set(BASE.hyperparameters()) == {
        "filters",
        "kernel_size",
        "pool_size",
        "dense_units",
        "dropout",
        "optimizer",
        "learning_rate",
    }
    renamed = dataclasses.replace(CASES["case1"], name="other")
    assert renamed.hyperparameters() == CASES["case1"].hyperparameters()
    assert not {"name", "seeds", "fewer_seeds"} & set(NOTES.settings())


def test_cases_and_profiles_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.dropout = 0.5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        NOTES.epochs = 1  # type: ignore[misc]


def test_unknown_names_raise_listing_the_known_ones():
    with pytest.raises(CaseError, match=r"case: unknown 'case9'.*baseline"):
        get_case("case9")
    with pytest.raises(CaseError, match=r"profile: unknown 'full'.*notes"):
        get_profile("full")
    assert get_case("case4") is CASES["case4"]
    assert get_profile("quick") is QUICK


def test_case_and_profile_accept_keyword_construction():
    case = Case("tiny", filters=(4, 4, 4), dense_units=8)
    assert case.hyperparameters()["filters"] == [4, 4, 4]
    profile = Profile("p", 1, 8, 0.5, 10, 10, seeds=(3, 4))
    assert profile.planned_seeds("x") == (3, 4) and profile.settings()["epochs"] == 1


def test_a_broken_registered_case_breaks_only_what_uses_it(monkeypatch):
    from cnnnotes.experiments.runs import cases

    entries = dict(cases.CASES._entries)  # type: ignore[attr-defined]
    entries["case2"] = lambda: Case("case2", pool_size=0)
    broken = cases._Registry(entries)
    assert list(broken) == list(CASES)
    assert broken["case3"] == CASES["case3"]
    with pytest.raises(CaseError, match=r"case 'case2'\.pool_size"):
        broken["case2"]


def test_a_bad_registered_case_leaves_help_and_other_cases_working(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    shutil.copytree(
        root / "cnnnotes", tmp_path / "cnnnotes", ignore=shutil.ignore_patterns("__py*")
    )
    cases_py = tmp_path / "cnnnotes" / "experiments" / "runs" / "cases.py"
    text = cases_py.read_text(encoding="utf-8")
    assert text.count("dropout=0.2)") == 1
    cases_py.write_text(text.replace("dropout=0.2)", "dropout=1.5)"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "cnnnotes", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)

    assert cli("--help").returncode == 0
    assert cli("status", "--case", "baseline", "--results", str(tmp_path)).returncode == 0
    broken = cli("status", "--results", str(tmp_path))
    assert broken.returncode == 2
    assert broken.stderr == "cnnnotes: error: case 'case5'.dropout: 1.5 not in [0, 1)\n"


# The case's part of every run key, written out: moving or refactoring the case table must
# leave it exactly as the committed runs were trained with.
_NOTES_HYPERPARAMETERS = {
    "baseline": {"filters": [32, 64, 64], "kernel_size": 3, "pool_size": 2, "dense_units": 64,
                 "dropout": 0.0, "optimizer": "rmsprop", "learning_rate": 0.001},
    "case1": {"filters": [32, 64, 64], "kernel_size": 3, "pool_size": 1, "dense_units": 64,
              "dropout": 0.0, "optimizer": "rmsprop", "learning_rate": 0.001},
    "case2": {"filters": [64, 64, 64], "kernel_size": 3, "pool_size": 2, "dense_units": 64,
              "dropout": 0.0, "optimizer": "rmsprop", "learning_rate": 0.001},
    "case3": {"filters": [32, 64, 64], "kernel_size": 3, "pool_size": 2, "dense_units": 64,
              "dropout": 0.0, "optimizer": "adam", "learning_rate": 0.001},
    "case4": {"filters": [32, 64, 64], "kernel_size": 3, "pool_size": 2, "dense_units": 64,
              "dropout": 0.5, "optimizer": "adam", "learning_rate": 0.001},
    "case5": {"filters": [32, 64, 64], "kernel_size": 3, "pool_size": 2, "dense_units": 64,
              "dropout": 0.2, "optimizer": "adam", "learning_rate": 0.001},
}  # fmt: skip


def test_the_six_notes_cases_keep_their_hyperparameters_exactly():
    notes = {name: case.hyperparameters() for name, case in CASES.items() if not case.beyond}
    assert notes == _NOTES_HYPERPARAMETERS


class _Any:
    """Stands for any value words need besides a case's (counts, names, shares)."""

    def __format__(self, spec: str) -> str:
        return "·"

    def __getattr__(self, name: str) -> _Any:
        return self

    def __getitem__(self, key: object) -> _Any:
        return self


def _every_entry(lang: Lang) -> dict[str, str]:
    """Every catalogue entry of ``lang`` rendered: a case's own values for its entries, any
    case's values by name, and a stand-in for everything else."""
    out = {}
    for key, text in catalogue(lang).items():
        if not isinstance(text, str):
            continue
        own = key.split(".")[1] if key.startswith("case.") else None
        if own is not None and own not in CASES._entries:
            continue  # an experiment's words, registered with its first run
        values = {**(dict(Shown(CASES[own])) if own else {}), **{n: Shown(CASES[n]) for n in CASES}}
        out[key] = text.format_map(collections.defaultdict(_Any, values))
    return out


def _shows(text: str, value: float) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(str(value))}(?!\d)", text) is not None


def test_a_changed_dropout_reaches_every_title_that_shows_it(monkeypatch):
    old = {name: CASES[name].dropout for name in CASES if CASES[name].dropout > 0}
    assert old, "no case with dropout"
    before = {lang: _every_entry(lang) for lang in LANGS}
    changed = {name: round(rate / 2 + 0.03, 2) for name, rate in old.items()}
    entries = dict(CASES._entries)  # the table, copied with new rates
    for name, rate in changed.items():
        entries[name] = lambda case=CASES[name], rate=rate: dataclasses.replace(case, dropout=rate)
    monkeypatch.setattr(CASES, "_entries", entries)
    monkeypatch.setattr(CASES, "_built", {})
    after = {lang: _every_entry(lang) for lang in LANGS}
    for name, rate in old.items():
        showing = [(lang, key) for lang in LANGS for key, text in before[lang].items()
                   if _shows(text, rate)]  # fmt: skip
        assert any(key == f"case.{name}.title" for _, key in showing), name
        for lang, key in showing:
            assert _shows(after[lang][key], changed[name]), (lang, key, after[lang][key])
            assert not _shows(after[lang][key], rate), (lang, key, after[lang][key])
        assert CASES[name].title("en") == after["en"][f"case.{name}.title"]
