"""Exceptions meant for users: the CLI prints their message on one line and exits non-zero.

Every error a user can cause and fix is a :class:`CnnnotesError`. The ``cnnnotes``
command prints ``cnnnotes: error: MESSAGE`` on one line and exits with status 2
(``--debug`` or ``CNNNOTES_DEBUG=1`` adds the traceback); the MkDocs hook turns one
into a ``PluginError`` with the same message, which stops the build. Anything else is
a bug and keeps its traceback. The whole tree, with who raises each and what the
user sees:

- :class:`CnnnotesError` — the base; raised directly for a bad command line (a
  ``--results`` that is a file, a project without ``mkdocs.yml``, options that need
  ``--executor ray``, no ``--source`` where a fingerprint is needed).

  - :class:`PathError` (also an :class:`OSError`; :func:`path_error`,
    :mod:`cnnnotes.files`): a file or folder cannot be read or written —
    ``permission denied: PATH; remedy``, ``no space left on device: PATH``.
  - ``cnnnotes.data.errors.DataError`` (:mod:`cnnnotes.data`): CIFAR-10 could not be
    loaded; the message names the source and what is wrong with it. Its subclasses
    say which check failed: ``SourceNotFoundError`` (no such path),
    ``LayoutError`` (none of the supported layouts), ``ChecksumError`` (an official
    archive with another md5), ``CorruptDataError`` (a truncated archive, pickle or
    image), ``ImageFormatError`` (wrong size, mode, shape or dtype), ``LabelError``
    (labels outside 0..9), ``ClassFolderError`` (class folders missing, extra or
    empty), ``EmptySplitError`` (a split without images), ``UnreadableSourceError``
    (``permission denied: PATH``), ``OfflineError`` (no local data and no download).
  - ``CaseError`` (also a :class:`ValueError`; :mod:`cnnnotes.experiments.runs.cases`,
    training's planner): a case or profile field is invalid or a name unknown —
    ``case 'case5'.dropout: 1.5 not in [0, 1)``; a seed that is not planned; a
    committed run of other data or settings that training refuses to replace
    (with ``--replace`` and ``--results DIR`` as the ways out).
  - ``ResultsError`` (:mod:`cnnnotes.experiments.runs.folder`, the store): a run folder
    is missing or incomplete; ``CorruptRunError``, its subclass, a run folder that
    disagrees with its record (a file missing, altered or inconsistent). The message
    names the folder and the file; ``status`` reports the run as corrupt and a site
    build refuses it.
  - ``ForwardError`` (:mod:`cnnnotes.experiments.runs.forward`): committed weights that
    do not fit their case, or a numpy forward pass that does not reproduce the run's
    predictions (the build stops, naming the first test image that differs).
  - ``TestImagesError`` (:mod:`cnnnotes.experiments.runs.testimages`): the committed
    test images are missing, inconsistent, or of another dataset.
  - ``MissingExtraError`` (:mod:`cnnnotes.experiments.training.tfimport`): training
    needs the ``train`` extra — the message gives the ``pip install`` command.
  - ``ExecutorError`` (:mod:`cnnnotes.experiments.training.executors`, the Ray
    executor): threads that cannot be pinned, a cluster that cannot be used, a
    worker's run of other code, data or bytes, a worker lost too often.
  - ``SectionError`` (:mod:`cnnnotes.site.casepage`): a case section of a page is
    malformed; the message names the page's case.
  - ``NotebookError`` (:mod:`cnnnotes.site.notebooks`): a notebook of the site failed
    to execute; the message names it and the failing cell's error.
  - ``BuildError`` (:mod:`cnnnotes.site.build`): rendering an asset failed; the
    message names the asset and why.
"""

from __future__ import annotations

import errno
import os

__all__ = ["CnnnotesError", "PathError", "path_error"]


class CnnnotesError(Exception):
    """Base of every error a user can cause and fix (bad input, missing data, stale results)."""


class PathError(CnnnotesError, OSError):
    """A file or folder cannot be read or written: permissions, a full disk, a file in the way.

    It is also an :class:`OSError`, so code that already handles failed file
    operations keeps doing so.
    """


_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENOTDIR: "not a folder",
    errno.EEXIST: "not a folder",
    errno.EISDIR: "is a folder",
    errno.ENOENT: "does not exist",
}


def path_error(exc: OSError, path: str | os.PathLike[str], remedy: str = "") -> PathError:
    """A one-line :class:`PathError` for ``exc``, e.g. ``permission denied: PATH; remedy``.

    The path is the one the user can act on (given by the caller), not necessarily
    the one the system call named.
    """
    reason = _REASONS.get(exc.errno or -1) or (exc.strerror or type(exc).__name__).lower()
    return PathError(f"{reason}: {os.fspath(path)}" + (f"; {remedy}" if remedy else ""))
