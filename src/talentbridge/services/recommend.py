"""Recommendations both ways, batch runs, index maintenance and the fairness audit of shortlists.

Talents for an opening go through the talent index (``matching.retrieval.TalentIndex``) kept under
``<data_dir>/indexes/talents``: built from the database on first use, then kept in step incrementally — before
each use the service compares a cheap signature of the talents table (count, newest ``updated_at``, largest id)
with the one saved beside the index and re-indexes only talents changed since (and drops deleted ones).
``on_talent_changed`` does the same for one talent right away (the API calls it after a save).

Openings for a talent score every open opening exactly (openings are a hundred times fewer than talents).
Explanations come from the pair-level ``matching.fit_score`` on the stored records.
"""

from __future__ import annotations

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
from talentbridge.matching.retrieval import SearchFilters, TalentIndex
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
API_SYNC_INTERVAL = 5.0


def reset_indexes() -> None:
    """Forget in-process indexes (tests; after a taxonomy change)."""
    with _lock:
        _indexes.clear()
        _graphs.clear()
        _checked.clear()


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

    def __init__(self, settings: Settings, session: Session, *, today: date | None = None):
        self.settings = settings
        self.session = session
        self.repos = Repositories(session)
        self.today = today or date.today()
        self._affiliates: Affiliates | None = None

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

    def index(self) -> TalentIndex:
        """The talent index, built or brought up to date with the database."""
        key = f"{self.index_dir}|{self.settings.sqlalchemy_url}"
        with _lock:
            idx = _indexes.get(key)
            now = time.monotonic()
            if idx is not None and now - _checked.get(key, -1e9) < self.sync_interval:
                return idx  # checked a moment ago; saves through the API update the index right away anyway
            _checked[key] = now
            if idx is None:
                idx = TalentIndex.load(self.index_dir, self.graph)
            signature = self._signature()
            if idx is None:
                idx = self._build()
                self._save(idx, signature)
            elif self._saved_signature() != signature:
                self._sync(idx)
                self._save(idx, signature)
            # updated_at has whole seconds on SQLite: a change may hide in the same one
            elif _recent(signature) and self._sync(idx, deletions=False):
                self._save(idx, signature)
            _indexes[key] = idx
            return idx

    def rebuild_index(self, progress: Progress | None = None) -> dict[str, Any]:
        """Build the index from scratch (``talentbridge recommend reindex``)."""
        key = f"{self.index_dir}|{self.settings.sqlalchemy_url}"
        with _lock:
            signature = self._signature()
            idx = self._build(progress)
            self._save(idx, signature)
            _indexes[key] = idx
        return {
            "talents": len(idx),
            "indexed": sum(len(a) for a in idx.ann.values()),
            "folder": str(self.index_dir),
            "memory_mb": round(idx.memory_bytes() / 2**20, 1),
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
        idx.save(self.index_dir)
        (self.index_dir / "sync.json").write_text(json.dumps(signature))

    def _talent_columns(self, talents: Iterable[Talent], vocab: SkillVocab) -> TalentColumns:
        return TalentColumns.from_talents(list(talents), vocab=vocab, today=self.today)

    def _build(self, progress: Progress | None = None) -> TalentIndex:
        taxonomy, graph = self.taxonomy_and_graph
        vocab = SkillVocab()
        parts = []
        batch: list[Talent] = []
        for t in self.repos.talents.iter_all(batch_size=5000):
            batch.append(t)
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
        return TalentIndex.build(cols, graph, threads=0, progress=progress)

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
            idx.upsert(list(talents.values()), today=self.today)
        return len(ids)

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
        rec = idx.recommend(ctx, top, filters=sf, method=method, weights=weights)
        cols = idx.columns
        pool = np.flatnonzero(cols.alive)
        pool = pool[sf.mask(cols, pool)]
        ok, excluded = eligible_mask(cols, ctx, pool)
        talents = self.repos.talents.get_many(rec.ids.tolist())
        items = []
        for tid in rec.ids.tolist():
            t = talents.get(int(tid))
            if t is None or failing(t, ctx):  # the index was behind the database: never show such a pair
                continue
            result = fit_score(t, opening, self.graph, weights, today=self.today)
            item: dict[str, Any] = {
                "talent_id": t.id,
                "external_id": t.external_id,
                "region": t.region and str(t.region),
                "category": str(t.category),
                "score": round(result.score, 2),
                "breakdown": breakdown_dict(result.points()),
            }
            if explain:
                item["explanation"] = explain_fit(result, self.graph)
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
            "constraints": explain_exclusions(int(pool.shape[0]), int(ok.sum()), excluded),
            "items": items,
        }

    # ------------------------------------------------------------------ openings for a talent
    def _open_openings(self) -> Iterator[Opening]:
        for o in self.repos.openings.iter_all(batch_size=5000, filters={"status": OpeningStatus.OPEN.value}):
            if o.deadline is None or o.deadline >= self.today:
                yield o

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
        constraints; consent is not required: the talent is the one looking)."""
        _check_top(top)
        filters = filters or OpeningFilters()
        talent = self.repos.talents.get(talent_id)
        scored = []
        excluded: dict[str, int] = {}
        considered = failed_any = 0
        for o in openings if openings is not None else self._open_openings():
            if not filters.keep(o):
                continue
            considered += 1
            ctx = self.context(o)
            fails = failing(talent, ctx, check_consent=False)
            for name in fails:
                excluded[name] = excluded.get(name, 0) + 1
            if fails:
                failed_any += 1
                continue
            result = fit_score(talent, o, self.graph, self.weights(o, program_settings), today=self.today)
            if result.score >= filters.min_score:
                scored.append((result.score, o.id, o, result))
        scored.sort(key=lambda s: (-s[0], s[1]))
        items = []
        for rank, (score, _, o, result) in enumerate(scored[:top], 1):
            item: dict[str, Any] = {
                "rank": rank,
                "opening_id": o.id,
                "external_id": o.external_id,
                "title": o.title,
                "organization_id": o.organization_id,
                "kind": str(o.kind),
                "region": o.region and str(o.region),
                "score": round(score, 2),
                "breakdown": breakdown_dict(result.points()),
            }
            if explain:
                item["explanation"] = explain_fit(result, self.graph)
            items.append(item)
        return {
            "talent": {"id": talent.id, "external_id": talent.external_id},
            "top": top,
            "method": "exact",
            "filters": filters.as_dict(),
            "constraints": explain_exclusions(considered, considered - failed_any, excluded),
            "items": items,
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
                done = 0
                for start in range(0, len(openings), 256):  # batched ANN searches, multi-threaded
                    chunk = openings[start : start + 256]
                    recs = idx.recommend_many(
                        [self.context(o) for o in chunk], top, weights=[self.weights(o) for o in chunk]
                    )
                    for o, rec in zip(chunk, recs, strict=True):
                        done += 1
                        self._write_shortlist(out, o, rec)
                        written += 1
                        if progress:
                            progress(done, len(openings))
            else:
                openings = list(self._open_openings())
                total = self.repos.talents.count()
                if limit is not None:
                    total = min(total, limit)
                for i, t in enumerate(self.repos.talents.iter_all(batch_size=2000), 1):
                    if limit is not None and i > limit:
                        break
                    res = self.openings_for_talent(t.id, top, explain=False, openings=openings)
                    items = [
                        {
                            "external_id": it["external_id"],
                            "id": it["opening_id"],
                            "score": it["score"],
                            "breakdown": it["breakdown"],
                        }
                        for it in res["items"]
                    ]
                    out.write(
                        json.dumps({"source": t.external_id, "source_id": t.id, "items": items}, ensure_ascii=False)
                        + "\n"
                    )
                    written += 1
                    if progress:
                        progress(i, total)
        tmp.replace(output)
        return {"direction": direction, "top": top, "sources": written, "output": str(output)}

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
            contexts = [self.context(o) for o in chunk]
            recs = idx.recommend_many(contexts, top, weights=[self.weights(o) for o in chunk])
            for ctx, rec in zip(contexts, recs, strict=True):
                ok, _ = eligible_mask(cols, ctx)
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
    key = f"{svc.index_dir}|{settings.sqlalchemy_url}"
    with _lock:
        idx = _indexes.get(key) or TalentIndex.load(svc.index_dir, svc.graph)
        if idx is None:
            return
        tid = talent if isinstance(talent, int) else talent.id
        if deleted:
            idx.delete([tid])
        else:
            record = talent if not isinstance(talent, int) else svc.repos.talents.get(talent)
            idx.upsert([record], today=svc.today)
        svc._save(idx, svc._signature())
        _indexes[key] = idx
