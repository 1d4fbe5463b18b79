"""The words of :mod:`cnnnotes.site.figures.tables`, one table per language."""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT"]

TEXT: dict[str, dict[str, Any]] = {
    "ko": {
        "baseline": "기준 모델",
        "columns": (
            "Case",
            "시드 (계획 대비)",
            "검증 정확도, 마지막 5 에포크 평균",
            "최고 검증 정확도",
            "검증 손실, 마지막 5 에포크 평균",
            "훈련 − 검증 정확도 (드롭아웃 끔)",
            "테스트 정확도",
            "파라미터",
            "초/에포크",
        ),
        "n_of": "{n} / {planned}",
        "missing_seeds": "아직 학습하지 않은 계획된 시드: {list}.",
        "missing_case": "{name} 시드 {seeds}",
        "hardware_line": "학습한 하드웨어: {hw}.",
        "not_trained": "아직 학습 전",
        "table_notes": "모든 수치는 `{profile}` 프로필로 Case마다 학습한 시드들의 평균 ± "
        "표준편차(시드 하나뿐이면 그 값)이고, '시드' 열은 계획한 시드 가운데 학습한 개수 n입니다. "
        "에포크는 1부터 셉니다. '훈련 − 검증'은 학습이 끝난 모델을 드롭아웃을 끈 추론 모드로 훈련 "
        "이미지에 평가한 정확도에서 마지막 에포크의 검증 정확도를 뺀 값입니다(ERRATA 43). "
        "초/에포크는 중앙값입니다. 검증 이미지 {n:,}장에서 정확도 하나의 이항 표준오차는 약 "
        "{se:.3f}입니다. 표준편차는 시드 사이의 편차이며, 고정된 검증·테스트 세트 하나 위에서만 잰 "
        "것입니다.",
        "downloads": "내려받기: [CSV](downloads/results.csv) · "
        "[JSON (에포크별 기록과 출처 포함)](downloads/runs.json)",
        "missing_title": "아직 학습 전",
        "missing_body": "{names}의 실행(`notes` 프로필)은 아직 학습하지 않아 이 자리에 그림과 "
        "수치가 없습니다. `{cmd}`로 학습한 뒤 사이트를 다시 빌드하면 여기에 나타납니다.",
        "alt_curves": "{title}의 학습 곡선(시드 {seeds}개): 왼쪽은 에포크 1~{n}의 훈련(파랑)과 "
        "검증(주황) 정확도, 오른쪽은 같은 방식의 손실, 시드마다 가는 선과 평균의 굵은 선, ±1 "
        "표준편차 띠",
        "our_runs": "**이 사이트의 실행** (시드 {n}개 / 계획 {planned}개: 시드 {seeds}{missing}; "
        "{epochs} 에포크, 평균 ± 표준편차): 검증 정확도(마지막 5 에포크 평균) {val} (검증 이미지 "
        "{n_val:,}장에서 실행 하나의 이항 표준오차 약 ±{se_val}), 테스트 정확도 {test} (테스트 "
        "이미지 {n_test:,}장), 드롭아웃을 끈 훈련 정확도 {off}, 훈련 − 검증 정확도(드롭아웃 끔) "
        "{gap}, 파라미터 {params:,}개.\n",
        "our_missing": "; 아직 학습 전: 시드 {seeds}",
        "box_missing": "이 Case의 실행은 아직 학습 전이라 이 사이트의 결론은 아직 없습니다.",
        "claims_lead": "노트의 주장과 이 사이트의 실행 결과(커밋된 모든 시드)를 나란히 놓으면 "
        "다음과 같습니다.\n",
        "claims_head": ("노트의 주장", "우리 결과", "판정"),
        "rules": '??? note "판정 기준"\n'
        "    판정은 `cnnnotes/experiments/stats.py`에 적힌 규칙을 따르며, 이 규칙은 시드 0 이외의 실행이 "
        "하나도 "
        "없을 때 먼저 정해 커밋했습니다. 실행마다 한 에포크가 흔들 수 없는 요약값을 씁니다. 검증 "
        "정확도와 검증 손실은 마지막 {last} 에포크의 평균, 최고 검증 정확도와 그 에포크, "
        "테스트 정확도, "
        "그리고 학습이 끝난 모델의 훈련 − 검증 정확도 간격(드롭아웃을 **끄고** 잰 값, "
        "ERRATA 43)입니다. "
        "구간은 시드에 걸친 양측 {level} t-구간입니다. 같은 시드에서 초기 가중치와 배치 순서를 "
        "공유하는 Case(층 모양이 같은 기준 모델과 Case 3, 4, 5)는 시드별 차이로 짝지은 구간을, "
        "나머지(Case 1, 2)는 Welch 구간을 쓰고, 짝지은 구간에는 관찰된 상관을 함께 적습니다. "
        "시드가 {min_n}개보다 적으면 구간이 없고, 구간이 필요한 판정은 모두 '판단 불가'입니다. "
        "n ≤ 5에서는 부트스트랩이나 부호 뒤집기 검정이 말한 수준에 이를 수 없어 쓰지 않습니다.\n\n"
        "    - '거의 같다 / 향상 없음': 차이의 구간 전체가 ±허용 오차 안이면 일치, 전체가 밖이면 "
        "불일치, 그 밖에는 판단 불가.\n"
        "    - '더 높다 / 더 낮다': 구간 전체가 주장한 쪽이면 일치, 전체가 반대쪽이면 불일치, "
        "그 밖에는 "
        "판단 불가.\n"
        "    - 노트가 적은 수치(시드 없이 공식 데이터로 한 번 실행한 값)는 예측 구간 평균 ± "
        "t·표준편차·√(1 + 1/n)을 허용 오차만큼 넓힌 범위와 비교합니다. 우리 데이터는 CIFAR-10의 "
        "JPEG 사본입니다.\n\n"
        "    허용 오차는 실용적으로 의미 있는 차이이지 잡음 추정이 아닙니다: 정확도 "
        "{tol_acc}, 손실 "
        "{tol_loss}, 훈련 − 검증 간격 {tol_gap}. 시드 사이의 잡음은 구간 안에 들어갑니다. 구간은 "
        "고정된 검증·테스트 세트 하나 위에서 시드 사이의 편차만 다룹니다. 다른 검증 세트나 다른 "
        "데이터에서의 편차는 들어 있지 않습니다. 약 25개의 판정을 {level}로 내리면 그중 하나쯤은 "
        "우연만으로 틀릴 것으로 예상됩니다.\n",
        "glance_lead": "이 사이트가 직접 학습한 {n}개 Case의 테스트 정확도(학습에 쓰지 않은 "
        "이미지 {n_test:,}장)입니다. 값은 시드에 걸친 평균 ± 표준편차이고, n은 학습한 시드 수 / "
        "계획한 시드 수입니다. 어느 Case가 나은지는 아래 판정 기준으로만 말합니다.",
        "glance_item": "{name} (n = {n}): 테스트 정확도 {test} (검증 정확도, 마지막 5 에포크 평균 "
        "{val})",
        "cap_curves": "{title}의 학습 곡선(시드 {seeds}개): 정확도(왼쪽)와 손실(오른쪽). 노트의 두 "
        "그래프(정확도 위, 손실 아래)를 나란히 놓았고, 노트의 파란 점(훈련)은 파란 점, 파란 "
        "선(검증)은 주황색 선입니다. 가는 선은 시드 하나하나, 굵은 선은 시드 평균, 띠는 ±1 "
        "표준편차입니다. 아래 줄은 데이터와 실행의 출처입니다.",
        "cap_overlay": "Case별 검증 정확도(위)와 검증 손실(아래)을 Case마다 한 칸씩 같은 축 "
        "범위로 그렸습니다. 굵은 선은 시드 평균, 띠는 ±1 표준편차이고, 회색 선은 비교를 위한 기준 "
        "모델의 평균입니다. 시드 수: {ns}.",
        "cap_vs": "Case 4와 Case 5를 같은 축 범위로 나란히 놓았습니다. 위는 정확도, 아래는 "
        "손실입니다.",
        "cap_dropout": "Case 4에서 드롭아웃을 켠 훈련 지표(점), 검증 지표(선), 학습 뒤 드롭아웃을 "
        "끄고 잰 훈련 지표(마지막 에포크의 마름모).",
        "alt_overlay": "Case마다 한 칸씩 나눈 작은 그림들: 위 줄은 검증 정확도, 아래 줄은 검증 "
        "손실, 각 칸에 시드 평균과 ±1 표준편차 띠, 회색 기준 모델 평균",
        "alt_vs": "Case 4(드롭아웃 0.5)와 Case 5(드롭아웃 0.2)의 정확도와 손실 곡선을 같은 축 "
        "범위로 나란히 놓은 그림",
        "vs_text": "시드에 걸친 평균 ± 표준편차(Case 4 시드 {n4}개, Case 5 시드 {n5}개): 검증 "
        "정확도(마지막 5 에포크 평균)는 Case 4 {v4}, Case 5 {v5}이고, 테스트 정확도는 Case 4 {t4}, "
        "Case 5 {t5}입니다. 드롭아웃을 끄고 잰 훈련 − 검증 정확도 간격은 Case 4 {g4}, Case 5 "
        "{g5}입니다. 두 Case의 차이에 대한 판정은 아래 Case 5의 표에 있습니다.",
        "alt_dropout": "Case 4의 드롭아웃이 켜진 훈련 정확도와 손실(점), 검증 정확도와 손실(선), "
        "학습 뒤 드롭아웃을 끄고 평가한 훈련 세트 값(마지막 에포크의 마름모)",
        "dropout_text": "이 사이트의 실행들: {ours}. 과소적합 진단에 대한 판정: **{verdict}** — "
        "{why}.\n",
    },
    "en": {
        "baseline": "Baseline",
        "columns": (
            "Case",
            "Seeds (of planned)",
            "Val. acc., last 5 epochs",
            "Best val. acc.",
            "Val. loss, last 5 epochs",
            "Train − val. acc., dropout off",
            "Test acc.",
            "Parameters",
            "s / epoch",
        ),
        "n_of": "{n} of {planned}",
        "missing_seeds": "Planned seeds not trained yet: {list}.",
        "missing_case": "{name} seed {seeds}",
        "hardware_line": "Trained on: {hw}.",
        "not_trained": "not trained yet",
        "table_notes": "Every number is the mean ± standard deviation over the seeds trained for "
        "a case (the value itself for a single seed), profile `{profile}`; the 'Seeds' column "
        "gives n, the trained seeds of those planned. Epochs count from 1. 'Train − val.' is the "
        "trained model's accuracy on its training images in inference mode (dropout off) minus "
        "the last epoch's validation accuracy (ERRATA 43). s / epoch is the median. On {n:,} "
        "validation images the binomial standard error of one accuracy is about {se:.3f}. The "
        "standard deviations are seed-to-seed spread, on one fixed validation/test split only.",
        "downloads": "Downloads: [CSV](downloads/results.csv) · "
        "[JSON, with per-epoch history and provenance](downloads/runs.json)",
        "missing_title": "Not trained yet",
        "missing_body": "The run of {names} (profile `notes`) has not been trained yet, so "
        "there is no figure and no number here. Train it with `{cmd}` and rebuild the site; "
        "they then appear here.",
        "alt_curves": "Learning curves of {title} ({seeds} seeds): training (blue) and "
        "validation (orange) accuracy over epochs 1–{n} on the left, loss on the right, a thin "
        "line per seed, the mean thick, a ±1 sd band",
        "our_runs": "**This site's runs** ({n} of {planned} planned seeds: seed {seeds}{missing}; "
        "{epochs} epochs; mean ± sd): validation accuracy (mean of the last 5 epochs) {val} "
        "(binomial standard error of one run about ±{se_val} on {n_val:,} validation images), "
        "test accuracy {test} ({n_test:,} test images), training accuracy with dropout off "
        "{off}, train − validation accuracy with dropout off {gap}, {params:,} parameters.\n",
        "our_missing": "; not trained yet: seed {seeds}",
        "box_missing": "This case's runs are not trained yet, so this site has no conclusion yet.",
        "claims_lead": "The notes' claims beside this site's runs (every committed seed):\n",
        "claims_head": ("The notes say", "Our run", "Verdict"),
        "rules": '??? note "How the verdicts are decided"\n'
        "    The verdicts follow the rules written in `cnnnotes/experiments/stats.py`, committed before any "
        "run with a seed other than 0 existed. Each run is summarised by numbers one epoch "
        "cannot swing: validation accuracy and loss as the mean of the last {last} epochs, the "
        "best validation accuracy and its epoch, the test accuracy, and the trained model's "
        "train − validation accuracy gap measured with dropout **off** (ERRATA 43). Intervals "
        "are two-sided {level} t-intervals over seeds. Cases whose runs share their initial "
        "weights and batch order for the same seed (the same layer shapes: the baseline and "
        "Cases 3, 4 and 5) are compared seed by seed (a paired interval, with the observed "
        "correlation between the cases); the others (Cases 1 and 2) with Welch's interval. "
        "With fewer than {min_n} seeds there is no interval, and every verdict that needs one "
        "is 'can't tell'. At n ≤ 5 a bootstrap or a sign-flip test cannot reach the stated "
        "level, so none is used.\n\n"
        "    - 'About the same / no gain': the whole interval of the difference inside ± the "
        "tolerance → agree; wholly outside → disagree; otherwise can't tell.\n"
        "    - 'Higher / lower': the interval entirely on the claimed side → agree; entirely on "
        "the other side → disagree; otherwise can't tell.\n"
        "    - A number the notes quote (one unseeded run on the official data) is compared with "
        "the prediction interval mean ± t·sd·√(1 + 1/n), widened by the tolerance; our data is "
        "a JPEG copy of CIFAR-10.\n\n"
        "    The tolerances are margins of practical importance, not noise estimates: {tol_acc} "
        "in accuracy, {tol_loss} in loss, {tol_gap} in the train − validation gap; seed noise "
        "goes inside the intervals. The intervals cover seed-to-seed variation on one fixed "
        "validation/test split only, not the variation from one validation set or dataset to "
        "another. With about 25 verdicts at {level}, about one is expected to be wrong by "
        "chance.\n",
        "glance_lead": "Test accuracy ({n_test:,} images never used in training) of the {n} cases "
        "this site trained itself, as mean ± sd over seeds, with n the trained seeds of those "
        "planned. Which case is better is said only by the verdict rules below.",
        "glance_item": "{name} (n = {n}): test accuracy {test} (validation accuracy, mean of the "
        "last 5 epochs, {val})",
        "cap_curves": "Learning curves of {title} ({seeds} seeds): accuracy (left) and loss "
        "(right). The notes' two plots (accuracy above, loss below) sit side by side; the notes' "
        "blue dots (training) are blue dots here, their blue line (validation) is the orange "
        "line. Thin lines are single seeds, the thick line their mean, the band ±1 sd. The "
        "bottom line names the data and the runs.",
        "cap_overlay": "Validation accuracy (top) and validation loss (bottom), one panel per "
        "case on shared axes: the thick line is the mean over seeds, the band ±1 sd, and the "
        "grey line the baseline's mean for reference. Seeds: {ns}.",
        "cap_vs": "Case 4 and Case 5 side by side on the same axis ranges: accuracy above, "
        "loss below.",
        "cap_dropout": "Case 4: training metrics with dropout on (dots), validation (line), and "
        "the training set measured with dropout off after the last epoch (diamond).",
        "alt_overlay": "Small multiples, one panel per case: validation accuracy in the top "
        "row, validation loss in the bottom row, each with the mean over seeds, a ±1 sd band "
        "and the baseline's mean in grey",
        "alt_vs": "Accuracy and loss curves of Case 4 (dropout 0.5) and Case 5 (dropout 0.2) "
        "side by side on the same axis ranges",
        "vs_text": "Mean ± sd over seeds (Case 4: {n4} seeds, Case 5: {n5}): validation "
        "accuracy (mean of the last 5 epochs) Case 4 {v4}, Case 5 {v5}; test accuracy Case 4 "
        "{t4}, Case 5 {t5}. The train − validation accuracy gap measured with dropout off is "
        "{g4} for Case 4 and {g5} for Case 5. The verdicts on their difference are in Case 5's "
        "table below.",
        "alt_dropout": "Case 4: training accuracy and loss with dropout on (dots), validation "
        "(line), and the training set evaluated with dropout off after the last epoch "
        "(diamond)",
        "dropout_text": "This site's runs: {ours}. Verdict on the underfitting diagnosis: "
        "**{verdict}** — {why}.\n",
    },
}
