"""Image-folder trees: the train/test class index, round-robin order and 32×32 decoding.

:func:`decode_tree` turns the file list of a ``train/<class>/*`` + ``test/<class>/*``
tree (from a folder or a tarball) into arrays. An image is refused from its
header when it is not 32×32, before a pixel is decoded, so a decompression bomb
costs nothing.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterable

import numpy as np

from cnnnotes.bounded import shown
from cnnnotes.data.cache import Arrays
from cnnnotes.data.errors import (
    ClassFolderError,
    CorruptDataError,
    EmptySplitError,
    ImageFormatError,
    LayoutError,
)
from cnnnotes.data.info import SPLITS
from cnnnotes.data.labels import CLASS_NAMES

__all__ = ["IMAGE_SUFFIXES", "decode_tree", "round_robin"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The most pixels an image may declare before it is refused undecoded (CIFAR-10 is 32×32).
_MAX_PIXELS = 64 * 64


def round_robin(per_class: Iterable[list[str]]) -> list[tuple[int, str]]:
    """Order files as ``(label, name)``, round by round over the classes with files left.

    Image ``i`` comes from class ``i mod 10`` among the classes that still have
    files, and is file ``⌊i/10⌋`` of that class in sorted name order.
    """
    lists = [sorted(files) for files in per_class]
    rounds = max((len(f) for f in lists), default=0)
    return [(c, files[r]) for r in range(rounds) for c, files in enumerate(lists) if r < len(files)]


def _split_index(files: list[str], dirs: Iterable[str], label: str) -> dict[str, list[list[str]]]:
    """``{split: [sorted file paths of class 0, ..., class 9]}`` for a train/test class tree."""
    all_dirs = {d for d in dirs if d}
    for f in files:
        parts = f.split("/")
        all_dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    top = {d for d in all_dirs if "/" not in d}
    if top & set(SPLITS):
        prefix = ""
    elif len(top) == 1 and any(f"{next(iter(top))}/{s}" in all_dirs for s in SPLITS):
        prefix = f"{next(iter(top))}/"
    else:
        raise LayoutError(
            f"source: {label} has no train/ and test/ folders (nor cifar-10-batches-py files)"
        )
    images = [f for f in files if f.lower().endswith(IMAGE_SUFFIXES)]
    index: dict[str, list[list[str]]] = {}
    for split in SPLITS:
        split_dir = prefix + split
        if split_dir not in all_dirs:
            raise EmptySplitError(
                f"source: {label} has no {split}/ folder: the {split} split is empty"
            )
        classes = {d.rsplit("/", 1)[-1] for d in all_dirs if d.rpartition("/")[0] == split_dir}
        missing = [c for c in CLASS_NAMES if c not in classes]
        extra = sorted(classes - set(CLASS_NAMES))
        if missing or extra:
            what = [f"missing {', '.join(missing)}"] * bool(missing)
            what += [f"unexpected {', '.join(extra)}"] * bool(extra)
            raise ClassFolderError(
                f"source: {label}: {split}/ class folders must be the 10 CIFAR-10 names "
                f"({'; '.join(what)})"
            )
        per_class = [
            sorted(f for f in images if f.rpartition("/")[0] == f"{split_dir}/{c}")
            for c in CLASS_NAMES
        ]
        if not any(per_class):
            raise EmptySplitError(f"source: {label}: the {split} split holds no PNG or JPEG images")
        empty = [c for c, f in zip(CLASS_NAMES, per_class, strict=True) if not f]
        if empty:
            raise ClassFolderError(
                f"source: {label}: {split}/{empty[0]} holds no PNG or JPEG images"
            )
        index[split] = per_class
    return index


def _decode_image(blob: bytes, where: str) -> tuple[np.ndarray, str]:
    """Decode one 32×32 RGB image; refuse any other size from its header, before decoding."""
    from PIL import Image, UnidentifiedImageError

    where = shown(where)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(blob), formats=("PNG", "JPEG"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        size = re.search(r"\((\d+) pixels\)", str(exc))
        raise ImageFormatError(
            f"{where} declares {size.group(1) if size else 'too many'} pixels, "
            "expected 32×32 (refused undecoded)"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptDataError(f"{where} is not a readable PNG or JPEG image ({exc})") from None
    try:
        with im:
            if im.size != (32, 32):
                refused = " (refused undecoded)" if im.size[0] * im.size[1] > _MAX_PIXELS else ""
                raise ImageFormatError(
                    f"{where} is {im.size[0]}×{im.size[1]}, expected 32×32{refused}"
                )
            if im.mode != "RGB":
                raise ImageFormatError(f"{where} has mode {im.mode}, expected RGB")
            im.load()
            return np.asarray(im, dtype=np.uint8), str(im.format)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptDataError(f"{where} is not a readable PNG or JPEG image ({exc})") from None


def decode_tree(
    files: list[str], dirs: Iterable[str], fetch: Callable[[str], bytes], label: str
) -> tuple[Arrays, bool]:
    """Arrays of a train/test class tree in round-robin order, and whether any image was JPEG."""
    index = _split_index(files, dirs, label)
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    jpeg = False
    for split in SPLITS:
        order = round_robin(index[split])
        x = np.empty((len(order), 32, 32, 3), dtype=np.uint8)
        y = np.empty(len(order), dtype=np.int64)
        for i, (c, rel) in enumerate(order):
            x[i], fmt = _decode_image(fetch(rel), f"{label}: {rel}")
            y[i] = c
            jpeg = jpeg or fmt == "JPEG"
        pairs.append((x, y))
    (x_train, y_train), (x_test, y_test) = pairs  # one pair per split, in SPLITS order
    return (x_train, y_train, x_test, y_test), jpeg
