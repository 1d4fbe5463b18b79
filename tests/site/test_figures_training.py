"""Tests of cnnnotes.site.figures.training: learning curves drawn from any subset of fake runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fakeruns import SPECS, fake_history, write_fake_run, write_fake_runs
from matplotlib.figure import Figure

from cnnnotes.site.build import _input_files
from cnnnotes.site.figures import training  # noqa: F401  (registers the figures)
from cnnnotes.site.figures.registry import REGISTRY
from cnnnotes.site.render import draw
from cnnnotes.site.style import figure_context

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("ko", "en")
CURVES = tuple(f"curves-{case}" for case in SPECS)
NAMES = (*CURVES, "overlay-val", "case4-vs-case5", "case4-dropout")


@pytest.fixture(scope="module")
def all_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    results = tmp_path_factory.mktemp("all") / "results"
    write_fake_runs(results)
    return results


def _render(name: str, lang: str, results: Path) -> Figure:
    with figure_context():
        return draw(REGISTRY[name], lang, results)


def _stamp(fig: Figure) -> str:
    stamps = [x.get_text() for x in fig.texts if x.get_gid() == "provenance"]
    assert len(stamps) == 1, "figure carries no provenance stamp"
    return stamps[0]


def _renders(name: str, results: Path) -> bool:
    """Whether the build would draw ``name`` (its plain inputs exist)."""
    return not _input_files(results, REGISTRY[name].inputs)[1]


def test_every_experiment_figure_is_registered_with_run_inputs() -> None:
    for name in NAMES:
        assert name in REGISTRY, name
        assert REGISTRY[name].inputs, f"{name} declares no inputs"
    assert REGISTRY["curves-case2"].inputs[:2] == (
        "runs/notes/case2/seed-0/run.json",
        "runs/notes/case2/seed-0/history.json",
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_figure_renders_with_all_runs_and_carries_the_provenance_stamp(
    name: str, lang: str, all_runs: Path
) -> None:
    fig = _render(name, lang, all_runs)
    line = _stamp(fig)
    assert "cifar-10-images.tar.gz" in line and "bbc5ee954813" in line
    assert "notes" in line and "Test CPU @ 2.2GHz" in line
    if lang == "en":
        assert "offline copy (JPEG-recompressed)" in line and "seed 0" in line
    else:
        assert "오프라인 사본(JPEG 재압축)" in line and "시드 0" in line


def test_curves_draw_training_as_dots_and_validation_as_a_line_from_epoch_one(
    all_runs: Path,
) -> None:
    fig = _render("curves-case1", "en", all_runs)
    ax_acc = fig.axes[0]
    train, val = ax_acc.get_lines()[:2]
    assert train.get_linestyle() == "None" and train.get_marker() == "o"
    assert val.get_linestyle() == "-"
    assert train.get_color() != val.get_color()
    assert np.array_equal(train.get_xdata(), np.arange(1, 21))
    assert np.allclose(val.get_ydata(), fake_history("case1")["val_accuracy"])
    assert ax_acc.get_xticks()[0] == 1


def test_curves_draw_each_seed_thinly_the_mean_and_a_one_sd_band(tmp_path: Path) -> None:
    shifts = (0.0, 0.02, -0.02)
    for k, shift in enumerate(shifts):
        write_fake_run(tmp_path, "case3", seed=k, shift=shift)
    fig = _render("curves-case3", "en", tmp_path)
    ax_acc = fig.axes[0]
    thin = [ln for ln in ax_acc.get_lines() if ln.get_linewidth() < 1.0]
    assert len(thin) == 2 * len(shifts)  # every seed, training and validation
    val = np.asarray(fake_history("case3")["val_accuracy"])
    mean = next(ln for ln in ax_acc.get_lines() if ln.get_label() == "Validation accuracy")
    assert np.allclose(mean.get_ydata(), val + np.mean(shifts))
    band = ax_acc.collections[1]  # training's band first, then validation's
    low, high = band.get_paths()[0].vertices[:, 1].min(), band.get_paths()[0].vertices[:, 1].max()
    sd = np.std([val + d for d in shifts], axis=0, ddof=1)
    assert low == pytest.approx((val - sd).min()) and high == pytest.approx((val + sd).max())
    assert "n = 3 seeds" in fig._suptitle.get_text()
    assert "seed 0 / 1 / 2" in _stamp(fig)


def test_overlay_is_small_multiples_one_panel_per_case_saying_n(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("baseline", "case1", "case3"))
    write_fake_run(tmp_path, "case3", seed=1, shift=0.01)
    fig = _render("overlay-val", "en", tmp_path)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == 2 * 3  # accuracy and loss panels of the three present cases
    titles = [ax.get_title() for ax in titled[:3]]
    assert titles == ["Baseline · n = 1 seed\nRMSprop", "Case 1 · n = 1 seed\npooling 1×1",
                      "Case 3 · n = 2 seeds\nAdam"]  # fmt: skip
    for ax in titled[:3]:  # each panel: at most its own mean and the baseline's for reference
        assert len(ax.get_lines()) <= 2
    assert len({ax.get_ylim() for ax in titled[:3]}) == 1  # shared axes within a row of metrics


def test_overlay_renders_a_notice_when_no_run_exists(tmp_path: Path) -> None:
    assert _renders("overlay-val", tmp_path)  # glob inputs: drawn even with no run
    fig = _render("overlay-val", "en", tmp_path)
    assert not fig.axes[0].get_lines()
    assert any("No run" in t.get_text() for t in fig.axes[0].texts)
    _stamp(fig)


def test_figures_of_missing_runs_are_skipped_by_the_build(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("baseline", "case4"))
    assert _renders("curves-baseline", tmp_path) and _renders("curves-case4", tmp_path)
    assert _renders("case4-dropout", tmp_path)
    assert not _renders("curves-case1", tmp_path)
    assert not _renders("case4-vs-case5", tmp_path)
    for name in ("curves-baseline", "case4-dropout", "overlay-val"):
        _stamp(_render(name, "ko", tmp_path))


def test_case4_dropout_marks_the_dropout_off_evaluation_at_the_last_epoch(
    all_runs: Path,
) -> None:
    fig = _render("case4-dropout", "en", all_runs)
    ax_acc = fig.axes[0]
    marker = [ln for ln in ax_acc.get_lines() if len(ln.get_xdata()) == 1]
    assert len(marker) == 1
    assert marker[0].get_xdata()[0] == 20
    assert marker[0].get_ydata()[0] == pytest.approx(SPECS["case4"]["off"])
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    labels = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert any("dropout on" in s for s in labels) and any("dropout off" in s for s in labels)


def test_case4_vs_case5_shares_the_y_axis_along_each_row(all_runs: Path) -> None:
    fig = _render("case4-vs-case5", "en", all_runs)
    top_left, top_right = fig.axes[0], fig.axes[1]
    assert top_left.get_ylim() == top_right.get_ylim()
    assert "Case 4" in top_left.get_title() and "Case 5" in top_right.get_title()


def test_rendering_the_experiment_figures_imports_no_tensorflow(tmp_path: Path) -> None:
    write_fake_runs(tmp_path)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cnnnotes.site.figures import load_all\n"
        "reg = load_all()\n"
        f"names = {list(NAMES)!r} + ['results-table', 'case-case4', 'runs', 'results']\n"
        "for n in names:\n"
        "    for lang in ('ko', 'en'):\n"
        f"        reg[n].func(lang, results_dir=Path({str(tmp_path)!r}), **reg[n].params)\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
        "assert 'keras' not in sys.modules, 'keras was imported'\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def test_runs_of_earlier_training_code_are_stamped_on_their_figures(tmp_path, monkeypatch) -> None:
    from fakeruns import write_fake_run

    from cnnnotes.site.figures import _runs

    run = write_fake_run(tmp_path, "case3")
    assert _runs.outdated(run)
    assert "earlier version of the training code" in _runs.provenance_line([run], "en")
    assert "이전 버전의 학습 코드" in _runs.provenance_line([run], "ko")
    monkeypatch.setattr(_runs, "training_code_key", lambda: run.key_inputs["code"])
    assert "earlier version" not in _runs.provenance_line([run], "en")
