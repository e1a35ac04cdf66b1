"""Recommendations both ways, with scores, breakdowns, explanations and what the hard constraints excluded.

Talents for an opening go through the talent index (``talent_index.TalentIndexService``); every pair shown is
re-scored exactly by ``matching.fit_score`` on the stored records (same numbers as the index). Openings for a
talent score every open opening exactly, with arrays (``matching.opening_scores`` through
``recommend_openings``; openings are a hundred times fewer than talents).

The ``text`` criterion compares embeddings of the profile and opening texts (``text_embeddings``); without an
encoder it is inactive and the response says why (``text``; ``breakdown.text.detail.status`` per item).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from talentbridge.domain import Opening, Talent
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.matching import explain_exclusions, explain_fit, failing, fit_score
from talentbridge.matching.constraints import eligible_mask
from talentbridge.matching.explain import breakdown_dict
from talentbridge.matching.lexical import EmbeddingPool, LexicalCorpus, terms
from talentbridge.matching.retrieval import TalentIndex
from talentbridge.services.compared_texts import opening_text, talent_text
from talentbridge.services.lexical_pool import (
    embedding_pool,
    opening_queries,
    pool_corpus,
    role_labels,
    talent_job_titles,
    talent_terms,
    titles_corpus,
)
from talentbridge.services.recommend_cache import (
    MAX_AGE_SECONDS,
    UNSETTLED_MAX_AGE_SECONDS,
    DataVersion,
    cached_list,
    data_version,
    is_final,
    kept_record,
)
from talentbridge.services.recommend_context import MatchingContext, check_top
from talentbridge.services.recommend_filters import OpeningFilters, TalentFilters
from talentbridge.services.recommend_openings import (
    CompiledOpenings,
    compile_openings,
    compiled_openings,
    rank_openings,
    weights_key,
)
from talentbridge.services.talent_index import TalentIndexService, largest_id
from talentbridge.services.text_embeddings import REQUEST_BUDGET_SECONDS

__all__ = ["OpeningFilters", "RecommendationService", "TalentFilters"]


class RecommendationService:
    """Talents for an opening and openings for a talent, over one ``MatchingContext`` and its talent index."""

    def __init__(self, ctx: MatchingContext, talent_index: TalentIndexService | None = None) -> None:
        self.ctx = ctx
        self.talent_index = talent_index or TalentIndexService(ctx)

    # -- text ------------------------------------------------------------------------------------------------------
    def pool(self) -> LexicalCorpus | None:
        """The talent pool's term statistics for the ``lexical`` criterion (looked up once per service)."""
        if not hasattr(self, "_pool"):
            self._pool = pool_corpus(self.ctx)
        return self._pool

    def title_pool(self) -> LexicalCorpus | None:
        """The talent pool's job titles for the ``titles`` criterion (looked up once per service)."""
        if not hasattr(self, "_title_pool"):
            self._title_pool = titles_corpus(self.ctx)
        return self._title_pool

    def job_titles(self, talent: Talent) -> list[str]:
        """The talent's job titles, desired roles named by the taxonomy (``lexical_pool.role_labels``)."""
        if not hasattr(self, "_role_labels"):
            self._role_labels = role_labels(self.ctx)
        return talent_job_titles(talent, self._role_labels)

    def text_pool(self, budget: float | None = REQUEST_BUDGET_SECONDS) -> EmbeddingPool | None:
        """The pool's text embeddings for the standardised ``text`` criterion (looked up once per service; a
        request spends at most ``budget`` seconds encoding, a batch run encodes them all)."""
        if not hasattr(self, "_text_pool"):
            self._text_pool = embedding_pool(self.ctx, budget)
        return self._text_pool

    def opening_vectors(self, openings: list[Opening], budget: float | None) -> list[np.ndarray | None]:
        """Unit float32 embeddings of the openings' texts (None: no encoder, no text or not encoded yet)."""
        text = self.ctx.text
        if not text.active or not openings:
            return [None] * len(openings)
        vectors, found = text.vectors("openings", [opening_text(o) for o in openings], budget=budget)
        return [vectors[i].astype(np.float32) if found[i] else None for i in range(len(openings))]

    def talent_vector(self, talent: Talent, budget: float | None = None) -> np.ndarray | None:
        text = self.ctx.text
        if not text.active:
            return None
        vectors, found = text.vectors("talents", [talent_text(talent)], budget=budget)
        return vectors[0].astype(np.float32) if found[0] else None

    def shortlists(self, idx: TalentIndex, openings: list[Opening], top: int, budget: float | None = None) -> list[Any]:
        """The index's top-``top`` talents of each opening at once (batched ANN searches, multi-threaded)."""
        contexts = [self.ctx.context(o) for o in openings]
        weights = [self.ctx.weights(o) for o in openings]
        if not self.ctx.text.active:
            return idx.recommend_many(contexts, top, weights=weights)
        embeddings = self.opening_vectors(openings, budget)
        return idx.recommend_many(contexts, top, weights=weights, embeddings=embeddings)

    # -- talents for an opening -------------------------------------------------------------------------------
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
        people each hard constraint excluded, and ``index_behind``: talents the talent index answering lacks or
        has stale, at least, while a reindex job brings them in (0 when in step); ``index_refreshing``: the list
        is the one drawn from the previous index while a request recomputes it (``talents_for_opening_cached``;
        never here)."""
        result = self._talents_for_opening(opening_id, top, filters, method, explain, program_settings)[0]
        return {**result, "index_behind": self.talent_index.behind, "index_refreshing": False}

    def opening_list_version(self, opening_id: int) -> DataVersion | None:
        """The data version a talents-for-opening list is kept under: the opening's own stamp, and the talents'
        only up to the largest id of the index answering (``recommend_cache``: an import running leaves the
        lists alone until the index takes its talents in; an edit of an indexed talent drops them at once)."""
        return data_version(self.ctx.session, opening_id=opening_id, talents_upto=self.talent_index.largest_id())

    def opening_record(self, opening_id: int, version: DataVersion | None) -> Opening:
        """The opening (``NotFound`` when there is none), kept per process under the openings' change counter
        read with ``version`` (``recommend_cache.kept_record``: a trigger raises it with every change of any
        opening, so the record kept is the one stored)."""
        key = None
        if version is not None and version.subject_found and "openings" in version.counters:
            key = ("opening_record", self.ctx.settings.sqlalchemy_url, opening_id, version.table("openings"))
        return kept_record(key, lambda: self.ctx.repos.openings.get(opening_id))

    def talent_list_version(self, talent_id: int) -> DataVersion | None:
        """The data version an openings-for-talent list is kept under: the talent's own stamp and no other
        talent's (they enter the list only through the pool sample, which each process keeps for itself)."""
        return data_version(self.ctx.session, talent_id=talent_id, talents_upto=0)

    def talents_for_opening_cached(
        self,
        opening_id: int,
        top: int = 20,
        filters: TalentFilters | None = None,
        *,
        version: DataVersion | None,
        method: str = "ann",
        explain: bool = True,
        program_settings: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], dict[int, Talent]]:
        """``talents_for_opening`` and its items' talents as access records (``_access_record``: what deciding
        who may see them reads), kept per process for ``version`` (``recommend_cache``; the same list as computed
        now). Shared between requests: never mutate them."""
        check_top(top)
        filters = filters or TalentFilters()
        idx = self.talent_index.index()
        # a version whose talents' part stops at another index's largest id (the index moved on between the two
        # reads) does not cover this list's talents: computed, not kept
        covered = version is None or version.talents_upto in (None, largest_id(idx))
        content = self.talent_index.content_key()
        params = (
            "talents_for_opening",
            self.ctx.settings.sqlalchemy_url,
            opening_id,
            top,
            filters,
            method,
            explain,
            weights_key(program_settings),
            self.ctx.today,
        )
        rows, live = int(idx.columns.alive.shape[0]), int(idx.columns.alive.sum())
        key = None if not covered else (*params, self.talent_index.version, id(idx), rows, live)
        # between processes: what the index holds instead of which object it is and how many rows it has written
        # (an update appends a row) (``shared_lists``)
        shared = None if not covered or content is None else (*params, content, live)
        self.ctx.known = version  # its stamps serve the computation: fewer queries
        value, _, refreshing = cached_list(
            key,
            version,
            lambda: self._talents_for_opening(opening_id, top, filters, method, explain, program_settings),
            final=lambda v: is_final(v[0]),
            max_age=lambda _: self._max_age(),
            shared=shared,
            lineage=params,  # only the index moved: the previous list answers while one request recomputes it
        )
        # how far the index is behind is today's state, not the kept list's: added to a copy on every call
        return {**value[0], "index_behind": self.talent_index.behind, "index_refreshing": refreshing}, value[1]

    def _max_age(self) -> float:
        """How long the list just computed may be kept: briefly when it went without the text criterion's pool
        statistics (its texts may still be encoding, or the pool is too small to have any)."""
        settled = not self.ctx.text.active or getattr(self, "_text_pool", True) is not None
        return MAX_AGE_SECONDS if settled else UNSETTLED_MAX_AGE_SECONDS

    def _talents_for_opening(
        self,
        opening_id: int,
        top: int,
        filters: TalentFilters | None,
        method: str,
        explain: bool,
        program_settings: dict[str, Any] | None,
    ) -> tuple[dict[str, Any], dict[int, Talent]]:
        check_top(top)
        if method not in ("ann", "exact"):
            raise ValidationFailed("invalid method", [Problem(loc=("query", "method"), msg="ann or exact")])
        ctx = self.ctx
        filters = filters or TalentFilters()
        opening = ctx.repos.openings.get(opening_id)
        context = ctx.context(opening)
        idx = self.talent_index.index()
        weights = ctx.weights(opening, program_settings)
        sf = filters.search()
        embedding = self.opening_vectors([opening], None)[0]  # one text: encoded now if need be
        rec = idx.recommend(context, top, filters=sf, method=method, weights=weights, embedding=embedding)
        cols = idx.columns
        pool = np.flatnonzero(cols.alive)
        pool = pool[sf.mask(cols, pool)]
        ok, excluded = eligible_mask(cols, context, pool)
        talents = ctx.repos.talents.get_many(rec.ids.tolist())
        states = self.talent_index.text_states(rec.rows)
        graph = ctx.graph
        queries = opening_queries(self.pool(), [opening_text(opening)])
        title_queries = opening_queries(self.title_pool(), [opening.title], kind="titles")
        text_pool = self.text_pool() if embedding is not None else None
        text_stats = None
        if text_pool is not None and embedding is not None:
            text_stats = text_pool.stats(embedding[None, :].astype(np.float64))
        items = []
        for j, tid in enumerate(rec.ids.tolist()):
            t = talents.get(int(tid))
            if t is None or failing(t, context):  # the index was behind the database: never show such a pair
                continue
            similarity, status = None, ctx.text.status
            if embedding is not None:
                status = states[j]
                if status == "compared" and cols.embeddings is not None:
                    row = cols.embeddings[int(rec.rows[j])].astype(np.float32)
                    similarity = float(row @ embedding)
            elif ctx.text.active:
                status = "no_opening_text"
            z = None if queries is None else float(queries.z(talent_terms(t))[0])
            lexical = None if z is None or np.isnan(z) else z
            job_titles = self.job_titles(t)
            tq = None if title_queries is None else float(title_queries.z(terms("\n".join(job_titles)))[0])
            titles = None if tq is None or np.isnan(tq) else tq
            text_z = None
            if similarity is not None and text_stats is not None and text_pool is not None:
                tz = float(text_pool.z(np.array([similarity]), *text_stats)[0])
                text_z = None if np.isnan(tz) else tz
            result = fit_score(
                t, opening, graph, weights, today=ctx.today, text_similarity=similarity, lexical=lexical,
                text_z=text_z, titles=titles,
            )  # fmt: skip
            item: dict[str, Any] = {
                "talent_id": t.id,
                "external_id": t.external_id,
                "region": t.region and str(t.region),
                "category": str(t.category),
                "score": round(result.score, 2),
                "breakdown": breakdown_dict(result.points()),
            }
            if explain:
                # the titles read are the person's own to check (openings-for-talent); an organisation sees the
                # criterion's z only, as the page's field policy decides what of the résumé it may see
                item["explanation"] = explain_fit(result, graph, text_status=status)
            items.append(item)
        items.sort(key=lambda i: (-i["score"], i["talent_id"]))
        for rank, item in enumerate(items, 1):
            item["rank"] = rank
        shown = {i["talent_id"]: _access_record(talents[i["talent_id"]]) for i in items}
        return {
            "opening": _opening_summary(opening),
            "top": top,
            "method": rec.method,
            "filters": filters.as_dict(),
            "weights": weights.as_dict()["criteria"],
            "text": ctx.text.summary(),
            "constraints": explain_exclusions(int(pool.shape[0]), int(ok.sum()), excluded),
            "items": items,
        }, shown

    # -- openings for a talent --------------------------------------------------------------------------------
    def compiled(
        self, program_settings: dict[str, Any] | None, openings: list[Opening] | None = None
    ) -> CompiledOpenings:
        """Open openings as arrays (kept per process until the openings or organizations change), or the given
        ``openings`` compiled now."""
        ctx = self.ctx

        def build(found: list[Opening]) -> CompiledOpenings:
            return compile_openings(found, ctx.graph, ctx.context, lambda o: ctx.weights(o, program_settings))

        if openings is not None:
            return build(openings)
        key = (
            ctx.settings.sqlalchemy_url,
            str(ctx.settings.data_dir),
            ctx.today,
            id(ctx.graph),
            weights_key(program_settings),
        )
        return compiled_openings(ctx.session, key, lambda: list(ctx.open_openings()), build, ctx.openings_signature())

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
        check_top(top)
        filters = filters or OpeningFilters()
        talent = self.ctx.repos.talents.get(talent_id)
        compiled = self.compiled(program_settings, openings)
        return self.openings_for(talent, compiled, top, filters, explain, REQUEST_BUDGET_SECONDS)

    def openings_for_talent_cached(
        self,
        talent_id: int,
        top: int = 20,
        filters: OpeningFilters | None = None,
        *,
        version: DataVersion | None,
        explain: bool = True,
        program_settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``openings_for_talent`` kept per process for ``version`` (``recommend_cache``; the same list as
        computed now). Shared between requests: never mutate it."""
        check_top(top)
        filters = filters or OpeningFilters()
        key = (  # version: the talent's own stamp; other talents enter only through the per-process pool sample
            "openings_for_talent",
            self.ctx.settings.sqlalchemy_url,
            talent_id,
            top,
            filters,
            explain,
            weights_key(program_settings),
            self.ctx.today,
        )
        self.ctx.known = version
        value, _, _ = cached_list(
            key,
            version,
            lambda: self.openings_for_talent(
                talent_id, top, filters, explain=explain, program_settings=program_settings
            ),
            final=is_final,
            max_age=lambda _: self._max_age(),
            shared=key,  # no object of this process in it
        )
        return value

    def openings_for(
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
        ctx = self.ctx
        if talent_vector is True:
            talent_vector = self.talent_vector(talent)
        queries = compiled.queries(self.pool())
        lexical = None if queries is None else queries.z(talent_terms(talent))
        title_queries = compiled.queries(self.title_pool(), kind="titles")
        job_titles = self.job_titles(talent)
        titles = None if title_queries is None else title_queries.z(terms("\n".join(job_titles)))
        ranked = rank_openings(
            talent,
            compiled,
            filters.mask(compiled.columns),
            graph=ctx.graph,
            today=ctx.today,
            top=top,
            min_score=filters.min_score,
            explain=explain,
            text=ctx.text,
            talent_vector=talent_vector if isinstance(talent_vector, np.ndarray) else None,
            budget=budget,
            lexical=lexical,
            text_pool=self.text_pool(budget),
            titles=titles,
            job_titles=job_titles,
        )
        for item in ranked["items"]:
            item.pop("_index")
        return {
            "talent": {"id": talent.id, "external_id": talent.external_id},
            "top": top,
            "method": "exact",
            "filters": filters.as_dict(),
            "text": ctx.text.summary(),
            "constraints": explain_exclusions(ranked["considered"], ranked["eligible"], ranked["excluded"]),
            "items": ranked["items"],
        }


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


def _access_record(talent: Talent) -> Talent:
    """The talent without its résumé, work history, education and skills: the record a cached list keeps of each
    talent it shows, for the caller to decide who may see it (identity, consent, organisation). A list is kept
    per process and shared between web workers (``shared_lists``), so the full profiles made every copy of a
    list and every read of it from another worker several times larger (a résumé is up to 30,000 characters)."""
    return talent.model_copy(update={"resume_text": None, "work_history": [], "education": [], "skills": []})
