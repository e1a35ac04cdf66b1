"""Fairness audit of top-K shortlists: selection rates and impact ratios, as in a NYC Local Law 144 bias audit.

For every opening audited, the *eligible* pool is the talents that pass the hard constraints (and any filters);
the *selected* ones are its top-K shortlist. Per group of a dimension (gender, age band, nationality, region)::

    selection_rate(g) = Σ_openings selected in g / Σ_openings eligible in g
    impact_ratio(g)   = selection_rate(g) / max_h selection_rate(h)

A group whose impact ratio is under 0.8 (the four-fifths rule) is flagged. As LL144 allows, groups that make up
less than 2% of the eligible appearances are reported but not flagged (``small``), and "unknown" groups are
reported but never used as the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np

from talentbridge.matching.columns import GENDER_CODES, TalentColumns
from talentbridge.matching.criteria import REGIONS

__all__ = ["GroupRate", "impact_ratios", "audit_labels", "ShortlistAudit", "AGE_BANDS", "FOUR_FIFTHS"]

FOUR_FIFTHS = 0.8
SMALL_SHARE = 0.02
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("<30", 0, 29),
    ("30-39", 30, 39),
    ("40-49", 40, 49),
    ("50+", 50, 200),
)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class GroupRate:
    dimension: str
    group: str
    eligible: int
    selected: int
    rate: float
    impact_ratio: float | None
    flagged: bool
    small: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def impact_ratios(
    dimension: str,
    labels: np.ndarray,
    eligible: np.ndarray,
    selected: np.ndarray,
    *,
    threshold: float = FOUR_FIFTHS,
    small_share: float = SMALL_SHARE,
) -> list[GroupRate]:
    """Rates and impact ratios of one dimension. ``labels[i]`` is talent i's group; ``eligible[i]`` and
    ``selected[i]`` how many audited openings talent i was eligible for and shortlisted by."""
    labels = np.asarray(labels).astype(str)
    groups = sorted(set(labels.tolist()))
    total = float(np.sum(eligible)) or 1.0
    stats = []
    for g in groups:
        sel = labels == g
        e, s = int(np.sum(eligible[sel])), int(np.sum(selected[sel]))
        stats.append((g, e, s, s / e if e else 0.0, e / total < small_share))
    reference = max((rate for g, e, _, rate, small in stats if e and not small and g != UNKNOWN), default=0.0)
    out = []
    for g, e, s, rate, small in stats:
        ratio = rate / reference if reference > 0 and e else None
        flagged = ratio is not None and ratio < threshold and not small and g != UNKNOWN
        out.append(GroupRate(dimension, g, e, s, rate, ratio, flagged, small))
    return out


def audit_labels(cols: TalentColumns, today: date | None = None) -> dict[str, np.ndarray]:
    """Group labels of every row: gender, age band, nationality (korean/foreign), region."""
    year = (today or date.today()).year
    gender_names = np.array([str(g) for g in GENDER_CODES] + [UNKNOWN])
    gender = gender_names[np.where(cols.gender < 0, len(GENDER_CODES), cols.gender)]
    age = year - cols.birth_year.astype(np.int64)
    band = np.full(len(cols), UNKNOWN, dtype=object)
    for name, lo, hi in AGE_BANDS:
        band[(cols.birth_year > 0) & (age >= lo) & (age <= hi)] = name
    nationality = np.where(cols.foreign, "foreign", "korean")
    region_names = np.array([str(r) for r in REGIONS] + [UNKNOWN])
    region = region_names[cols.region.astype(np.int64)]
    return {"gender": gender, "age_band": band.astype(str), "nationality": nationality, "region": region}


class ShortlistAudit:
    """Accumulates eligible pools and shortlists opening by opening, then reports impact ratios."""

    def __init__(self, cols: TalentColumns, today: date | None = None):
        self.cols = cols
        self.labels = audit_labels(cols, today)
        self.eligible = np.zeros(len(cols), dtype=np.int64)
        self.selected = np.zeros(len(cols), dtype=np.int64)
        self.openings = 0

    def add(self, eligible_rows: np.ndarray, shortlist_rows: Iterable[int]) -> None:
        self.eligible[np.asarray(eligible_rows, dtype=np.int64)] += 1
        self.selected[np.fromiter(shortlist_rows, dtype=np.int64)] += 1
        self.openings += 1

    def report(self, k: int, threshold: float = FOUR_FIFTHS) -> dict[str, Any]:
        dims: Mapping[str, list[GroupRate]] = {
            d: impact_ratios(d, lab, self.eligible, self.selected, threshold=threshold)
            for d, lab in self.labels.items()
        }
        flagged = [g.as_dict() for rates in dims.values() for g in rates if g.flagged]
        return {
            "top": k,
            "openings": self.openings,
            "threshold": threshold,
            "method": "selection rate = shortlisted / eligible appearances; impact ratio = rate / highest rate "
            "(NYC Local Law 144 style); groups under 2% of appearances are not flagged",
            "dimensions": {d: [g.as_dict() for g in rates] for d, rates in dims.items()},
            "flagged": flagged,
        }
