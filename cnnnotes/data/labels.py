"""CIFAR-10's class identifiers, in label order.

These are data (the official archive's order, the folder names of image-folder
copies), not words: the names pages and figures show come from the catalogue,
:func:`cnnnotes.i18n.class_names`.
"""

from __future__ import annotations

__all__ = ["CLASS_NAMES"]

#: CIFAR-10 class order (label 0..9), as Keras and the official archive use it.
CLASS_NAMES: tuple[str, ...] = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
