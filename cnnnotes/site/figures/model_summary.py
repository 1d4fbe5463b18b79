"""Generated tables of the model: output shape and parameters per layer, per case."""

from __future__ import annotations

from cnnnotes.experiments.runs.architecture import total_params
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.summary import rows
from cnnnotes.i18n import Lang, t, words
from cnnnotes.site.figures.registry import per_case

__all__ = ["layer_table"]


@per_case("model-summary-{case}", kind="md")
def layer_table(lang: Lang, *, case: str) -> str:
    """A Markdown table of ``case``'s layers: output shape and parameter count."""
    head = words("fig.model_summary.head", lang)
    table = rows(CASES[case])
    lines = [f"| {head[0]} | {head[1]} | {head[2]} |", "| -- | -- | --: |"]
    for row in table:
        shape = " × ".join(f"{n:,}" for n in row.shape)
        lines.append(f"| {row.description} | {shape} | {row.params:,} |")
    total = total_params(CASES[case])
    lines.append(f"| **{head[3]}** | | **{total:,}** |")
    biggest = max(table, key=lambda row: row.params)
    note = t("fig.model_summary.note", lang, name=biggest.name, share=biggest.params / total)
    return "\n".join(lines) + "\n\n" + note + "\n"
