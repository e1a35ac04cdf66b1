"""Batch recommendation runs (JSON Lines, both directions) and the fairness audit of shortlists.

Long work over every open opening or every talent; each run reads through one ``MatchingContext`` and the
talent index, and writes its output file atomically (a ``.tmp`` file renamed at the end).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from talentbridge.domain import Opening, Talent
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.matching.audit import ShortlistAudit
from talentbridge.matching.constraints import eligible_mask
from talentbridge.matching.explain import breakdown_dict
from talentbridge.services.compared_texts import talent_text
from talentbridge.services.recommend_context import MatchingContext, check_top
from talentbridge.services.recommendations import OpeningFilters, RecommendationService
from talentbridge.services.talent_index import TalentIndexService
from talentbridge.services.text_embeddings import REQUEST_BUDGET_SECONDS

__all__ = ["BatchRecommendService", "DIRECTIONS"]

DIRECTIONS = ("talents-for-opening", "openings-for-talent")
Progress = Callable[[int, int], None]


class BatchRecommendService:
    """Batch runs and the shortlist audit over one ``MatchingContext``."""

    def __init__(
        self,
        ctx: MatchingContext,
        talent_index: TalentIndexService | None = None,
        recommendations: RecommendationService | None = None,
    ) -> None:
        self.ctx = ctx
        self.talent_index = talent_index or TalentIndexService(ctx)
        self.recommendations = recommendations or RecommendationService(ctx, self.talent_index)

    def batch(
        self,
        direction: str,
        top: int,
        output: Path,
        *,
        progress: Progress | None = None,
        limit: int | None = None,
        resume: tuple[int, int] | None = None,
        checkpoint: Callable[[int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Write one JSON object per source to ``output`` (JSON Lines): ``{"source": external_id, "source_id",
        "items": [{"external_id", "id", "score", "breakdown"}]}``. Returns counts.

        ``checkpoint(sources_done, bytes)`` is called after each chunk, once its lines are flushed to
        ``<output>.tmp``; ``resume=(sources_done, bytes)`` carries on from such a checkpoint (the file is cut back
        to ``bytes`` and the first ``sources_done`` sources are skipped), when the ``.tmp`` file is still there."""
        check_top(top)
        if direction not in DIRECTIONS:
            raise ValidationFailed(
                "invalid direction",
                [Problem(loc=("direction",), msg=" or ".join(DIRECTIONS), value=direction)],
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        skip = 0
        if resume is not None and tmp.is_file() and tmp.stat().st_size >= resume[1]:
            out = tmp.open("r+", encoding="utf-8")
            out.seek(resume[1])
            out.truncate()
            skip = resume[0]
        else:
            out = tmp.open("w", encoding="utf-8")
        self._skip, self._checkpoint = skip, checkpoint
        with out:
            if direction == "talents-for-opening":
                written = self._talents_for_openings(out, top, progress, limit)
            else:
                written = self._openings_for_talents(out, top, progress, limit)
        tmp.replace(output)
        summary = {"direction": direction, "top": top, "sources": written, "output": str(output)}
        from talentbridge.services.ai_records import record_batch

        summary["ai_record"] = record_batch(self.ctx.session, summary, output, self.ctx.text.summary()).key
        return summary

    def _talents_for_openings(self, out: Any, top: int, progress: Progress | None, limit: int | None) -> int:
        openings = list(self.ctx.open_openings())[:limit]
        idx = self.talent_index.index(complete=True)
        self.talent_index.encode_all(idx)  # a batch run encodes every profile text
        written = min(getattr(self, "_skip", 0), len(openings))
        for start in range(written, len(openings), 256):  # batched ANN searches, multi-threaded
            chunk = openings[start : start + 256]
            for o, rec in zip(chunk, self.recommendations.shortlists(idx, chunk, top), strict=True):
                self._write_shortlist(out, o, rec)
                written += 1
                if progress:
                    progress(written, len(openings))
            self._save_point(out, written)
        return written

    def _save_point(self, out: Any, written: int) -> None:
        checkpoint = getattr(self, "_checkpoint", None)
        if checkpoint is not None:
            out.flush()
            os.fsync(out.fileno())
            checkpoint(written, out.tell())

    def _openings_for_talents(self, out: Any, top: int, progress: Progress | None, limit: int | None) -> int:
        recs = self.recommendations
        compiled = recs.compiled(None, list(self.ctx.open_openings()))  # once for every talent
        compiled.fill_vectors(self.ctx.text, np.arange(len(compiled)), None)
        total = self.ctx.repos.talents.count()
        if limit is not None:
            total = min(total, limit)
        skip = getattr(self, "_skip", 0)
        written = 0
        for chunk in self._talent_chunks(limit):
            if written + len(chunk) <= skip:  # done before the checkpoint this run resumes from
                written += len(chunk)
                continue
            for t, vector in zip(chunk, self._talent_vectors(chunk), strict=True):
                res = recs.openings_for(t, compiled, top, OpeningFilters(), False, None, talent_vector=vector)
                items = [
                    {"external_id": it["external_id"], "id": it["opening_id"], "score": it["score"],
                     "breakdown": it["breakdown"]}
                    for it in res["items"]
                ]  # fmt: skip
                line = {"source": t.external_id, "source_id": t.id, "items": items}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
                if progress:
                    progress(written, total)
            self._save_point(out, written)
        return written

    def _talent_chunks(self, limit: int | None, size: int = 2000) -> Iterator[list[Talent]]:
        chunk: list[Talent] = []
        for i, t in enumerate(self.ctx.repos.talents.iter_all(batch_size=size), 1):
            if limit is not None and i > limit:
                break
            chunk.append(t)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _talent_vectors(self, talents: list[Talent]) -> list[np.ndarray | None]:
        text = self.ctx.text
        if not text.active:
            return [None] * len(talents)
        vectors, found = text.vectors("talents", [talent_text(t) for t in talents])
        return [vectors[i].astype(np.float32) if found[i] else None for i in range(len(talents))]

    def _write_shortlist(self, out: Any, opening: Opening, rec: Any) -> None:
        ids = rec.ids.tolist()
        externals = self.talent_index.external_ids(ids)
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

    # -- audit -------------------------------------------------------------------------------------------------
    def audit(self, top: int = 20, limit: int | None = 1000) -> dict[str, Any]:
        """Impact ratios of the top-``top`` shortlists of open openings (at most ``limit`` of them)."""
        check_top(top)
        idx = self.talent_index.index(complete=True)
        cols = idx.columns
        acc = ShortlistAudit(cols, today=self.ctx.today)
        openings = list(self.ctx.open_openings())[:limit]
        for start in range(0, len(openings), 256):
            chunk = openings[start : start + 256]
            # shortlists as a request would show them now: texts not encoded yet are left to the background
            shortlists = self.recommendations.shortlists(idx, chunk, top, REQUEST_BUDGET_SECONDS)
            for o, rec in zip(chunk, shortlists, strict=True):
                ok, _ = eligible_mask(cols, self.ctx.context(o))
                acc.add(np.flatnonzero(ok), rec.rows.tolist())
        return acc.report(top)
