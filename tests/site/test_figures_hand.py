"""site.figures.hand draws; the hand-implementation notebooks are committed clean and run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnnotes import ops
from cnnnotes.site.figures import hand

DOCS = Path(__file__).resolve().parents[2] / "docs"
NOTEBOOKS = {"ko": DOCS / "hand-implementation.ipynb", "en": DOCS / "hand-implementation.en.ipynb"}


def _titles(fig: Figure) -> list[str]:
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def _is_stamped(fig: Figure) -> bool:
    return any(x.get_gid() == "provenance" for x in fig.texts)


def test_demo_filters_stack_named_kernels_in_keras_layout() -> None:
    kernel = hand.demo_filters(["sobel_x", "blur"])
    assert kernel.shape == (3, 3, 1, 2)
    assert np.array_equal(kernel[:, :, 0, 0], hand.DEMO_FILTERS["sobel_x"])


def test_demo_filters_reject_unknown_names() -> None:
    with pytest.raises(ValueError, match=r"^names: .*'sharpen'"):
        hand.demo_filters(["sharpen"])


def test_sample_photo_is_downsampled_greyscale_in_unit_range() -> None:
    photo = hand.sample_photo(step=8)
    assert photo.shape == (75, 64)
    assert 0.0 <= photo.min() < photo.max() <= 1.0


def test_notes_demo_figure_uses_the_notes_panel_titles_and_is_stamped() -> None:
    conv = np.random.default_rng(0).random((8, 8, 3))
    fig = hand.notes_demo_figure(conv, ops.max_pool2d(conv), provenance="seed 0 · cnnnotes.ops")
    assert _titles(fig) == ["Conv0-0", "Conv0-1", "Conv0-2", "MaxP0-0", "MaxP0-1", "MaxP0-2"]
    assert _is_stamped(fig)


def test_notes_demo_figure_rejects_mismatched_maps() -> None:
    with pytest.raises(ValueError, match=r"^conv_maps: "):
        hand.notes_demo_figure(np.zeros((8, 8, 3)), np.zeros((4, 4, 2)), provenance="x")


def test_map_grid_rejects_titles_in_another_layout() -> None:
    with pytest.raises(ValueError, match=r"^titles: "):
        hand.map_grid([[np.eye(3), np.eye(3)]], [["one"]], provenance="x")


@pytest.mark.parametrize(("lang", "word"), [("ko", "소벨 x"), ("en", "Sobel x")])
def test_pipeline_figure_labels_filters_in_the_page_language(lang: str, word: str) -> None:
    image = np.random.default_rng(1).random((12, 10))
    kernel = hand.demo_filters(["sobel_x", "laplacian"])
    feature = ops.conv2d(image[..., None], kernel, padding="same")
    stages = {"feature_map": feature, "max_pool": ops.max_pool2d(ops.relu(feature))}
    fig = hand.pipeline_figure(
        image, kernel, stages, names=["sobel_x", "laplacian"], lang=lang, provenance="x"
    )  # type: ignore[arg-type]
    assert any(title.startswith(word) for title in _titles(fig))
    assert _is_stamped(fig)


def test_label_falls_back_to_the_shared_table() -> None:
    assert hand.label("feature_map", "en") == "Feature map"
    assert hand.label("max_pool", "ko") == "최대 풀링 2×2"


def _cells(lang: str) -> list[dict[str, object]]:
    return json.loads(NOTEBOOKS[lang].read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_notebook_is_committed_without_outputs_and_without_tensorflow(lang: str) -> None:
    code = [c for c in _cells(lang) if c["cell_type"] == "code"]
    assert code
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    source = "\n".join("".join(c["source"]) for c in code)  # type: ignore[arg-type]
    assert not re.search(r"\b(tensorflow|keras)\b", source)
    assert f'lang = "{lang}"' in source


def test_notebooks_have_the_same_cells_in_both_languages() -> None:
    def shape(lang: str) -> list[tuple[object, object]]:
        return [(c["cell_type"], c.get("id")) for c in _cells(lang)]

    assert shape("ko") == shape("en")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_notebook_executes_without_errors_and_shows_figures(lang: str) -> None:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOKS[lang], as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    )
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 3
