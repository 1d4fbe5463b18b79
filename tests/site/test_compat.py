"""The version guard around the plugins' private parts (cnnnotes/site/_compat.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from cnnnotes.site import _compat

# a stand-in for MkDocsConfig: check_versions reads its plugins only
BOTH = SimpleNamespace(plugins={"i18n": object(), "mkdocs-jupyter": object()})


def _pretend(monkeypatch: pytest.MonkeyPatch, versions: dict[str, str]) -> None:
    monkeypatch.setattr(_compat, "version", lambda dist: versions[dist])


def test_the_installed_plugins_are_tested_versions() -> None:
    for dist, (_, tested) in _compat.TESTED.items():
        assert _compat._installed(dist) in tested, dist
    _compat.check_versions(BOTH)


def test_an_unknown_major_version_fails_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _pretend(monkeypatch, {"mkdocs-static-i18n": "2.0.1", "mkdocs-jupyter": "0.26.3"})
    with pytest.raises(PluginError, match=r"mkdocs-static-i18n 2\.0\.1 is not supported.*1\.3\.x"):
        _compat.check_versions(BOTH)
    # not configured: not checked
    _compat.check_versions(SimpleNamespace(plugins={"mkdocs-jupyter": object()}))


def test_an_untested_minor_version_is_logged_and_tried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _pretend(monkeypatch, {"mkdocs-static-i18n": "1.3.1", "mkdocs-jupyter": "0.27.0"})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.cnnnotes"):
        _compat.check_versions(BOTH)
    assert "mkdocs-jupyter 0.27.0 is untested" in caplog.text


def test_without_the_cache_helpers_keeping_the_cache_does_nothing(tmp_path: Path) -> None:
    notebook = tmp_path / "a.ipynb"
    notebook.write_text("{}")
    jupyter = SimpleNamespace(config={"cache": True})  # no _used_cache_paths
    config = SimpleNamespace(plugins={"mkdocs-jupyter": jupyter})
    _compat.keep_cached(config, [notebook])
    assert vars(jupyter) == {"config": {"cache": True}}  # nothing added, nothing computed
