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
from pathlib import Path
from typing import TYPE_CHECKING

from cnnnotes.i18n import LANGS, TEMPLATES, Lang, WordsError, _notify, shown_path

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
        raise WordsError(f"no templates for language {lang!r}")
    _notify("template", lang, name)
    import jinja2

    path = TEMPLATES / lang / f"{name}.md.j2"
    try:
        return _environment().get_template(f"{lang}/{name}.md.j2").render(**values)
    except jinja2.TemplateNotFound:
        raise WordsError(f"{shown_path(path)}: no such template") from None
    except jinja2.TemplateSyntaxError as exc:
        raise WordsError(f"{shown_path(path)}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise WordsError(f"{shown_path(path)}:{_template_line(exc, path)}: {exc}") from None


def _template_line(exc: BaseException, path: Path) -> int | str:
    """The template line a rendering error comes from (Jinja2 maps its frames to it)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if line is not None else "?"


def template_names(lang: Lang) -> frozenset[str]:
    """The template names of ``lang`` (``verdict-rules`` for ``verdict-rules.md.j2``)."""
    return frozenset(p.name.removesuffix(".md.j2") for p in (TEMPLATES / lang).glob("*.md.j2"))


def template_values(name: str, lang: Lang) -> frozenset[str]:
    """The values template ``name`` of ``lang`` asks for (both languages must agree)."""
    from jinja2 import meta

    env = _environment()
    source = (TEMPLATES / lang / f"{name}.md.j2").read_text(encoding="utf-8")
    return frozenset(meta.find_undeclared_variables(env.parse(source)))
