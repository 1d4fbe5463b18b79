"""What can go wrong reading CIFAR-10: one :class:`DataError` subclass per kind of problem.

Each carries a one-line message naming the file and the problem. They live apart
from the loader so that the readers (:mod:`cnnnotes.data.formats`) and the loader
(:mod:`cnnnotes.data`) both import them without importing each other; ``cnnnotes.data``
re-exports them.
"""

from __future__ import annotations

from cnnnotes.errors import CnnnotesError

__all__ = [
    "ChecksumError",
    "ClassFolderError",
    "CorruptDataError",
    "DataError",
    "EmptySplitError",
    "ImageFormatError",
    "LabelError",
    "LayoutError",
    "OfflineError",
    "SourceNotFoundError",
    "UnreadableSourceError",
]


class DataError(CnnnotesError):
    """CIFAR-10 could not be loaded from the given source."""


class SourceNotFoundError(DataError):
    """The source path does not exist."""


class LayoutError(DataError):
    """The source exists but is none of the supported layouts (or lacks a required file)."""


class ChecksumError(DataError):
    """An archive laid out like the official one has another md5."""


class CorruptDataError(DataError):
    """A truncated or corrupt archive, pickle or image file."""


class ImageFormatError(DataError):
    """An image or array of the wrong size, mode, shape or dtype."""


class LabelError(DataError):
    """Labels outside 0..9, or not one per image."""


class ClassFolderError(DataError):
    """Class folders missing, extra, or empty."""


class EmptySplitError(DataError):
    """A split (train or test) holds no images."""


class UnreadableSourceError(DataError):
    """A file or folder of the source cannot be read: ``permission denied: PATH``."""


class OfflineError(DataError):
    """No local data and Keras could not download CIFAR-10."""
