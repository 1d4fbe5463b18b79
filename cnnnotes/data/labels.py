"""Words that figures and generated tables share, one table per language.

Figure modules keep strings used by one figure only in a small table of their
own; anything two modules say goes here, so both languages stay in step.
"""

from __future__ import annotations

from cnnnotes.site.style import Lang

__all__ = ["CLASS_NAMES", "TEXT", "class_names", "t"]

#: CIFAR-10 class order (label 0..9), as Keras and the official archive use it.
CLASS_NAMES: tuple[str, ...] = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip

_CLASS_NAMES_KO: tuple[str, ...] = (
    "비행기", "자동차", "새", "고양이", "사슴",
    "개", "개구리", "말", "배", "트럭",
)  # fmt: skip

TEXT: dict[Lang, dict[str, str]] = {
    "ko": {
        "epoch": "에포크",
        "accuracy": "정확도",
        "loss": "손실",
        "train_acc": "훈련 정확도",
        "val_acc": "검증 정확도",
        "train_loss": "훈련 손실",
        "val_loss": "검증 손실",
        "input": "입력",
        "filter": "필터",
        "feature_map": "특성 맵",
        "activation_map": "활성화 맵",
        "drawn_by": "코드로 그림",
        "notebook_download": "노트북 내려받기",
        "notebook_with_outputs": "실행 결과 포함",
        "notebook_code_only": "코드만 (실행 전)",
        "data": "데이터",
        "offline_copy": "오프라인 사본(JPEG 재압축)",
        "fingerprint": "지문",
        "profile": "프로필",
        "seed": "시드",
        "earlier_code": "이전 버전의 학습 코드로 학습됨",
    },
    "en": {
        "epoch": "Epoch",
        "accuracy": "Accuracy",
        "loss": "Loss",
        "train_acc": "Training accuracy",
        "val_acc": "Validation accuracy",
        "train_loss": "Training loss",
        "val_loss": "Validation loss",
        "input": "Input",
        "filter": "Filter",
        "feature_map": "Feature map",
        "activation_map": "Activation map",
        "drawn_by": "drawn by code",
        "notebook_download": "Download the notebook",
        "notebook_with_outputs": "with outputs",
        "notebook_code_only": "code only (not run)",
        "data": "data",
        "offline_copy": "offline copy (JPEG-recompressed)",
        "fingerprint": "fingerprint",
        "profile": "profile",
        "seed": "seed",
        "earlier_code": "trained with an earlier version of the training code",
    },
}


def t(key: str, lang: Lang) -> str:
    """The word for ``key`` in ``lang``; a missing key is a bug, so it raises."""
    try:
        return TEXT[lang][key]
    except KeyError:
        raise KeyError(f"no label {key!r} for language {lang!r}") from None


def class_names(lang: Lang) -> tuple[str, ...]:
    """CIFAR-10 class names in label order, localized."""
    return _CLASS_NAMES_KO if lang == "ko" else CLASS_NAMES
