"""Matching core: fit score with breakdown, hard constraints, candidate retrieval, explanations, fairness audit.

    weights.py      default criterion weights per opening kind; programme overrides
    graph.py        taxonomy relations → partial credit between skills
    criteria.py     per-criterion formulas (scalars and arrays alike)
    fit.py          fit score of one pair, with breakdown and skill matches (the reference)
    constraints.py  hard constraints: one pair, or every row at once with exclusion counts
    columns.py      talent profiles as numpy columns
    scoring.py      exact fit scores of many talents against one opening (vectorised fit.py)
    vectors.py      profile → vector whose inner product approximates the fit score
    retrieval.py    ANN (usearch, per region) + skill inverted index → exact re-scoring; persisted, incremental
    explain.py      JSON-able explanations
    audit.py        selection-rate impact ratios of shortlists (four-fifths rule)

Imports only domain, skills, numpy, scipy and (lazily) usearch.
"""

from talentbridge.matching.constraints import (
    CONSTRAINTS,
    OpeningContext,
    affiliates_of,
    eligible_mask,
    failing,
)
from talentbridge.matching.explain import explain_exclusions, explain_fit
from talentbridge.matching.fit import FitResult, SkillMatch, fit_score
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.weights import CRITERIA, DEFAULT_WEIGHTS, FitWeights, weights_for

__all__ = [
    "CONSTRAINTS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "FitResult",
    "FitWeights",
    "OpeningContext",
    "SkillGraph",
    "SkillMatch",
    "affiliates_of",
    "eligible_mask",
    "explain_exclusions",
    "explain_fit",
    "failing",
    "fit_score",
    "weights_for",
]
