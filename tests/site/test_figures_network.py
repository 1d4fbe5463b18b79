"""Tests of site.figures.network: the trained networks' figures, checked against the runs."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from cnnnotes.experiments.runs.cases import NOTES
from cnnnotes.experiments.runs.folder import load_run, run_dir, write_run_dir
from cnnnotes.experiments.runs.forward import ForwardError
from cnnnotes.files import npz_bytes
from cnnnotes.i18n import class_names
from cnnnotes.site.build import _input_files
from cnnnotes.site.figures import network
from cnnnotes.site.figures._network import layer_scales, map_layers, trained
from cnnnotes.site.figures.registry import REGISTRY
from cnnnotes.site.render import draw
from cnnnotes.site.style import DPI, figure_context

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "results"
LANGS = ("ko", "en")
FIGURES = ("learned-filters", "feature-maps", "confusion", "confusion-all", "confident-examples")
FRAGMENTS = ("filters-measured", "confusion-summary", "forward-check")
BASELINE = load_run(RESULTS, NOTES.name, "baseline")


def _render(name: str, lang: str, results: Path = RESULTS):
    with figure_context():
        return draw(REGISTRY[name], lang, results)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURES)
def test_figure_renders_and_stamps_dataset_fingerprint_profile_and_seed(name, lang):
    fig = _render(name, lang)
    assert isinstance(fig, Figure)
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    stamp = fig.texts[-1].get_text()
    assert "bbc5ee954813" in stamp and "notes" in stamp
    assert ("시드 0" if lang == "ko" else "seed 0") in stamp


@pytest.mark.parametrize("name", ("learned-filters", "feature-maps", "confident-examples"))
def test_network_figures_key_on_the_weights_and_the_committed_test_images(name):
    inputs = REGISTRY[name].inputs
    assert "runs/notes/baseline/seed-0/weights.npz" in inputs
    assert {"dataset/test-images.npz", "dataset/test-images.json"} <= set(inputs)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FRAGMENTS)
def test_fragments_are_one_paragraph_in_each_language(name, lang):
    text = _render(name, lang)
    assert text.endswith("\n") and text.count("\n") == 1


def test_confusion_summary_names_the_most_confused_pair_counted_independently():
    pairs = Counter(
        (int(t), int(p)) for t, p in zip(BASELINE.labels, BASELINE.predicted, strict=True) if t != p
    )
    (a, b), count = pairs.most_common(1)[0]
    names = class_names("en")
    text = _render("confusion-summary", "en")
    assert f"true **{names[a]}** predicted as **{names[b]}** ({count} images)" in text
    assert f"({names[b]} → {names[a]}) it happened {pairs[(b, a)]} times" in text


def test_confusion_matrix_agrees_with_the_runs_recorded_test_accuracy():
    cm = network._confusion(BASELINE.labels, BASELINE.predicted)
    assert cm.sum() == len(BASELINE.labels) == 10_000
    assert np.trace(cm) / cm.sum() == pytest.approx(BASELINE.metrics["test_accuracy"], abs=1e-6)


def test_colour_share_is_zero_for_grey_filters_and_one_for_colour_opponent_ones():
    rng = np.random.default_rng(0)
    grey = np.repeat(rng.normal(size=(3, 3, 1, 2)), 3, axis=2)
    opponent = np.zeros((3, 3, 3, 1))
    opponent[..., 0, 0], opponent[..., 1, 0] = 1.0, -1.0
    share = network._colour_share(np.concatenate([grey, opponent], axis=3))
    np.testing.assert_allclose(share, [0.0, 0.0, 1.0], atol=1e-12)


def test_mosaic_keeps_filter_order_row_by_row():
    maps = np.arange(2 * 2 * 10, dtype=np.float32).reshape(2, 2, 10)
    mosaic = network._mosaic(maps, cols=4)
    assert mosaic.shape == (3 * 3 - 1, 4 * 3 - 1)
    assert mosaic[0, 3] == maps[0, 0, 1] and mosaic[3, 0] == maps[0, 0, 4]
    assert np.isnan(mosaic[2, 0]) and np.isnan(mosaic[-1, -1])


def test_layer_scales_do_not_depend_on_the_image_shown():
    net = trained(RESULTS)
    scales = layer_scales(net)
    assert set(scales) == {la.name for la in map_layers("baseline")} and all(
        v > 0 for v in scales.values()
    )
    rows = net.excerpt_rows
    for layer in (la.name for la in map_layers("baseline")):
        # the scale tops most of the excerpt but not every single activation of every image
        assert np.mean(net.out[layer][rows] <= scales[layer]) >= 0.99


def _rewrite_run(results: Path, case: str, change) -> None:
    """Change a committed run's files with ``change(meta, outputs)``, keeping it consistent."""
    folder = run_dir(results, "notes", case)
    meta = json.loads((folder / "run.json").read_text())
    outputs = {name: (folder / name).read_bytes() for name in meta["files"]}
    change(meta, outputs)
    write_run_dir(folder, {k: v for k, v in meta.items() if k not in ("files", "format")}, outputs)


def test_a_network_that_disagrees_with_its_run_fails_with_one_line(tmp_path):
    results = tmp_path / "results"
    shutil.copytree(RESULTS, results)
    index = int(trained(RESULTS).test.excerpt[3])

    def flip(meta, outputs):
        with np.load(io.BytesIO(outputs["predictions.npz"])) as npz:
            arrays = dict(npz)
        arrays["predicted"][index] = (arrays["predicted"][index] + 1) % 10
        meta["metrics"]["test_accuracy"] = float(np.mean(arrays["predicted"] == arrays["labels"]))
        outputs["predictions.npz"] = npz_bytes(arrays)

    _rewrite_run(results, "baseline", flip)
    with pytest.raises(ForwardError) as info:
        _render("forward-check", "en", results)
    message = str(info.value)
    assert "\n" not in message and f"test image {index}" in message


