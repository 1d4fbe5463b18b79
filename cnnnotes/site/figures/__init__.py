"""Figure functions, one module per part of the site.

Importing this package registers every asset in
:data:`cnnnotes.site.figures.registry.REGISTRY`. Figure modules import the registry
module itself (never this package), so a figure's cache key covers its own
module's code and the helpers it uses, not its siblings.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

from cnnnotes.site.figures.registry import REGISTRY, AssetSpec

__all__ = ["REGISTRY", "AssetSpec", "load_all"]


def load_all(modules: Sequence[str] | None = None) -> dict[str, AssetSpec]:
    """Import the figure modules and return their assets by name.

    ``modules``: the modules a site shows (a small site's own, say); default: every
    figure module of this package (and any other module imported so far).
    """
    if modules is None:
        for info in pkgutil.iter_modules(__path__):
            if info.name != "registry" and not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        return dict(REGISTRY.items())
    for name in modules:
        importlib.import_module(name)
    return {n: s for n, s in REGISTRY.items() if s.func.__module__ in modules}
