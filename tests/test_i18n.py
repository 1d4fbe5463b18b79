"""The word catalogue and templates (cnnnotes.i18n): both languages in step, no words in code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cnnnotes.data.labels import CLASS_NAMES
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.i18n import (
    LANGS,
    TEMPLATES,
    WordsError,
    catalogue,
    class_names,
    has,
    particle,
    placeholders,
    t,
    words,
)
from cnnnotes.i18n.prose import render, template_names, template_values

ROOT = Path(__file__).resolve().parents[1]
#: Hangul syllables, jamo and compatibility jamo.
HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def test_both_catalogues_have_the_same_keys() -> None:
    ko, en = catalogue("ko"), catalogue("en")
    assert set(ko) - set(en) == set(), "keys only in ko.toml"
    assert set(en) - set(ko) == set(), "keys only in en.toml"


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_each_key_has_the_same_placeholders_and_shape_in_both_languages(key: str) -> None:
    ko, en = catalogue("ko")[key], catalogue("en")[key]
    assert type(ko) is type(en)
    if isinstance(en, tuple):
        assert len(ko) == len(en)
    assert placeholders(key, "ko") == placeholders(key, "en")


def test_every_template_exists_in_both_languages() -> None:
    names = {lang: template_names(lang) for lang in LANGS}
    assert names["ko"] == names["en"]
    assert names["en"], "no templates found"
    found = {p.parent.name for p in TEMPLATES.glob("*/*.md.j2")}
    assert found == set(LANGS)


@pytest.mark.parametrize("name", sorted(template_names("en")))
def test_each_template_takes_the_same_values_in_both_languages(name: str) -> None:
    assert template_values(name, "ko") == template_values(name, "en")


def test_the_catalogue_is_korean_and_english() -> None:
    assert HANGUL.search(t("common.epoch", "ko"))
    assert not any(HANGUL.search(v if isinstance(v, str) else " ".join(v))
                   for v in catalogue("en").values())  # fmt: skip


def test_t_fills_placeholders_and_refuses_missing_words() -> None:
    assert t("tables.n_of", "en", n=3, planned=5) == "3 of 5"
    assert t("tables.n_of", "ko", n=3, planned=5) == "3 / 5"
    with pytest.raises(KeyError, match="no words"):
        t("no.such.key", "en")
    with pytest.raises(KeyError, match="planned"):
        t("tables.n_of", "en", n=3)
    with pytest.raises(KeyError):
        t("common.epoch", "fr")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        t("classes", "en")
    assert not has("no.such.key", "ko")


def test_class_names_follow_the_label_order() -> None:
    assert class_names("en") == CLASS_NAMES
    assert len(class_names("ko")) == len(CLASS_NAMES)
    assert class_names("ko")[0] == "비행기"
    assert words("classes", "ko") == class_names("ko")


def test_every_case_has_a_title_in_both_languages() -> None:
    for name in CASES:
        for lang in LANGS:
            assert CASES[name].title(lang) and CASES[name].short(lang)
            assert has(f"case.{name}.assumed", lang)


def test_templates_render_numbers_and_refuse_missing_values() -> None:
    text = render("missing", "en", names="Case 1", command="cnnnotes train")
    assert text.startswith('!!! info "Not trained yet"\n    ') and text.endswith(".\n")
    with pytest.raises(
        WordsError, match=r"templates/ko/missing\.md\.j2:\d+: 'command' is undefined"
    ):
        render("missing", "ko", names="Case 1")


def _python_files() -> list[Path]:
    return sorted([*(ROOT / "cnnnotes").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")])


def test_no_hangul_in_python_code() -> None:
    """Korean words live in the catalogue and the templates, never in ``.py`` files."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _python_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HANGUL.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    "module", ["cnnnotes.i18n", "cnnnotes.data", "cnnnotes.experiments.runs.cases"]
)
def test_importing_words_and_data_loads_no_matplotlib(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'jinja2'))\n"
        "print(' '.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)  # fmt: skip
    assert out.stdout.strip() == ""


def test_importing_training_loads_no_matplotlib() -> None:
    code = (
        "import sys, cnnnotes.experiments.training.loop\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)  # fmt: skip
    assert out.stdout.strip() == ""


@pytest.fixture
def broken_catalogue(tmp_path, monkeypatch):
    """The catalogues read from a copy in ``tmp_path`` (edit ``tmp_path / "en.toml"``)."""
    import shutil

    import cnnnotes.i18n as i18n

    for lang in LANGS:
        shutil.copy(i18n._DIR / f"{lang}.toml", tmp_path / f"{lang}.toml")
    monkeypatch.setattr(i18n, "_DIR", tmp_path)
    catalogue.cache_clear()
    yield tmp_path / "en.toml"
    catalogue.cache_clear()


def test_a_toml_syntax_error_names_the_file_and_the_position(broken_catalogue) -> None:
    lines = broken_catalogue.read_text(encoding="utf-8").splitlines()
    lines[30] += " = ="
    broken_catalogue.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        WordsError, match=r"en\.toml: TOML syntax error: .*\(at line 31, column \d+\)"
    ):
        t("common.epoch", "en")


def test_a_missing_word_names_the_catalogue_the_key_and_who_asked() -> None:
    with pytest.raises(WordsError, match=r"en\.toml: no words 'no.such' \(asked for at tests/"):
        t("no.such", "en")


def test_a_template_syntax_error_names_the_template_and_its_line(tmp_path, monkeypatch) -> None:
    import shutil

    from cnnnotes.i18n import prose

    shutil.copytree(TEMPLATES, tmp_path / "templates")
    broken = tmp_path / "templates" / "en" / "missing.md.j2"
    broken.write_text("line one\n{% if names %}\nno endif\n", encoding="utf-8")
    monkeypatch.setattr(prose, "TEMPLATES", tmp_path / "templates")
    prose._environment.cache_clear()
    try:
        with pytest.raises(WordsError, match=r"templates/en/missing\.md\.j2:\d+: Unexpected end"):
            render("missing", "en", names="Case 1", command="x")
    finally:
        prose._environment.cache_clear()


@pytest.mark.parametrize(
    ("word", "key", "expected"),
    [
        ("말", "subject", "말이"),
        ("말", "object", "말을"),
        ("개", "subject", "개가"),
        ("개", "object", "개를"),
        ("트럭", "object", "트럭을"),
    ],
)
def test_korean_particle_agrees_with_the_words_last_syllable(word, key, expected):
    assert particle(word, f"picture.particle.{key}", "ko") == expected
