"""The registry of site assets: figures (PNG) and generated text (Markdown, CSV, JSON, scripts).

A figure module declares what it draws with :func:`figure`; generated text with
:func:`fragment`. :mod:`cnnnotes.site.build` renders what is registered here.

An asset function is called as ``func(lang, **params)`` and, when the asset
declares ``inputs`` (paths relative to the results folder, whose bytes become
part of the cache key), with ``results_dir=`` as well. A plain input path must
exist (otherwise the asset is skipped and a page that shows it fails the strict
build); a glob pattern (``runs/notes/*/run.json``) may match any number of files,
for assets that describe whatever results exist. A figure function only draws:
it returns a :class:`cnnnotes.site.style.Drawn` (the figure and its provenance
line) or a bare :class:`matplotlib.figure.Figure` (stamped with the function's
name); the build finishes, stamps and encodes it in one style context
(:func:`cnnnotes.site.render.draw`). A fragment function returns ``str``. A ``js``
fragment is data for the pages' interactive parts (``data/<name>.js``, one copy
for both languages: see :mod:`cnnnotes.site.figures.netdata`).

An asset *per case* (:func:`per_case`) is one asset for each case of
:data:`cnnnotes.experiments.runs.cases.CASES` that it applies to, named after the case
(``curves-{case}``) and called with ``case=``: a case added to the table gets its
figures and fragments without an edit here or in a figure module.

An *optional* asset waits for results that are planned but not committed yet (a
run's weights): while a plain input is missing the build neither renders it nor
reports it as skipped, and a page shows it only through a block that checks the
same inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from cnnnotes.experiments.runs.cases import CASES, Case

__all__ = ["REGISTRY", "AssetSpec", "figure", "fragment", "per_case", "register"]

Kind = Literal["png", "md", "csv", "json", "js"]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AssetSpec:
    """One asset the site shows: how to make it and what it depends on."""

    name: str
    func: Callable[..., Any]
    kind: Kind = "png"
    params: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    #: True: one file for all languages (e.g. a CSV download); False: one per language.
    shared: bool = False
    #: True: missing inputs mean "not committed yet", not an error (see the module docstring).
    optional: bool = False

    def __post_init__(self) -> None:
        if not self.name or "/" in self.name or self.name != self.name.strip():
            raise ValueError(f"name: {self.name!r} is not a plain file stem")
        if self.kind not in ("png", "md", "csv", "json", "js"):
            raise ValueError(f"kind: {self.kind!r} is not one of png, md, csv, json, js")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def filename(self) -> str:
        """File name inside its site folder, e.g. ``cnn-structure.png``."""
        return f"{self.name}.{self.kind}"


@dataclass(frozen=True)
class _PerCase:
    """Assets drawn by one function for each case it applies to."""

    name: str  # with ``{case}``
    func: Callable[..., Any]
    kind: Kind
    inputs: Callable[[str], tuple[str, ...]]
    applies: Callable[[Case], bool]
    optional: bool
    params: Mapping[str, Any]
    shared: bool = False

    def specs(self) -> Iterator[AssetSpec]:
        for case in CASES:
            if self.applies(CASES[case]):
                yield AssetSpec(
                    self.name.format(case=case),
                    self.func,
                    self.kind,
                    {**self.params, "case": case},
                    tuple(self.inputs(case)),
                    shared=self.shared,
                    optional=self.optional,
                )


_SINGLE: dict[str, AssetSpec] = {}
_PER_CASE: list[_PerCase] = []


class _Registry(Mapping[str, AssetSpec]):
    """Every asset by name: the single ones, and the per-case ones over today's cases."""

    def _all(self) -> dict[str, AssetSpec]:
        out = dict(_SINGLE)
        for family in _PER_CASE:
            for spec in family.specs():
                if spec.name in out:
                    raise ValueError(f"name: asset {spec.name!r} is registered twice")
                out[spec.name] = spec
        return out

    def __getitem__(self, name: str) -> AssetSpec:
        return _SINGLE[name] if name in _SINGLE else self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


REGISTRY: Mapping[str, AssetSpec] = _Registry()


def register(
    name: str,
    func: Callable[..., Any],
    *,
    kind: Kind = "png",
    inputs: tuple[str, ...] = (),
    shared: bool = False,
    optional: bool = False,
    **params: Any,
) -> AssetSpec:
    """Register one asset; names are unique across the site."""
    if name in _SINGLE and _SINGLE[name].func is not func:
        raise ValueError(f"name: asset {name!r} is registered twice")
    spec = AssetSpec(name, func, kind, params, tuple(inputs), shared, optional)
    _SINGLE[name] = spec
    return spec


def per_case(
    name: str,
    *,
    kind: Kind = "png",
    inputs: Callable[[str], tuple[str, ...]] = lambda case: (),
    applies: Callable[[Case], bool] = lambda case: True,
    optional: bool = False,
    shared: bool = False,
    **params: Any,
) -> Callable[[F], F]:
    """Decorator: register ``func(lang, case=..., **params)`` once per case it ``applies`` to.

    ``name`` holds ``{case}`` (``"curves-{case}"``); ``inputs(case)`` are that case's inputs;
    ``shared``: one file for all languages.
    """
    if "{case}" not in name:
        raise ValueError(f"name: {name!r} does not hold {{case}}")

    def decorate(func: F) -> F:
        family = _PerCase(
            name, func, kind, inputs, applies, optional, MappingProxyType(params), shared
        )
        _PER_CASE[:] = [f for f in _PER_CASE if f.name != name] + [family]
        return func

    return decorate


def figure(
    name: str, *, inputs: tuple[str, ...] = (), optional: bool = False, **params: Any
) -> Callable[[F], F]:
    """Decorator: register a figure function (``func(lang, **params) -> Figure``).

    Stack the decorator to draw the same function with other parameters; a function
    drawn once per case is registered with :func:`per_case` instead.
    """

    def decorate(func: F) -> F:
        register(name, func, kind="png", inputs=inputs, optional=optional, **params)
        return func

    return decorate


def fragment(
    name: str,
    *,
    kind: Kind = "md",
    inputs: tuple[str, ...] = (),
    shared: bool = False,
    **params: Any,
) -> Callable[[F], F]:
    """Decorator: register generated text (``func(lang, **params) -> str``)."""

    def decorate(func: F) -> F:
        register(name, func, kind=kind, inputs=inputs, shared=shared, **params)
        return func

    return decorate
