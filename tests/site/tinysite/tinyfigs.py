"""The miniature site's one figure module: a figure and a fragment from its (fake) runs.

``mkdocs.yml`` names it (``extra.cnnnotes.figures``), so the build renders these two
assets and nothing of the real site.
"""

from __future__ import annotations

from pathlib import Path

from cnnnotes.site.figures._runs import present_seeds, provenance_line, seed_globs
from cnnnotes.site.figures.registry import figure, fragment
from cnnnotes.site.style import Drawn, Lang, figure_context, new_figure

_TITLE = {"ko": "기준 모델의 검증 정확도", "en": "Validation accuracy of the baseline"}


@figure("tiny-val", inputs=seed_globs("baseline"))
def tiny_val(lang: Lang, *, results_dir: Path) -> Drawn:
    """Each seed's validation accuracy, titled with the case's title (a traced read)."""
    from cnnnotes.experiments.runs.cases import CASES

    runs = list(present_seeds(results_dir, ("baseline",)).get("baseline", {}).values())
    with figure_context(width=4.0):
        fig = new_figure(figsize=(4.0, 3.0))
        ax = fig.subplots()
        for run in runs:
            ax.plot(run.epochs, run.history["val_accuracy"])
        ax.set_title(f"{_TITLE[lang]} · {CASES['baseline'].title(lang)}")
    return Drawn(fig, provenance_line(runs, lang))


@fragment("tiny-runs", inputs=seed_globs("baseline"))
def tiny_runs(lang: Lang, *, results_dir: Path) -> str:
    """How many seeds of the baseline the figure shows."""
    n = len(present_seeds(results_dir, ("baseline",)).get("baseline", {}))
    return (f"그림은 기준 모델의 시드 {n}개를 그립니다." if lang == "ko"
            else f"The figure draws {n} seed(s) of the baseline.") + "\n"  # fmt: skip
