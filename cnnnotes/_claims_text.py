"""The words of :mod:`cnnnotes.claims`, one table per language.

``claims`` holds what the notes say (the author's numbers, quoted as the author
wrote them); the other entries phrase our numbers and the reasons of verdicts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT"]

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
        "within": "노트의 값 {target}에서 {tol} 이내",
        "outside": "노트의 값 {target}에서 {tol} 넘게 벗어남",
        "inside": "차이 {diff}: 실행 간 기준 ±{noise} 안",
        "beyond": "차이 {diff}: 실행 간 기준 ±{noise} 밖",
        "cannot": "; 설정마다 한 번씩 실행한 결과로는 가릴 수 없음",
        "needs": "{other} 실행과 비교해야 하는데, 그 실행은 아직 학습 전",
        "from_to": "에포크 {e0} → {e1}: {a} → {b}",
        "late_flat": "마지막 5 에포크 동안 {noise}보다 크게 줄지 않음",
        "late_falls": "마지막 5 에포크 동안에도 {drop} 줄어듦({noise}보다 큼)",
        "best_gain": "최고 {best}(에포크 {k}); 에포크 {turn} 이후의 추가 상승 {gain}",
        "low_final": "최저 {low}(에포크 {k}), 최종 {last}",
        "turn_yes": "에포크 {k}(6~8 ± 1)에서 최저, 이후 {rise} 상승({noise}보다 큼)",
        "turn_no": "에포크 5~9에서 최저가 되고 이후 {noise}보다 크게 올라야 하는데, 최저는 "
        "에포크 {k}, 이후 상승은 {rise}",
        "gap_from_to": "에포크 {turn}의 간격 {a}, 최종 간격 {b}",
        "baseline": "기준 모델",
        "rmsprop": "RMSprop(기준 모델)",
        "params": "파라미터 {n}개",
        "params_ref": " (기준 모델 {n}개)",
        "vs": "{a} ({ref} {b})",
        "test_vs": "테스트 정확도 {a} ({ref} {b})",
        "hypothesis": "학습 곡선으로는 보일 수 없는 가설 (ERRATA 37)",
        "one_run": "경향을 말하려면 실행을 반복해야 하며, 설정마다 한 번의 실행으로는 보일 수 "
        "없음 (ERRATA 41)",
        "dropout_ours": "훈련 {on}(드롭아웃 켬), {off}(드롭아웃 끔); 검증 {val}",
        "dropout_ref": "; 드롭아웃을 끄면 훈련 정확도 {lift} (드롭아웃 없는 Case 3: {lift3})",
        "no_off": "이 실행에는 드롭아웃을 끈 훈련 세트 평가가 없음",
        "dropout_effect": "검증 정확도가 드롭아웃을 켠 훈련 정확도 이상이고, 드롭아웃을 끄면 "
        "훈련 정확도가 {lift} 오름: 낮은 훈련 곡선은 과소적합이 아니라 드롭아웃의 효과 "
        "(ERRATA 43)",
        "really_low": "드롭아웃을 꺼도 훈련 정확도가 {lift}(기준 {noise} 이하)밖에 오르지 않음: "
        "모델이 실제로 훈련 이미지에 덜 적합함",
        "mixed": "드롭아웃을 끄면 훈련 정확도가 오르지만 검증 정확도는 그보다 낮음: 한 번의 "
        "실행으로는 어느 쪽인지 가릴 수 없음",
        "ideal_ours": "최종 훈련–검증 정확도 간격 {g5} (Case 3: {g3}); 최종 검증 손실이 최저보다 "
        "{rise} 높음",
        "ideal_yes": "간격이 Case 3보다 {noise} 넘게 작고, 검증 손실이 최저에서 {lnoise} 이내로 "
        "끝남",
        "ideal_no": "Case 3보다 {noise} 넘게 작은 간격과, 최저에서 {lnoise} 이내로 끝나는 검증 "
        "손실이 함께 필요함",
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
        "within": "within {tol} of the notes' {target}",
        "outside": "more than {tol} away from the notes' {target}",
        "inside": "difference {diff}, inside the ±{noise} run-to-run threshold",
        "beyond": "difference {diff}, beyond the ±{noise} run-to-run threshold",
        "cannot": "; one run per setting cannot tell",
        "needs": "needs the {other} run, which is not trained yet",
        "from_to": "epoch {e0} → {e1}: {a} → {b}",
        "late_flat": "does not fall by more than {noise} over the last five epochs",
        "late_falls": "still falls by {drop} over the last five epochs (more than {noise})",
        "best_gain": "best {best} at epoch {k}; further gain after epoch {turn}: {gain}",
        "low_final": "lowest {low} at epoch {k}; final {last}",
        "turn_yes": "lowest at epoch {k} (6–8 ± 1), then rises by {rise} (more than {noise})",
        "turn_no": "needs the lowest at epoch 5–9 and a later rise of more than {noise}; "
        "lowest at epoch {k}, later rise {rise}",
        "gap_from_to": "gap {a} at epoch {turn}, {b} at the end",
        "baseline": "baseline",
        "rmsprop": "RMSprop (baseline)",
        "params": "{n} parameters",
        "params_ref": " (baseline {n})",
        "vs": "{a} (vs {ref} {b})",
        "test_vs": "test accuracy {a} (vs {ref} {b})",
        "hypothesis": "a hypothesis the learning curves cannot show (ERRATA 37)",
        "one_run": "a tendency needs repeated runs; one run per setting cannot show it (ERRATA 41)",
        "dropout_ours": "training {on} with dropout on, {off} with dropout off; validation {val}",
        "dropout_ref": "; dropout off lifts training accuracy by {lift} (Case 3, no dropout: "
        "{lift3})",
        "no_off": "the run has no evaluation of the training set with dropout off",
        "dropout_effect": "validation accuracy is at or above the dropout-on training accuracy, "
        "and switching dropout off lifts training accuracy by {lift}: the low training curve is "
        "the dropout effect, not underfitting (ERRATA 43)",
        "really_low": "even with dropout off, training accuracy rises by only {lift} (at most "
        "{noise}): the model really does fit the training images less",
        "mixed": "dropout off lifts training accuracy, but validation stays below the "
        "dropout-on curve: one run cannot tell which reading holds",
        "ideal_ours": "final train–validation gap {g5} (Case 3: {g3}); final validation loss "
        "{rise} above its lowest",
        "ideal_yes": "the gap is smaller than Case 3's by more than {noise}, and the validation "
        "loss ends within {lnoise} of its lowest",
        "ideal_no": "needs both a gap smaller than Case 3's by more than {noise} and a final "
        "validation loss within {lnoise} of its lowest",
    },
}
