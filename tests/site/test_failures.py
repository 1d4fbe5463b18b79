"""cnnnotes.site.failures: a mistake during a build is one line; CNNNOTES_DEBUG keeps it whole."""

from __future__ import annotations

import pytest
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError

from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import Case, CaseError
from cnnnotes.site.failures import loading, message, one_line


def _raises_case_error() -> None:
    Case("broken", dropout=1.5)


def test_an_invalid_case_is_one_line_naming_the_field_and_where_it_is_written() -> None:
    with pytest.raises(CaseError) as info:
        _raises_case_error()
    line = _raises_case_error.__code__.co_firstlineno + 1
    assert message(info.value) == (
        f"cnnnotes: tests/site/test_failures.py:{line}: case 'broken'.dropout: 1.5 not in [0, 1)"
    )


def test_a_user_error_in_an_event_becomes_a_one_line_build_error(monkeypatch) -> None:
    monkeypatch.delenv("CNNNOTES_DEBUG", raising=False)

    def on_files() -> None:
        raise CnnnotesError("results/changes.json: line 1\n  column 2: expected a value")

    with pytest.raises(PluginError) as info:
        one_line(on_files)()
    assert str(info.value) == "cnnnotes: results/changes.json: line 1 column 2: expected a value"
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_user_error_while_the_hook_loads_is_a_configuration_error(monkeypatch) -> None:
    monkeypatch.delenv("CNNNOTES_DEBUG", raising=False)
    with pytest.raises(ValidationError, match=r"^cnnnotes: en\.toml: bad$"), loading():
        raise CnnnotesError("en.toml: bad")


def test_debug_keeps_the_original_error_and_its_traceback(monkeypatch) -> None:
    monkeypatch.setenv("CNNNOTES_DEBUG", "1")
    with pytest.raises(CaseError):
        one_line(_raises_case_error)()


def test_a_bug_is_not_disguised_as_a_user_error(monkeypatch) -> None:
    monkeypatch.delenv("CNNNOTES_DEBUG", raising=False)

    def on_files() -> None:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        one_line(on_files)()
