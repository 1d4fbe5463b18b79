"""Generated tables of the model: output shape and parameters per layer, per case."""

from __future__ import annotations

from cnnnotes.experiments.cases import CASES
from cnnnotes.site.figures.registry import per_case
from cnnnotes.site.style import Lang
from cnnnotes.experiments.summary import layers, total_params

__all__ = ["layer_table"]

_HEAD: dict[Lang, tuple[str, str, str, str]] = {
    "ko": ("층", "출력 크기", "파라미터 수", "합계"),
    "en": ("Layer", "Output shape", "Parameters", "Total"),
}
_NOTE: dict[Lang, str] = {
    "ko": "표는 `cnnnotes.experiments.summary`가 Case 설정에서 계산합니다(테스트가 Keras의 `count_params`와 "
    "비교합니다). 가장 큰 층 `{name}`에 파라미터의 {share:.0%}가 있습니다.",
    "en": "The table is computed by `cnnnotes.experiments.summary` from the case's settings (a test "
    "compares it with Keras' `count_params`). The largest layer, `{name}`, holds "
    "{share:.0%} of the parameters.",
}


@per_case("model-summary-{case}", kind="md")
def layer_table(lang: Lang, *, case: str) -> str:
    """A Markdown table of ``case``'s layers: output shape and parameter count."""
    head = _HEAD[lang]
    rows = [f"| {head[0]} | {head[1]} | {head[2]} |", "| -- | -- | --: |"]
    for layer in layers(CASES[case]):
        shape = " × ".join(f"{n:,}" for n in layer.shape)
        rows.append(f"| {layer.kind} | {shape} | {layer.params:,} |")
    total = total_params(CASES[case])
    rows.append(f"| **{head[3]}** | | **{total:,}** |")
    biggest = max(layers(CASES[case]), key=lambda layer: layer.params)
    note = _NOTE[lang].format(name=biggest.name, share=biggest.params / total)
    return "\n".join(rows) + "\n\n" + note + "\n"
