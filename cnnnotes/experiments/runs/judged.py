"""Every registered claim judged under the v2 rules, beside its v1 outcome and its Bonferroni view.

A claim is a :class:`Spec` in :data:`REGISTRY`: its id, family (``notes``: the author's,
``ours``: our corrections, ``beyond``: new experiments), case, kind, the words key, the
measure with its summary, the claim type and, for a relation, the reference case.
:func:`register` adds claims, so a new family or kind needs no change here.
:func:`records` judges each one over the committed seeds and returns :class:`Record`
objects: the v2 :class:`~cnnnotes.experiments.runs.rules.Judgement`, the same at the
family's Bonferroni level, and the v1 :class:`~cnnnotes.experiments.runs.claims.Verdict`
of the same claim where v1 judged it. The pages, the correction boxes and
``cnnnotes claims --json`` all render from these records.

Nothing here imports matplotlib or TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnnotes.experiments.runs import hypotheses, rules, seedimage, stats
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.claims import MEASURES, Seeds, Verdict, measure, verdicts
from cnnnotes.experiments.runs.record import RunResult

__all__ = [
    "EXTRA_MEASURES",
    "REGISTRY",
    "Record",
    "Spec",
    "family_size",
    "image_term",
    "measure_of",
    "records",
    "references",
    "register",
    "summary_of",
    "tol_of",
]


def _last(key: str) -> Callable[[RunResult], float]:
    return lambda r: float(r.history[key][-1])


def _late_rise(run: RunResult) -> float:
    v = run.history["val_accuracy"]
    return float(np.mean(v[-stats.LAST :]) - np.mean(v[-2 * stats.LAST : -stats.LAST]))


def _roughness(run: RunResult) -> float:
    v = run.history["val_loss"]
    half = len(v) // 2
    return float(np.std(np.diff(v[half:]), ddof=1))


#: Measures the v2 rules add: final-epoch summaries and two shapes of a curve.
EXTRA_MEASURES: dict[str, Callable[[RunResult], float]] = {
    "train_accuracy_final": _last("accuracy"),
    "val_accuracy_final": _last("val_accuracy"),
    "train_loss_final": _last("loss"),
    "val_loss_final": _last("val_loss"),
    "val_accuracy_late_rise": _late_rise,
    "val_loss_roughness": _roughness,
}
#: Images behind each accuracy measure in the author's runs (his split: 40,000 / 10,000).
_AUTHOR_N = {"train": 40_000, "val": 10_000, "test": 10_000}


def measure_of(name: str, runs: Mapping[int, RunResult]) -> dict[int, float]:
    """The measure ``name`` (v1 or v2) of each run, by seed."""
    if name in MEASURES:
        return measure(name, runs)
    values = {s: EXTRA_MEASURES[name](r) for s, r in sorted(runs.items())}
    return {s: v for s, v in values.items() if not math.isnan(v)}


def tol_of(name: str) -> float:
    """The practical tolerance of a measure: losses 0.10, everything else 0.03."""
    return stats.TOL["val_loss_last5" if "loss" in name or name in _LOSS_SHAPES else "gap"]


_LOSS_SHAPES = ("late_change", "rise_after_turn")


def summary_of(name: str) -> str:
    """``final``, ``last5`` or ``shape``: which summary of the curve a measure takes."""
    if name.endswith("_final") or name in ("train_accuracy_off", "test_accuracy", "gap"):
        return "final"
    return "last5" if name.endswith("_last5") else "shape"


@dataclass(frozen=True)
class Spec:
    """One registered claim (see the module docstring).

    ``v1`` names the key of the same claim in :func:`cnnnotes.experiments.runs.claims.verdicts`
    (None when v1 did not judge it); ``quoted`` is the notes' value (low, high).
    """

    id: str
    family: str
    case: str
    key: str
    kind: str
    measure: str = ""
    claim: rules.Claim = "same"
    ref: str | None = None
    quoted: tuple[float, float] | None = None
    v1: str | None = None


#: Every registered claim, in page order.
REGISTRY: list[Spec] = []


def register(*specs: Spec) -> None:
    """Add claims to :data:`REGISTRY` (ids must be new)."""
    known = {s.id for s in REGISTRY}
    for spec in specs:
        if spec.id in known or spec.family not in stats.FAMILIES:
            raise ValueError(f"spec: duplicate id or unknown family: {spec.id} ({spec.family})")
        known.add(spec.id)
        REGISTRY.append(spec)


@dataclass(frozen=True)
class Record:
    """A :class:`Spec` judged: v2, the Bonferroni view, v1, and the numbers behind them.

    ``values`` are the per-seed values of the case (relations: also of the reference);
    ``diffs`` the per-seed paired differences where the interval is paired;
    ``seed_se`` / ``image_se`` the two parts of a seed × image standard error.
    """

    spec: Spec
    v2: rules.Judgement | None
    adjusted: rules.Judgement | None
    v1: Verdict | None
    values: dict[int, float] = field(default_factory=dict)
    ref_values: dict[int, float] = field(default_factory=dict)
    seed_se: float | None = None
    image_se: float | None = None

    @property
    def outcome(self) -> str:
        """The v2 outcome (``unclear`` for hypotheses and missing runs)."""
        return self.v2.outcome if self.v2 is not None else "unclear"


def image_term(name: str, runs: Mapping[int, RunResult], mean: float) -> float:
    """The image term of a quoted number's prediction variance (DESIGN.md "Verdict rules v2").

    σ_b²(1/N* + 1/N) + σ_e²(1/N* − 1/N) with σ_b² = ρ·p(1 − p), σ_e² = (1 − ρ)·p(1 − p),
    ρ from the case's seed × image decomposition of its test predictions; 0 for losses
    and shapes, and below two seeds.
    """
    part = name.split("_")[0]
    if "accuracy" not in name or part not in _AUTHOR_N or len(runs) < 2:
        return 0.0
    rho = seedimage.decompose(seedimage.correctness(runs)).image_share
    first = next(iter(runs.values()))
    counts = first.provenance.counts
    ours = {"train": counts.get("fit"), "val": counts.get("validation") or counts.get("val")}
    n_ours = float(len(first.labels) if part == "test" else ours[part] or _AUTHOR_N[part])
    n_author = float(_AUTHOR_N[part])
    p = min(max(mean, 0.0), 1.0)
    var_b, var_e = rho * p * (1 - p), (1 - rho) * p * (1 - p)
    return var_b * (1 / n_author + 1 / n_ours) + var_e * (1 / n_author - 1 / n_ours)


def _judge(spec: Spec, seeds: Seeds, level: float) -> tuple[rules.Judgement | None, Record]:
    empty = Record(spec, None, None, None)
    if spec.kind == "hypothesis" or spec.case not in seeds:
        return None, empty
    runs = seeds[spec.case]
    values = measure_of(spec.measure, runs)
    tol = tol_of(spec.measure)
    if spec.kind == "quoted":
        assert spec.quoted is not None
        mean = float(np.mean(list(values.values())))
        j = rules.judge_quoted(
            list(values.values()), spec.quoted, tol, image_term(spec.measure, runs, mean),
            level=level,
        )  # fmt: skip
        return j, Record(spec, j, None, None, values)
    if spec.kind == "shape":
        j = rules.judge_values(list(values.values()), spec.claim, tol, level=level,
                               method="one-sample")  # fmt: skip
        return j, Record(spec, j, None, None, values)
    assert spec.ref is not None
    if not seeds.get(spec.ref):
        return None, Record(spec, None, None, None, values)
    ref_runs = seeds[spec.ref]
    ref_values = measure_of(spec.measure, ref_runs)
    pair = stats.paired(CASES[spec.case], CASES[spec.ref])
    common = sorted(set(runs) & set(ref_runs))
    if spec.measure == "test_accuracy" and pair and len(common) >= 2:
        dec = seedimage.decompose(seedimage.paired_correctness(
            {s: runs[s] for s in common}, {s: ref_runs[s] for s in common}))  # fmt: skip
        j = rules.judge_seed_image(dec, spec.claim, tol, level=level)
        rec = Record(spec, j, None, None, values, ref_values,
                     math.sqrt(dec.var_seed_part), math.sqrt(dec.var_image_part))  # fmt: skip
        return j, rec
    if pair:
        common = sorted(set(values) & set(ref_values))
        diffs = [values[s] - ref_values[s] for s in common]
        j = rules.judge_values(diffs, spec.claim, tol, level=level, method="paired")
    else:
        j = rules.judge_welch(list(values.values()), list(ref_values.values()), spec.claim, tol,
                              level=level)  # fmt: skip
    return j, Record(spec, j, None, None, values, ref_values)


def _v1(spec: Spec, seeds: Seeds, cache: dict[str, list[Verdict]]) -> Verdict | None:
    if spec.v1 is None or spec.case not in seeds:
        return None
    if spec.case not in cache:
        cache[spec.case] = verdicts(spec.case, seeds)
    return next((v for v in cache[spec.case] if v.key == spec.v1), None)


def references(case: str) -> tuple[str, ...]:
    """The cases the registered claims about ``case`` compare against, in table order."""
    refs = {s.ref for s in REGISTRY if s.case == case and s.ref}
    return tuple(c for c in CASES if c in refs)


def family_size(family: str) -> int:
    """m: the claims of ``family`` that have an interval.

    The registered claims (not those of kind ``hypothesis``, which have none), and for
    the family ``beyond`` the pre-registered hypotheses of
    :mod:`~cnnnotes.experiments.runs.hypotheses`, judged as their own family.
    """
    m = sum(1 for s in REGISTRY if s.family == family and s.kind != "hypothesis")
    return m + (len(hypotheses.load()) if family == hypotheses.FAMILY else 0)


def records(seeds: Seeds, *, family: str | None = None, case: str | None = None) -> list[Record]:
    """Every registered claim judged over ``seeds`` (case → seed → run), in registry order.

    Claims of cases without runs are left out; ``family`` / ``case`` select.
    """
    out: list[Record] = []
    cache: dict[str, list[Verdict]] = {}
    for spec in REGISTRY:
        if (family and spec.family != family) or (case and spec.case != case):
            continue
        if spec.case not in seeds:
            continue
        _, rec = _judge(spec, seeds, stats.LEVEL)
        adjusted, _ = _judge(spec, seeds, rules.bonferroni_level(family_size(spec.family)))
        out.append(Record(spec, rec.v2, adjusted, _v1(spec, seeds, cache), rec.values,
                          rec.ref_values, rec.seed_se, rec.image_se))  # fmt: skip
    return out


_Row = tuple[str, str, str, rules.Claim, "str | None", "tuple[float, float] | None", int]


def _notes(case: str, *rows: _Row) -> None:
    """Register the notes' claims about ``case``; a row's last field says v1 judged it too."""
    register(*(Spec(f"{case}.{key}", "notes", case, key, kind, name, claim, ref, quoted,
                    key if in_v1 else None)
               for key, kind, name, claim, ref, quoted, in_v1 in rows))  # fmt: skip


# The notes' claims. Quoted numbers take the summary their wording names (DESIGN.md):
# "final / reaches / stays at" → the final epoch; Case 1's "roughly 0.6 to 0.65" → the last five.
_notes(
    "baseline",
    ("train_acc_079", "quoted", "train_accuracy_final", "quoted", None, (0.79, 0.79), 1),
    ("val_acc_069", "quoted", "val_accuracy_final", "quoted", None, (0.69, 0.69), 1),
    ("train_loss_061", "quoted", "train_loss_final", "quoted", None, (0.61, 0.61), 1),
    ("val_loss_095", "quoted", "val_loss_final", "quoted", None, (0.95, 1.0), 1),
    ("late_flat", "shape", "late_change", "same", None, None, 1),
)  # fmt: skip
_notes(
    "case1",
    ("to_one", "quoted", "train_accuracy_final", "quoted", None, (1.0, 1.0), 1),
    ("loss_to_zero", "quoted", "train_loss_final", "quoted", None, (0.0, 0.0), 0),
    ("val_060", "quoted", "val_accuracy_last5", "quoted", None, (0.60, 0.65), 1),
    ("val_stalls", "shape", "gain_after_turn", "same", None, None, 1),
    ("val_loss_turns", "shape", "rise_after_turn", "higher", None, None, 1),
    ("gap_widens", "shape", "gap_widening", "higher", None, None, 1),
)  # fmt: skip
_notes(
    "case2",
    ("no_gain_acc", "relation", "val_accuracy_last5", "same", "baseline", None, 1),
    ("no_gain_loss", "relation", "val_loss_last5", "same", "baseline", None, 1),
    ("same_gap", "relation", "gap", "same", "baseline", None, 1),
    ("filters_suffice", "hypothesis", "", "same", None, None, 1),
)  # fmt: skip
_notes(
    "case3",
    ("train_acc_079", "quoted", "train_accuracy_final", "quoted", None, (0.79, 0.79), 1),
    ("val_acc_069", "quoted", "val_accuracy_final", "quoted", None, (0.69, 0.69), 1),
    ("adam_train_loss", "quoted", "train_loss_final", "quoted", None, (0.79, 0.79), 1),
    ("adam_val_loss", "quoted", "val_loss_final", "quoted", None, (0.9, 0.9), 1),
    ("same_as_rmsprop", "relation", "val_accuracy_last5", "same", "baseline", None, 1),
    ("train_loss_higher", "relation", "train_loss_final", "higher", "baseline", None, 0),
    ("lower_val_loss", "relation", "val_loss_last5", "lower", "baseline", None, 1),
    ("keeps_falling", "relation", "late_change", "lower", "baseline", None, 0),
    ("steadier", "relation", "val_loss_roughness", "lower", "baseline", None, 0),
    ("tendency", "relation", "gap", "lower", "baseline", None, 1),
)  # fmt: skip
_notes(
    "case4",
    ("train_acc_065", "quoted", "train_accuracy_final", "quoted", None, (0.65, 0.65), 1),
    ("train_loss_095", "quoted", "train_loss_final", "quoted", None, (0.95, 0.95), 1),
    ("underfitting", "relation", "train_accuracy_off", "lower", "case3", None, 1),
)  # fmt: skip
_notes(
    "case5",
    ("beats_case4", "relation", "val_accuracy_last5", "higher", "case4", None, 1),
    ("better_training", "relation", "train_accuracy_off", "higher", "case4", None, 0),
    ("beats_case3", "relation", "test_accuracy", "higher", "case3", None, 1),
    ("ideal_vs_case4", "relation", "val_loss_last5", "lower", "case4", None, 0),
    ("ideal_curve", "relation", "gap", "lower", "case3", None, 1),
)  # fmt: skip

# Our corrections (the errata boxes' empirical statements), judged by the same rules.
register(
    Spec("ours.adam_fits_fast", "ours", "case3", "adam_fits_fast", "relation",
         "train_loss_last5", "lower", "baseline"),
    Spec("ours.val_loss_noise", "ours", "case3", "val_loss_noise", "relation",
         "val_loss_last5", "null", "baseline"),
    Spec("ours.enough_epochs", "ours", "case3", "enough_epochs", "shape",
         "val_accuracy_late_rise", "null"),
    Spec("ours.no_measurable_difference", "ours", "case2", "no_measurable_difference",
         "relation", "val_accuracy_last5", "null", "baseline"),
)  # fmt: skip
