"""The notes' experiments as frozen data: the cases (what is trained) and the profiles (how long).

A :class:`Case` holds the architecture and the optimizer; a :class:`Profile` holds
the epochs, the batch size, the validation split, the data subset and the seed.
The notes' own settings are the ``notes`` profile; ``quick`` is a tiny one for
tests and CI. Only the hyper-parameters of a case enter a run's key (see
:meth:`Case.hyperparameters`); titles and notes are presentation.

The cases (`Case 1`, `Case 2` and `Case 5` have no code in the notes, so what the
notes leave unsaid is recorded in :attr:`Case.assumed_ko` / :attr:`Case.assumed_en`):

========  ==========================================================
baseline  Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10, RMSprop
case1     pool size 1×1 (max pooling becomes the identity)
case2     first convolution with 64 filters
case3     Adam instead of RMSprop
case4     Adam + Dropout(0.5) after Dense64
case5     Adam + Dropout(0.2) after Dense64
========  ==========================================================
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from cnnnotes.errors import CnnnotesError

__all__ = [
    "CASES",
    "DEFAULT_ORDER",
    "NOTES",
    "PROFILES",
    "QUICK",
    "Case",
    "CaseError",
    "Profile",
    "get_case",
    "get_profile",
]

Optimizer = Literal["rmsprop", "adam"]
# Same as cnnnotes.style.Lang, spelled out: the run key hashes the code of Case and Profile
# with the cnnnotes modules this module imports, and a figure style change must not
# invalidate hours of training.
Lang = Literal["ko", "en"]
_OPTIMIZERS: tuple[str, ...] = ("rmsprop", "adam")


class CaseError(CnnnotesError, ValueError):
    """A case or profile is invalid or unknown; the message names the field or the name."""


def _require(ok: bool, owner: str, field: str, message: str) -> None:
    if not ok:
        raise CaseError(f"{owner}.{field}: {message}")


@dataclass(frozen=True)
class Case:
    """One experiment of the notes: a CNN architecture and its optimizer.

    Conv(filters[0]) → MaxPool(pool_size) → Conv(filters[1]) → MaxPool(pool_size) →
    Conv(filters[2]) → Flatten → Dense(dense_units) → [Dropout(dropout)] → Dense(10, softmax),
    ``kernel_size``×``kernel_size`` kernels, ReLU, categorical cross-entropy.

    Attributes
    ----------
    name
        Stable identifier (``baseline``, ``case1`` …), used in paths and on the CLI.
    title_ko, title_en
        Localized title for pages and figures.
    filters
        Filters of the three convolution layers.
    kernel_size
        Side of the square convolution kernels.
    pool_size
        Side (and stride) of the square max-pooling windows; 1 makes pooling the identity.
    dense_units
        Units of the hidden fully connected layer.
    dropout
        Dropout rate after the hidden dense layer; 0 means no Dropout layer.
    optimizer
        ``"rmsprop"`` or ``"adam"`` with Keras defaults.
    learning_rate
        Learning rate of the optimizer (both Keras defaults are 1e-3).
    assumed_ko, assumed_en
        What the notes leave unsaid and we assumed (empty when the notes show the code).
    """

    name: str
    title_ko: str
    title_en: str
    filters: tuple[int, int, int] = (32, 64, 64)
    kernel_size: int = 3
    pool_size: int = 2
    dense_units: int = 64
    dropout: float = 0.0
    optimizer: Optimizer = "rmsprop"
    learning_rate: float = 1e-3
    assumed_ko: str = ""
    assumed_en: str = ""

    def __post_init__(self) -> None:
        own = "Case"
        _require(bool(self.name) and self.name.isidentifier(), own, "name", f"{self.name!r}")
        _require(bool(self.title_ko and self.title_en), own, "title_ko/title_en", "empty")
        _require(
            isinstance(self.filters, tuple)
            and len(self.filters) == 3
            and all(isinstance(f, int) and f >= 1 for f in self.filters),
            own,
            "filters",
            f"expected three positive ints, got {self.filters!r}",
        )
        for field in ("kernel_size", "pool_size", "dense_units"):
            value = getattr(self, field)
            _require(isinstance(value, int) and value >= 1, own, field, f"{value!r} < 1")
        _require(0.0 <= self.dropout < 1.0, own, "dropout", f"{self.dropout!r} not in [0, 1)")
        _require(self.optimizer in _OPTIMIZERS, own, "optimizer", f"{self.optimizer!r}")
        _require(self.learning_rate > 0, own, "learning_rate", f"{self.learning_rate!r} <= 0")

    def title(self, lang: Lang) -> str:
        """The localized title."""
        return self.title_ko if lang == "ko" else self.title_en

    def assumed(self, lang: Lang) -> str:
        """What we assumed where the notes show no code (``""`` when nothing)."""
        return self.assumed_ko if lang == "ko" else self.assumed_en

    def hyperparameters(self) -> dict[str, Any]:
        """The fields that decide what training computes (the case's part of a run key)."""
        skip = {"name", "title_ko", "title_en", "assumed_ko", "assumed_en"}
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in skip
        }


