"""Openings for a talent, vectorised: the open openings compiled once into arrays (``matching.opening_scores``),
their text embeddings beside them, then one talent scored against all of them at once.

``compiled_openings`` keeps the compiled openings per process (per database, date and programme weights) and
compiles again when the openings or organizations tables change (their change counters, ``storage.change_tables``:
one row, raised in the transaction of every change, so exact; a database without them compiles every time).
``rank_openings`` applies filters and hard constraints exactly, scores, sorts by (score, id) and
explains the top ones with the pair-level ``fit_score`` (same numbers).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from talentbridge.domain import Opening, TalentData
from talentbridge.matching import OpeningContext, SkillGraph, explain_fit, fit_score
from talentbridge.matching.explain import breakdown_dict
from talentbridge.matching.lexical import EmbeddingPool, LexicalCorpus, LexicalQueries, expands
from talentbridge.matching.opening_scores import OpeningColumns, eligible_openings, score_openings
from talentbridge.matching.weights import FitWeights
from talentbridge.services.compared_texts import opening_text, text_key
from talentbridge.services.text_embeddings import TextEmbeddings
from talentbridge.storage.change_tables import read_counters

__all__ = ["CompiledOpenings", "compiled_openings", "compile_openings", "rank_openings", "reset_openings"]

_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], CompiledOpenings] = OrderedDict()
_CACHE_SIZE = 4


@dataclass
class CompiledOpenings:
    """Openings as arrays, with their text hashes and (when an encoder is on) embeddings filled as they come."""

    columns: OpeningColumns
    text_keys: np.ndarray  # (n,) uint64, 0 = no text
    vectors: np.ndarray | None = None  # (n, dim) float16, zero rows until ``have``
    have: np.ndarray | None = None  # (n,) bool
    signature: dict[str, Any] | None = None
    #: per kind ("text": the openings' texts, "titles": their titles), the corpus compiled against and the queries
    compiled: dict[str, tuple[LexicalCorpus, LexicalQueries]] = field(default_factory=dict)
    text_pool: EmbeddingPool | None = None  # the pool ``text_mean`` / ``text_sd`` are computed against
    text_mean: np.ndarray | None = None  # (n,) the pool's mean cosine with each opening, NaN until computed
    text_sd: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.columns)

    def queries(self, corpus: LexicalCorpus | None, kind: str = "text") -> LexicalQueries | None:
        """The openings' texts (``kind`` "text", against the pool's texts) or titles ("titles", against the pool's
        job titles) compiled against ``corpus``, kept while the corpus is the same."""
        if corpus is None:
            return None
        with _lock:
            hit = self.compiled.get(kind)
            if hit is None or hit[0] is not corpus:
                openings = [ctx.opening for ctx in self.columns.contexts]
                texts = [o.title for o in openings] if kind == "titles" else [opening_text(o) for o in openings]
                hit = self.compiled[kind] = (corpus, LexicalQueries(corpus, texts, expand=expands(kind)))
            return hit[1]

    def text_z(self, pool: EmbeddingPool | None, sims: np.ndarray) -> np.ndarray | None:
        """``sims`` (n,) standardised over the pool's cosines with each opening (NaN where not known)."""
        if pool is None or self.vectors is None or self.have is None:
            return None
        with _lock:
            if self.text_pool is not pool or self.text_mean is None or self.text_sd is None:
                self.text_pool = pool
                self.text_mean = np.full(len(self), np.nan)
                self.text_sd = np.full(len(self), np.nan)
            rows = np.flatnonzero(self.have & np.isnan(self.text_mean) & ~np.isnan(sims))
            if rows.size:
                mean, sd = pool.stats(self.vectors[rows].astype(np.float64))
                self.text_mean[rows], self.text_sd[rows] = mean, sd
            return pool.z(sims, np.nan_to_num(self.text_mean), np.nan_to_num(self.text_sd))

    def fill_vectors(self, text: TextEmbeddings, rows: np.ndarray, budget: float | None) -> None:
        """Embeddings of ``rows`` that are not here yet: from the store, or encoded within ``budget`` seconds."""
        if not text.active:
            return
        n = len(self)
        if self.vectors is None or self.vectors.shape[1] != text.dim:
            self.vectors = np.zeros((n, text.dim), dtype=np.float16)
            self.have = np.zeros(n, dtype=bool)
        assert self.have is not None
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[~self.have[rows] & (self.text_keys[rows] != 0)]
        if rows.size == 0:
            return
        contexts = self.columns.contexts

        def texts(positions: np.ndarray) -> list[str]:
            return [opening_text(contexts[int(rows[p])].opening) for p in positions]

        vectors, found = text.lookup("openings", self.text_keys[rows], texts, budget=budget)
        self.vectors[rows[found]] = vectors[found]
        self.have[rows[found]] = True


def compile_openings(
    openings: Sequence[Opening],
    graph: SkillGraph,
    context: Callable[[Opening], OpeningContext],
    weights: Callable[[Opening], FitWeights],
) -> CompiledOpenings:
    columns = OpeningColumns.compile([context(o) for o in openings], graph, [weights(o) for o in openings])
    keys = np.fromiter((text_key(opening_text(o)) for o in openings), dtype=np.uint64, count=len(openings))
    return CompiledOpenings(columns, keys)


