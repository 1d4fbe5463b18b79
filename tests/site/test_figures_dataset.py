"""Tests of cnnnotes.site.figures.dataset: drawn from the committed excerpt, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnnotes.i18n import class_names, t
from cnnnotes.site.figures import dataset
from cnnnotes.site.figures.registry import REGISTRY
from cnnnotes.site.render import draw
from cnnnotes.site.style import figure_context

RESULTS = Path(__file__).resolve().parents[2] / "results"
INFO = json.loads((RESULTS / "dataset" / "info.json").read_text(encoding="utf-8"))
with np.load(RESULTS / "dataset" / "excerpt.npz") as _npz:
    LABELS = _npz["labels"]

LANGS = ("ko", "en")
NAMES = ("samples-5x5", "samples-10x10", "split-counts", "class-counts")


def _render(name: str, lang: str) -> Figure:
    with figure_context():
        return draw(REGISTRY[name], lang, RESULTS)


def _texts(fig: Figure) -> list[str]:
    return [text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_committed_excerpt_holds_the_first_100_training_images() -> None:
    with np.load(RESULTS / "dataset" / "excerpt.npz") as npz:
        assert npz["images"].dtype == np.uint8 and npz["images"].shape == (100, 32, 32, 3)
        assert npz["labels"].dtype == np.int64 and npz["labels"].shape == (100,)
    assert "/" not in INFO["source"] and len(INFO["fingerprint"]) == 64


@pytest.mark.parametrize("name", NAMES)
def test_dataset_figures_declare_the_excerpt_as_input(name: str) -> None:
    assert REGISTRY[name].inputs == ("dataset/excerpt.npz", "dataset/info.json")
    assert REGISTRY[name].func.__module__ == dataset.__name__


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "n"), [("samples-5x5", 25), ("samples-10x10", 100)])
def test_sample_grid_labels_each_image_with_its_localized_class(name, n, lang) -> None:
    fig = _render(name, lang)
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == n
    names = class_names(lang)
    rows = int(n**0.5)
    # each image's own label, or its column's when every column holds one class
    shown = [ax.get_xlabel() or image_axes[i % rows].get_title() for i, ax in enumerate(image_axes)]
    assert shown == [names[int(y)] for y in LABELS[:n]]


def test_ten_by_ten_grid_labels_its_columns_once_when_each_holds_one_class() -> None:
    columns = LABELS[:100].reshape(10, 10)
    fig = _render("samples-10x10", "en")
    image_axes = [ax for ax in fig.axes if ax.images]
    titled = [ax.get_title() for ax in image_axes if ax.get_title()]
    if (columns == columns[0]).all():  # the image-folder loader's round-robin order
        assert len(titled) == 10 and not any(ax.get_xlabel() for ax in image_axes)
    else:
        assert not titled


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_figure_stamps_source_copy_and_fingerprint(name, lang) -> None:
    texts = " ".join(_texts(_render(name, lang)))
    assert INFO["source"] in texts and INFO["fingerprint"][:12] in texts
    if INFO["jpeg_recompressed"]:
        assert t("common.offline_copy", lang) in texts


@pytest.mark.parametrize("lang", LANGS)
def test_split_counts_shows_the_last_fifth_held_out(lang: str) -> None:
    fig = _render("split-counts", lang)
    assert not any(ax.images for ax in fig.axes)
    texts = _texts(fig)
    vs = INFO["validation_split"]
    assert f"{vs['fit']:,}" in texts and f"{vs['held_out']:,}" in texts
    legend = [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    assert any(("마지막" if lang == "ko" else "last") in x for x in legend)


@pytest.mark.parametrize("lang", LANGS)
def test_class_counts_labels_classes_in_the_page_language(lang: str) -> None:
    (ax,) = _render("class-counts", lang).axes
    assert [x.get_text() for x in ax.get_xticklabels()] == list(class_names(lang))
    heights = [int(p.get_height()) for p in ax.patches]
    assert heights[:10] == [INFO["validation_split"]["fit_counts"][c] for c in class_names("en")]


@pytest.mark.parametrize("lang", LANGS)
def test_provenance_fragment_is_one_sentence_naming_source_and_fingerprint(lang: str) -> None:
    spec = REGISTRY["dataset-provenance"]
    assert spec.kind == "md"
    text = spec.func(lang, results_dir=RESULTS)
    assert text.count("\n") == 1 and INFO["source"] in text
    assert INFO["fingerprint"][:12] in text
    if INFO["jpeg_recompressed"]:
        assert "JPEG" in text and ("공식 아카이브" if lang == "ko" else "official archive") in text
