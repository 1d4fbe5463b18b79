"""Each case's section of the cases page, generated from the table of cases.

The author's prose stays in the page; the section around it is generated. In
``docs/cases.md`` (and ``cases.en.md``) a case's section is written as::

    <!-- case: case1 -->
    ## Case 1: pool_size=(2, 2) → (1, 1)

    (the settings, the notes' code, corrections: anything before the figure)

    <!-- analysis -->
    ### Analysis …

    (the author's analysis)

    <!-- end case -->

and :func:`expand_sections` (run by the MkDocs hook on every page) turns it into the
heading with the case's anchor (:func:`section_id`), the prose, the case's learning
curves and our numbers (the fragment ``case-figure-<case>``), the analysis, and the
notes' claims checked (``case-claims-<case>``). A case of
:data:`cnnnotes.experiments.runs.cases.CASES` needs nothing else: its fragments and figures
are registered per case (:func:`cnnnotes.site.figures.registry.per_case`), its row of
the results table links to :func:`anchor`.
"""

from __future__ import annotations

import re

from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import CASES, Case

__all__ = [
    "BEYOND_PAGE",
    "SectionError",
    "anchor",
    "expand_sections",
    "on_cases_page",
    "section_id",
]

_OPEN = re.compile(r"^<!-- case: (\w+) -->[ \t]*$", re.M)
_ANALYSIS = "<!-- analysis -->"
_END = "<!-- end case -->"
_HEADING = re.compile(r"^(#{2,6} [^\n]*?)[ \t]*$", re.M)


class SectionError(CnnnotesError):
    """A case section of a page is malformed (the message names the page's case and why)."""


#: The page of the experiments beyond the notes (each has a section there, never on the cases page).
BEYOND_PAGE = "beyond.md"


def on_cases_page(case: Case) -> bool:
    """Whether the case's section is one the cases page generates (not one elsewhere)."""
    return not case.anchor and not case.beyond


def section_id(name: str) -> str:
    """The id of a case's section: ``case-1`` for ``case1``, the name itself otherwise."""
    return re.sub(r"^(\D+?)(\d+)$", r"\1-\2", name)


def anchor(name: str) -> str:
    """The link to a case's section from the cases page (``#case-1``, ``cifar10.md#…``).

    An experiment beyond the notes links to its section of the Beyond page
    (``beyond.md#case4_mild``).
    """
    case = CASES[name]
    if case.anchor:
        return case.anchor
    page = BEYOND_PAGE if case.beyond else ""
    return f"{page}#{section_id(name)}"


def _section(case: str, lang: str, body: str) -> str:
    if case not in CASES:
        raise SectionError(f"case section {case!r}: no such case (known: {', '.join(CASES)})")
    intro, sep, rest = body.partition(_ANALYSIS)
    if not sep:
        raise SectionError(f"case section {case!r}: no {_ANALYSIS} line before the analysis")
    heading = _HEADING.search(intro)
    if heading is None or intro[: heading.start()].strip():
        raise SectionError(f"case section {case!r}: does not start with a heading")
    head = f"{heading[1]} {{ #{section_id(case)} }}"
    return "\n".join(
        [
            head,
            "",
            intro[heading.end() :].strip("\n"),
            "",
            f'--8<-- "{lang}/case-figure-{case}.md"',
            "",
            rest.strip("\n"),
            "",
            f'--8<-- "{lang}/case-claims-{case}.md"',
            "",
        ]
    )


def expand_sections(markdown: str, lang: str) -> str:
    """Replace every ``<!-- case: NAME -->`` … ``<!-- end case -->`` block by its section."""
    if "<!-- case: " not in markdown:  # most pages; a line-anchored search of a long one is slow
        return markdown
    out: list[str] = []
    pos = 0
    for m in _OPEN.finditer(markdown):
        if m.start() < pos:
            raise SectionError(f"case section {m[1]!r}: starts inside another section")
        end = markdown.find(_END, m.end())
        if end < 0:
            raise SectionError(f"case section {m[1]!r}: no {_END} line")
        out += [markdown[pos : m.start()], _section(m[1], lang, markdown[m.end() : end])]
        pos = end + len(_END)
    return "".join(out) + markdown[pos:]
