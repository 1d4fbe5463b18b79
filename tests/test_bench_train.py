"""scripts/bench_train.py: its FLOPs count, its timing arithmetic and its data requirement."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from cnnnotes.experiments.runs.cases import get_case

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_train.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_train", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_flops_per_image_of_the_baseline_match_a_hand_count(bench: ModuleType) -> None:
    # 32×32×3 → conv 3×3 (32) 30×30 → pool 15 → conv (64) 13×13 → pool 6 → conv (64) 4×4
    # → flatten 1024 → dense 64 → dense 10; multiply-adds = output positions × kernel volume.
    hand = {
        "conv1": 30 * 30 * (3 * 3 * 3) * 32,  # 777,600
        "conv2": 13 * 13 * (3 * 3 * 32) * 64,  # 3,115,008
        "conv3": 4 * 4 * (3 * 3 * 64) * 64,  # 589,824
        "dense1": 1024 * 64,
        "dense2": 64 * 10,
    }
    assert dict(bench.layer_macs(get_case("baseline"))) == hand
    flops = bench.flops_per_image(get_case("baseline"))
    assert flops["forward"] == 2 * 4_548_608
    assert flops["training"] == 3 * 2 * 4_548_608
    assert flops["skipped"] == 2 * 777_600


def test_flops_follow_the_pool_size_and_the_filters(bench: ModuleType) -> None:
    # Case 1 (pool 1×1): 30 → 30 → 28 → 28 → 26; Case 2: 64 filters in conv1.
    assert dict(bench.layer_macs(get_case("case1"))) == {
        "conv1": 30 * 30 * 27 * 32,
        "conv2": 28 * 28 * 9 * 32 * 64,
        "conv3": 26 * 26 * 9 * 64 * 64,
        "dense1": 26 * 26 * 64 * 64,
        "dense2": 640,
    }
    case2 = dict(bench.layer_macs(get_case("case2")))
    assert (case2["conv1"], case2["conv2"]) == (30 * 30 * 27 * 64, 13 * 13 * 9 * 64 * 64)


def _ours_raw() -> dict:
    """Timings of an imagined 2-epoch run of ours with 2 full batches per epoch."""
    log = [
        (0.0, 0.0, "[bench/baseline/seed-0] training run 0123456789ab (2 epochs)"),
        (10.0, 16.0, "[bench/baseline/seed-0] epoch 1/2 loss 2.0 … 8.9s ETA 0m08s"),
        (18.0, 30.0, "[bench/baseline/seed-0] epoch 2/2 loss 1.9 … 7.9s ETA 0m00s"),
        (19.4, 32.0, "[bench/baseline/seed-0] done: test accuracy 0.2000"),
    ]
    calls = {
        "train_function": [(1.0, 4.0), (4.0, 5.0), (10.5, 11.5), (11.5, 12.5)],
        "test_function": [(9.0, 9.5), (17.0, 17.5), (18.2, 18.8)],  # the last: evaluation
    }
    return {
        "kind": "ours",
        "log": log,
        "calls": calls,
        "setup": 1.0,
        "evaluation": 0.6,
        "history_seconds": [8.9, 7.9],
        "total": (-0.5, 19.5),
    }


def test_summary_of_ours_splits_epochs_from_the_log_and_step_calls(bench: ModuleType) -> None:
    flops = {"forward": 10**6, "training": 3 * 10**6, "skipped": 0}
    s = bench.summarize(_ours_raw(), 2, 512, 128, flops, peak=1.0)
    assert s["epoch_walls"] == pytest.approx([9.0, 8.0])  # epoch 1 begins after setup
    assert s["epoch_s"] == pytest.approx(8.0)
    assert (s["steps_s"], s["val_s"], s["other_s"]) == pytest.approx((2.0, 0.5, 5.5))
    assert s["step_ms"] == pytest.approx(1000.0)  # the traced first step is left out
    assert s["first_step_ms"] == pytest.approx(3000.0)
    assert s["first_epoch_extra_s"] == pytest.approx(1.0)
    assert s["checkpoint_s"] == pytest.approx(0.1)
    assert s["cores_busy"] == pytest.approx(14.0 / 8.0)
    assert s["write_s"] == pytest.approx(19.5 - 18.0 - 0.6)
    assert s["step_gflops"] == pytest.approx(256 * 3e6 / 1e9)
    assert s["epoch_gflops"] == pytest.approx((512 * 3e6 + 128 * 1e6) / 8.0 / 1e9)


def test_summary_refuses_a_log_without_every_epoch(bench: ModuleType) -> None:
    raw = _ours_raw()
    del raw["log"][2]
    with pytest.raises(SystemExit, match="2 epoch lines"):
        bench.summarize(raw, 2, 512, 128, {"forward": 1, "training": 3, "skipped": 0}, 1.0)


def test_one_off_share_extrapolates_first_plus_steady_epochs(bench: ModuleType) -> None:
    assert bench.one_off_share(3.0, 2.0, 15.0, 10.0, 20) == pytest.approx(5.0 / (5 + 15 + 190))


def test_no_data_source_is_a_one_line_error(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CNNNOTES_CIFAR10", raising=False)
    assert bench.main(["--pairs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--source" in err and "CNNNOTES_CIFAR10" in err


@pytest.mark.slow
def test_the_ours_worker_reads_setup_and_evaluation_from_the_run_record(
    bench: ModuleType, tmp_path: Path
) -> None:
    import argparse

    pytest.importorskip("tensorflow")
    from fakedata import tiny_arrays

    from cnnnotes.data import from_arrays

    args = argparse.Namespace(store=str(tmp_path / "store"), subset=200, epochs=1)
    out: dict[str, object] = {}
    bench._ours(args, from_arrays(*tiny_arrays()), get_case("baseline"), out)
    assert isinstance(out["setup"], float) and isinstance(out["evaluation"], float)
    assert len(out["history_seconds"]) == 1  # type: ignore[arg-type]
