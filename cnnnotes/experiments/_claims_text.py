"""The words of :mod:`cnnnotes.experiments.claims`, one table per language.

``claims`` holds what the notes say (the author's numbers, quoted as the author
wrote them); the other entries phrase our numbers and the reasons of verdicts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT"]

_KO: dict[str, Any] = {
    "measures": {
        "val_accuracy_last5": "검증 정확도(마지막 5 에포크 평균)",
        "val_loss_last5": "검증 손실(마지막 5 에포크 평균)",
        "best_val_accuracy": "최고 검증 정확도",
        "test_accuracy": "테스트 정확도",
        "gap": "훈련 − 검증 정확도(드롭아웃 끔)",
        "train_accuracy_last5": "훈련 정확도(마지막 5 에포크 평균)",
        "train_loss_last5": "훈련 손실(마지막 5 에포크 평균)",
        "train_accuracy_off": "드롭아웃을 끈 훈련 정확도",
        "late_change": "검증 손실, 마지막 5 에포크 평균 − 그 앞 5 에포크 평균",
        "gain_after_turn": "검증 정확도, 에포크 8 이후 최고 − 그 전 최고",
        "rise_after_turn": "검증 손실, 마지막 5 에포크 평균 − 에포크 6~8 평균",
        "gap_widening": "훈련 − 검증 정확도, 마지막 5 에포크 평균 − 에포크 8",
    },
    "methods": {"paired": "시드별 짝지음", "welch": "Welch", "one-sample": "단일 표본"},
    "quoted_ours": "{measure}: {mean} (n = {n}); 다음 실행의 95% 예측 구간 {low}~{high}",
    "ours_n": "{measure}: {mean} (n = {n})",
    "relation_ours": "{measure}: {a} ({ref} {b}); 차이 {est}, 95% 구간 {low} ~ {high} "
    "({method}, n = {n}{r})",
    "relation_ours_n": "{measure}: {a} ({ref} {b}); 차이 {est} ({method}, n = {n})",
    "shape_ours": "{measure}: {est}, 95% 구간 {low} ~ {high} (n = {n})",
    "shape_ours_n": "{measure}: {est} (n = {n})",
    "corr": ", 상관 {r}",
    "within": "노트의 값 {target}이 우리 실행이 한 번 더 나올 범위(95% 예측 구간)에서 {tol} "
    "이내. 우리 데이터는 CIFAR-10의 JPEG 사본",
    "outside": "노트의 값 {target}이 우리 실행이 한 번 더 나올 범위({low}~{high})에서 {tol} 넘게 "
    "벗어남. 우리 데이터는 CIFAR-10의 JPEG 사본",
    "too_few": "시드가 {min_n}개보다 적어(n = {n}) 구간이 없으므로 판단할 수 없음",
    "same_agree": "측정할 만한 차이 없음: 구간 전체가 ±{tol} 안",
    "same_higher": "측정할 만큼 높음: 구간 전체가 +{tol}보다 위",
    "same_lower": "측정할 만큼 낮음: 구간 전체가 −{tol}보다 아래",
    "same_unclear": "구간이 ±{tol}에 걸쳐 있어 판단할 수 없음",
    "dir_higher": "측정할 만큼 높음: 구간 전체가 0보다 위",
    "dir_lower": "측정할 만큼 낮음: 구간 전체가 0보다 아래",
    "dir_unclear": "구간이 0을 포함해 판단할 수 없음",
    "needs": "{other}의 실행과 비교해야 하는데, 그 실행은 아직 학습 전",
    "hypothesis": {
        "filters_suffice": "학습 곡선으로는 보일 수 없는 가설 (ERRATA 37)",
    },
    "why_notes": {
        "underfitting": "드롭아웃을 양쪽 다 끄고 같은 네트워크(Case 3)와 비교한 것이며, 이것이 "
        "'과소적합'인지는 정도의 문제임 (ERRATA 43)",
    },
    "box": "이 사이트의 실행(Case마다 시드 {n}개)으로 말할 수 있는 결론: **{verdict}** — {why} "
    "({ours}).",
    "baseline": "기준 모델",
}

_EN: dict[str, Any] = {
    "measures": {
        "val_accuracy_last5": "validation accuracy, mean of the last 5 epochs",
        "val_loss_last5": "validation loss, mean of the last 5 epochs",
        "best_val_accuracy": "best validation accuracy",
        "test_accuracy": "test accuracy",
        "gap": "train − validation accuracy, dropout off",
        "train_accuracy_last5": "training accuracy, mean of the last 5 epochs",
        "train_loss_last5": "training loss, mean of the last 5 epochs",
        "train_accuracy_off": "training accuracy with dropout off",
        "late_change": "validation loss, mean of the last 5 epochs minus the 5 before",
        "gain_after_turn": "validation accuracy, best after epoch 8 minus best before",
        "rise_after_turn": "validation loss, mean of the last 5 epochs minus epochs 6–8",
        "gap_widening": "train − validation accuracy, last 5 epochs' mean minus epoch 8",
    },
    "methods": {"paired": "paired by seed", "welch": "Welch", "one-sample": "one sample"},
    "quoted_ours": "{measure}: {mean} (n = {n}); one more run would fall in {low}–{high} "
    "(95 % prediction interval)",
    "ours_n": "{measure}: {mean} (n = {n})",
    "relation_ours": "{measure}: {a} (vs {ref} {b}); difference {est}, 95 % interval {low} to "
    "{high} ({method}, n = {n}{r})",
    "relation_ours_n": "{measure}: {a} (vs {ref} {b}); difference {est} ({method}, n = {n})",
    "shape_ours": "{measure}: {est}, 95 % interval {low} to {high} (n = {n})",
    "shape_ours_n": "{measure}: {est} (n = {n})",
    "corr": ", correlation {r}",
    "within": "the notes' {target} is within {tol} of where one more of our runs would fall "
    "(95 % prediction interval); our data is a JPEG copy of CIFAR-10",
    "outside": "the notes' {target} is more than {tol} outside where one more of our runs "
    "would fall ({low}–{high}); our data is a JPEG copy of CIFAR-10",
    "too_few": "fewer than {min_n} seeds (n = {n}): no interval, so we can't tell",
    "same_agree": "no measurable difference: the whole interval lies within ±{tol}",
    "same_higher": "measurably higher: the whole interval lies above +{tol}",
    "same_lower": "measurably lower: the whole interval lies below −{tol}",
    "same_unclear": "the interval straddles ±{tol}, so we can't tell",
    "dir_higher": "measurably higher: the whole interval lies above 0",
    "dir_lower": "measurably lower: the whole interval lies below 0",
    "dir_unclear": "the interval includes 0, so we can't tell",
    "needs": "needs the {other} runs, which are not trained yet",
    "hypothesis": {
        "filters_suffice": "a hypothesis the learning curves cannot show (ERRATA 37)",
    },
    "why_notes": {
        "underfitting": "compared with the same network without dropout (Case 3), dropout off "
        "on both sides; whether that amounts to 'underfitting' is a matter of degree (ERRATA 43)",
    },
    "box": "What this site's runs support (n = {n} per case): **{verdict}** — {why} ({ours}).",
    "baseline": "baseline",
}

TEXT: dict[str, dict[str, Any]] = {
    "ko": {
        "claims": {
            "train_acc_079": "최종 훈련 정확도 약 0.79",
            "val_acc_069": "최종 검증 정확도 약 0.69",
            "train_loss_061": "최종 훈련 손실 약 0.61",
            "val_loss_095": "최종 검증 손실 약 0.95~1.0",
            "late_flat": "후반에 검증 손실이 정체되거나 약간 상승",
            "to_one": "훈련 정확도가 꾸준히 올라 1.0에 가깝게 도달",
            "val_060": "최종 검증 정확도 대략 0.6~0.65",
            "val_stalls": "검증 정확도가 약 6~8번째 에포크(노트 그래프의 5~7) 이후 거의 "
            "증가하지 않음",
            "val_loss_turns": "검증 손실이 약 6~8번째 에포크까지 감소하다가 이후 증가",
            "gap_widens": "훈련 정확도와 검증 정확도의 간격이 점점 벌어짐",
            "no_gain_acc": "성능 향상 없음: 최종 검증 정확도가 기준 모델보다 유의미하게 높지 않음",
            "no_gain_loss": "최종 검증 손실도 기준 모델보다 유의미하게 낮지 않음",
            "same_gap": "훈련과 검증의 간격이 기준 모델과 거의 같음",
            "filters_suffice": "이미 32개 필터로 충분하며, 늘린 필터들은 중복되어 비효율적",
            "adam_train_loss": "Adam의 최종 훈련 손실 약 0.79 (RMSprop 약 0.61)",
            "adam_val_loss": "Adam의 최종 검증 손실 약 0.9",
            "same_as_rmsprop": "검증 정확도가 RMSprop과 거의 같음",
            "lower_val_loss": "Adam의 최종 검증 손실이 RMSprop(0.95~1.0)보다 낮아 과적합 징후가 "
            "완화되었을 수 있음",
            "tendency": "Adam은 RMSprop만큼 훈련 데이터에 '과하게' 맞추려 하지 않는 경향",
            "train_acc_065": "훈련 정확도가 0.65 수준에서 멈춤",
            "train_loss_095": "훈련 손실이 0.95 정도에 머묾",
            "underfitting": "과소적합: 모델이 훈련 데이터 자체도 충분히 학습하지 못함",
            "beats_case4": "Case 4(드롭아웃 0.5)보다 정확도가 향상됨 (검증 정확도)",
            "beats_case3": "전반적인 성능 향상: 드롭아웃 없는 Case 3과 테스트 세트로 확인 "
            "(ERRATA 49)",
            "ideal_curve": "더 이상적인 학습 곡선: 훈련과 검증이 가깝게 함께 감",
        },
        **_KO,
    },
    "en": {
        "claims": {
            "train_acc_079": "Final training accuracy ≈ 0.79",
            "val_acc_069": "Final validation accuracy ≈ 0.69",
            "train_loss_061": "Final training loss ≈ 0.61",
            "val_loss_095": "Final validation loss ≈ 0.95–1.0",
            "late_flat": "Validation loss flat or slightly rising late in training",
            "to_one": "Training accuracy rises steadily to close to 1.0",
            "val_060": "Final validation accuracy roughly 0.6–0.65",
            "val_stalls": "Validation accuracy hardly rises after about epoch 6–8 (the notes' "
            "5–7 on a 0-based axis)",
            "val_loss_turns": "Validation loss falls until about epoch 6–8, then rises",
            "gap_widens": "The gap between training and validation accuracy keeps widening",
            "no_gain_acc": "No gain: final validation accuracy not meaningfully better than "
            "the baseline's",
            "no_gain_loss": "Nor is the final validation loss meaningfully lower",
            "same_gap": "The train–validation gap stays about the same as the baseline's",
            "filters_suffice": "32 filters already suffice; the extra filters duplicate one "
            "another",
            "adam_train_loss": "Final training loss ≈ 0.79 with Adam (vs ≈ 0.61 with RMSprop)",
            "adam_val_loss": "Final validation loss ≈ 0.9 with Adam",
            "same_as_rmsprop": "About the same validation accuracy as RMSprop",
            "lower_val_loss": "Lower final validation loss than RMSprop (0.95–1.0), so the "
            "signs of overfitting may have eased",
            "tendency": 'Adam tends not to fit the training data as "aggressively" as RMSprop',
            "train_acc_065": "Training accuracy stops at about 0.65",
            "train_loss_095": "Training loss stays at about 0.95",
            "underfitting": "Underfitting: the model does not fit even the training data",
            "beats_case4": "Higher accuracy than Case 4 (dropout 0.5), in validation accuracy",
            "beats_case3": "Better overall performance, checked against no dropout (Case 3) "
            "on the test set (ERRATA 49)",
            "ideal_curve": "A more ideal learning curve: training and validation stay close",
        },
        **_EN,
    },
}