def _signature(session: Session) -> dict[str, Any] | None:
    """The change counters of openings and organizations, the form of ``recommend_cache.DataVersion.table``
    (None: no counters in this database, nothing is kept)."""
    counters = read_counters(session)
    return None if counters is None else {name: counters[name] for name in ("openings", "organizations")}


def compiled_openings(
    session: Session,
    cache_key: tuple[Any, ...],
    load: Callable[[], list[Opening]],
    compile: Callable[[list[Opening]], CompiledOpenings],
    signature: dict[str, Any] | None = None,
) -> CompiledOpenings:
    """The compiled open openings for ``cache_key`` (database, date, weights), compiled again when the openings
    or organizations changed. ``signature``: theirs as just read in the same session (``_signature``'s form), or
    None to read it."""
    signature = _signature(session) if signature is None else signature
    if signature is None:
        return compile(load())
    with _lock:
        hit = _cache.get(cache_key)
        if hit is not None and hit.signature == signature:
            _cache.move_to_end(cache_key)
            return hit
    entry = compile(load())
    entry.signature = signature
    with _lock:
        _cache[cache_key] = entry
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return entry


def reset_openings() -> None:
    with _lock:
        _cache.clear()


def weights_key(program_settings: dict[str, Any] | None) -> str:
    return json.dumps((program_settings or {}).get("fit_weights"), sort_keys=True, default=str)


def rank_openings(
    talent: TalentData,
    entry: CompiledOpenings,
    keep: np.ndarray,
    *,
    graph: SkillGraph,
    today: date,
    top: int,
    min_score: float,
    explain: bool,
    text: TextEmbeddings,
    talent_vector: np.ndarray | None,
    budget: float | None,
    lexical: np.ndarray | None = None,
    text_pool: EmbeddingPool | None = None,
    titles: np.ndarray | None = None,
    job_titles: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The ``top`` openings of ``entry`` among ``keep`` (filters) that pass the hard constraints, by (score, id).

    ``talent_vector``: the talent's text embedding (None: no text, or no encoder). ``lexical``: (n,) the talent's
    standardised BM25 per opening (``LexicalQueries.z``; None: no pool to compare with). ``text_pool``: the
    pool's text embeddings, to standardise the cosines (None: the text criterion's fixed ranges). ``titles``: (n,)
    the talent's job titles' standardised BM25 per opening title (None: not applicable), ``job_titles`` the titles
    read (shown in explanations). Returns ``items`` (each with
    ``_index`` into the compiled openings), ``considered``, ``eligible`` and ``excluded``.
    """
    cols = entry.columns
    ok, excluded = eligible_openings(talent, cols, within=keep)
    eligible_rows = np.flatnonzero(ok)
    sims = np.full(len(cols), np.nan)
    if talent_vector is not None and text.active and eligible_rows.size:
        entry.fill_vectors(text, eligible_rows, budget)
        assert entry.vectors is not None and entry.have is not None
        rows = eligible_rows[entry.have[eligible_rows]]
        sims[rows] = entry.vectors[rows].astype(np.float32) @ talent_vector.astype(np.float32)
    text_z = entry.text_z(text_pool, sims)
    scored = score_openings(
        talent, cols, today=today, text_similarity=sims, lexical=lexical, text_z=text_z, titles=titles
    )
    cand = eligible_rows[scored.score[eligible_rows] >= min_score]
    order = np.lexsort((cols.ids[cand], -scored.score[cand]))
    items = []
    for rank, j in enumerate(cand[order[:top]].tolist(), 1):
        o = cols.contexts[j].opening
        item: dict[str, Any] = {
            "rank": rank,
            "opening_id": o.id,
            "external_id": o.external_id,
            "title": o.title,
            "organization_id": o.organization_id,
            "kind": str(o.kind),
            "region": o.region and str(o.region),
            "score": round(float(scored.score[j]), 2),
            "breakdown": breakdown_dict(scored.breakdown(j)),
            "_index": j,
        }
        if explain:
            sim = None if np.isnan(sims[j]) else float(sims[j])
            lex = None if lexical is None or np.isnan(lexical[j]) else float(lexical[j])
            tz = None if text_z is None or np.isnan(text_z[j]) else float(text_z[j])
            ti = None if titles is None or np.isnan(titles[j]) else float(titles[j])
            result = fit_score(
                talent, o, graph, cols.weights[j], today=today, text_similarity=sim, lexical=lex, text_z=tz,
                titles=ti,
            )  # fmt: skip
            item["explanation"] = explain_fit(
                result, graph, text_status=_status(text, talent_vector, entry, j), job_titles=job_titles
            )
        items.append(item)
    return {
        "items": items,
        "considered": int(keep.sum()),
        "eligible": int(eligible_rows.size),
        "excluded": excluded,
    }


def _status(text: TextEmbeddings, talent_vector: np.ndarray | None, entry: CompiledOpenings, j: int) -> str:
    if not text.active:
        return text.status
    if talent_vector is None:
        return "no_talent_text"
    if entry.text_keys[j] == 0:
        return "no_opening_text"
    return "compared" if entry.have is not None and entry.have[j] else "pending"
