"""Profiles as vectors whose inner product approximates the fit score, for approximate-nearest-neighbour search.

A talent vector has one block per criterion; an opening's query vector puts weights where the talent puts values,
so ``query · talent ≈ fit / 100``:

skills (``D_s`` dims per level threshold ``t``, by default one threshold, 3; a skill's vocabulary index modulo
    ``D_s``)
    talent: for every skill ``s`` its skills give credit to, the best ``relation_credit × confidence ×
    min(1, level / t)`` (taxonomy-propagated, max-pooled); query: ``w_skills × weight_r / Σ weight`` at each
    required skill, in the block of the threshold closest to its minimum level. Exact for minimum levels equal to
    a threshold when no two skills share a dimension. Measured (benchmarks/bench_recommend.py data, 200,000
    talents): thresholds (2, 3, 4) rank the exact top-20 among the 100 best vectors 100% of the time, (3,) 99.3%,
    with half the dimensions (204 instead of 396) and about a third less HNSW search time; the exact re-scoring
    of the candidates absorbs the difference, so one threshold is the default.
education, location (one-hot)
    talent: 1 at its degree / region; query: ``w_c × criterion_score`` of every degree / region.
experience, availability, salary (linear-interpolation bins on fixed knots)
    talent: its value (most years on a skill, else work years; days from the index date until available;
    expected salary) split between the two nearest knots; query: ``w_c × criterion_score(knot)`` at every knot,
    so the product is the criterion's contribution interpolated linearly between knots. An unknown date or
    salary has a dimension of its own.
eligibility (10 dims: "wants employment type t" and "wants t and may work in it without sponsorship")
    talent: 1 in each that holds; query: ``ELIGIBILITY_BONUS`` in the opening's type (the permitted one unless
    the opening sponsors visas). Eligible talents then lead any ineligible one by the bonus, so the nearest
    neighbours are (almost) all eligible: a soft filter inside the ANN search. The hard constraints are still
    checked exactly afterwards.
text (optional, the encoder's dimension)
    talent: the résumé embedding; query: ``w_text ×`` the opening embedding.

The exact score re-ranks whatever this retrieves, so the approximation only has to keep the true top-K among the
candidates (``retrieval.py``). Vectors are float32 here; the index stores them as float16.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from talentbridge.domain.enums import OPENING_EMPLOYMENT_TYPE, EmploymentType, OpeningKind
from talentbridge.matching import criteria as C
from talentbridge.matching.columns import EMPLOYMENT_BIT, VISA_CODES, SkillVocab, TalentColumns
from talentbridge.matching.constraints import SUITABLE_VISAS
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.scoring import OpeningProfile
from talentbridge.matching.weights import CRITERIA

__all__ = ["VectorSpace", "EXPERIENCE_KNOTS", "SALARY_KNOTS", "SALARY_STEP", "MONTHS"]

EXPERIENCE_KNOTS = np.array([0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30], dtype=np.float64)
SALARY_STEP = 500  # 만원
SALARY_KNOTS = np.arange(0, 15_001, SALARY_STEP, dtype=np.float64)  # 0..15,000만원
MONTHS = 24  # availability knots: the index date, then every 30 days for 24 months
EXPERIENCE_EDGES = EXPERIENCE_KNOTS  # kept for callers of the first layout
SALARY_BINS = SALARY_KNOTS.shape[0]


def _soft(values: np.ndarray, knots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Linear-interpolation weights of ``values`` on ``knots``: (index of the left knot, weight of the right)."""
    x = np.clip(values.astype(np.float64), knots[0], knots[-1])
    i = np.clip(np.searchsorted(knots, x, "right") - 1, 0, knots.shape[0] - 2)
    t = (x - knots[i]) / (knots[i + 1] - knots[i])
    return i.astype(np.int64), t


def _put_soft(block: np.ndarray, start: int, i: np.ndarray, t: np.ndarray, rows: np.ndarray) -> None:
    block[rows, start + i] = (1.0 - t).astype(np.float32)
    block[rows, start + i + 1] += t.astype(np.float32)
ELIGIBILITY_BONUS = 1.0
_TYPES = tuple(EmploymentType)
_MAX_SKILL_DIMS = 96