@pytest.fixture(scope="module")
def without_case3_weights(tmp_path_factory) -> Path:
    """Results where Case 3 keeps no weights (as a run whose weights are over the limit)."""
    results = tmp_path_factory.mktemp("compare") / "results"
    shutil.copytree(RESULTS, results)
    _rewrite_run(results, "case3", lambda meta, outputs: outputs.pop("weights.npz"))
    return results


@pytest.mark.parametrize("lang", LANGS)
def test_compare_block_says_which_weights_are_missing_and_shows_no_figure(
    lang, without_case3_weights
):
    text = _render("compare-block", lang, without_case3_weights)
    assert "figures/" not in text and "Case 3" in text
    assert _input_files(without_case3_weights, REGISTRY["feature-maps-compare"].inputs)[1]


@pytest.mark.parametrize("lang", LANGS)
def test_with_a_second_runs_weights_the_comparison_is_drawn_and_shown(lang):
    assert not _input_files(RESULTS, REGISTRY["feature-maps-compare"].inputs)[1]
    fig = _render("feature-maps-compare", lang, RESULTS)
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    text = _render("compare-block", lang, RESULTS)
    assert text.startswith("![") and "(figures/feature-maps-compare.png)" in text
    names = class_names(lang)
    index = int(trained(RESULTS).test.excerpt[0])
    case3 = load_run(RESULTS, "notes", "case3")
    shown = {names[int(BASELINE.predicted[index])], names[int(case3.predicted[index])]}
    assert all(f"**{name}**" in text for name in shown)


def test_the_comparison_is_optional_so_its_missing_weights_are_not_a_skip():
    assert REGISTRY["feature-maps-compare"].optional
    assert not any(REGISTRY[name].optional for name in (*FIGURES, *FRAGMENTS))


def _drawn(fig: Figure):
    """The figure laid out as the build saves it, and its visible non-empty texts."""
    fig.set_dpi(DPI)  # labels are placed in pixels at draw time: measure at the same dpi
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return renderer, texts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", (*FIGURES, "feature-maps-compare"))
def test_no_two_texts_of_a_figure_overlap(name, lang):
    renderer, texts = _drawn(_render(name, lang))
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    clashes = [
        (a, b)
        for k, (a, box) in enumerate(boxes)
        for b, other in boxes[k + 1 :]
        if box.overlaps(other) and box.intersection(box, other).width > 1
    ]
    assert clashes == []


def test_baseline_matrix_writes_every_count_of_the_confusion_matrix():
    fig = _render("confusion", "en")
    cm = np.zeros((10, 10), dtype=int)
    for t, p in zip(BASELINE.labels, BASELINE.predicted, strict=True):
        cm[int(t), int(p)] += 1
    matrix = fig.axes[0]
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
               for t in matrix.texts}  # fmt: skip
    assert written == {(i, j): str(cm[i, j]) for i in range(10) for j in range(10)}


def test_small_multiples_write_only_each_class_accuracy_on_the_diagonal():
    fig = _render("confusion-all", "en")
    runs = {ax.get_title().split(" · ")[0]: ax for ax in fig.axes if ax.texts}
    assert len(runs) == 6 and "Baseline" in runs
    written = {
        tuple(round(v) for v in t.get_position()): t.get_text() for t in runs["Baseline"].texts
    }
    labels = BASELINE.labels.astype(int)
    right = BASELINE.predicted.astype(int) == labels
    expected = {(k, k): f"{round(100 * right[labels == k].mean())}" for k in range(10)}
    assert written == expected


def test_each_confident_example_is_labelled_with_its_index_classes_and_confidence():
    fig = _render("confident-examples", "en")
    net = trained(RESULTS)
    mistakes, correct = network.confident_picks(
        BASELINE.labels, BASELINE.predicted, BASELINE.probabilities, network.N_PICKS
    )
    names = class_names("en")
    shown = [ax for ax in fig.axes if ax.get_visible() and ax.images]
    assert [ax.get_title() for ax in shown] == [f"#{i}" for i in (*mistakes, *correct)]
    for ax, index in zip(shown, (*mistakes, *correct), strict=True):
        truth, guess = int(BASELINE.labels[index]), int(BASELINE.predicted[index])
        lines = ax.get_xlabel().split("\n")
        assert lines[0] == names[truth]
        assert lines[-1] == f"{float(BASELINE.probabilities[index, guess]):.2%}"
        assert (len(lines) == 3 and lines[1].endswith(f" {names[guess]}")) == (truth != guess)
        row = int(net.rows(np.array([index]))[0])
        assert np.array_equal(ax.images[0].get_array(), net.test.images[row])


def test_feature_maps_draw_every_layer_at_one_scale():
    fig = _render("feature-maps", "en")
    net = trained(RESULTS)
    maps = [ax for ax in fig.axes if ax.images and ax.images[0].get_array().ndim == 2
            and ax.get_xticks().size == 0]  # fmt: skip
    inputs_ax = [ax for ax in fig.axes if ax.images and ax.images[0].get_array().ndim == 3]
    shown = inputs_ax + maps
    assert len(shown) == 1 + len(map_layers("baseline"))
    inches = [ax.get_position().width * fig.get_figwidth() for ax in shown]
    columns = [ax.images[0].get_array().shape[1] for ax in shown]
    per_activation = np.array(inches) / np.array(columns)
    np.testing.assert_allclose(per_activation, per_activation[0], rtol=1e-9)
    assert columns[0] == 32 and net.out["conv1"].shape[1] == 30
