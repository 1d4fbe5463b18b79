"""Figure functions, one module per part of the site.

Importing this package registers every asset in
:data:`cnnnotes.site.figures.registry.REGISTRY`. Figure modules import the registry
module itself (never this package), so a figure's cache key covers its own
module's code and the helpers it uses, not its siblings.
"""

from __future__ import annotations

import importlib
import pkgutil

from cnnnotes.site.figures.registry import REGISTRY, AssetSpec

__all__ = ["REGISTRY", "AssetSpec", "load_all"]


def load_all() -> dict[str, AssetSpec]:
    """Import every figure module of this package and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "registry" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY
