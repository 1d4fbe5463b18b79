"""What a dataset is and where it came from (:class:`DatasetInfo`): the record runs keep.

A loaded dataset carries one (:attr:`cnnnotes.data.Cifar10.info`); every run records
it in its provenance, and ``results/dataset/info.json`` holds the one the committed
excerpt came from. Both are written with :meth:`DatasetInfo.to_dict` and read back
with :meth:`DatasetInfo.from_dict`. Whether the data are a JPEG-recompressed copy,
the official data or another copy is decided here once (:attr:`DatasetInfo.origin`).
No numpy, no TensorFlow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "EXCERPT_FILE",
    "INFO_FILE",
    "NOTE_FOLDER",
    "NOTE_JPEG",
    "SPLITS",
    "DatasetInfo",
    "Kind",
    "Origin",
]

Kind = Literal["keras", "archive", "batches", "folder", "folder-tarball", "arrays"]
#: Where the data stand against the official CIFAR-10 (see :attr:`DatasetInfo.origin`).
Origin = Literal["jpeg", "official", "other"]

#: Notes recorded for image-folder sources: results must say what they come from.
NOTE_JPEG = "JPEG-recompressed offline copy; sample order differs from the official archive"
NOTE_FOLDER = "image-folder copy; sample order differs from the official archive"
#: The splits, in the order arrays and counts list them.
SPLITS = ("train", "test")
#: The files of a committed dataset folder (``results/dataset/``).
EXCERPT_FILE, INFO_FILE = "excerpt.npz", "info.json"


@dataclass(frozen=True)
class DatasetInfo:
    """Where a dataset came from and what it holds.

    Attributes
    ----------
    kind
        The source's layout.
    source
        ``"keras"``, or the path as the user gave it (as recorded: its name only).
    official
        True only for Keras or the official archive/batches with verified md5.
    counts
        ``{"train": {class_name: n}, "test": {...}}``.
    fingerprint
        sha256 hex of the arrays, see :func:`cnnnotes.data.fingerprint`.
    note
        What a reader of the results must know (e.g. a JPEG-recompressed copy).
    """

    kind: Kind
    source: str
    official: bool
    counts: Mapping[str, Mapping[str, int]]
    fingerprint: str
    note: str = ""

    @property
    def source_name(self) -> str:
        """The source without machine paths: ``"keras"`` or the file/folder name."""
        if self.kind in ("keras", "arrays"):
            return self.source
        return Path(self.source.rstrip("/\\")).name or self.source

    @property
    def jpeg_recompressed(self) -> bool:
        """True when the images were decoded from (lossy) JPEG files."""
        return self.note == NOTE_JPEG

    @property
    def origin(self) -> Origin:
        """``"jpeg"`` (a JPEG-recompressed copy), ``"official"``, or ``"other"`` (another copy)."""
        if self.jpeg_recompressed:
            return "jpeg"
        return "official" if self.official else "other"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, safe to commit: ``source`` holds :attr:`source_name` only."""
        out = asdict(self)
        out["counts"] = {s: dict(c) for s, c in self.counts.items()}
        out["source"] = self.source_name
        out["jpeg_recompressed"] = self.jpeg_recompressed
        return out

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> DatasetInfo:
        """The info :meth:`to_dict` wrote (extra keys, such as the excerpt's, are ignored).

        A record without a ``note`` that says ``jpeg_recompressed`` gets :data:`NOTE_JPEG`.
        Raises KeyError, TypeError or ValueError on a record that is not a mapping.
        """
        if not isinstance(doc, Mapping):
            raise TypeError(f"dataset info is a {type(doc).__name__}, not a mapping")
        note = str(doc.get("note") or (NOTE_JPEG if doc.get("jpeg_recompressed") else ""))
        counts = doc.get("counts") or {}
        return cls(
            kind=doc.get("kind", "arrays"),
            source=str(doc.get("source", "?")),
            official=bool(doc.get("official", False)),
            counts={str(s): {str(k): int(v) for k, v in c.items()} for s, c in counts.items()},
            fingerprint=str(doc.get("fingerprint", "")),
            note=note,
        )
