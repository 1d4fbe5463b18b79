"""Generated tables of the model: output shape and parameters per layer, per case."""

from __future__ import annotations

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.summary import layers, total_params
from cnnnotes.i18n import Lang, t, words
from cnnnotes.site.figures.registry import per_case

__all__ = ["layer_table"]


@per_case("model-summary-{case}", kind="md")
def layer_table(lang: Lang, *, case: str) -> str:
    """A Markdown table of ``case``'s layers: output shape and parameter count."""
    head = words("fig.model_summary.head", lang)
    rows = [f"| {head[0]} | {head[1]} | {head[2]} |", "| -- | -- | --: |"]
    for layer in layers(CASES[case]):
        shape = " × ".join(f"{n:,}" for n in layer.shape)
        rows.append(f"| {layer.kind} | {shape} | {layer.params:,} |")
    total = total_params(CASES[case])
    rows.append(f"| **{head[3]}** | | **{total:,}** |")
    biggest = max(layers(CASES[case]), key=lambda layer: layer.params)
    note = t("fig.model_summary.note", lang, name=biggest.name, share=biggest.params / total)
    return "\n".join(rows) + "\n\n" + note + "\n"
