"""Candidate retrieval over many talent profiles, then exact re-scoring.

``TalentIndex`` holds

* ``columns``: every profile as arrays (``columns.py``) — metadata for filters and the exact scorer;
* one HNSW index (usearch, cosine, float16) per region (17 regions + "unknown"), over the vectors of
  ``vectors.py``, keyed by row number. Maximum inner product search is turned into cosine search by one extra
  dimension that brings every talent vector to the same norm (``sqrt(M² - |v|²)``; the query gets 0 there), so
  the cosine order equals the inner-product order and HNSW keeps its recall. Only live profiles that consent to be shown are indexed (no one else can
  ever be recommended to an opening). The usearch Python API has no filtered search, so the region filter picks
  sub-indexes and the remaining hard constraints are checked on the candidates;
* a skill inverted index (skill → rows; a CSC view of the skill entries).

``recommend(ctx, k, method="ann")``: ANN top-N in the allowed regions ∪ inverted-index hits (rows holding every
must-have skill exactly, when there are at most ``INVERTED_CAP`` of them) → hard constraints and filters →
exact ``score_rows`` → top-K. If fewer than K candidates survive, N doubles; past ``MAX_CANDIDATES`` it falls back
to exact scoring. ``method="exact"`` scores every eligible row (the brute-force reference).

The folder layout (``save``/``load``): ``meta.json``, ``columns.npz``, ``ann-<region>.usearch``. Updates are
incremental: ``upsert`` appends a row, kills the old one and moves the key between sub-indexes; ``delete`` kills.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from talentbridge.matching import criteria as C
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.constraints import OpeningContext, eligible_mask
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.scoring import OpeningProfile, RowScores, score_rows
from talentbridge.matching.vectors import VectorSpace
from talentbridge.matching.weights import RELATION_CREDIT, FitWeights

__all__ = ["TalentIndex", "Recommendations", "SearchFilters", "INDEX_VERSION"]

INDEX_VERSION = 4
INVERTED_CAP = 2000
INVERTED_SCAN_LIMIT = 20_000
DEFAULT_CANDIDATES = 100
#: HNSW graph degree and build-time beam. Measured on demo profiles (benchmarks/bench_recommend.py): with 16/64 the
#: graph of these vectors (many near-ties) misses true neighbours — recall@20 0.85-0.88 even at 400 candidates —
#: while 32/128 reaches 0.99 at 100 candidates for about 1.5x the build time.
CONNECTIVITY = 32
EXPANSION_ADD = 128
#: Search beam: ``max(EXPANSION_MIN, EXPANSION_FACTOR × candidates)``.
EXPANSION_MIN = 200
EXPANSION_FACTOR = 2
MAX_CANDIDATES = 6400
_REGION_CODES = tuple(range(C.NO_REGION + 1))


@dataclass(frozen=True)
class SearchFilters:
    """Filters a caller adds on top of the hard constraints (e.g. query parameters of the API)."""

    regions: frozenset[int] | None = None  # region codes (criteria.REGION_CODE; 17 = unknown)
    foreign: bool | None = None  # True: foreign nationals only; False: Korean only
    min_score: float = 0.0
    exclude_ids: frozenset[int] = field(default_factory=frozenset)

    def region_codes(self) -> tuple[int, ...]:
        return _REGION_CODES if self.regions is None else tuple(sorted(self.regions))

    def mask(self, cols: TalentColumns, rows: np.ndarray) -> np.ndarray:
        ok = np.ones(rows.shape[0], dtype=bool)
        if self.regions is not None:
            ok &= np.isin(cols.region[rows], np.fromiter(self.regions, dtype=np.int64))
        if self.foreign is not None:
            ok &= cols.foreign[rows] == self.foreign
        if self.exclude_ids:
            ok &= ~np.isin(cols.ids[rows], np.fromiter(self.exclude_ids, dtype=np.int64))
        return ok


@dataclass
class Recommendations:
    """Top-K rows with exact scores, plus how many rows each hard constraint excluded (exact path: all rows in
    the filtered set; ANN path: among the candidates looked at)."""

    rows: np.ndarray
    ids: np.ndarray
    scores: RowScores
    excluded: dict[str, int]
    method: str
    candidates: int

    def __len__(self) -> int:
        return int(self.rows.shape[0])


def _expansion(n: int) -> int:
    return max(EXPANSION_MIN, EXPANSION_FACTOR * n)


def _top_k(cols: TalentColumns, scored: RowScores, k: int, min_score: float) -> np.ndarray:
    """Positions in ``scored`` of the best ``k`` by (score desc, talent id asc)."""
    keep = np.flatnonzero(scored.score >= min_score)
    if keep.size > 4 * k:  # cut before the full sort
        part = np.argpartition(-scored.score[keep], 4 * k)[: 4 * k]
        threshold = scored.score[keep][part].min()
        keep = keep[scored.score[keep] >= threshold]
    order = np.lexsort((cols.ids[scored.rows[keep]], -np.round(scored.score[keep], 9)))
    return keep[order[:k]]


def _subset(scored: RowScores, pos: np.ndarray) -> RowScores:
    return RowScores(
        rows=scored.rows[pos],
        score=scored.score[pos],
        points={c: v[pos] for c, v in scored.points.items()},
        criterion={c: v[pos] for c, v in scored.criterion.items()},
        credit=scored.credit[pos],
    )


class TalentIndex:
    """See module docstring. Not thread-safe for writes; reads may run concurrently."""

    def __init__(
        self,
        columns: TalentColumns,
        graph: SkillGraph,
        space: VectorSpace | None = None,
        *,
        connectivity: int = CONNECTIVITY,
        expansion_add: int = EXPANSION_ADD,
        relation_credit: dict[str, float] | None = None,
    ):
        self.columns = columns
        self.graph = graph
        self.space = space or VectorSpace.for_vocab(columns.vocab)
        self.connectivity = connectivity
        self.expansion_add = expansion_add
        self.relation_credit = dict(relation_credit or RELATION_CREDIT)
        self.ann: dict[int, Any] = {}
        self.norm_bound: float | None = None  # M of the MIPS-to-cosine reduction, fixed by the first build
        self._prop: sp.csr_matrix | None = None
        self._postings: tuple[np.ndarray, np.ndarray] | None = None

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        columns: TalentColumns,
        graph: SkillGraph,
        space: VectorSpace | None = None,
        *,
        threads: int = 0,
        progress: Any = None,
        **options: Any,
    ) -> TalentIndex:
        """Index every live, consenting row. O(n log n) HNSW inserts; ``threads=0`` uses every core."""
        index = cls(columns, graph, space, **options)
        rows = np.flatnonzero(columns.alive & columns.consent)
        index._add_rows(rows, threads=threads, progress=progress)
        return index

    def _new_ann(self) -> Any:
        from usearch.index import Index  # lazy: the ANN library loads only when an index is used

        return Index(
            ndim=self.space.ndim + 1,
            metric="cos",
            dtype="f16",
            connectivity=self.connectivity,
            expansion_add=self.expansion_add,
            expansion_search=EXPANSION_MIN,
        )

    def propagation(self) -> sp.csr_matrix:
        if self._prop is None or self._prop.shape[0] != len(self.columns.vocab):
            self._prop = self.space.propagation(self.graph, self.columns.vocab, self.relation_credit)
        return self._prop

    def _augment(self, vectors: np.ndarray) -> np.ndarray:
        """Append ``sqrt(M² - |v|²)`` so every vector has norm M (vectors longer than M are scaled down)."""
        norms = np.linalg.norm(vectors, axis=1)
        if self.norm_bound is None:
            self.norm_bound = float(max(1.0, norms.max(initial=0.0)) * 1.25)
        m = self.norm_bound
        too_long = norms > m
        if too_long.any():
            vectors[too_long] *= (m / norms[too_long])[:, None]
            norms = np.minimum(norms, m)
        extra = np.sqrt(np.maximum(0.0, m * m - norms * norms)).astype(np.float32)
        return np.concatenate([vectors, extra[:, None]], axis=1)

    def _add_rows(
        self, rows: np.ndarray, *, threads: int = 0, progress: Any = None, chunk: int = 50_000
    ) -> None:
        cols = self.columns
        prop = self.propagation()
        for lo in range(0, rows.shape[0], chunk):
            part = rows[lo : lo + chunk]
            vectors = self._augment(self.space.talent_vectors(cols, part, prop))
            regions = cols.region[part]
            for code in np.unique(regions):
                sel = regions == code
                ann = self.ann.get(int(code))
                if ann is None:
                    ann = self.ann[int(code)] = self._new_ann()
                ann.add(part[sel].astype(np.uint64), vectors[sel], threads=threads)
            if progress is not None:
                progress(min(lo + chunk, rows.shape[0]), rows.shape[0])
        self._postings = None

    # ------------------------------------------------------------------ incremental updates
    def upsert(self, talents: Sequence[Any], today: date | None = None) -> np.ndarray:
        """Add or replace profiles (``Talent`` records with ``id``); returns their new rows."""
        if not talents:
            return np.zeros(0, dtype=np.int64)
        self.delete([t.id for t in talents])
        new = TalentColumns.from_talents(talents, vocab=self.columns.vocab, today=today)
        if self.columns.embeddings is not None and new.embeddings is None:
            new.embeddings = np.zeros((len(new), self.columns.embeddings.shape[1]), dtype=np.float16)
        rows = self.columns.append(new)
        self._add_rows(rows[self.columns.consent[rows]])
        return rows

    def delete(self, talent_ids: Iterable[int]) -> int:
        """Remove profiles by id; returns how many were there."""
        rows = self.columns.rows_of(np.fromiter(talent_ids, dtype=np.int64))
        rows = rows[rows >= 0]
        for row in rows:
            ann = self.ann.get(int(self.columns.region[row]))
            if ann is not None and ann.contains(int(row)):
                ann.remove(int(row))
        self.columns.kill(rows)
        self._postings = None
        return int(rows.shape[0])

    def forget(self, talent_ids: Iterable[int]) -> np.ndarray:
        """Erase talents: every row of theirs (earlier versions too) is wiped, and the sub-indexes of their
        regions are rebuilt, so neither the columns nor a saved ANN file keep their vectors. Returns the rows."""
        rows = self.columns.rows_with_ids(talent_ids)
        if rows.size == 0:
            return rows
        regions = {int(c) for c in self.columns.region[rows]}
        self.columns.wipe(rows)
        cols = self.columns
        for code in sorted(regions):
            self.ann.pop(code, None)
            keep = np.flatnonzero(cols.alive & cols.consent & (cols.region == code))
            if keep.size:
                self._add_rows(keep)
        self._postings = None
        return rows

    # ------------------------------------------------------------------ persistence
    def save(self, folder: Path | str) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "columns.tmp.npz"
        np.savez(tmp, **self.columns.arrays())
        tmp.replace(folder / "columns.npz")
        for old in folder.glob("ann-*.usearch"):
            if int(old.stem.split("-")[1]) not in self.ann:
                old.unlink()
        for code, ann in self.ann.items():
            ann.save(str(folder / f"ann-{code}.usearch"))
        meta = {
            "version": INDEX_VERSION,
            "space": self.space.as_dict(),
            "vocab": self.columns.vocab.ids,
            "connectivity": self.connectivity,
            "expansion_add": self.expansion_add,
            "relation_credit": self.relation_credit,
            "norm_bound": self.norm_bound,
            "rows": len(self.columns),
            "alive": self.columns.n_alive,
        }
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path | str, graph: SkillGraph, *, view: bool = False) -> TalentIndex | None:
        """The index saved in ``folder``, or None when there is none (or an older version)."""
        folder = Path(folder)
        meta_path = folder / "meta.json"
        if not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text())
        if meta.get("version") != INDEX_VERSION:
            return None
        vocab = SkillVocab.of(meta["vocab"])
        with np.load(folder / "columns.npz") as data:
            columns = TalentColumns.from_arrays({k: data[k] for k in data.files}, vocab)
        index = cls(
            columns,
            graph,
            VectorSpace(**meta["space"]),
            connectivity=meta["connectivity"],
            expansion_add=meta["expansion_add"],
            relation_credit=meta["relation_credit"],
        )
        index.norm_bound = meta.get("norm_bound")
        for path in sorted(folder.glob("ann-*.usearch")):
            ann = index._new_ann()
            if view:
                ann.view(str(path))
            else:
                ann.load(str(path))
            index.ann[int(path.stem.split("-")[1])] = ann
        return index

    # ------------------------------------------------------------------ inverted index
    def postings(self, vocab_index: int) -> np.ndarray:
        """Rows (live or dead) holding the skill with vocabulary index ``vocab_index``."""
        if self._postings is None:
            cols = self.columns
            order = np.argsort(cols.skill, kind="stable")
            ptr = np.zeros(len(cols.vocab) + 1, dtype=np.int64)
            np.cumsum(np.bincount(cols.skill, minlength=len(cols.vocab)), out=ptr[1:])
            self._postings = (cols.entry_row[order], ptr)
        rows, ptr = self._postings
        if vocab_index + 1 >= ptr.shape[0]:
            return np.zeros(0, dtype=np.int64)
        return rows[ptr[vocab_index] : ptr[vocab_index + 1]]

    def _inverted_candidates(self, prof: OpeningProfile) -> np.ndarray:
        musts = [r.skill_id for r in prof.ctx.opening.required_skills if str(r.importance) == "must"]
        lists = []
        for sid in musts:
            v = self.columns.vocab.get(sid)
            if v is None:
                return np.zeros(0, dtype=np.int64)
            lists.append(self.postings(v))
        if not lists:
            return np.zeros(0, dtype=np.int64)
        lists.sort(key=len)
        if lists[0].size > INVERTED_SCAN_LIMIT:  # only common skills: the ANN search covers these
            return np.zeros(0, dtype=np.int64)
        found = lists[0]
        for hits in lists[1:]:  # postings are sorted by row: membership by binary search from the rarest
            if found.size == 0 or hits.size == 0:
                found = found[:0]
                break
            pos = np.minimum(np.searchsorted(hits, found), hits.size - 1)
            found = found[hits[pos] == found]
        return found if found.size <= INVERTED_CAP else np.zeros(0, dtype=np.int64)

    # ------------------------------------------------------------------ search
    def profile(
        self, ctx: OpeningContext, weights: FitWeights | None = None, embedding: Any = None
    ) -> OpeningProfile:
        return OpeningProfile.compile(ctx, self.graph, self.columns.vocab, weights, embedding)

    def ann_candidates(self, prof: OpeningProfile, regions: Iterable[int], n: int) -> np.ndarray:
        """Rows of the ``n`` nearest vectors in each allowed region's sub-index (by inner product)."""
        query = np.append(self.space.query(prof, self.columns.vocab), np.float32(0.0))
        found = []
        for code in regions:
            ann = self.ann.get(int(code))
            if ann is None or len(ann) == 0:
                continue
            if n >= len(ann):  # asking for the whole sub-index: take it all (HNSW may not reach every node)
                found.append(np.asarray(ann.keys, dtype=np.int64))
                continue
            ann.expansion_search = _expansion(n)
            matches = ann.search(query, n, threads=1)
            found.append(np.asarray(matches.keys, dtype=np.int64))
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def recommend(
        self,
        ctx: OpeningContext,
        k: int = 20,
        *,
        filters: SearchFilters | None = None,
        method: str = "ann",
        weights: FitWeights | None = None,
        embedding: Any = None,
        n_candidates: int = DEFAULT_CANDIDATES,
        profile: OpeningProfile | None = None,
    ) -> Recommendations:
        """The ``k`` best talents for an opening that pass every hard constraint and ``filters``."""
        filters = filters or SearchFilters()
        prof = profile or self.profile(ctx, weights, embedding)
        cols = self.columns
        if method == "exact":
            return self._finish(prof, np.flatnonzero(cols.alive), k, filters, "exact")
        if method != "ann":
            raise ValueError("method is 'ann' or 'exact'")
        o = ctx.opening
        if str(o.status) != "open" or (o.deadline is not None and o.deadline < ctx.today):
            return self._finish(prof, np.zeros(0, dtype=np.int64), k, filters, "ann")  # nobody is eligible
        inverted = self._inverted_candidates(prof)
        n = n_candidates
        while True:
            rows = np.union1d(self.ann_candidates(prof, filters.region_codes(), n), inverted)
            result = self._finish(prof, rows, k, filters, "ann")
            indexed = sum(len(self.ann[c]) for c in filters.region_codes() if c in self.ann)
            if len(result) >= k or n >= indexed:
                return result
            if n >= MAX_CANDIDATES:
                return self._finish(prof, np.flatnonzero(cols.alive), k, filters, "exact")
            n *= 4

    def recommend_many(
        self,
        contexts: Sequence[OpeningContext],
        k: int = 20,
        *,
        filters: SearchFilters | None = None,
        weights: Sequence[FitWeights | None] | None = None,
        embeddings: Sequence[Any] | None = None,
        n_candidates: int = DEFAULT_CANDIDATES,
        threads: int = 0,
    ) -> list[Recommendations]:
        """``recommend`` for many openings at once: one batched, multi-threaded ANN search per sub-index, then
        exact re-scoring per opening. Openings left with fewer than ``k`` go through ``recommend`` one by one.
        ``weights`` and ``embeddings`` (the openings' text embeddings, None where there is none) go by position."""
        filters = filters or SearchFilters()
        for name, values in (("weights", weights), ("embeddings", embeddings)):
            if values is not None and len(values) != len(contexts):
                raise ValueError(f"{name} needs one entry per opening ({len(values)} for {len(contexts)})")
        profiles = [
            self.profile(
                ctx, None if weights is None else weights[i], None if embeddings is None else embeddings[i]
            )
            for i, ctx in enumerate(contexts)
        ]
        if not profiles:
            return []
        queries = np.stack(
            [np.append(self.space.query(p, self.columns.vocab), np.float32(0.0)) for p in profiles]
        )
        found: list[list[np.ndarray]] = [[] for _ in profiles]
        for code in filters.region_codes():
            ann = self.ann.get(int(code))
            if ann is None or len(ann) == 0:
                continue
            if n_candidates >= len(ann):  # the whole sub-index is a candidate for every opening
                everyone = np.asarray(ann.keys, dtype=np.int64)
                for i in range(len(profiles)):
                    found[i].append(everyone)
                continue
            ann.expansion_search = _expansion(n_candidates)
            matches = ann.search(queries, n_candidates, threads=threads)
            keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(profiles), -1)
            counts = np.asarray(matches.counts).reshape(-1)
            for i in range(len(profiles)):
                found[i].append(keys[i, : counts[i]])
        out = []
        for i, prof in enumerate(profiles):
            rows = np.unique(np.concatenate(found[i])) if found[i] else np.zeros(0, dtype=np.int64)
            rows = np.union1d(rows, self._inverted_candidates(prof))
            result = self._finish(prof, rows, k, filters, "ann")
            if len(result) < k:
                result = self.recommend(prof.ctx, k, filters=filters, profile=prof, n_candidates=n_candidates)
            out.append(result)
        return out

    def _finish(self, prof: OpeningProfile, rows: np.ndarray, k: int, filters: SearchFilters, method: str) -> Recommendations:
        cols = self.columns
        rows = rows[cols.alive[rows]]
        rows = rows[filters.mask(cols, rows)]
        ok, excluded = eligible_mask(cols, prof.ctx, rows)
        rows = rows[ok]
        scored = score_rows(cols, prof, rows)
        pos = _top_k(cols, scored, k, filters.min_score)
        top = _subset(scored, pos)
        return Recommendations(
            rows=top.rows,
            ids=cols.ids[top.rows],
            scores=top,
            excluded=excluded,
            method=method,
            candidates=int(rows.shape[0]),
        )

    def __len__(self) -> int:
        return self.columns.n_alive

    def memory_bytes(self) -> int:
        arrays = sum(a.nbytes for a in self.columns.arrays().values())
        return arrays + sum(int(ann.memory_usage) for ann in self.ann.values())
