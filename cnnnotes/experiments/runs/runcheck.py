"""What a check of the committed runs reports: each run's state, and the runs by state.

Types only, and light: they import no array library, so a site build that reuses a
stored check (:func:`cnnnotes.site.hook.check_runs`) loads none of the run readers.
:mod:`cnnnotes.experiments.runs.status` computes them; its docstring tells the states.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, cast, get_args

__all__ = ["FAILING", "VERSIONED", "RunCheck", "RunStatus", "State", "run_label"]

#: The libraries whose version a run records and a check compares, with their distributions.
VERSIONED = (("tensorflow", ("tensorflow", "tensorflow-cpu")), ("keras", ("keras",)))
#: How a run's seed folder is named: ``seed-<k>``.
SEED_PREFIX = "seed-"


def run_label(profile: str, case: str, seed: int) -> str:
    """How messages and reports name a run: ``notes/case5/seed-0`` (its folder's last parts)."""
    return f"{profile}/{case}/{SEED_PREFIX}{int(seed)}"


State = Literal["fresh", "outdated", "planned", "stale", "corrupt", "missing"]
_STATES: frozenset[str] = frozenset(get_args(State))
#: States that make ``status --check`` fail and a build refuse to draw from the run.
FAILING: frozenset[str] = frozenset({"stale", "corrupt", "missing"})


@dataclass(frozen=True)
class RunStatus:
    """Where one committed run (case, profile, seed) stands against today's code and settings.

    Attributes
    ----------
    case, profile, seed
        Which run.
    state
        See the module docstring.
    reasons
        Why it is not fresh: one line per changed key input, or the corruption found.
    warnings
        Provenance differences that change nothing (library versions, unknown data).
    key
        Today's key (None when the dataset fingerprint is unknown).
    wall_seconds
        The recorded training time, when the run is readable.
    """

    case: str
    profile: str
    seed: int
    state: State
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    key: str | None = None
    wall_seconds: float | None = None

    @property
    def failing(self) -> bool:
        """Whether this state fails ``status --check`` and strict builds."""
        return self.state in FAILING

    def line(self) -> str:
        """One line, e.g. ``notes/case5     seed-0  stale (case: dropout 0.2 → 0.3)``."""
        text = f"{self.profile}/{self.case:<9} seed-{self.seed}  {self.state}"
        if self.reasons:
            text += f" ({'; '.join(self.reasons)})"
        return text + "".join(f"  [warning: {w}]" for w in self.warnings)

    @property
    def label(self) -> str:
        """``notes/case5/seed-0``."""
        return run_label(self.profile, self.case, self.seed)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**asdict(self), "reasons": list(self.reasons), "warnings": list(self.warnings)}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RunStatus:
        """Read what :meth:`to_dict` wrote (KeyError, TypeError or ValueError if malformed)."""
        state = str(doc["state"])
        if state not in _STATES:
            raise ValueError(f"unknown state {state!r}")
        seconds = doc.get("wall_seconds")
        return cls(
            case=str(doc["case"]),
            profile=str(doc["profile"]),
            seed=int(doc["seed"]),
            state=cast(State, state),
            reasons=tuple(str(r) for r in doc.get("reasons", ())),
            warnings=tuple(str(w) for w in doc.get("warnings", ())),
            key=None if doc.get("key") is None else str(doc["key"]),
            wall_seconds=None if seconds is None else float(seconds),
        )


@dataclass(frozen=True)
class RunCheck:
    """What a build may draw from: the committed runs of a profile, sorted by what they mean.

    Attributes
    ----------
    states
        Every run's status, case by case, seed by seed.
    """

    states: tuple[RunStatus, ...]

    def to_json(self) -> list[dict[str, Any]]:
        """Every status as :meth:`RunStatus.to_dict` writes it."""
        return [s.to_dict() for s in self.states]

    @classmethod
    def from_json(cls, docs: list[dict[str, Any]]) -> RunCheck:
        """Read what :meth:`to_json` wrote (KeyError, TypeError or ValueError if malformed)."""
        return cls(tuple(RunStatus.from_dict(d) for d in docs))

    def of(self, *states: State) -> tuple[RunStatus, ...]:
        """The runs in any of ``states``."""
        return tuple(s for s in self.states if s.state in states)

    @property
    def corrupt(self) -> tuple[RunStatus, ...]:
        """Runs whose files disagree with their record: no site is built from them."""
        return self.of("corrupt")

    @property
    def contradicted(self) -> tuple[RunStatus, ...]:
        """Stale runs and missing first seeds: a page would contradict or miss them."""
        return self.of("stale", "missing")

    @property
    def outdated(self) -> tuple[RunStatus, ...]:
        """Runs of earlier training code: true for the code they record."""
        return self.of("outdated")

    @property
    def planned(self) -> tuple[RunStatus, ...]:
        """Planned seeds not trained yet."""
        return self.of("planned")
