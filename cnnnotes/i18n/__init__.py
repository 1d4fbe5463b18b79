"""Every word the site and its figures show, in Korean and English; the standard library only.

The words live in data files beside this module, one per language (``ko.toml``,
``en.toml``), under dotted keys (``common.epoch``, ``case.case1.title``,
``fig.network.cm_title``). Both files have exactly the same keys and, per key,
the same ``{placeholders}`` (``tests/test_i18n.py`` checks it). Python code asks
for a word with :func:`t` and passes numbers, never sentences:

>>> t("tables.n_of", "en", n=3, planned=5)
'3 of 5'

Words never type a value that lives elsewhere: a case's title takes its dropout
rate as ``{dropout}`` from the case (:meth:`~cnnnotes.experiments.runs.cases.Case.title`
passes the case's values), and any entry may name a case's value as
``{case4.dropout}`` (values :func:`share` makes available to every look-up).

Longer generated Markdown (admonitions, the verdict rules) is rendered from
per-language Jinja2 templates in ``templates/<lang>/`` by :mod:`cnnnotes.i18n.prose`,
the one module here that needs a third-party package.

A broken catalogue or template (a TOML or Jinja2 syntax error, a missing key,
placeholder or value) raises :class:`WordsError`: one line naming the file, the
key or value, and the position.

Importing this package loads no matplotlib, numpy or Jinja2, so ``cnnnotes.data``
and ``cnnnotes.experiments`` can name a language without drawing anything.
"""

from __future__ import annotations

import functools
import string
import sys
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from cnnnotes.errors import CnnnotesError

__all__ = [
    "LANGS",
    "TEMPLATES",
    "Lang",
    "WordsError",
    "catalogue",
    "class_names",
    "has",
    "observe",
    "particle",
    "placeholders",
    "share",
    "t",
    "words",
]

Lang = Literal["ko", "en"]
#: The site's languages, Korean first (it is served at ``/``).
LANGS: tuple[Lang, ...] = ("ko", "en")

_DIR = Path(__file__).resolve().parent
#: Folder of the per-language templates: ``TEMPLATES / lang / "<name>.md.j2"``.
TEMPLATES = _DIR / "templates"

Value = str | tuple[str, ...]


