"""Recommendations both ways, batch runs, index maintenance and the fairness audit of shortlists.

Talents for an opening go through the talent index (``matching.retrieval.TalentIndex``) kept under
``<data_dir>/indexes/talents``: built from the database on first use, then kept in step incrementally — before
each use the service compares a cheap signature of the talents table (count, newest ``updated_at``, largest id)
with the one saved beside the index and re-indexes only talents changed since (and drops deleted ones).
``on_talent_changed`` does the same for one talent right away (the API calls it after a save).

Openings for a talent score every open opening exactly, with arrays (``matching.opening_scores`` through
``recommend_openings``; openings are a hundred times fewer than talents). Explanations come from the pair-level
``matching.fit_score`` on the stored records (same numbers).

The ``text`` criterion compares embeddings of the profile and opening texts (``text_embeddings``): talent
embeddings sit in the index columns (refilled from the on-disk store by text hash, ``text_keys.npy`` beside the
index), opening embeddings in the store; texts not encoded yet are encoded within a time budget per request
(all of them in ``reindex`` and batch runs). Without an encoder the criterion is inactive, and the response says
why (``text``; ``breakdown.text.detail.status`` per item).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.domain import Opening, Talent
from talentbridge.domain.enums import OpeningKind, OpeningStatus, Region
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.matching import (
    OpeningContext,
    SkillGraph,
    explain_exclusions,
    explain_fit,
    failing,
    fit_score,
    weights_for,
)
from talentbridge.matching.audit import ShortlistAudit
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.constraints import Affiliates, eligible_mask
from talentbridge.matching.criteria import REGION_CODE
from talentbridge.matching.explain import breakdown_dict
from talentbridge.matching.opening_scores import OPENING_KINDS, OpeningColumns
from talentbridge.matching.retrieval import SearchFilters, TalentIndex
from talentbridge.services.recommend_openings import (
    CompiledOpenings,
    compile_openings,
    compiled_openings,
    rank_openings,
    reset_openings,
    weights_key,
)
from talentbridge.services.text_embeddings import (
    REQUEST_BUDGET_SECONDS,
    TalentTexts,
    TextEmbeddings,
    opening_text,
    talent_text,
    text_embeddings_for,
)
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.tables import TalentRow

__all__ = [
    "RecommendService",
    "TalentFilters",
    "OpeningFilters",
    "on_talent_changed",
    "reset_indexes",
    "DIRECTIONS",
    "API_SYNC_INTERVAL",
]

DIRECTIONS = ("talents-for-opening", "openings-for-talent")
Progress = Callable[[int, int], None]

_lock = threading.RLock()
_indexes: dict[str, TalentIndex] = {}
_graphs: dict[int, tuple[Taxonomy, SkillGraph]] = {}
_checked: dict[str, float] = {}
_texts: dict[str, TalentTexts] = {}
API_SYNC_INTERVAL = 5.0


def reset_indexes() -> None:
    """Forget in-process indexes (tests; after a taxonomy change)."""
    with _lock:
        _indexes.clear()
        _graphs.clear()
        _checked.clear()
        _texts.clear()
    reset_openings()


@dataclass(frozen=True)
class TalentFilters:
    """Optional filters of talents-for-opening (on top of the hard constraints)."""

    regions: tuple[Region, ...] = ()
    nationality: str | None = None  # "korean" or "foreign"
    min_score: float = 0.0

    def search(self) -> SearchFilters:
        foreign = None if self.nationality is None else self.nationality == "foreign"
        codes = frozenset(REGION_CODE[Region(r)] for r in self.regions) if self.regions else None
        return SearchFilters(regions=codes, foreign=foreign, min_score=self.min_score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": [str(r) for r in self.regions],
            "nationality": self.nationality,
            "min_score": self.min_score,
        }


@dataclass(frozen=True)
class OpeningFilters:
    kinds: tuple[OpeningKind, ...] = ()
    regions: tuple[Region, ...] = ()
    remote: bool | None = None
    organization_id: int | None = None
    min_score: float = 0.0

    def keep(self, o: Opening) -> bool:
        if self.kinds and OpeningKind(o.kind) not in self.kinds:
            return False
        if self.regions and (o.region is None or Region(o.region) not in self.regions) and not o.remote:
            return False
        if self.remote is not None and o.remote != self.remote:
            return False
        return self.organization_id is None or o.organization_id == self.organization_id

    def mask(self, cols: OpeningColumns) -> np.ndarray:
        """``keep`` of every compiled opening at once."""
        out = np.ones(len(cols), dtype=bool)
        if self.kinds:
            out &= np.isin(cols.kind, [OPENING_KINDS.index(OpeningKind(k)) for k in self.kinds])
        if self.regions:
            out &= np.isin(cols.region, [REGION_CODE[Region(r)] for r in self.regions]) | cols.remote
        if self.remote is not None:
            out &= cols.remote == self.remote
        if self.organization_id is not None:
            out &= cols.organization == self.organization_id
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": [str(k) for k in self.kinds],
            "region": [str(r) for r in self.regions],
            "remote": self.remote,
            "organization_id": self.organization_id,
            "min_score": self.min_score,
        }


def _check_top(top: int) -> None:
    if not 1 <= top <= 1000:
        raise ValidationFailed("invalid top", [Problem(loc=("query", "top"), msg="between 1 and 1000", value=top)])


class RecommendService:
    """Use cases over one session. ``today`` fixes the date constraints and experience are computed at.

    ``sync_interval``: seconds during which the index is used without comparing it with the database again
    (0: compare on every call; the API uses ``API_SYNC_INTERVAL``, since the signature query scans the table).
    """

    sync_interval: float = 0.0

    def __init__(
        self,
        settings: Settings,
        session: Session,
        *,
        today: date | None = None,
        text: TextEmbeddings | None = None,
    ):
        self.settings = settings
        self.session = session
        self.repos = Repositories(session)
        self.today = today or date.today()
        self._affiliates: Affiliates | None = None
        self._text = text

    @property
    def text(self) -> TextEmbeddings:
        """Encoder and stores of the ``text`` criterion (``text_embeddings.text_embeddings_for`` by default)."""
        if self._text is None:
            self._text = text_embeddings_for(self.settings)
        return self._text

    # ------------------------------------------------------------------ shared pieces
    @property
    def taxonomy_and_graph(self) -> tuple[Taxonomy, SkillGraph]:
        taxonomy = _load_taxonomy(self.session)
        with _lock:
            hit = _graphs.get(id(taxonomy))
            if hit is None or hit[0] is not taxonomy:
                hit = _graphs[id(taxonomy)] = (taxonomy, SkillGraph(taxonomy))
        return hit

    @property
    def graph(self) -> SkillGraph:
        return self.taxonomy_and_graph[1]

    @property
    def affiliates(self) -> Affiliates:
        if self._affiliates is None:
            self._affiliates = Affiliates({o.id: o for o in self.repos.organizations.iter_all()})
        return self._affiliates

    def context(self, opening: Opening) -> OpeningContext:
        affiliates = (
            self.affiliates.of(opening.organization_id) if opening.kind == OpeningKind.SECONDMENT_SLOT else frozenset()
        )
        return OpeningContext(opening, affiliate_ids=affiliates, today=self.today)

    def weights(self, opening: Opening, program_settings: dict[str, Any] | None = None):  # noqa: ANN201
        """Default weights of the opening's kind, overridden by a programme's ``settings["fit_weights"]``."""
        return weights_for(opening.kind, (program_settings or {}).get("fit_weights"))

    def program_settings(self, program_id: int | None) -> dict[str, Any] | None:
        return None if program_id is None else self.repos.programs.get(program_id).settings

    # ------------------------------------------------------------------ index
    @property
    def index_dir(self) -> Path:
        return self.settings.index_dir / "talents"

    @property
    def _key(self) -> str:
        return f"{self.index_dir}|{self.settings.sqlalchemy_url}"

    def index(self) -> TalentIndex:
        """The talent index, built or brought up to date with the database (text embeddings included)."""
        key = self._key
        with _lock:
            idx = _indexes.get(key)
            now = time.monotonic()
            if idx is not None and now - _checked.get(key, -1e9) < self.sync_interval:
                return idx  # checked a moment ago; saves through the API update the index right away anyway
            _checked[key] = now
            if idx is None:
                idx = TalentIndex.load(self.index_dir, self.graph)
                if idx is not None and not self._attach_texts(idx):
                    idx = None  # saved before text hashes were kept beside it: build again
            signature = self._signature()
            saved = self._saved_signature() or {}
            if idx is None:
                idx = self._build(budget=REQUEST_BUDGET_SECONDS)
                self._save(idx, signature)
            elif {k: saved.get(k) for k in signature} != signature:
                self._sync(idx)
                self._save(idx, signature)
            # updated_at has whole seconds on SQLite: a change may hide in the same one
            elif (_recent(signature) or _unsettled(saved)) and self._sync(idx, deletions=False):
                self._save(idx, signature)
            self._fill_texts(idx, REQUEST_BUDGET_SECONDS)
            _indexes[key] = idx
            return idx

    def rebuild_index(self, progress: Progress | None = None) -> dict[str, Any]:
        """Build the index from scratch, every profile text encoded (``talentbridge recommend reindex``)."""
        key = self._key
        with _lock:
            signature = self._signature()
            idx = self._build(progress, budget=None)
            self._save(idx, signature)
            _indexes[key] = idx
        texts = _texts[key]
        return {
            "talents": len(idx),
            "indexed": sum(len(a) for a in idx.ann.values()),
            "folder": str(self.index_dir),
            "memory_mb": round(idx.memory_bytes() / 2**20, 1),
            "text": {
                **self.text.summary(),
                "with_text": int(((texts.keys != 0) & idx.columns.alive).sum()),
                "encoded": int((texts.have & idx.columns.alive).sum()),
            },
        }

    def _signature(self) -> dict[str, Any]:
        count, newest, largest = self.session.execute(
            select(func.count(TalentRow.id), func.max(TalentRow.updated_at), func.max(TalentRow.id))
        ).one()
        return {
            "count": int(count or 0),
            "newest": newest.isoformat() if newest else None,
            "largest": int(largest or 0),
        }

    def _saved_signature(self) -> dict[str, Any] | None:
        path = self.index_dir / "sync.json"
        return json.loads(path.read_text()) if path.exists() else None

    def _save(self, idx: TalentIndex, signature: dict[str, Any]) -> None:
        # embeddings are kept in the text store (by hash), not rewritten with the columns on every change
        lean = copy.copy(idx)
        lean.columns = copy.copy(idx.columns)
        lean.columns.embeddings = None
        lean.save(self.index_dir)
        _texts[self._key].save(self.index_dir)
        synced = {**signature, "synced_at": datetime.now(UTC).isoformat()}
        (self.index_dir / "sync.json").write_text(json.dumps(synced))

    def _talent_columns(self, talents: Iterable[Talent], vocab: SkillVocab) -> TalentColumns:
        return TalentColumns.from_talents(list(talents), vocab=vocab, today=self.today)

    def _build(self, progress: Progress | None = None, *, budget: float | None) -> TalentIndex:
        taxonomy, graph = self.taxonomy_and_graph
        vocab = SkillVocab()
        parts = []
        texts: list[str] = []
        batch: list[Talent] = []
        for t in self.repos.talents.iter_all(batch_size=5000):
            batch.append(t)
            texts.append(talent_text(t))
            if len(batch) >= 5000:
                parts.append(self._talent_columns(batch, vocab))
                batch = []
        if batch:
            parts.append(self._talent_columns(batch, vocab))
        for sid in taxonomy.skills:  # skills in use first: they get their own vector dimensions
            vocab.add(sid)
        cols = TalentColumns.empty(vocab)
        for p in parts:
            cols.append(p)
        idx = TalentIndex.build(cols, graph, threads=0, progress=progress)
        tt = _texts[self._key] = TalentTexts.empty(self.text.model_id)
        tt.set(np.arange(len(texts), dtype=np.int64), texts)
        self._fill_texts(idx, budget, texts=texts, progress=progress)
        return idx

    def _attach_texts(self, idx: TalentIndex) -> bool:
        """Text hashes saved beside a loaded index (False when there are none); embeddings from the store."""
        tt = TalentTexts.load(self.index_dir, len(idx.columns))
        if tt is None:
            return False
        _texts[self._key] = tt
        idx.columns.embeddings = None
        self._fill_texts(idx, 0.0, encode=False)
        return True

    def _fill_texts(
        self,
        idx: TalentIndex,
        budget: float | None,
        *,
        texts: list[str] | None = None,
        encode: bool = True,
        progress: Progress | None = None,
    ) -> None:
        """Put the embeddings of live rows that lack theirs into the columns: from the store, then (``encode``)
        encoded within ``budget`` seconds (None: all). ``texts``: the text of every row, when at hand."""
        tt = _texts[self._key]
        cols = idx.columns
        tt.grow(len(cols))
        if not self.text.active:
            return
        dim = self.text.dim
        if cols.embeddings is None or cols.embeddings.shape != (len(cols), dim):
            cols.embeddings = np.zeros((len(cols), dim), dtype=np.float16)
            tt.have[:] = False
        pending = tt.pending(cols.alive)
        if pending.size == 0:
            return
        if not encode:
            vectors, found = self.text.store("talents").get(tt.keys[pending])
        else:

            def texts_of(positions: np.ndarray) -> list[str]:
                rows = pending[positions]
                if texts is not None:
                    return [texts[int(r)] for r in rows]
                ids = [int(i) for i in cols.ids[rows]]
                found = self.repos.talents.get_many(ids)
                return [talent_text(found[i]) if i in found else "" for i in ids]

            vectors, found = self.text.lookup("talents", tt.keys[pending], texts_of, budget=budget, progress=progress)
        cols.embeddings[pending[found]] = vectors[found]
        tt.have[pending[found]] = True

    def _upsert(self, idx: TalentIndex, talents: list[Talent]) -> None:
        rows = idx.upsert(talents, today=self.today)
        _texts[self._key].set(rows, [talent_text(t) for t in talents])

    def _sync(self, idx: TalentIndex, deletions: bool = True) -> int:
        """Re-index talents changed since the saved signature (and drop deleted ones); returns how many."""
        saved = self._saved_signature() or {}
        newest = saved.get("newest")
        stmt = select(TalentRow.id)
        if newest:
            stmt = stmt.where(TalentRow.updated_at >= datetime.fromisoformat(newest))
        changed = set(self.session.scalars(stmt))
        added: set[int] = set()
        if deletions:
            known = set(self.session.scalars(select(TalentRow.id)))
            live = idx.columns.ids[idx.columns.alive]
            gone = [int(i) for i in live if int(i) not in known]
            if gone:
                idx.delete(gone)
            added = {int(i) for i in known if idx.columns.row_of(int(i)) is None}
        ids = sorted(changed | added)
        for start in range(0, len(ids), 5000):
            talents = self.repos.talents.get_many(ids[start : start + 5000])
            self._upsert(idx, list(talents.values()))
        return len(ids)

    def forget_talents(self, talents: list[Talent]) -> dict[str, int]:
        """Erase talents from the index on disk and in memory (every row of theirs wiped, their regions' ANN
        rebuilt) and their profile texts' vectors from the text store (current and earlier texts)."""
        from talentbridge.services.text_embeddings import forget_texts, text_key

        ids = [t.id for t in talents]
        keys = {text_key(talent_text(t)) for t in talents}
        rows = np.zeros(0, dtype=np.int64)
        with _lock:
            idx = _indexes.get(self._key)
            if idx is None:
                idx = TalentIndex.load(self.index_dir, self.graph)
                if idx is not None and not self._attach_texts(idx):
                    idx = None
            if idx is not None:
                rows = idx.columns.rows_with_ids(ids)
                tt = _texts.get(self._key)
                if tt is not None:
                    tt.grow(len(idx.columns))
                    keys |= {int(k) for k in tt.keys[rows]}
                    tt.keys[rows] = 0
                    tt.have[rows] = False
                idx.forget(ids)
                self._save(idx, self._signature())
                _indexes[self._key] = idx
        vectors = forget_texts(self.settings, "talents", keys - {0})
        return {"rows": int(rows.size), "vectors": vectors}

    # ------------------------------------------------------------------ text
    def _opening_vectors(self, openings: list[Opening], budget: float | None) -> list[np.ndarray | None]:
        """Unit float32 embeddings of the openings' texts (None: no encoder, no text or not encoded yet)."""
        if not self.text.active or not openings:
            return [None] * len(openings)
        vectors, found = self.text.vectors("openings", [opening_text(o) for o in openings], budget=budget)
        return [vectors[i].astype(np.float32) if found[i] else None for i in range(len(openings))]

    def _talent_vector(self, talent: Talent, budget: float | None = None) -> np.ndarray | None:
        if not self.text.active:
            return None
        vectors, found = self.text.vectors("talents", [talent_text(talent)], budget=budget)
        return vectors[0].astype(np.float32) if found[0] else None

    def _recommend_many(
        self, idx: TalentIndex, openings: list[Opening], top: int, budget: float | None = None
    ) -> list[Any]:
        contexts = [self.context(o) for o in openings]
        weights = [self.weights(o) for o in openings]
        if not self.text.active:
            return idx.recommend_many(contexts, top, weights=weights)
        return idx.recommend_many(contexts, top, weights=weights, embeddings=self._opening_vectors(openings, budget))

    # ------------------------------------------------------------------ talents for an opening
    def talents_for_opening(
        self,
        opening_id: int,
        top: int = 20,
        filters: TalentFilters | None = None,
        *,
        method: str = "ann",
        explain: bool = True,
        program_settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The ``top`` talents for an opening, each with score, breakdown and explanation, plus how many
        people each hard constraint excluded."""
        _check_top(top)
        if method not in ("ann", "exact"):
            raise ValidationFailed("invalid method", [Problem(loc=("query", "method"), msg="ann or exact")])
        filters = filters or TalentFilters()
        opening = self.repos.openings.get(opening_id)
        ctx = self.context(opening)
        idx = self.index()
        weights = self.weights(opening, program_settings)
        sf = filters.search()
        embedding = self._opening_vectors([opening], None)[0]  # one text: encoded now if need be
        rec = idx.recommend(ctx, top, filters=sf, method=method, weights=weights, embedding=embedding)
        cols = idx.columns
        pool = np.flatnonzero(cols.alive)
        pool = pool[sf.mask(cols, pool)]
        ok, excluded = eligible_mask(cols, ctx, pool)
        talents = self.repos.talents.get_many(rec.ids.tolist())
        states = _texts[self._key].state(rec.rows)
        items = []
        for j, tid in enumerate(rec.ids.tolist()):
            t = talents.get(int(tid))
            if t is None or failing(t, ctx):  # the index was behind the database: never show such a pair
                continue
            similarity, status = None, self.text.status
            if embedding is not None:
                status = states[j]
                if status == "compared" and cols.embeddings is not None:
                    row = cols.embeddings[int(rec.rows[j])].astype(np.float32)
                    similarity = float(row @ embedding)
            elif self.text.active:
                status = "no_opening_text"
            result = fit_score(t, opening, self.graph, weights, today=self.today, text_similarity=similarity)
            item: dict[str, Any] = {
                "talent_id": t.id,
                "external_id": t.external_id,
                "region": t.region and str(t.region),
                "category": str(t.category),
                "score": round(result.score, 2),
                "breakdown": breakdown_dict(result.points()),
            }
            if explain:
                item["explanation"] = explain_fit(result, self.graph, text_status=status)
            items.append(item)
        items.sort(key=lambda i: (-i["score"], i["talent_id"]))
        for rank, item in enumerate(items, 1):
            item["rank"] = rank
        return {
            "opening": _opening_summary(opening),
            "top": top,
            "method": rec.method,
            "filters": filters.as_dict(),
            "weights": weights.as_dict()["criteria"],
            "text": self.text.summary(),
            "constraints": explain_exclusions(int(pool.shape[0]), int(ok.sum()), excluded),
            "items": items,
        }

    # ------------------------------------------------------------------ openings for a talent
    def _open_openings(self) -> Iterator[Opening]:
        for o in self.repos.openings.iter_all(batch_size=5000, filters={"status": OpeningStatus.OPEN.value}):
            if o.deadline is None or o.deadline >= self.today:
                yield o

    def _compiled(
        self, program_settings: dict[str, Any] | None, openings: list[Opening] | None = None
    ) -> CompiledOpenings:
        """Open openings as arrays (kept per process until the openings or organizations change), or the given
        ``openings`` compiled now."""

        def build(found: list[Opening]) -> CompiledOpenings:
            return compile_openings(found, self.graph, self.context, lambda o: self.weights(o, program_settings))

        if openings is not None:
            return build(openings)
        key = (
            self.settings.sqlalchemy_url,
            str(self.settings.data_dir),
            self.today,
            id(self.graph),
            weights_key(program_settings),
        )
        return compiled_openings(self.session, key, lambda: list(self._open_openings()), build)

    def openings_for_talent(
        self,
        talent_id: int,
        top: int = 20,
        filters: OpeningFilters | None = None,
        *,
        explain: bool = True,
        openings: list[Opening] | None = None,
        program_settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The ``top`` open openings for a talent (exact scoring of every opening that passes the hard
        constraints, all at once with arrays; consent is not required: the talent is the one looking)."""
        _check_top(top)
        filters = filters or OpeningFilters()
        talent = self.repos.talents.get(talent_id)
        compiled = self._compiled(program_settings, openings)
        return self._openings_for(talent, compiled, top, filters, explain, REQUEST_BUDGET_SECONDS)

    def _openings_for(
        self,
        talent: Talent,
        compiled: CompiledOpenings,
        top: int,
        filters: OpeningFilters,
        explain: bool,
        budget: float | None,
        talent_vector: np.ndarray | None | bool = True,
    ) -> dict[str, Any]:
        """``talent_vector``: the talent's text embedding when known (None: none), True: look it up here."""
        if talent_vector is True:
            talent_vector = self._talent_vector(talent)
        ranked = rank_openings(
            talent,
            compiled,
            filters.mask(compiled.columns),
            graph=self.graph,
            today=self.today,
            top=top,
            min_score=filters.min_score,
            explain=explain,
            text=self.text,
            talent_vector=talent_vector if isinstance(talent_vector, np.ndarray) else None,
            budget=budget,
        )
        for item in ranked["items"]:
            item.pop("_index")
        return {
            "talent": {"id": talent.id, "external_id": talent.external_id},
            "top": top,
            "method": "exact",
            "filters": filters.as_dict(),
            "text": self.text.summary(),
            "constraints": explain_exclusions(ranked["considered"], ranked["eligible"], ranked["excluded"]),
            "items": ranked["items"],
        }

    # ------------------------------------------------------------------ batch
    def batch(
        self,
        direction: str,
        top: int,
        output: Path,
        *,
        progress: Progress | None = None,
        limit: int | None = None,
    ) -> dict[str, Any]:
        """Write one JSON object per source to ``output`` (JSON Lines): ``{"source": external_id, "source_id",
        "items": [{"external_id", "id", "score", "breakdown"}]}``. Returns counts."""
        _check_top(top)
        if direction not in DIRECTIONS:
            raise ValidationFailed(
                "invalid direction",
                [Problem(loc=("direction",), msg=" or ".join(DIRECTIONS), value=direction)],
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        tmp = output.with_name(output.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            if direction == "talents-for-opening":
                openings = list(self._open_openings())[:limit]
                idx = self.index()
                with _lock:
                    self._fill_texts(idx, None)  # a batch run encodes every profile text
                done = 0
                for start in range(0, len(openings), 256):  # batched ANN searches, multi-threaded
                    chunk = openings[start : start + 256]
                    for o, rec in zip(chunk, self._recommend_many(idx, chunk, top), strict=True):
                        done += 1
                        self._write_shortlist(out, o, rec)
                        written += 1
                        if progress:
                            progress(done, len(openings))
            else:
                compiled = self._compiled(None, list(self._open_openings()))  # once for every talent
                compiled.fill_vectors(self.text, np.arange(len(compiled)), None)
                total = self.repos.talents.count()
                if limit is not None:
                    total = min(total, limit)
                done = 0
                for chunk in self._talent_chunks(limit):
                    vectors = self._talent_vectors(chunk)
                    for t, vector in zip(chunk, vectors, strict=True):
                        res = self._openings_for(t, compiled, top, OpeningFilters(), False, None, talent_vector=vector)
                        items = [
                            {
                                "external_id": it["external_id"],
                                "id": it["opening_id"],
                                "score": it["score"],
                                "breakdown": it["breakdown"],
                            }
                            for it in res["items"]
                        ]
                        line = {"source": t.external_id, "source_id": t.id, "items": items}
                        out.write(json.dumps(line, ensure_ascii=False) + "\n")
                        written += 1
                        done += 1
                        if progress:
                            progress(done, total)
        tmp.replace(output)
        return {"direction": direction, "top": top, "sources": written, "output": str(output)}

    def _talent_chunks(self, limit: int | None, size: int = 2000) -> Iterator[list[Talent]]:
        chunk: list[Talent] = []
        for i, t in enumerate(self.repos.talents.iter_all(batch_size=size), 1):
            if limit is not None and i > limit:
                break
            chunk.append(t)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _talent_vectors(self, talents: list[Talent]) -> list[np.ndarray | None]:
        if not self.text.active:
            return [None] * len(talents)
        vectors, found = self.text.vectors("talents", [talent_text(t) for t in talents])
        return [vectors[i].astype(np.float32) if found[i] else None for i in range(len(talents))]

    def _write_shortlist(self, out: Any, opening: Opening, rec: Any) -> None:
        ids = rec.ids.tolist()
        externals = self._talent_external_ids(ids)
        items = [
            {
                "external_id": externals.get(tid),
                "id": tid,
                "score": round(float(rec.scores.score[j]), 2),
                "breakdown": breakdown_dict(rec.scores.breakdown(j)),
            }
            for j, tid in enumerate(ids)
        ]
        line = {"source": opening.external_id, "source_id": opening.id, "items": items}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")

    def _talent_external_ids(self, ids: list[int]) -> dict[int, str | None]:
        if not ids:
            return {}
        rows = self.session.execute(select(TalentRow.id, TalentRow.external_id).where(TalentRow.id.in_(ids)))
        return {int(i): e for i, e in rows}

    # ------------------------------------------------------------------ audit
    def audit(self, top: int = 20, limit: int | None = 1000) -> dict[str, Any]:
        """Impact ratios of the top-``top`` shortlists of open openings (at most ``limit`` of them)."""
        _check_top(top)
        idx = self.index()
        cols = idx.columns
        acc = ShortlistAudit(cols, today=self.today)
        openings = list(self._open_openings())[:limit]
        for start in range(0, len(openings), 256):
            chunk = openings[start : start + 256]
            # shortlists as a request would show them now: texts not encoded yet are left to the background
            for o, rec in zip(chunk, self._recommend_many(idx, chunk, top, REQUEST_BUDGET_SECONDS), strict=True):
                ok, _ = eligible_mask(cols, self.context(o))
                acc.add(np.flatnonzero(ok), rec.rows.tolist())
        return acc.report(top)


def _recent(signature: dict[str, Any], seconds: float = 5.0) -> bool:
    newest = signature.get("newest")
    if not newest:
        return False
    stamp = datetime.fromisoformat(newest)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)  # SQLite stores UTC without an offset
    return abs((datetime.now(UTC) - stamp).total_seconds()) < seconds


def _unsettled(saved: dict[str, Any], margin: float = 2.0) -> bool:
    """The last sync ran within the second of the newest change it saw (or just after): a change later in that
    same second has the same whole-second ``updated_at`` and would not show in the signature, however long
    after it the next check comes."""
    newest, synced = saved.get("newest"), saved.get("synced_at")
    if not newest or not synced:
        return False
    stamp = datetime.fromisoformat(newest)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return (datetime.fromisoformat(synced) - stamp).total_seconds() < 1.0 + margin


def _opening_summary(o: Opening) -> dict[str, Any]:
    return {
        "id": o.id,
        "external_id": o.external_id,
        "title": o.title,
        "organization_id": o.organization_id,
        "kind": str(o.kind),
        "region": o.region and str(o.region),
        "remote": o.remote,
        "required_skills": [r.model_dump(mode="json") for r in o.required_skills],
    }


def _load_taxonomy(session: Session) -> Taxonomy:
    try:
        from talentbridge.services.taxonomy import load_taxonomy

        taxonomy = load_taxonomy(session)
        if len(taxonomy):
            return taxonomy
    except ImportError:
        pass
    return _builtin_taxonomy()


_builtin_cache: list[Taxonomy] = []


def _builtin_taxonomy() -> Taxonomy:
    if not _builtin_cache:
        from talentbridge.skills.builtin import load_builtin_lenient

        _builtin_cache.append(load_builtin_lenient()[0])
    return _builtin_cache[0]


def on_talent_changed(settings: Settings, session: Session, talent: Talent | int, *, deleted: bool = False) -> None:
    """Bring the talent index up to date for one talent right away (after a create, update or delete).

    Without an index on disk nothing happens: the next recommendation builds it.
    """
    svc = RecommendService(settings, session)
    key = svc._key
    with _lock:
        idx = _indexes.get(key)
        if idx is None:
            idx = TalentIndex.load(svc.index_dir, svc.graph)
            if idx is None or not svc._attach_texts(idx):
                return
        tid = talent if isinstance(talent, int) else talent.id
        if deleted:
            idx.delete([tid])
        else:
            record = talent if not isinstance(talent, int) else svc.repos.talents.get(talent)
            svc._upsert(idx, [record])
            svc._fill_texts(idx, REQUEST_BUDGET_SECONDS)
        svc._save(idx, svc._signature())
        _indexes[key] = idx
