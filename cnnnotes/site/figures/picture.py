"""The panel that runs the reader's own picture through every trained network, in the browser.

The fragment ``<lang>/picture-panel.md`` is what the page shows before any script
runs: the privacy statement, one sentence on the notes' cases the panel cannot run
(weights too large to commit), and the panel's element, whose attributes carry every word the
panel shows in the page's language (``data-words``), the cases it runs
(``data-cases``), the class names with the particles that agree with them
(``data-classes``) and the committed test images it offers.
``docs/javascripts/picture.js`` builds the panel from them and, on its first use,
loads the data scripts of :mod:`cnnnotes.site.figures.netdata`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from cnnnotes.experiments.runs.architecture import total_params
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.store import WEIGHTS_LIMIT
from cnnnotes.experiments.runs.testimages import read_test_images
from cnnnotes.i18n import Lang, class_names, particle, placeholders, t
from cnnnotes.site.figures._network import TEST_IMAGES
from cnnnotes.site.figures._runs import order, weights_file
from cnnnotes.site.figures.registry import fragment

__all__ = ["WORDS", "offered", "picture_panel"]

#: The catalogue keys (``picture.<key>``) the script shows.
WORDS: tuple[str, ...] = (
    "start", "loading", "ready", "error", "pick", "pick_none", "option", "file", "drop", "draw",
    "pad", "clear", "seen", "crop", "results", "maps_of", "layer", "source_test", "source_file",
    "source_paste", "source_drawing", "summary", "agree", "disagree", "disagree_part",
    "label",
)  # fmt: skip
#: Every case's committed weights (a glob: a case without them is simply not offered).
_WEIGHTS = "runs/notes/*/seed-0/weights.npz"


def offered(results_dir: Path) -> tuple[str, ...]:
    """The cases whose first seed committed its weights, in the table's order."""
    return tuple(c for c in order() if (Path(results_dir) / weights_file(c)).is_file())


def _template(key: str, lang: Lang) -> str:
    """The words for ``key`` with their ``{placeholders}`` left for the script to fill."""
    return t(key, lang, **{name: f"{{{name}}}" for name in placeholders(key, lang)})


def _attr(name: str, value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f'{name}="{html.escape(text, quote=True)}"'


@fragment("picture-panel", inputs=(_WEIGHTS, *TEST_IMAGES))
def picture_panel(lang: Lang, *, results_dir: Path) -> str:
    """The panel's Markdown: privacy, the absent cases, the element the script builds on."""
    cases = offered(results_dir)
    # the notes' cases whose weights are too large to commit (experiments beyond the notes
    # never commit theirs, and are not the panel's subject)
    absent = [
        c
        for c in CASES
        if c not in cases and not CASES[c].beyond and 4 * total_params(CASES[c]) >= WEIGHTS_LIMIT
    ]
    test = read_test_images(Path(results_dir))
    names = class_names(lang)
    # a network's weights travel as base64 of float32: 4/3 of 4 bytes per parameter
    kb = round(sum(total_params(CASES[c]) * 16 / 3 for c in cases) / 1000)
    parts = [t("picture.privacy", lang, n=len(cases), kb=kb)]
    if absent:
        parts.append(
            t(
                "picture.absent",
                lang,
                cases=", ".join(CASES[c].title(lang) for c in absent),
                params=sum(total_params(CASES[c]) for c in absent),
            )
        )
    attrs = [
        'class="cnn-picture"',
        _attr("data-words", {k: _template(f"picture.{k}", lang) for k in WORDS}),
        _attr("data-cases", [{"name": c, "label": CASES[c].short(lang)} for c in cases]),
        _attr(
            "data-classes",
            {
                "names": list(names),
                "subject": [particle(n, "picture.particle.subject", lang) for n in names],
                "object": [particle(n, "picture.particle.object", lang) for n in names],
            },
        ),
        _attr(
            "data-images",
            [[int(i), int(label)] for i, label in zip(test.indices, test.labels, strict=True)],
        ),
    ]
    element = f"<div {' '.join(attrs)}>\n<p>{html.escape(t('picture.nojs', lang))}</p>\n</div>"
    return "\n\n".join([*parts, element]) + "\n"