class WordsError(CnnnotesError, KeyError):
    """A catalogue or template is broken, or lacks a key, placeholder or value asked for.

    Also a :class:`KeyError` (a missing word is a missing key); its text is the
    message itself, not its ``repr``.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def shown_path(path: Path) -> str:
    """``path`` relative to the project (``cnnnotes/i18n/en.toml``), as messages name it."""
    return (
        path.relative_to(_DIR.parents[1]).as_posix()
        if path.is_relative_to(_DIR.parents[1])
        else str(path)
    )


def _caller() -> str:
    """``file:line`` of the nearest caller outside this package (where a word was asked for)."""
    frame = sys._getframe(1)
    while frame is not None and Path(frame.f_code.co_filename).parent == _DIR:
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return "?"
    return f"{shown_path(Path(frame.f_code.co_filename))}:{frame.f_lineno}"


def _flatten(table: Mapping[str, object], prefix: str, out: dict[str, Value], where: str) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            _flatten(value, f"{key}.", out, where)
        elif isinstance(value, str):
            out[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = tuple(value)
        else:
            raise WordsError(f"{where}: {key}: expected a string or a list of strings")


@functools.cache
def catalogue(lang: Lang) -> Mapping[str, Value]:
    """All words of ``lang`` by dotted key (read once)."""
    if lang not in LANGS:
        raise WordsError(f"no catalogue for language {lang!r} (known: {', '.join(LANGS)})")
    path = _DIR / f"{lang}.toml"
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise WordsError(f"{shown_path(path)}: TOML syntax error: {exc}") from None
    out: dict[str, Value] = {}
    _flatten(data, "", out, shown_path(path))
    return MappingProxyType(out)


#: Called with ``(kind, lang, name)`` on every look-up: ``("word", lang, key)`` here,
#: ``("template", lang, name)`` in :mod:`cnnnotes.i18n.prose`. The site's asset keys
#: follow the words each asset reads this way (:mod:`cnnnotes.reads` registers itself).
_OBSERVERS: list[Callable[[str, str, str], None]] = []


def observe(observer: Callable[[str, str, str], None]) -> None:
    """Call ``observer(kind, lang, name)`` on every look-up from now on (once per observer)."""
    if observer not in _OBSERVERS:
        _OBSERVERS.append(observer)


def _notify(kind: str, lang: str, name: str) -> None:
    for observer in _OBSERVERS:
        observer(kind, lang, name)


#: Values every look-up may name (``{case4.dropout}``), whoever calls :func:`t`.
_SHARED: list[Mapping[str, object]] = []


def share(values: Mapping[str, object]) -> None:
    """Let every look-up name ``values`` (once per mapping; the caller's own values win)."""
    if values not in _SHARED:
        _SHARED.append(values)


class _Values(dict[str, object]):
    """The caller's values, then the given mapping, then the shared ones, looked up lazily."""

    def __init__(self, values: Mapping[str, object], *more: Mapping[str, object]) -> None:
        super().__init__(values)
        self._more = more

    def __missing__(self, key: str) -> object:
        for mapping in self._more:
            if key in mapping:
                return mapping[key]
        raise KeyError(key)


def _lookup(key: str, lang: Lang) -> Value:
    _notify("word", lang, key)
    if lang not in LANGS:
        raise WordsError(f"no catalogue for language {lang!r} (known: {', '.join(LANGS)})")
    words = catalogue(lang)  # a broken file raises its own WordsError
    try:
        return words[key]
    except KeyError:
        raise WordsError(
            f"cnnnotes/i18n/{lang}.toml: no words {key!r} (asked for at {_caller()})"
        ) from None


def t(key: str, lang: Lang, given: Mapping[str, object] | None = None, /, **values: object) -> str:
    """The words for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    A placeholder not among ``values`` is looked up in ``given`` (read only when the
    words name it), then in the values shared with :func:`share`. A missing key or
    placeholder is a bug, so it raises :class:`KeyError`.
    """
    text = _lookup(key, lang)
    if not isinstance(text, str):
        raise TypeError(f"words {key!r} are a list: use words()")
    try:
        return text.format_map(_Values(values, *([given] if given is not None else []), *_SHARED))
    except (KeyError, IndexError, ValueError, AttributeError) as e:
        raise WordsError(
            f"cnnnotes/i18n/{lang}.toml: words {key!r} need the value {e.args[0]!r} "
            f"(asked for at {_caller()})"
        ) from None


def words(key: str, lang: Lang) -> tuple[str, ...]:
    """A list of words (table columns, class names) for ``key`` in ``lang``."""
    value = _lookup(key, lang)
    if isinstance(value, str):
        raise TypeError(f"words {key!r} are a single string: use t()")
    return value


def has(key: str, lang: Lang) -> bool:
    """Whether the catalogue of ``lang`` has ``key``."""
    _notify("word", lang, key)
    return key in catalogue(lang)


def placeholders(key: str, lang: Lang) -> frozenset[str]:
    """The ``{placeholder}`` names the words for ``key`` use (none for a list)."""
    value = _lookup(key, lang)
    if not isinstance(value, str):
        return frozenset()
    return frozenset(field for _, field, _, _ in string.Formatter().parse(value) if field)


def class_names(lang: Lang) -> tuple[str, ...]:
    """CIFAR-10 class names in label order (0..9), localized."""
    return words("classes", lang)


#: First and last precomposed Hangul syllables (U+AC00 .. U+D7A3); each syllable's final
#: consonant is ``(code - first) % 28`` (0: none).
_HANGUL = (0xAC00, 0xD7A3)


def particle(word: str, key: str, lang: Lang) -> str:
    """``word`` followed by the particle ``key`` that agrees with it.

    ``key`` names a pair of words: the form after a final consonant, then the form
    after a vowel (Korean's subject and object particles; empty in English). A word
    that does not end in a Hangul syllable takes the second form.

    >>> particle("cat", "picture.particle.subject", "en")
    'cat'
    """
    after_consonant, after_vowel = words(key, lang)
    last = ord(word[-1]) if word else 0
    final = _HANGUL[0] <= last <= _HANGUL[1] and (last - _HANGUL[0]) % 28 != 0
    return word + (after_consonant if final else after_vowel)
