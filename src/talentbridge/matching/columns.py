"""Talent profiles as columns of numpy arrays: what retrieval, the exact array scorer and the audit read.

One row per talent profile. Skills are a CSR structure (``indptr``, ``skill`` = vocabulary index, ``level``,
``conf`` = 1 for explicit claims, ``years`` = NaN when not given). Rows are append-only: an update appends a new
row and marks the old one dead (``alive``), so the ANN keys (= row numbers) of other rows never move;
``compact()`` drops dead rows when a full rebuild is due.

Build from domain records with ``TalentColumns.from_talents`` or, at benchmark scale, straight from arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np

from talentbridge.domain.enums import EmploymentType, Gender, SkillSource, VisaType
from talentbridge.domain.talent import TalentData
from talentbridge.matching.criteria import degree_rank, ordinal, region_code
from talentbridge.matching.weights import INFERRED_CONFIDENCE_DEFAULT

__all__ = [
    "SkillVocab",
    "TalentColumns",
    "EMPLOYMENT_BIT",
    "VISA_CODES",
    "GENDER_CODES",
    "claim_confidence",
]

EMPLOYMENT_BIT: dict[EmploymentType, int] = {t: 1 << i for i, t in enumerate(EmploymentType)}
VISA_CODES: tuple[VisaType, ...] = tuple(VisaType)
GENDER_CODES: tuple[Gender, ...] = tuple(Gender)


def claim_confidence(source: SkillSource | str, confidence: float | None) -> float:
    """1 for an explicit claim; the extraction confidence (default 0.7) for an inferred one."""
    if SkillSource(source) == SkillSource.EXPLICIT:
        return 1.0
    return INFERRED_CONFIDENCE_DEFAULT if confidence is None else float(confidence)


@dataclass
class SkillVocab:
    """Skill id ↔ dense index. Grows when unseen ids arrive; indexes never change."""

    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, ids: Iterable[str]) -> SkillVocab:
        vocab = cls()
        for sid in ids:
            vocab.add(sid)
        return vocab

    def add(self, skill_id: str) -> int:
        found = self.index.get(skill_id)
        if found is None:
            found = self.index[skill_id] = len(self.ids)
            self.ids.append(skill_id)
        return found

    def get(self, skill_id: str) -> int | None:
        return self.index.get(skill_id)

    def __len__(self) -> int:
        return len(self.ids)


_ARRAY_DTYPES: dict[str, Any] = {
    "ids": np.int64,
    "region": np.int8,
    "consent": np.bool_,
    "emp_mask": np.uint8,
    "foreign": np.bool_,
    "visa": np.int8,
    "employer": np.int64,
    "work_years": np.float32,
    "degree": np.int8,
    "available": np.int32,
    "salary": np.int32,
    "gender": np.int8,
    "birth_year": np.int16,
    "alive": np.bool_,
    "indptr": np.int64,
    "skill": np.int32,
    "level": np.float32,
    "conf": np.float32,
    "years": np.float32,
}

_ROW_FIELDS = [name for name in _ARRAY_DTYPES if name not in {"indptr", "skill", "level", "conf", "years"}]


@dataclass
class TalentColumns:
    """Columnar talent profiles (see module docstring). Codes: region 17 = unknown; visa -1 = none;
    employer -1 = none; degree 0 = unknown; available 0 = unknown (ordinal); salary -1 = unknown;
    gender -1 = unknown; birth_year 0 = unknown."""

    ids: np.ndarray
    region: np.ndarray
    consent: np.ndarray
    emp_mask: np.ndarray
    foreign: np.ndarray
    visa: np.ndarray
    employer: np.ndarray
    work_years: np.ndarray
    degree: np.ndarray
    available: np.ndarray
    salary: np.ndarray
    gender: np.ndarray
    birth_year: np.ndarray
    alive: np.ndarray
    indptr: np.ndarray
    skill: np.ndarray
    level: np.ndarray
    conf: np.ndarray
    years: np.ndarray
    vocab: SkillVocab = field(default_factory=SkillVocab)
    embeddings: np.ndarray | None = None  # (n, d) float16, L2-normalised rows; zero row = no text
    _row_of: np.ndarray | None = field(default=None, repr=False)
    _entry_row: np.ndarray | None = field(default=None, repr=False)
    #: name → (buffer, the view of it that is the attribute): spare capacity for ``append``
    _spare: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, dtype in _ARRAY_DTYPES.items():
            setattr(self, name, np.ascontiguousarray(getattr(self, name), dtype=dtype))

    # ------------------------------------------------------------------ building
    @classmethod
    def empty(cls, vocab: SkillVocab | None = None) -> TalentColumns:
        arrays = {name: np.zeros(0, dtype=dtype) for name, dtype in _ARRAY_DTYPES.items()}
        arrays["indptr"] = np.zeros(1, dtype=np.int64)
        return cls(**arrays, vocab=SkillVocab() if vocab is None else vocab)

    @classmethod
    def from_talents(
        cls,
        talents: Sequence[Any],
        vocab: SkillVocab | None = None,
        today: date | None = None,
        embeddings: np.ndarray | None = None,
    ) -> TalentColumns:
        """Columns of ``talents`` (``Talent`` records with ``id``; ``TalentData`` rows get ids 0, 1, ...)."""
        vocab = SkillVocab() if vocab is None else vocab
        today = today or date.today()
        n = len(talents)
        out: dict[str, list[Any]] = {name: [] for name in _ARRAY_DTYPES}
        indptr = [0]
        for i, t in enumerate(talents):
            row = talent_row(t, today)
            row["ids"] = getattr(t, "id", i)
            for name in _ROW_FIELDS:
                out[name].append(row[name])
            for claim in t.skills:
                out["skill"].append(vocab.add(claim.skill_id))
                out["level"].append(claim.level)
                out["conf"].append(claim_confidence(claim.source, claim.confidence))
                out["years"].append(np.nan if claim.years is None else claim.years)
            indptr.append(len(out["skill"]))
        out["indptr"] = indptr
        arrays = {name: np.asarray(values, dtype=_ARRAY_DTYPES[name]) for name, values in out.items()}
        if n == 0:
            arrays["indptr"] = np.zeros(1, dtype=np.int64)
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float16)
        return cls(**arrays, vocab=vocab, embeddings=embeddings)

    def append(self, other: TalentColumns) -> np.ndarray:
        """Append ``other``'s rows (same vocabulary); returns their new row numbers."""
        if other.vocab is not self.vocab:
            raise ValueError("append needs columns built with the same vocabulary")
        start = len(self)
        for name in _ROW_FIELDS + ["skill", "level", "conf", "years"]:
            self._extend(name, getattr(other, name))
        self._extend("indptr", other.indptr[1:] + self.indptr[-1])
        if self.embeddings is not None or other.embeddings is not None:
            dim = (self.embeddings if self.embeddings is not None else other.embeddings).shape[1]  # type: ignore[union-attr]
            if self.embeddings is None:
                self.embeddings = np.zeros((start, dim), np.float16)
            theirs = (
                other.embeddings if other.embeddings is not None else np.zeros((len(other), dim), np.float16)
            )
            self._extend("embeddings", theirs)
        self._row_of = None
        self._entry_row = None
        return np.arange(start, len(self), dtype=np.int64)

    def _extend(self, name: str, new: np.ndarray) -> None:
        """``self.<name> = concatenate([self.<name>, new])`` in amortised O(len(new)): the attribute is a view of a
        buffer with spare room (grown by half when full), so one-profile upserts do not copy a million rows."""
        current = getattr(self, name)
        new = np.asarray(new, dtype=current.dtype)
        n, m = current.shape[0], current.shape[0] + new.shape[0]
        buffer, view = self._spare.get(name, (None, None))
        if buffer is None or view is not current or m > buffer.shape[0]:
            buffer = np.empty((max(m, n + n // 2 + 16), *current.shape[1:]), dtype=current.dtype)
            buffer[:n] = current
        buffer[n:m] = new
        view = buffer[:m]
        setattr(self, name, view)
        self._spare[name] = (buffer, view)

    def kill(self, rows: np.ndarray | Sequence[int]) -> None:
        self.alive[np.asarray(rows, dtype=np.int64)] = False
        self._row_of = None

    def wipe(self, rows: np.ndarray | Sequence[int]) -> None:
        """Kill ``rows`` and erase what they held: their skill entries are dropped, every other value and the
        embedding set to "unknown" (erasure: a saved index keeps nothing of the person, not even in dead rows)."""
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        if rows.size == 0:
            return
        self.kill(rows)
        entries, _ = self.entries_of(rows)
        if entries.size:
            keep = np.ones(self.skill.shape[0], dtype=bool)
            keep[entries] = False
            counts = np.diff(self.indptr)
            counts[rows] = 0
            for name in ("skill", "level", "conf", "years"):
                setattr(self, name, np.ascontiguousarray(getattr(self, name)[keep]))
                self._spare.pop(name, None)
            self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            self._spare.pop("indptr", None)
        unknown = {"consent": False, "emp_mask": 0, "foreign": False, "visa": -1, "employer": -1, "work_years": 0.0,
                   "degree": 0, "available": 0, "salary": -1, "gender": -1, "birth_year": 0}  # fmt: skip
        for name, value in unknown.items():
            getattr(self, name)[rows] = value
        if self.embeddings is not None:
            self.embeddings[rows] = 0
        self._entry_row = None

    def rows_with_ids(self, talent_ids: Iterable[int]) -> np.ndarray:
        """Every row, live or dead (earlier versions of a profile), of these talent ids."""
        return np.flatnonzero(np.isin(self.ids, np.fromiter(talent_ids, dtype=np.int64)))

    def compact(self) -> np.ndarray:
        """Drop dead rows; returns the old row number of each kept row."""
        keep = np.flatnonzero(self.alive)
        sub = self.take(keep)
        for f in fields(self):
            setattr(self, f.name, getattr(sub, f.name))
        return keep

    def take(self, rows: np.ndarray) -> TalentColumns:
        rows = np.asarray(rows, dtype=np.int64)
        entries, counts = self.entries_of(rows)
        arrays = {name: getattr(self, name)[rows] for name in _ROW_FIELDS}
        for name in ("skill", "level", "conf", "years"):
            arrays[name] = getattr(self, name)[entries]
        arrays["indptr"] = np.concatenate([[0], np.cumsum(counts)])
        emb = None if self.embeddings is None else self.embeddings[rows]
        return TalentColumns(**arrays, vocab=self.vocab, embeddings=emb)

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def n_alive(self) -> int:
        return int(self.alive.sum())

    def row_of(self, talent_id: int) -> int | None:
        """The live row of a talent id, or None."""
        table = self._id_table()
        if talent_id < 0 or talent_id >= table.shape[0]:
            return None
        row = int(table[talent_id])
        return None if row < 0 else row

    def rows_of(self, talent_ids: np.ndarray) -> np.ndarray:
        table = self._id_table()
        ids = np.asarray(talent_ids, dtype=np.int64)
        ok = (ids >= 0) & (ids < table.shape[0])
        out = np.full(ids.shape, -1, dtype=np.int64)
        out[ok] = table[ids[ok]]
        return out

    def _id_table(self) -> np.ndarray:
        if self._row_of is None:
            live = np.flatnonzero(self.alive)
            size = int(self.ids[live].max()) + 1 if live.size else 0
            table = np.full(size, -1, dtype=np.int64)
            table[self.ids[live]] = live
            self._row_of = table
        return self._row_of

    def entries_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Skill-entry positions of ``rows`` (concatenated, in row order) and the count per row."""
        starts = self.indptr[rows]
        counts = self.indptr[rows + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), counts
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        return offsets + np.arange(total, dtype=np.int64), counts

    @property
    def entry_row(self) -> np.ndarray:
        """Row number of every skill entry."""
        if self._entry_row is None:
            self._entry_row = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))
        return self._entry_row

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array, for saving with ``np.savez``."""
        out = {name: getattr(self, name) for name in _ARRAY_DTYPES}
        if self.embeddings is not None:
            out["embeddings"] = self.embeddings
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], vocab: SkillVocab) -> TalentColumns:
        kwargs = {name: arrays[name] for name in _ARRAY_DTYPES}
        return cls(**kwargs, vocab=vocab, embeddings=arrays.get("embeddings"))


def talent_row(t: TalentData, today: date) -> dict[str, Any]:
    """The scalar columns of one talent (no id, no skills)."""
    mask = 0
    for et in t.employment_types:
        mask |= EMPLOYMENT_BIT[EmploymentType(et)]
    ranks = [degree_rank(e.degree) for e in t.education]
    return {
        "region": region_code(t.region),
        "consent": bool(t.consent_visible),
        "emp_mask": mask,
        "foreign": t.nationality != "KR",
        "visa": -1 if t.visa_type is None else VISA_CODES.index(VisaType(t.visa_type)),
        "employer": -1 if t.current_employer_id is None else t.current_employer_id,
        "work_years": t.years_of_experience(today),
        "degree": max(ranks, default=0),
        "available": ordinal(t.available_from),
        "salary": -1 if t.salary_expectation is None else t.salary_expectation,
        "gender": -1 if t.gender is None else GENDER_CODES.index(Gender(t.gender)),
        "birth_year": t.birth_year or 0,
        "alive": True,
    }
