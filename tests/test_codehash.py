"""Code keys: comments, docstrings and unrelated code never change them; code does."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from cnnnotes import codehash


def test_normalized_source_ignores_comments_docstrings_and_layout() -> None:
    a = 'def f(x):\n    """Doc."""\n    return x + 1  # note\n'
    b = "def f(x):\n\n    # other note\n    return (x +\n            1)\n"
    assert codehash.normalized_source(a) == codehash.normalized_source(b)


def test_normalized_source_changes_with_code() -> None:
    assert codehash.normalized_source("x = 1") != codehash.normalized_source("x = 2")


def test_digest_is_length_prefixed() -> None:
    assert codehash.digest("ab", "c") != codehash.digest("a", "bc")


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A throw-away package ``probe`` with a helper module and a figure-like module."""
    pkg = tmp_path / "probe"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "helper.py").write_text("SCALE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(figs: str, helper: str = "SCALE = 2\n") -> object:
        (pkg / "helper.py").write_text(helper)
        (pkg / "figs.py").write_text(textwrap.dedent(figs))
        for name in [m for m in sys.modules if m == "probe" or m.startswith("probe.")]:
            del sys.modules[name]
        codehash._module_tree.cache_clear()
        importlib.invalidate_caches()
        return importlib.import_module("probe.figs")

    yield write
    for name in [m for m in sys.modules if m == "probe" or m.startswith("probe.")]:
        del sys.modules[name]
    codehash._module_tree.cache_clear()


BASE = """
from probe import helper

LIMIT = 3

def _shared(x):
    return x * helper.SCALE

def one():
    return _shared(LIMIT)

def two():
    return 2
"""


def keys(module) -> tuple[str, str]:
    return codehash.function_code_key(module.one), codehash.function_code_key(module.two)


def test_function_key_ignores_comments_and_docstrings(probe) -> None:
    before = keys(probe(BASE))
    edited = BASE.replace("def one():", 'def one():\n    """Now documented."""  # and noted')
    assert keys(probe(edited)) == before


def test_function_key_changes_only_for_the_edited_function(probe) -> None:
    one, two = keys(probe(BASE))
    new_one, new_two = keys(probe(BASE.replace("return 2", "return 3")))
    assert (new_one, new_two != two) == (one, True)


def test_function_key_follows_private_helpers_and_constants(probe) -> None:
    one, two = keys(probe(BASE))
    new_one, new_two = keys(probe(BASE.replace("LIMIT = 3", "LIMIT = 4")))
    assert new_one != one and new_two == two


def test_function_key_follows_imported_package_modules(probe) -> None:
    one, _ = keys(probe(BASE))
    new_one, _ = keys(probe(BASE, helper="SCALE = 3\n"))
    assert new_one != one


def test_imported_modules_finds_cnnnotes_imports_transitively() -> None:
    found = codehash.imported_modules("import numpy\nfrom cnnnotes import labels\n")
    assert "cnnnotes.labels" in found and "cnnnotes.style" in found
    assert all(m.startswith("cnnnotes") for m in found)
