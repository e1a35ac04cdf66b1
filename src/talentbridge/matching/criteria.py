"""The per-criterion formulas of the fit score, written once for scalars and numpy arrays alike.

Every function returns a score in [0, 1]. ``fit.py`` calls them for one pair, ``scoring.py`` for arrays of
talents against one opening, so the two paths cannot drift apart. Codes used by the array path:

* regions: index in ``REGIONS`` (0..16), ``NO_REGION`` (17) when unknown;
* degrees: ``DEGREE_RANK`` (1..5), 0 when unknown;
* dates: ``date.toordinal()``, 0 when unknown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from talentbridge.domain.enums import COMMUTABLE, DEGREE_RANK, Degree, Region

__all__ = [
    "REGIONS",
    "NO_REGION",
    "REGION_CODE",
    "COMMUTABLE_SCORE",
    "UNKNOWN_REGION_SCORE",
    "AVAILABILITY_GRACE_DAYS",
    "SALARY_TOLERANCE",
    "level_credit",
    "experience_score",
    "education_score",
    "location_table",
    "location_score",
    "availability_score",
    "salary_score",
    "text_score",
    "lexical_score",
    "titles_score",
    "text_z_score",
    "TEXT_Z_FLOOR",
    "TEXT_Z_FULL",
    "LEXICAL_Z_FLOOR",
    "LEXICAL_Z_FULL",
    "thin_text",
    "THIN_TEXT_WORDS",
    "region_code",
    "degree_rank",
    "ordinal",
]

REGIONS: tuple[Region, ...] = tuple(Region)
NO_REGION = len(REGIONS)
REGION_CODE: dict[Region, int] = {r: i for i, r in enumerate(REGIONS)}

COMMUTABLE_SCORE = 0.6  # a daily commute away
UNKNOWN_REGION_SCORE = 0.3  # the talent did not say where they live
AVAILABILITY_GRACE_DAYS = 90  # availability score falls to 0 this many days after the start date
SALARY_TOLERANCE = 0.3  # salary score falls to 0 at an expectation 30% above the top of the range


def region_code(region: Region | str | None) -> int:
    return NO_REGION if region is None else REGION_CODE[Region(region)]


def degree_rank(degree: Degree | str | None) -> int:
    return 0 if degree is None else DEGREE_RANK[Degree(degree)]


def ordinal(day: date | None) -> int:
    return 0 if day is None else day.toordinal()


def level_credit(level: Any, min_level: Any) -> Any:
    """Share of a required level that a held level covers: ``min(1, level / min_level)``."""
    return np.minimum(1.0, np.asarray(level, dtype=np.float64) / np.asarray(min_level, dtype=np.float64))


def experience_score(years: Any, min_years: float) -> Any:
    """``min(1, years / min_years)``; 1 when the opening asks for no experience (less than a day)."""
    if min_years < 1 / 365:
        return np.ones_like(np.asarray(years, dtype=np.float64))
    return np.clip(np.asarray(years, dtype=np.float64) / min_years, 0.0, 1.0)


def education_score(rank: Any, min_rank: int) -> Any:
    """1 at or above the required degree, 0.5 one step below, else 0 (unknown degree counts as none)."""
    rank = np.asarray(rank)
    return np.where(rank >= min_rank, 1.0, np.where(rank == min_rank - 1, 0.5, 0.0))


def location_table() -> np.ndarray:
    """``T[opening_region, talent_region]`` for non-remote openings (shape 17 x 18)."""
    table = np.zeros((len(REGIONS), NO_REGION + 1), dtype=np.float64)
    for i, r in enumerate(REGIONS):
        table[i, i] = 1.0
        for other in COMMUTABLE[r]:
            table[i, REGION_CODE[other]] = COMMUTABLE_SCORE
        table[i, NO_REGION] = UNKNOWN_REGION_SCORE
    return table


_LOCATION = location_table()


def location_score(talent_region: Any, opening_region: int, remote: bool) -> Any:
    """1 for a remote opening or the same region, 0.6 commutable, 0.3 unknown, else 0."""
    codes = np.asarray(talent_region, dtype=np.int64)
    if remote or opening_region == NO_REGION:
        return np.ones_like(codes, dtype=np.float64)
    return _LOCATION[opening_region][codes]


def availability_score(available_from: Any, start: int) -> Any:
    """1 when available by the start date (or date unknown), falling linearly to 0 ninety days later."""
    avail = np.asarray(available_from, dtype=np.float64)
    late = np.maximum(0.0, avail - start)
    return np.where(avail <= 0, 1.0, np.clip(1.0 - late / AVAILABILITY_GRACE_DAYS, 0.0, 1.0))


def salary_score(expectation: Any, salary_max: int | None) -> Any:
    """1 when the expectation is within the range (or either is unknown), falling to 0 at 30% above its top."""
    exp = np.asarray(expectation, dtype=np.float64)
    if salary_max is None:
        return np.ones_like(exp)
    top = max(float(salary_max), 1.0)
    over = np.maximum(0.0, exp - top)
    return np.where(exp < 0, 1.0, np.clip(1.0 - over / (SALARY_TOLERANCE * top), 0.0, 1.0))


#: Cosines of the sentence embeddings of a résumé and a job ad on one subject sit around 0.55-0.7 and of unrelated
#: ones around 0.3-0.45 (demo profiles; multilingual USE v3 and all-MiniLM-L6-v2 alike, docs/matching.md), so the
#: raw cosine would cost every talent with a résumé points against one without (a missing text drops the
#: criterion) and hardly separate the two. The criterion is the cosine rescaled from ``TEXT_COSINE_FLOOR`` (0) to
#: ``TEXT_COSINE_FULL`` (1).
TEXT_COSINE_FLOOR = 0.30
TEXT_COSINE_FULL = 0.75
#: A bare-title opening (no description) against a résumé: cosines sit far lower for every pair (a CV
#: and its own job family's bare title score about 0.1-0.3 with USE), so the rich-text range would score 0 for
#: all of them. Its own range, fitted on half A of the résumé-routing development set (docs/matching.md).
TEXT_COSINE_FLOOR_THIN = 0.05
TEXT_COSINE_FULL_THIN = 0.15
#: A title of at most this many words and no description is a bare title.
THIN_TEXT_WORDS = 12


def thin_text(title: str | None, description: str | None) -> bool:
    """Whether an opening's text is a bare title: no description and a title of at most ``THIN_TEXT_WORDS``
    words. (A short description on the subject already gives cosines in the rich range: two short texts on one
    subject score 0.5-0.9.)"""
    return not (description or "").strip() and len((title or "").split()) <= THIN_TEXT_WORDS


def text_score(cosine: Any, thin: Any = False) -> Any:
    """Cosine of the two texts' embeddings, rescaled: 0 at or below 0.30, 1 at or above 0.75, linear between;
    where ``thin`` (bool or array, the opening is a bare title), from ``TEXT_COSINE_FLOOR_THIN`` to
    ``TEXT_COSINE_FULL_THIN`` instead."""
    cos = np.asarray(cosine, dtype=np.float64)
    thin = np.asarray(thin, dtype=bool)
    floor = np.where(thin, TEXT_COSINE_FLOOR_THIN, TEXT_COSINE_FLOOR)
    full = np.where(thin, TEXT_COSINE_FULL_THIN, TEXT_COSINE_FULL)
    return np.clip((cos - floor) / (full - floor), 0.0, 1.0)


#: The ``lexical`` criterion: a profile's BM25 for the opening's terms, standardised over the talent pool
#: (``matching.lexical``), rescaled from ``LEXICAL_Z_FLOOR`` deviations above the pool's mean (0) to
#: ``LEXICAL_Z_FULL`` (1). Fitted on half A of the résumé-routing development set (docs/matching.md).
LEXICAL_Z_FLOOR = 0.0
LEXICAL_Z_FULL = 4.0


def lexical_score(z: Any) -> Any:
    """Standardised BM25 rescaled: 0 at or below ``LEXICAL_Z_FLOOR``, 1 at or above ``LEXICAL_Z_FULL``."""
    zz = np.asarray(z, dtype=np.float64)
    return np.clip((zz - LEXICAL_Z_FLOOR) / (LEXICAL_Z_FULL - LEXICAL_Z_FLOOR), 0.0, 1.0)


#: The ``titles`` criterion: the BM25 of the talent's job titles (work history, desired roles, the résumé's
#: work-history lines) for the opening title's terms, standardised over the talent pool like ``lexical`` (titles not widened), rescaled
#: from ``TITLES_Z_FLOOR`` (0) to ``TITLES_Z_FULL`` (1). Chosen on half A of the résumé-routing development set
#: (docs/matching.md): accuracy@1 moved by at most a point for a full score at 3 to 5 deviations.
TITLES_Z_FLOOR = 0.0
TITLES_Z_FULL = 4.0


def titles_score(z: Any) -> Any:
    """Standardised BM25 of the job titles rescaled: 0 at or below ``TITLES_Z_FLOOR``, 1 at ``TITLES_Z_FULL``."""
    zz = np.asarray(z, dtype=np.float64)
    return np.clip((zz - TITLES_Z_FLOOR) / (TITLES_Z_FULL - TITLES_Z_FLOOR), 0.0, 1.0)


#: The ``text`` criterion when the talent pool's embeddings are known (``lexical.EmbeddingPool``): the cosine
#: standardised over the pool's cosines with the same opening, rescaled from ``TEXT_Z_FLOOR`` (0) to
#: ``TEXT_Z_FULL`` (1); it replaces the fixed cosine ranges above, which hold for no particular opening. Fitted on
#: half A of the résumé-routing development set (docs/matching.md).
TEXT_Z_FLOOR = 0.0
TEXT_Z_FULL = 3.0


def text_z_score(z: Any) -> Any:
    """Pool-standardised cosine rescaled: 0 at or below ``TEXT_Z_FLOOR``, 1 at or above ``TEXT_Z_FULL``."""
    zz = np.asarray(z, dtype=np.float64)
    return np.clip((zz - TEXT_Z_FLOOR) / (TEXT_Z_FULL - TEXT_Z_FLOOR), 0.0, 1.0)
