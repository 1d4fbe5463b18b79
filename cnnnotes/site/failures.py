"""A user's mistake during ``mkdocs build`` is one line, as it is on the command line.

A broken catalogue or template, an invalid case, a corrupt run: every
:class:`~cnnnotes.errors.CnnnotesError` raised while MkDocs loads the hook or
runs one of its events becomes one line naming the file, the key or field, and
the position. MkDocs prints it as its own error (``ERROR - …``) and aborts; the
traceback comes back with ``CNNNOTES_DEBUG=1``.

This module imports nothing of the package but its errors, so the hook file can
import it before the package itself, whose import may be what fails.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cnnnotes.errors import CnnnotesError

__all__ = ["ENV_DEBUG", "debug", "loading", "message", "one_line", "reported"]

#: Set to 1 to see the traceback of a user error (as the CLI's ``--debug`` does).
ENV_DEBUG = "CNNNOTES_DEBUG"
_PROJECT = Path(__file__).resolve().parents[2]
#: Frames that only check a case's fields: the position is where the case is written.
_CHECKERS = frozenset({"__post_init__", "_require", "_owner", "__init__"})

F = TypeVar("F", bound=Callable[..., Any])


def debug() -> bool:
    """Whether ``CNNNOTES_DEBUG`` asks for tracebacks."""
    return os.environ.get(ENV_DEBUG, "") not in ("", "0")


def _origin(exc: BaseException) -> str:
    """``file:line`` where an invalid case was written (the frame that built it)."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        code = tb.tb_frame.f_code
        path = Path(code.co_filename)
        if code.co_name not in _CHECKERS and path.is_file():
            where = f"{path.relative_to(_PROJECT) if path.is_relative_to(_PROJECT) else path}"
            where += f":{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def message(exc: CnnnotesError) -> str:
    """``exc`` as one line; an invalid case also says where it is written."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if type(exc).__name__ == "CaseError" and (where := _origin(exc)):
        text = f"{where}: {text}"
    return f"cnnnotes: {text}" if not text.startswith("cnnnotes:") else text


@contextlib.contextmanager
def reported(error: Callable[[str], Exception]) -> Iterator[None]:
    """Turn a :class:`CnnnotesError` inside into ``error(one line)`` unless debugging."""
    try:
        yield
    except CnnnotesError as exc:
        if debug():
            raise
        raise error(message(exc)) from None


def loading() -> contextlib.AbstractContextManager[None]:
    """Around the hook's import: a failure is a MkDocs configuration error (one line)."""
    from mkdocs.config.base import ValidationError

    return reported(ValidationError)


def one_line(handler: F) -> F:
    """``handler`` (a hook event) with its user errors as one-line MkDocs build errors."""
    from mkdocs.exceptions import PluginError

    @functools.wraps(handler)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reported(PluginError):
            return handler(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
