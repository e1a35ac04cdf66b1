"""Weights of the fit score: per criterion, per opening kind, overridable per programme.

The fit score is a weighted mean of eight criteria, each scored in [0, 1]::

    fit = 100 * sum(w[c] * s[c] for c in applicable) / sum(w[c] for c in applicable)

A criterion is *applicable* when the opening says something about it (a minimum degree, a start date, a salary
range ...) and, for ``text``, when both texts have embeddings. The weights below are the documented defaults
(docs/matching.md has the same table); a programme overrides them through ``Program.settings["fit_weights"]``,
either flat (``{"skills": 0.6}``, for every kind) or per kind (``{"internship": {"education": 0.2}}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from talentbridge.domain.enums import Importance, OpeningKind
from talentbridge.domain.errors import Problem, ValidationFailed

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "IMPORTANCE_WEIGHT",
    "RELATION_CREDIT",
    "INFERRED_CONFIDENCE_DEFAULT",
    "FitWeights",
    "weights_for",
]

#: The criteria, in the order breakdowns list them.
CRITERIA: tuple[str, ...] = (
    "skills",
    "text",
    "lexical",
    "titles",
    "experience",
    "education",
    "location",
    "availability",
    "salary",
)

_W = MappingProxyType
#: Default weights per opening kind. Rows need not sum to 1: the score divides by the applicable total.
#: ``text`` and ``lexical`` of jobs are fitted on half A of the résumé-routing development set with ``skills``
#: kept at 0.45 (``benchmarks/eval_routing.py``; docs/matching.md); the other kinds' ``lexical`` is not fitted
#: (no development set of their kind): 0.30, below their skills weight. ``titles`` of jobs (0.90) is chosen on half A
#: of the same set, with the CVs' headlines and without them (since the headline is read as a job title: three times
#: the earlier 0.30, where the CVs with headlines reach their plateau and the CVs without stay on theirs); the other
#: kinds' 0.15 is not fitted (a project's or a secondment slot's title names a job less often).
DEFAULT_WEIGHTS: Mapping[OpeningKind, Mapping[str, float]] = _W(
    {
        OpeningKind.JOB: _W(
            {
                "skills": 0.45,
                "text": 0.60,
                "lexical": 0.90,
                "titles": 0.90,
                "experience": 0.15,
                "education": 0.05,
                "location": 0.10,
                "availability": 0.05,
                "salary": 0.10,
            }
        ),
        OpeningKind.SECONDMENT_SLOT: _W(
            {
                "skills": 0.50,
                "text": 0.10,
                "lexical": 0.30,
                "titles": 0.15,
                "experience": 0.15,
                "education": 0.05,
                "location": 0.10,
                "availability": 0.10,
                "salary": 0.0,
            }
        ),
        OpeningKind.PBL_PROJECT: _W(
            {
                "skills": 0.45,
                "text": 0.15,
                "lexical": 0.30,
                "titles": 0.15,
                "experience": 0.0,
                "education": 0.10,
                "location": 0.15,
                "availability": 0.15,
                "salary": 0.0,
            }
        ),
        OpeningKind.INTERNSHIP: _W(
            {
                "skills": 0.40,
                "text": 0.15,
                "lexical": 0.30,
                "titles": 0.15,
                "experience": 0.0,
                "education": 0.15,
                "location": 0.15,
                "availability": 0.15,
                "salary": 0.0,
            }
        ),
        OpeningKind.JOINT_RND: _W(
            {
                "skills": 0.50,
                "text": 0.15,
                "lexical": 0.30,
                "titles": 0.15,
                "experience": 0.10,
                "education": 0.15,
                "location": 0.05,
                "availability": 0.05,
                "salary": 0.0,
            }
        ),
    }
)

#: Weight of one required skill by importance (must : should : nice = 4 : 2 : 1).
IMPORTANCE_WEIGHT: Mapping[Importance, float] = _W(
    {Importance.MUST: 1.0, Importance.SHOULD: 0.5, Importance.NICE: 0.25}
)

#: Credit a talent's skill gives a required skill, by their taxonomy relation (from the requirement's side):
#: ``narrower`` = the talent has a more specific skill (PyTorch for "deep learning frameworks"),
#: ``broader`` = the talent has the more general skill, ``related`` = listed as related in the taxonomy,
#: ``sibling`` = both have the same broader skill (PyTorch for TensorFlow).
RELATION_CREDIT: Mapping[str, float] = _W(
    {"exact": 1.0, "narrower": 0.8, "broader": 0.6, "related": 0.5, "sibling": 0.4}
)

#: Confidence assumed for an inferred skill claim that carries none.
INFERRED_CONFIDENCE_DEFAULT = 0.7


@dataclass(frozen=True)
class FitWeights:
    """Criterion weights (non-negative) plus the skill-level parameters of one scoring run."""

    criteria: Mapping[str, float]
    importance: Mapping[Importance, float] = field(default_factory=lambda: dict(IMPORTANCE_WEIGHT))
    relation_credit: Mapping[str, float] = field(default_factory=lambda: dict(RELATION_CREDIT))

    def __getitem__(self, criterion: str) -> float:
        return float(self.criteria.get(criterion, 0.0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "criteria": {c: self[c] for c in CRITERIA},
            "importance": {str(k): v for k, v in self.importance.items()},
            "relation_credit": dict(self.relation_credit),
        }


def _check(values: Mapping[str, Any], where: tuple[str | int, ...], problems: list[Problem]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in values.items():
        if name not in CRITERIA:
            problems.append(Problem(loc=(*where, name), msg=f"unknown criterion; use one of {', '.join(CRITERIA)}"))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(Problem(loc=(*where, name), msg="a weight is a non-negative number", value=value))
            continue
        out[name] = float(value)
    return out


def weights_for(kind: OpeningKind | str, overrides: Mapping[str, Any] | None = None) -> FitWeights:
    """The weights for an opening of ``kind``: defaults, then flat overrides, then overrides for that kind.

    ``overrides`` is a programme's ``fit_weights`` setting: criterion → weight, and/or kind → {criterion → weight};
    it may also hold ``"importance"`` (must/should/nice → weight) and ``"relation_credit"`` (relation → credit).
    Raises ValidationFailed listing every unknown criterion or bad value. The result always has a positive total.
    """
    kind = OpeningKind(kind)
    criteria = dict(DEFAULT_WEIGHTS[kind])
    importance: dict[Importance, float] = dict(IMPORTANCE_WEIGHT)
    relation = dict(RELATION_CREDIT)
    problems: list[Problem] = []
    for key, value in (overrides or {}).items():
        if key in CRITERIA:
            criteria.update(_check({key: value}, ("fit_weights",), problems))
        elif key in {k.value for k in OpeningKind}:
            if not isinstance(value, Mapping):
                problems.append(Problem(loc=("fit_weights", key), msg="per-kind weights are a mapping"))
                continue
            if key == kind.value:
                criteria.update(_check(value, ("fit_weights", key), problems))
            else:
                _check(value, ("fit_weights", key), problems)
        elif key == "importance" and isinstance(value, Mapping):
            for name, w in value.items():
                if name not in {i.value for i in Importance} or not isinstance(w, int | float) or w < 0:
                    problems.append(Problem(loc=("fit_weights", "importance", name), msg="bad importance weight"))
                else:
                    importance[Importance(name)] = float(w)
        elif key == "relation_credit" and isinstance(value, Mapping):
            for name, w in value.items():
                if name not in RELATION_CREDIT or not isinstance(w, int | float) or not 0 <= w <= 1:
                    problems.append(Problem(loc=("fit_weights", "relation_credit", name), msg="bad credit (0..1)"))
                else:
                    relation[name] = float(w)
        else:
            problems.append(
                Problem(
                    loc=("fit_weights", key),
                    msg="unknown key: a criterion, a kind, 'importance' or 'relation_credit'",
                )
            )
    if not problems and sum(criteria.values()) <= 0:
        problems.append(Problem(loc=("fit_weights",), msg="at least one criterion needs a positive weight"))
    if problems:
        raise ValidationFailed("invalid fit weights", problems)
    return FitWeights(criteria=criteria, importance=importance, relation_credit=relation)
