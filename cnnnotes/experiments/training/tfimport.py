"""Import TensorFlow and Keras for the CLI: a clean error without them, and no start-up noise.

TensorFlow's C++ start-up writes INFO lines straight to file descriptor 2
(``I0000 … port.cc:153] oneDNN custom operations are on …``), some of them
before ``TF_CPP_MIN_LOG_LEVEL`` is read. :func:`import_tensorflow` sets that
variable (unless the user did), imports TensorFlow and Keras with descriptor 2
sent to a temporary file, and writes back everything but the INFO entries and
absl's "before absl::InitializeLog()" preamble: warnings and errors still show.
Only the CLI calls it; the library never touches the process's descriptors.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile

from cnnnotes.errors import CnnnotesError

__all__ = ["TRAIN_INSTALL", "MissingExtraError", "import_tensorflow", "strip_startup_info"]

#: How to install what training needs (README says the same).
TRAIN_INSTALL = 'pip install -c constraints.txt -e ".[train]"'
#: An absl/TSL log entry: level letter, date, time, thread, file:line].
_ENTRY = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:[\d.]+\s+\d+ [^\s\]]+:\d+\] ")
_PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"


class MissingExtraError(CnnnotesError):
    """An optional dependency (the ``train`` extra) is not installed."""


def strip_startup_info(text: str) -> str:
    """``text`` without INFO log entries (continuation lines included) and absl's preamble."""
    kept: list[str] = []
    info = False
    for line in text.splitlines(keepends=True):
        entry = _ENTRY.match(line)
        if entry:
            info = entry[1] == "I"
        elif line.rstrip("\n") == _PREAMBLE:
            info = True
            continue
        if not info:
            kept.append(line)
    return "".join(kept)


def import_tensorflow(what: str, otherwise: str = "") -> None:
    """Import TensorFlow and Keras quietly, or raise a one-line :class:`MissingExtraError`.

    ``what`` names the command that needs them, e.g. ``"cnnnotes train"``;
    ``otherwise`` is another remedy the message offers, if any.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # INFO off; warnings and errors kept
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile("w+b") as captured:
            os.dup2(captured.fileno(), 2)
            try:
                for name in ("tensorflow", "keras"):
                    importlib.import_module(name)
            except ImportError as exc:
                missing = exc.name or str(exc)
                raise MissingExtraError(
                    f"{what} needs TensorFlow and Keras, which cannot be imported ({missing}); "
                    f"install them with {TRAIN_INSTALL}"
                    + (f", or {otherwise}" if otherwise else "")
                ) from None
            finally:
                sys.stderr.flush()
                os.dup2(saved, 2)
                captured.seek(0)
                rest = strip_startup_info(captured.read().decode("utf-8", "replace"))
                if rest:
                    sys.stderr.write(rest)
                    sys.stderr.flush()
    finally:
        os.close(saved)
