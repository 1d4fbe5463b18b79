"""Values read while drawing a site asset: an asset's key follows what it read, not whole tables.

Data that many assets share but each reads only a little of (the table of cases:
titles, labels, settings) would otherwise enter every asset's key through the code
of the module that holds it, so that editing one case's English title re-rendered
every figure that imports the table. Instead such data records each read
(:func:`record`) while a render is traced (:func:`trace`); the render's key file
keeps the reads and a digest of their values (:func:`values_digest`); and the next
build reuses the asset only while those values are unchanged. The module that holds
such data names it in ``__traced_data__``: :func:`cnnnotes.codehash.function_code_key`
leaves those assignments out of the code key (their values are followed here).

A read is a tuple whose first item names a *source* (``("case", "case3", "dropout")``,
``("word", "en", "case.case3.title")``);
:func:`resolver` registers the function that gives a read's current value.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator

from cnnnotes import i18n
from cnnnotes.codehash import digest
from cnnnotes.i18n import Lang

__all__ = ["Read", "quiet", "record", "resolver", "trace", "tracing", "value", "values_digest"]

Read = tuple[str, ...]
_STACK: list[set[Read]] = []
_QUIET: list[bool] = []
_RESOLVERS: dict[str, Callable[..., object]] = {}


def tracing() -> bool:
    """Whether a read now would be recorded (cheap: callers test it before building a read)."""
    return bool(_STACK) and not _QUIET


def record(read: Read) -> None:
    """Note ``read`` in the innermost open trace (nothing happens outside one)."""
    if _STACK and not _QUIET:
        _STACK[-1].add(read)


@contextlib.contextmanager
def trace() -> Iterator[set[Read]]:
    """Record every read inside the block into the set it yields."""
    reads: set[Read] = set()
    _STACK.append(reads)
    try:
        yield reads
    finally:
        _STACK.pop()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Record nothing inside the block (building a table entry, resolving values)."""
    _QUIET.append(True)
    try:
        yield
    finally:
        _QUIET.pop()


def resolver(source: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Decorator: ``func(*read[1:])`` gives the current value of a read of ``source``."""

    def register(func: Callable[..., object]) -> Callable[..., object]:
        _RESOLVERS[source] = func
        return func

    return register


def value(read: Read) -> object:
    """The current value of ``read`` (a read of an unknown source has none)."""
    with quiet():
        func = _RESOLVERS.get(read[0])
        return None if func is None else func(*read[1:])


def values_digest(reads: Iterable[Read]) -> str:
    """One digest over the current values of ``reads``, in a stable order."""
    items = [[list(r), value(r)] for r in sorted(tuple(r) for r in reads)]
    return digest(json.dumps(items, ensure_ascii=False, sort_keys=True, default=repr))


# The words an asset shows are reads too: a look-up in the catalogue or a template
# (cnnnotes.i18n calls back on each), so an edited word re-renders only what shows it.
def _observed(kind: str, lang: str, name: str) -> None:
    if tracing():
        record((kind, lang, name))


i18n.observe(_observed)


@resolver("word")
def _word(lang: Lang, key: str) -> object:
    return i18n.catalogue(lang).get(key)


@resolver("template")
def _template(lang: Lang, name: str) -> object:
    path = i18n.TEMPLATES / lang / f"{name}.md.j2"
    return path.read_text(encoding="utf-8") if path.is_file() else None
