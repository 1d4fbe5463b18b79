"""The words of :mod:`cnnnotes.figures.tables`, one table per language."""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT"]

_ANCHORS = {
    "baseline": "cifar10.md#baseline-results",
    **{f"case{i}": f"#case-{i}" for i in range(1, 6)},
}

TEXT: dict[str, dict[str, Any]] = {
    "ko": {
        "baseline": "기준 모델",
        "anchor": _ANCHORS,
        "columns": (
            "Case",
            "최고 검증 정확도 (에포크)",
            "최종 검증 정확도",
            "최저 검증 손실 에포크",
            "최종 훈련 − 검증 정확도",
            "훈련 정확도 (드롭아웃 끔)",
            "테스트 정확도",
            "파라미터",
            "초/에포크",
        ),
        "hardware_line": "학습한 하드웨어: {hw}.",
        "not_trained": "아직 학습 전",
        "table_notes": "모든 수치는 `{profile}` 프로필로 설정마다 한 번(시드 하나) 실행한 "
        "결과이고, 에포크는 1부터 셉니다. '최종 훈련 − 검증'은 Keras가 에포크마다 보고하는 훈련 "
        "정확도(Case 4, 5에서는 드롭아웃이 켜진 값)에서 검증 정확도를 뺀 값이고, '드롭아웃 끔'은 "
        "학습이 끝난 뒤 훈련에 쓴 이미지를 추론 모드로 다시 평가한 값입니다. 초/에포크는 "
        "중앙값입니다. 검증 이미지 {n:,}장에서 정확도의 이항 표준오차는 약 {se:.3f}이고, "
        "시드가 다른 실행끼리는 보통 {noise} 안팎 차이가 나므로(이 편차는 아직 측정하지 "
        "않았습니다) 그보다 작은 차이에는 의미를 두지 않습니다.",
        "downloads": "내려받기: [CSV](downloads/results.csv) · "
        "[JSON (에포크별 기록과 출처 포함)](downloads/runs.json)",
        "missing_title": "아직 학습 전",
        "missing_body": "{names}의 실행(`notes` 프로필)은 아직 학습하지 않아 이 자리에 그림과 "
        "수치가 없습니다. `{cmd}`로 학습한 뒤 사이트를 다시 빌드하면 여기에 나타납니다.",
        "alt_curves": "{title}의 학습 곡선: 왼쪽은 에포크 1~{n}의 훈련(점)과 검증(선) 정확도, "
        "오른쪽은 같은 방식의 손실",
        "our_run": "**이 사이트의 실행** (한 번, 시드 {seed}, {epochs} 에포크): 최종 훈련 정확도 "
        "{train}, 검증 정확도 {val} (검증 이미지 {n_val:,}장에서 이항 표준오차 ±{se_val}), "
        "테스트 정확도 {test} (테스트 이미지 {n_test:,}장에서 ±{se_test}), 드롭아웃을 끈 훈련 "
        "정확도 {off}, 파라미터 {params:,}개.\n",
        "claims_lead": "노트의 주장과 이 사이트의 실행 결과를 나란히 놓으면 다음과 같습니다.\n",
        "claims_head": ("노트의 주장", "우리 결과", "판정"),
        "verdict": {"agree": "일치", "disagree": "불일치", "unclear": "판단 불가"},
        "rules": '??? note "판정 기준"\n'
        "    노트가 적은 수치와는 정확도 {tol_acc}, 손실 {tol_loss} 이내이면 일치로 봅니다. "
        "노트의 수치는 소수 둘째 자리로 반올림되었고, 시드 없이 공식 데이터로 한 번 실행한 "
        "결과이기 때문입니다. 이 사이트의 두 실행은 정확도 {noise_acc}, 손실 {noise_loss}보다 "
        "크게 차이 날 때만 다르다고 봅니다. 검증 이미지 10,000장에서 정확도의 이항 표준오차는 "
        "√(p(1 − p)/10,000) ≈ 0.005이고, 시드가 다른 실행끼리는 보통 1~2%p 차이가 나기 "
        "때문입니다(ERRATA 33). 이 실행 간 편차는 아직 측정하지 않았습니다. '판단 불가'는 차이가 "
        "이 기준 안에 있거나, 비교할 실행이 아직 없거나, 설정마다 한 번의 실행으로는 가릴 수 없는 "
        "주장일 때입니다.\n",
        "glance_lead": "이 사이트가 직접 학습한 {n}개 실행의 테스트 정확도(학습에 쓰지 않은 "
        "이미지 {n_test:,}장)입니다. 설정마다 한 번의 실행이므로 {noise}보다 작은 차이는 가릴 수 "
        "없습니다.",
        "glance_item": "{name}: 테스트 정확도 {test} (최종 검증 정확도 {val})",
        "cap_curves": "{title}의 학습 곡선: 정확도(왼쪽)와 손실(오른쪽). 노트의 두 그래프(정확도 "
        "위, 손실 아래)를 나란히 놓았고, 노트의 파란 점(훈련)은 파란 점, 파란 선(검증)은 주황색 "
        "선입니다. 아래 줄은 데이터와 실행의 출처입니다.",
        "cap_overlay": "모든 Case의 검증 정확도(왼쪽)와 검증 손실(오른쪽). Case마다 색, 선 모양, "
        "표식이 다릅니다.",
        "cap_vs": "Case 4와 Case 5를 같은 축 범위로 나란히 놓았습니다. 위는 정확도, 아래는 "
        "손실입니다.",
        "cap_dropout": "Case 4에서 드롭아웃을 켠 훈련 지표(점), 검증 지표(선), 학습 뒤 드롭아웃을 "
        "끄고 잰 훈련 지표(마지막 에포크의 마름모).",
        "alt_overlay": "학습한 모든 Case의 검증 정확도(왼쪽)와 검증 손실(오른쪽)을 한 축에 겹쳐 "
        "그린 그림, Case마다 색과 선 모양과 표식이 다름",
        "alt_vs": "Case 4(드롭아웃 0.5)와 Case 5(드롭아웃 0.2)의 정확도와 손실 곡선을 같은 축 "
        "범위로 나란히 놓은 그림",
        "vs_text": "최종 검증 정확도는 Case 4 {v4}, Case 5 {v5}이고, 테스트 정확도는 Case 4 {t4}, "
        "Case 5 {t5}입니다. 최종 훈련 − 검증 정확도 차이는 Case 4 {g4}, Case 5 {g5}입니다(훈련 "
        "정확도는 드롭아웃이 켜진 값이라 드롭아웃 0.5에서는 음수가 될 수 있습니다).",
        "alt_dropout": "Case 4의 드롭아웃이 켜진 훈련 정확도와 손실(점), 검증 정확도와 손실(선), "
        "학습 뒤 드롭아웃을 끄고 평가한 훈련 세트 값(마지막 에포크의 마름모)",
        "dropout_text": "이 사이트의 실행: {ours}. 과소적합 진단에 대한 판정: **{verdict}** — "
        "{why}.\n",
    },
    "en": {
        "baseline": "Baseline",
        "anchor": _ANCHORS,
        "columns": (
            "Case",
            "Best val. acc. (epoch)",
            "Final val. acc.",
            "Epoch of lowest val. loss",
            "Final train − val. acc.",
            "Train acc., dropout off",
            "Test acc.",
            "Parameters",
            "s / epoch",
        ),
        "hardware_line": "Trained on: {hw}.",
        "not_trained": "not trained yet",
        "table_notes": "Every number comes from one run per setting with one seed, profile "
        "`{profile}`; epochs count from 1. 'Final train − val.' is Keras's per-epoch training "
        "accuracy (with dropout active in Cases 4 and 5) minus the validation accuracy; "
        "'dropout off' is the training images evaluated in inference mode after training. "
        "s / epoch is the median. On {n:,} validation images the binomial standard error of an "
        "accuracy is about {se:.3f}, and runs with different seeds usually differ by about "
        "{noise} (a spread not yet measured here), so smaller differences mean nothing.",
        "downloads": "Downloads: [CSV](downloads/results.csv) · "
        "[JSON, with per-epoch history and provenance](downloads/runs.json)",
        "missing_title": "Not trained yet",
        "missing_body": "The run of {names} (profile `notes`) has not been trained yet, so "
        "there is no figure and no number here. Train it with `{cmd}` and rebuild the site; "
        "they then appear here.",
        "alt_curves": "Learning curves of {title}: training (dots) and validation (line) "
        "accuracy over epochs 1–{n} on the left, loss drawn the same way on the right",
        "our_run": "**This site's run** (one run, seed {seed}, {epochs} epochs): final training "
        "accuracy {train}, validation accuracy {val} (binomial standard error ±{se_val} on "
        "{n_val:,} validation images), test accuracy {test} (±{se_test} on {n_test:,} test "
        "images), training accuracy with dropout off {off}, {params:,} parameters.\n",
        "claims_lead": "The notes' claims beside this site's run:\n",
        "claims_head": ("The notes say", "Our run", "Verdict"),
        "verdict": {"agree": "agree", "disagree": "disagree", "unclear": "can't tell"},
        "rules": '??? note "How the verdicts are decided"\n'
        "    A number the notes quote agrees when ours is within {tol_acc} (accuracy) or "
        "{tol_loss} (loss) of it: the notes round to two digits and come from one unseeded "
        "run on the official data. Two of this site's runs differ only when they differ by "
        "more than {noise_acc} in accuracy or {noise_loss} in loss: the binomial standard "
        "error of one accuracy on 10,000 validation images is √(p(1 − p)/10,000) ≈ 0.005, and "
        "runs with different seeds usually differ by one or two points (ERRATA 33). That "
        "seed-to-seed spread has not been measured here yet. 'Can't tell' means the "
        "difference is inside that threshold, the run to compare with is missing, or the "
        "claim is one that a single run per setting cannot settle.\n",
        "glance_lead": "Test accuracy ({n_test:,} images never used in training) of the {n} runs "
        "this site trained itself. Each setting ran once, so differences below {noise} cannot "
        "be told apart.",
        "glance_item": "{name}: test accuracy {test} (final validation accuracy {val})",
        "cap_curves": "Learning curves of {title}: accuracy (left) and loss (right). The notes' "
        "two plots (accuracy above, loss below) sit side by side; the notes' blue dots "
        "(training) are blue dots here, their blue line (validation) is the orange line. The "
        "bottom line names the data and the run.",
        "cap_overlay": "Validation accuracy (left) and validation loss (right) of every case; "
        "each case has its own colour, line style and marker.",
        "cap_vs": "Case 4 and Case 5 side by side on the same axis ranges: accuracy above, "
        "loss below.",
        "cap_dropout": "Case 4: training metrics with dropout on (dots), validation (line), and "
        "the training set measured with dropout off after the last epoch (diamond).",
        "alt_overlay": "Validation accuracy (left) and validation loss (right) of every trained "
        "case on shared axes, each case with its own colour, line style and marker",
        "alt_vs": "Accuracy and loss curves of Case 4 (dropout 0.5) and Case 5 (dropout 0.2) "
        "side by side on the same axis ranges",
        "vs_text": "Final validation accuracy: Case 4 {v4}, Case 5 {v5}; test accuracy: Case 4 "
        "{t4}, Case 5 {t5}. The final train − validation accuracy gap is {g4} for Case 4 and "
        "{g5} for Case 5 (training accuracy is measured with dropout active, so with dropout "
        "0.5 the gap can be negative).",
        "alt_dropout": "Case 4: training accuracy and loss with dropout on (dots), validation "
        "(line), and the training set evaluated with dropout off after the last epoch "
        "(diamond)",
        "dropout_text": "This site's run: {ours}. Verdict on the underfitting diagnosis: "
        "**{verdict}** — {why}.\n",
    },
}