@dataclass
class VectorSpace:
    """Layout of the vectors: skill dimensions, bins, the date availability months count from, text dim."""

    skill_dims: int
    epoch: int = field(default_factory=lambda: date.today().toordinal())
    text_dim: int = 0
    level_thresholds: tuple[int, ...] = (3,)

    def __post_init__(self) -> None:
        self.level_thresholds = tuple(int(t) for t in self.level_thresholds)

    @classmethod
    def for_vocab(cls, vocab: SkillVocab, text_dim: int = 0, epoch: date | None = None) -> VectorSpace:
        """A layout with room for ``vocab`` plus a quarter more (capped at 96 per level threshold; then skills share dimensions)."""
        dims = min(_MAX_SKILL_DIMS, max(16, int(len(vocab) * 1.25) + 8))
        return cls(skill_dims=dims, epoch=(epoch or date.today()).toordinal(), text_dim=text_dim)

    # block offsets
    @property
    def offsets(self) -> dict[str, tuple[int, int]]:
        sizes = [
            ("skills", self.skill_dims * len(self.level_thresholds)),
            ("experience", EXPERIENCE_KNOTS.shape[0]),
            ("education", 6),
            ("location", C.NO_REGION + 1),
            ("availability", MONTHS + 2),
            ("salary", SALARY_KNOTS.shape[0] + 1),
            ("eligibility", 2 * len(_TYPES)),
            ("text", self.text_dim),
        ]
        out, at = {}, 0
        for name, size in sizes:
            out[name] = (at, at + size)
            at += size
        return out

    @property
    def ndim(self) -> int:
        return self.offsets["text"][1]

    def as_dict(self) -> dict[str, Any]:
        return {"skill_dims": self.skill_dims, "epoch": self.epoch, "text_dim": self.text_dim,
                "level_thresholds": list(self.level_thresholds)}

    # ------------------------------------------------------------------ bins
    @staticmethod
    def _month_knots() -> np.ndarray:
        return np.arange(0, 30 * MONTHS + 1, 30, dtype=np.float64)

    # ------------------------------------------------------------------ talents
    def propagation(
        self, graph: SkillGraph, vocab: SkillVocab, relation_credit: dict[str, float]
    ) -> sp.csr_matrix:
        """``P[held, target]`` = credit a held skill gives a required skill (vocabulary indexes)."""
        rows, cols_, vals = [], [], []
        for target_id, target in vocab.index.items():
            for held_id, relation in graph.sources(target_id).items():
                held = vocab.get(held_id)
                # skills past the first ``skill_dims`` share dimensions: only their exact holders get credit,
                # so taxonomy neighbours do not leak credit into a shared dimension
                if held is not None and (target < self.skill_dims or held == target):
                    rows.append(held)
                    cols_.append(target)
                    vals.append(relation_credit[relation])
        n = len(vocab)
        m = sp.coo_matrix((vals, (rows, cols_)), shape=(n, n)).tocsr()
        m.sum_duplicates()
        return m

    def talent_vectors(
        self, cols: TalentColumns, rows: np.ndarray, prop: sp.csr_matrix, chunk: int = 50_000
    ) -> np.ndarray:
        """(len(rows), ndim) float32 vectors of ``rows``; memory O(chunk × ndim)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros((rows.shape[0], self.ndim), dtype=np.float32)
        off = self.offsets
        for lo in range(0, rows.shape[0], chunk):
            part = rows[lo : lo + chunk]
            block = out[lo : lo + chunk]
            self._skill_block(cols, part, prop, block)
            n = part.shape[0]
            ar = np.arange(n)
            # criteria that vary continuously: linear interpolation between knots (the query holds the
            # criterion score at each knot, so the product interpolates the score linearly)
            i, t = _soft(self._experience_years(cols, part), EXPERIENCE_KNOTS)
            _put_soft(block, off["experience"][0], i, t, ar)
            block[ar, off["education"][0] + cols.degree[part].astype(np.int64)] = 1
            block[ar, off["location"][0] + cols.region[part].astype(np.int64)] = 1
            avail = cols.available[part].astype(np.int64)
            known = avail > 0
            a0 = off["availability"][0]
            block[ar[~known], a0] = 1
            i, t = _soft((avail[known] - self.epoch).astype(np.float64), self._month_knots())
            _put_soft(block, a0 + 1, i, t, ar[known])
            salary = cols.salary[part].astype(np.int64)
            known = salary >= 0
            s0 = off["salary"][0]
            block[ar[~known], s0] = 1
            i, t = _soft(salary[known].astype(np.float64), SALARY_KNOTS)
            _put_soft(block, s0 + 1, i, t, ar[known])
            a = off["eligibility"][0]
            for i, t in enumerate(_TYPES):
                wants = (cols.emp_mask[part] & EMPLOYMENT_BIT[t]) != 0
                suitable = np.array([v in SUITABLE_VISAS[t] for v in VISA_CODES] + [False], dtype=bool)
                permitted = wants & (~cols.foreign[part] | suitable[cols.visa[part]])
                block[:, a + i] = wants
                block[:, a + len(_TYPES) + i] = permitted
            if self.text_dim and cols.embeddings is not None:
                a, b = off["text"]
                block[:, a:b] = cols.embeddings[part].astype(np.float32)
        return out

    @staticmethod
    def _experience_years(cols: TalentColumns, rows: np.ndarray) -> np.ndarray:
        """Most years given on any skill, else total work years (the exact score uses the skills that cover a
        requirement; a talent's skills mostly belong to one line of work, so this is close)."""
        entries, counts = cols.entries_of(rows)
        best = np.full(rows.shape[0], -1.0)
        if entries.size:
            owner = np.repeat(np.arange(rows.shape[0]), counts)
            years = cols.years[entries].astype(np.float64)
            known = ~np.isnan(years)
            np.maximum.at(best, owner[known], years[known])
        return np.where(best >= 0, best, cols.work_years[rows].astype(np.float64))

    def _skill_block(
        self, cols: TalentColumns, rows: np.ndarray, prop: sp.csr_matrix, block: np.ndarray
    ) -> None:
        entries, counts = cols.entries_of(rows)
        if entries.size == 0:
            return
        owner = np.repeat(np.arange(rows.shape[0], dtype=np.int64), counts)
        held = cols.skill[entries].astype(np.int64)
        known = held < prop.shape[0]
        held, owner, entries = held[known], owner[known], entries[known]
        # expand each held skill to the skills it gives credit to
        starts = prop.indptr[held]
        fan = prop.indptr[held + 1] - starts
        idx = np.repeat(starts - np.concatenate([[0], np.cumsum(fan)[:-1]]), fan) + np.arange(int(fan.sum()))
        target = prop.indices[idx].astype(np.int64) % self.skill_dims
        cell = np.repeat(owner, fan) * block.shape[1] + target
        credit = prop.data[idx]
        flat = block.reshape(-1)
        for i, threshold in enumerate(self.level_thresholds):
            value = cols.conf[entries] * np.minimum(1.0, cols.level[entries] / threshold)
            val = (np.repeat(value, fan) * credit).astype(np.float32)
            np.maximum.at(flat, cell + i * self.skill_dims, val)

    # ------------------------------------------------------------------ openings
    def query(self, prof: OpeningProfile, vocab: SkillVocab) -> np.ndarray:
        """The query vector of an opening: criterion weights spread over the talent blocks (see module doc)."""
        o = prof.ctx.opening
        applicable = prof.applicable()
        w = prof.weights
        denom = sum(w[c] for c in CRITERIA if applicable[c]) or 1.0
        share = {c: (w[c] / denom if applicable[c] else 0.0) for c in CRITERIA}
        q = np.zeros(self.ndim, dtype=np.float32)
        off = self.offsets
        if share["skills"] > 0:
            total = prof.req_weight.sum()
            levels = np.asarray(self.level_thresholds, dtype=np.float64)
            for sid, rw, m in zip(prof.req_ids, prof.req_weight, prof.req_min_level, strict=True):
                v = vocab.get(sid)
                if v is not None:
                    block = int(np.argmin(np.abs(levels - m)))  # the threshold closest to the required level
                    q[off["skills"][0] + block * self.skill_dims + v % self.skill_dims] += share["skills"] * rw / total
        if share["experience"] > 0:
            a, b = off["experience"]
            q[a:b] = share["experience"] * C.experience_score(EXPERIENCE_KNOTS, float(o.min_years_experience or 0))
        if share["education"] > 0:
            a, b = off["education"]
            q[a:b] = share["education"] * C.education_score(np.arange(6), C.degree_rank(o.min_degree))
        a, b = off["location"]
        q[a:b] = share["location"] * C.location_score(
            np.arange(C.NO_REGION + 1), C.region_code(o.region), o.remote
        )
        if share["availability"] > 0:
            a, b = off["availability"]
            knots = np.concatenate([[0.0], self.epoch + self._month_knots()])  # first: date unknown
            q[a:b] = share["availability"] * C.availability_score(knots, C.ordinal(o.start_date))
        if share["salary"] > 0:
            a, b = off["salary"]
            knots = np.concatenate([[-1.0], SALARY_KNOTS])  # first: expectation unknown
            q[a:b] = share["salary"] * C.salary_score(knots, o.salary_max)
        etype = OPENING_EMPLOYMENT_TYPE[OpeningKind(o.kind)]
        a = off["eligibility"][0] + _TYPES.index(etype) + (0 if o.visa_sponsorship else len(_TYPES))
        q[a] = ELIGIBILITY_BONUS
        if self.text_dim and prof.embedding is not None and share["text"] > 0:
            a, b = off["text"]
            q[a:b] = share["text"] * prof.embedding
        return q
