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
    found = codehash.imported_modules("import numpy\nfrom cnnnotes.site.figures import hand\n")
    assert "cnnnotes.site.figures.hand" in found and "cnnnotes.site.style" in found
    assert "cnnnotes.i18n" in found
    assert all(m.startswith("cnnnotes") for m in found)


def test_source_digests_tell_a_comment_edit_from_a_code_edit(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text('"""Doc."""\nX = 1\n')
    (tmp_path / "sub" / "b.py").write_text("def f():\n    return 2\n")
    before = codehash.source_digests(tmp_path)
    assert list(before) == ["a.py", "sub/b.py"]
    (tmp_path / "a.py").write_text('"""Other doc."""\n\n# a comment\nX = (\n    1\n)\n')
    comment = codehash.source_digests(tmp_path)
    assert comment["a.py"][0] != before["a.py"][0]  # the bytes changed
    assert comment["a.py"][1] == before["a.py"][1]  # the code did not
    (tmp_path / "a.py").write_text("X = 2\n")
    assert codehash.source_digests(tmp_path)["a.py"][1] != before["a.py"][1]


def test_source_digests_reparse_only_files_whose_bytes_changed(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("X = 1\n")
    (tmp_path / "b.py").write_text("Y = 1\n")
    first = codehash.source_digests(tmp_path)
    # A remembered code digest is trusted while the bytes are the same...
    known = {"a.py": [first["a.py"][0], "remembered"], "b.py": [first["b.py"][0], "old"]}
    (tmp_path / "b.py").write_text("Y = 2\n")
    again = codehash.source_digests(tmp_path, known)
    assert again["a.py"][1] == "remembered"
    # ...and recomputed once they change.
    assert again["b.py"][1] not in ("old", first["b.py"][1])


def test_source_digests_fall_back_to_bytes_for_a_file_that_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    raw, code = codehash.source_digests(tmp_path)["broken.py"]
    assert raw == code


def test_tree_digests_name_each_kept_file_with_the_hash_of_its_bytes(tmp_path):
    import hashlib

    from cnnnotes.codehash import tree_digests

    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.py").write_bytes(b"x = 1\n")
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "y.pyc").write_bytes(b"\0")
    sha = lambda data: hashlib.sha256(data).hexdigest()  # noqa: E731
    assert tree_digests(tmp_path) == ["a.txt", sha(b"a"), "b/x.py", sha(b"x = 1\n")]
    assert tree_digests(tmp_path, "*.py") == ["b/x.py", sha(b"x = 1\n")]
    assert tree_digests(tmp_path, keep=lambda rel: rel.startswith("b/")) == [
        "b/x.py",
        sha(b"x = 1\n"),
    ]
    assert tree_digests(tmp_path / "absent") == []
