"""Generated Markdown prose from per-language Jinja2 templates (``templates/<lang>/*.md.j2``).

Python passes numbers, names and verdict objects; the sentences, and the
admonition markup around them, are in the templates, one file per language with
the same name. :func:`render` is the one loader: undefined values raise, and a
template's text comes out as written (its final newline kept).

Filters for numbers: ``{{ n | thousands }}`` (``10,000``) and
``{{ x | fmt(".3f") }}`` (any :func:`format` spec).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from cnnnotes.i18n import LANGS, TEMPLATES, Lang, _notify

if TYPE_CHECKING:
    import jinja2

__all__ = ["render", "template_names", "template_values"]


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["fmt"] = lambda x, spec: format(x, spec)
    return env


def render(name: str, lang: Lang, **values: object) -> str:
    """Template ``templates/<lang>/<name>.md.j2`` rendered with ``values``."""
    if lang not in LANGS:
        raise KeyError(f"no templates for language {lang!r}")
    _notify("template", lang, name)
    return _environment().get_template(f"{lang}/{name}.md.j2").render(**values)


def template_names(lang: Lang) -> frozenset[str]:
    """The template names of ``lang`` (``verdict-rules`` for ``verdict-rules.md.j2``)."""
    return frozenset(p.name.removesuffix(".md.j2") for p in (TEMPLATES / lang).glob("*.md.j2"))


def template_values(name: str, lang: Lang) -> frozenset[str]:
    """The values template ``name`` of ``lang`` asks for (both languages must agree)."""
    from jinja2 import meta

    env = _environment()
    source = (TEMPLATES / lang / f"{name}.md.j2").read_text(encoding="utf-8")
    return frozenset(meta.find_undeclared_variables(env.parse(source)))