@dataclass(frozen=True)
class Profile:
    """How a case is trained: length, batch size, data and seed.

    Attributes
    ----------
    name
        Stable identifier (``notes``, ``quick``), used in the committed results path.
    epochs
        Number of epochs.
    batch_size
        Mini-batch size (for training and evaluation).
    validation_split
        Fraction taken from the **end** of the training arrays for validation, as Keras does.
    train_subset, test_subset
        Use only the first this many training / test images (``None``: all of them).
    seed
        Seed of weight initialisation, shuffling and dropout.
    """

    name: str
    epochs: int
    batch_size: int
    validation_split: float
    train_subset: int | None
    test_subset: int | None
    seed: int

    def __post_init__(self) -> None:
        own = "Profile"
        _require(bool(self.name) and self.name.isidentifier(), own, "name", f"{self.name!r}")
        _require(self.epochs >= 1, own, "epochs", f"{self.epochs!r} < 1")
        _require(self.batch_size >= 1, own, "batch_size", f"{self.batch_size!r} < 1")
        _require(
            0.0 < self.validation_split < 1.0,
            own,
            "validation_split",
            f"{self.validation_split!r} not in (0, 1)",
        )
        for field in ("train_subset", "test_subset"):
            value = getattr(self, field)
            _require(value is None or value >= 1, own, field, f"{value!r} < 1")
        _require(self.seed >= 0, own, "seed", f"{self.seed!r} < 0")

    def settings(self) -> dict[str, Any]:
        """The fields that decide what training computes (the profile's part of a run key)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "name"}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


_RMSPROP_ASSUMED = (
    "옵티마이저는 노트에 코드가 없어 기준 모델과 같은 RMSprop으로 가정",
    "optimizer assumed RMSprop as in the baseline (the notes show no code)",
)

#: The notes' experiments, in the notes' order.
CASES: dict[str, Case] = {
    c.name: c
    for c in (
        Case("baseline", "기준 모델", "Baseline"),
        Case(
            "case1",
            "Case 1: 풀링 크기 2×2 → 1×1",
            "Case 1: pool size 2×2 → 1×1",
            pool_size=1,
            assumed_ko=_RMSPROP_ASSUMED[0],
            assumed_en=_RMSPROP_ASSUMED[1],
        ),
        Case(
            "case2",
            "Case 2: 필터 (32, 64, 64) → (64, 64, 64)",
            "Case 2: filters (32, 64, 64) → (64, 64, 64)",
            filters=(64, 64, 64),
            assumed_ko=_RMSPROP_ASSUMED[0],
            assumed_en=_RMSPROP_ASSUMED[1],
        ),
        Case(
            "case3", "Case 3: 옵티마이저 RMSprop → Adam", "Case 3: RMSprop → Adam", optimizer="adam"
        ),
        Case(
            "case4",
            "Case 4: 드롭아웃(0.5) + Adam",
            "Case 4: dropout (0.5) + Adam",
            optimizer="adam",
            dropout=0.5,
        ),
        Case(
            "case5",
            "Case 5: 드롭아웃 비율 0.5 → 0.2",
            "Case 5: dropout rate 0.5 → 0.2",
            optimizer="adam",
            dropout=0.2,
            assumed_ko="옵티마이저는 노트에 코드가 없어 Case 4와 같은 Adam으로 가정",
            assumed_en="optimizer assumed Adam as in Case 4 (the notes show no code)",
        ),
    )
}

#: Training order when none is given: Case 1 (the longest run) first.
DEFAULT_ORDER: tuple[str, ...] = ("case1", "baseline", "case2", "case3", "case4", "case5")

#: The notes' settings: 20 epochs, batch 256, last 20 % for validation, all the data.
NOTES = Profile(
    "notes",
    epochs=20,
    batch_size=256,
    validation_split=0.2,
    train_subset=None,
    test_subset=None,
    seed=0,
)

#: Seconds, not minutes: the first 1,000 training and 200 test images, 2 epochs.
QUICK = Profile(
    "quick",
    epochs=2,
    batch_size=64,
    validation_split=0.2,
    train_subset=1000,
    test_subset=200,
    seed=0,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (NOTES, QUICK)}


def get_case(name: str) -> Case:
    """The case called ``name``; raises :class:`CaseError` naming the known ones."""
    try:
        return CASES[name]
    except KeyError:
        raise CaseError(f"case: unknown {name!r} (known: {', '.join(CASES)})") from None


def get_profile(name: str) -> Profile:
    """The profile called ``name``; raises :class:`CaseError` naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise CaseError(f"profile: unknown {name!r} (known: {', '.join(PROFILES)})") from None
