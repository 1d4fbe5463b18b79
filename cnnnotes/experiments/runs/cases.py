"""The notes' experiments as frozen data: the cases (what is trained) and the profiles (how long).

A :class:`Case` holds the architecture and the optimizer; a :class:`Profile` holds
the epochs, the batch size, the validation split, the data subset and the planned seeds.
The notes' own settings are the ``notes`` profile; ``quick`` is a tiny one for
tests and CI. Only the hyper-parameters of a case enter a run's key (see
:meth:`Case.hyperparameters`). Titles, and what we assumed where the notes show no
code (`Case 1`, `Case 2` and `Case 5`), are words: they live in the catalogue
(:mod:`cnnnotes.i18n`, keys ``case.<name>.title`` and ``case.<name>.assumed``).

The cases:

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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from cnnnotes import reads
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs import architecture
from cnnnotes.i18n import Lang, has, share, t

__all__ = [
    "CASES",
    "KEYED_WHEN_SET",
    "NOTES",
    "PROFILES",
    "QUICK",
    "Case",
    "CaseError",
    "Profile",
    "cost",
    "default_order",
    "get_case",
    "get_profile",
]

Optimizer = Literal["rmsprop", "adam"]
_OPTIMIZERS: tuple[str, ...] = ("rmsprop", "adam")


class CaseError(CnnnotesError, ValueError):
    """A case or profile is invalid or unknown; the message names the field or the name."""


def _owner(kind: str, name: object) -> str:
    """How errors name a case or profile (``case 'case1'``); the name itself must be valid."""
    own = f"{kind} {name!r}"
    _require(isinstance(name, str) and name.isidentifier(), own, "name", "not an identifier")
    return own


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
    epochs
        Epochs for this case when it differs from its profile's (None: the profile's).
        A run key holds it only when set, so the notes' cases keep their keys.
    anchor
        Where the case's section lives, as a link from the cases page (empty: the
        section ``#case-<n>`` the cases page generates for a case named ``case<n>``).
    parent
        For an experiment beyond the notes, the notes case it varies (empty for the
        notes' own cases). Only pages read it; it never enters a run key.
    """

    name: str
    filters: tuple[int, int, int] = (32, 64, 64)
    kernel_size: int = 3
    pool_size: int = 2
    dense_units: int = 64
    dropout: float = 0.0
    optimizer: Optimizer = "rmsprop"
    learning_rate: float = 1e-3
    epochs: int | None = None
    anchor: str = ""
    parent: str = ""

    def __post_init__(self) -> None:
        own = _owner("case", self.name)
        _require(
            isinstance(self.filters, tuple)
            and len(self.filters) == 3
            and all(_is_int(f) and f >= 1 for f in self.filters),
            own,
            "filters",
            f"expected three positive ints, got {self.filters!r}",
        )
        for field in ("kernel_size", "pool_size", "dense_units"):
            value = getattr(self, field)
            _require(_is_int(value), own, field, f"{value!r} is not an int")
            _require(value >= 1, own, field, f"{value!r} < 1")
        _require(_is_real(self.dropout), own, "dropout", f"{self.dropout!r} is not a number")
        _require(0.0 <= self.dropout < 1.0, own, "dropout", f"{self.dropout!r} not in [0, 1)")
        _require(
            self.optimizer in _OPTIMIZERS,
            own,
            "optimizer",
            f"{self.optimizer!r} (known: {', '.join(_OPTIMIZERS)})",
        )
        _require(
            _is_real(self.learning_rate),
            own,
            "learning_rate",
            f"{self.learning_rate!r} is not a number",
        )
        _require(self.learning_rate > 0, own, "learning_rate", f"{self.learning_rate!r} <= 0")
        if self.epochs is not None:
            _require(_is_int(self.epochs), own, "epochs", f"{self.epochs!r} is not an int")
            _require(self.epochs >= 1, own, "epochs", f"{self.epochs!r} < 1")
        _require(
            self.parent == "" or (isinstance(self.parent, str) and self.parent.isidentifier()),
            own,
            "parent",
            f"{self.parent!r} is not a case name",
        )
        sizes = self.feature_sizes()
        _require(
            min(sizes) >= 1,
            own,
            "kernel_size/pool_size",
            f"the 32×32 input shrinks to nothing ({' → '.join(map(str, sizes))})",
        )

    def __getattribute__(self, attr: str) -> Any:
        # a site asset's key follows the fields it reads (cnnnotes.reads), not the whole table
        if attr in _TRACED_FIELDS and reads.tracing():
            reads.record(("case", object.__getattribute__(self, "name"), attr))
        return object.__getattribute__(self, attr)

    def feature_sizes(self, side: int = 32) -> list[int]:
        """Side of the feature maps after each layer: input, conv1, pool1, conv2, pool2, conv3.

        See :func:`cnnnotes.experiments.runs.architecture.feature_sizes`.
        """
        return architecture.feature_sizes(self, side)

    def title(self, lang: Lang) -> str:
        """The localized title (catalogue key ``case.<name>.title``, values from the case)."""
        return t(f"case.{self.name}.title", lang, Shown(self))

    def assumed(self, lang: Lang) -> str:
        """What we assumed where the notes show no code (``""`` when nothing)."""
        return t(f"case.{self.name}.assumed", lang, Shown(self))

    def short(self, lang: Lang) -> str:
        """The localized legend label (catalogue key ``case.<name>.short``; else the title)."""
        key = f"case.{self.name}.short"
        return t(key, lang, Shown(self)) if has(key, lang) else self.title(lang)

    @property
    def beyond(self) -> bool:
        """Whether this is an experiment beyond the notes (it has a parent case)."""
        return bool(self.parent)

    def epochs_under(self, profile: Profile) -> int:
        """The epochs a run of this case trains for under ``profile``."""
        return profile.epochs if self.epochs is None else self.epochs

    def hyperparameters(self) -> dict[str, Any]:
        """The fields that decide what training computes (the case's part of a run key).

        Settings that are optional (:data:`KEYED_WHEN_SET`) enter only when set, so adding
        one leaves every existing case's key as it was.
        """
        skip = {"name", *PRESENTATION}
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in skip
            and not (f.name in KEYED_WHEN_SET and getattr(self, f.name) is None)
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
    seeds
        The planned seeds; each seed is its own run (weight initialisation, batch order and
        dropout follow it).
    fewer_seeds
        Cases that plan only the first few of ``seeds`` (the expensive ones), as
        ``(case name, how many)`` pairs.
    """

    name: str
    epochs: int
    batch_size: int
    validation_split: float
    train_subset: int | None
    test_subset: int | None
    seeds: tuple[int, ...] = (0,)
    fewer_seeds: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        own = _owner("profile", self.name)
        for field in ("epochs", "batch_size"):
            value = getattr(self, field)
            _require(_is_int(value), own, field, f"{value!r} is not an int")
            _require(value >= 1, own, field, f"{value!r} < 1")
        _require(
            _is_real(self.validation_split) and 0.0 < self.validation_split < 1.0,
            own,
            "validation_split",
            f"{self.validation_split!r} not in (0, 1)",
        )
        for field in ("train_subset", "test_subset"):
            value = getattr(self, field)
            _require(value is None or _is_int(value), own, field, f"{value!r} is not an int")
            _require(value is None or value >= 1, own, field, f"{value!r} < 1")
        if self.train_subset is not None:
            fit = int(self.train_subset * (1.0 - self.validation_split))
            _require(
                0 < fit < self.train_subset,
                own,
                "validation_split",
                f"{self.validation_split} of {self.train_subset} training images "
                "leaves one side empty",
            )
        _require(
            isinstance(self.seeds, tuple)
            and bool(self.seeds)
            and all(_is_int(s) and s >= 0 for s in self.seeds)
            and len(set(self.seeds)) == len(self.seeds),
            own,
            "seeds",
            f"expected distinct ints >= 0, got {self.seeds!r}",
        )
        _require(
            all(
                isinstance(name, str) and _is_int(n) and 1 <= n <= len(self.seeds)
                for name, n in self.fewer_seeds
            ),
            own,
            "fewer_seeds",
            f"expected (case, 1..{len(self.seeds)}) pairs, got {self.fewer_seeds!r}",
        )

    def planned_seeds(self, case: str) -> tuple[int, ...]:
        """The seeds planned for ``case``."""
        return self.seeds[: dict(self.fewer_seeds).get(case, len(self.seeds))]

    def settings(self) -> dict[str, Any]:
        """The fields that decide what training computes (the profile's part of a run key).

        The seeds are not among them: each run's own seed enters its key separately.
        """
        skip = {"name", "seeds", "fewer_seeds"}
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in skip
        }


#: The fields whose reads a traced site render records (the name is part of every read).
_TRACED_FIELDS = frozenset(f.name for f in dataclasses.fields(Case)) - {"name"}

#: The fields of a :class:`Case` that only pages show (never part of a run key).
PRESENTATION: tuple[str, ...] = ("anchor", "parent")

#: Optional settings of a :class:`Case`: part of a run key only when not None.
KEYED_WHEN_SET: tuple[str, ...] = ("epochs",)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


class _Registry(Mapping[str, Case]):
    """Cases by name, each built (and validated) when first asked for.

    A mistake in one entry then breaks only what uses that case, with a message naming
    it, never ``import cnnnotes`` or ``cnnnotes --help``.
    """

    def __init__(self, entries: dict[str, Callable[[], Case]]) -> None:
        self._entries = entries
        self._built: dict[str, Case] = {}

    def __getitem__(self, name: str) -> Case:
        if name not in self._built:
            with reads.quiet():  # validating an entry reads every field: no asset's doing
                case = self._entries[name]()
            if case.name != name:
                raise CaseError(f"case {name!r}: registered under another name ({case.name!r})")
            self._built[name] = case
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        reads.record(("cases",))
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


#: Data whose values reach site assets only through recorded reads (see cnnnotes.reads).
__traced_data__ = ("CASES",)

#: The notes' experiments, in the notes' order.
CASES: Mapping[str, Case] = _Registry(
    {
        "baseline": lambda: Case("baseline", anchor="cifar10.md#baseline-results"),
        "case1": lambda: Case("case1", pool_size=1),
        "case2": lambda: Case("case2", filters=(64, 64, 64)),
        "case3": lambda: Case("case3", optimizer="adam"),
        "case4": lambda: Case("case4", optimizer="adam", dropout=0.5),
        "case5": lambda: Case("case5", optimizer="adam", dropout=0.2),
        # Experiments beyond the notes (cnnnotes/experiments/hypotheses.toml), each
        # registered together with its first run:
        "case4_mild": lambda: Case("case4_mild", optimizer="adam", dropout=0.3, parent="case4"),
        "case4_fast": lambda: Case(
            "case4_fast", optimizer="adam", dropout=0.5, learning_rate=3e-3, parent="case4"
        ),
        "case3_wide": lambda: Case("case3_wide", optimizer="adam", dense_units=256, parent="case3"),
        "case4_wide": lambda: Case(
            "case4_wide", optimizer="adam", dropout=0.5, dense_units=256, parent="case4"
        ),
        "case3_long": lambda: Case("case3_long", optimizer="adam", epochs=60, parent="case3"),
        "case4_long": lambda: Case(
            "case4_long", optimizer="adam", dropout=0.5, epochs=60, parent="case4"
        ),
        "case1_dropout": lambda: Case("case1_dropout", pool_size=1, dropout=0.5, parent="case1"),
    }
)


@reads.resolver("cases")
def _names() -> list[str]:
    return list(CASES._entries)  # type: ignore[attr-defined]  # a _Registry; records no read


@reads.resolver("case")
def _field(name: str, field: str) -> object:
    known = CASES._entries  # type: ignore[attr-defined]  # a _Registry; records no read
    return getattr(CASES[name], field) if name in known else None


#: How words show an optimizer (Keras' class names).
_OPTIMIZER_NAMES = {"rmsprop": "RMSprop", "adam": "Adam"}


class Shown(Mapping[str, object]):
    """A case's values as catalogue words name them: ``{dropout}``, ``{pool}`` …

    ``dropout``, ``pool`` (pool size), ``kernel`` (kernel size), ``filters`` (the
    tuple), ``units`` (dense units), ``optimizer`` (``RMSprop``, ``Adam``),
    ``learning_rate`` and ``epochs`` (a case's own length; None for the profile's).
    Values are read when the words name them, so a site asset's key follows exactly
    the fields its words show (:mod:`cnnnotes.reads`). Every look-up
    may also name another case's values as ``{case4.dropout}`` (:class:`_AllCases`).
    """

    _FIELDS: ClassVar[Mapping[str, str]] = {
        "dropout": "dropout",
        "pool": "pool_size",
        "kernel": "kernel_size",
        "filters": "filters",
        "units": "dense_units",
        "optimizer": "optimizer",
        "learning_rate": "learning_rate",
        "epochs": "epochs",
    }

    def __init__(self, case: Case) -> None:
        self._case = case

    def __getitem__(self, key: str) -> object:
        value = getattr(self._case, self._FIELDS[key])
        return _OPTIMIZER_NAMES.get(value, value) if key == "optimizer" else value

    def __getattr__(self, key: str) -> object:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._FIELDS)

    def __len__(self) -> int:
        return len(self._FIELDS)


class _AllCases(Mapping[str, object]):
    """Every registered case by name, as :class:`Shown` (``{case4.dropout}`` in any words)."""

    def __getitem__(self, name: str) -> object:
        if name not in CASES._entries:  # type: ignore[attr-defined]  # a _Registry; records no read
            raise KeyError(name)
        return Shown(CASES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(CASES)

    def __len__(self) -> int:
        return len(CASES)


share(_AllCases())


def cost(case: Case) -> int:
    """Multiply-adds of one image's forward pass: the training order's estimate of a run's cost.

    Case 1 (no pooling) comes to about 10× the baseline, Case 2 about 2×; cases that differ
    only in optimizer or dropout cost the same (:func:`architecture.multiply_adds`).
    """
    return architecture.multiply_adds(case)


def default_order() -> tuple[str, ...]:
    """Training order when none is given: cheapest first (:func:`cost`), ties in table order."""
    return tuple(sorted(CASES, key=lambda name: cost(CASES[name])))


def __getattr__(name: str) -> Any:
    # DEFAULT_ORDER (what the CLI trains without --case) is derived from the table when
    # asked for: a broken entry must not break ``import cnnnotes.experiments.runs.cases``
    if name == "DEFAULT_ORDER":
        return default_order()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The notes' settings: 20 epochs, batch 256, last 20 % for validation, all the data; seeds
#: 0–4 (Case 1, the slowest run, 0–2).
NOTES = Profile(
    "notes",
    epochs=20,
    batch_size=256,
    validation_split=0.2,
    train_subset=None,
    test_subset=None,
    seeds=(0, 1, 2, 3, 4),
    fewer_seeds=(("case1", 3), ("case3_long", 3), ("case4_long", 3), ("case1_dropout", 3)),
)

#: Seconds, not minutes: the first 1,000 training and 200 test images, 2 epochs.
QUICK = Profile(
    "quick",
    epochs=2,
    batch_size=64,
    validation_split=0.2,
    train_subset=1000,
    test_subset=200,
    seeds=(0,),
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
