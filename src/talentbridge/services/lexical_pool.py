"""The talent pool the ``lexical`` criterion compares with: term statistics of the profiles' texts, per process.

``pool_corpus(ctx)`` gives a ``matching.lexical.LexicalCorpus`` over the texts (``talent_text``) of at most
``POOL_SAMPLE`` talents (the first by id; BM25's document frequencies and each opening's mean and deviation are
estimated on them), built on first use and again when the number of talents has moved by more than
``REBUILD_SHARE`` since (or the database or taxonomy is another one) — but a full sample is not rebuilt for
talents added after it (they have larger ids: the first ``POOL_SAMPLE`` are the same) more often than every
``FULL_SAMPLE_REFRESH_SECONDS``, so an import does not rebuild it in every process again and again (nor is the
table counted meanwhile; deletions among a full sample's talents are taken in at that refresh too). A sample that
is not full yet grows by reading only the talents added after it (``LexicalCorpus.extended``: the same corpus as
one built from all of them); edits and deletions of its own talents come in at its next full read, at most
``FULL_SAMPLE_REFRESH_SECONDS`` later. Reading every talent again at each 10% of an import's growth had stalled
each web worker of a small deployment for seconds at a time (``benchmarks/bench_scale.py --preload 0``).
``titles_corpus(ctx)`` is the same sample's job titles (``job_titles_text``: work history, desired roles and the
résumé's work-history lines), for the ``titles`` criterion: profiles without a job title are left out of it, and it
is None below ``MIN_POOL`` profiles with one. ``opening_queries(corpus, texts)`` compiles openings' texts (or
titles) against either. ``embedding_pool(ctx, budget)`` gives the mean and covariance of the same sample's
text embeddings (``matching.lexical.EmbeddingPool``) for the pool-standardised ``text`` criterion. A pool of fewer than ``MIN_POOL`` profiles gives None: the criterion is then not
applicable (a standardised score over a handful of profiles says nothing).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from talentbridge.matching.lexical import EmbeddingPool, LexicalCorpus, LexicalQueries, expands, terms
from talentbridge.services.compared_texts import cut_text, profile_text
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.skills.resume_titles import headline_titles, titles_from_resume

__all__ = [
    "pool_corpus",
    "titles_corpus",
    "embedding_pool",
    "opening_queries",
    "talent_terms",
    "talent_title_terms",
    "talent_job_titles",
    "job_titles_text",
    "role_labels",
    "reset_pools",
    "POOL_SAMPLE",
    "MIN_POOL",
    "RESUME_TITLES",
]

POOL_SAMPLE = 5000
MIN_POOL = 20
REBUILD_SHARE = 0.1
#: A full sample grown past by new talents is rebuilt (for edits of its own talents) at most this often.
FULL_SAMPLE_REFRESH_SECONDS = 600.0


@dataclass(frozen=True)
class _Sample:
    """A pool sample: the talents counted when it was checked, the corpus of the sampled profiles (None: fewer than
    ``MIN_POOL``), their texts as the text criterion's encoder sees them, the largest sampled id, and when the
    sample's talents were last all read (monotonic seconds); the job titles of the sampled profiles that have one
    (None: none has)."""

    count: int
    corpus: LexicalCorpus | None
    texts: list[str]
    last_id: int = 0
    read_at: float = 0.0
    titles: LexicalCorpus | None = None


_lock = threading.Lock()
_pools: dict[str, _Sample] = {}
_built_at: dict[str, float] = {}
_building: dict[str, threading.Lock] = {}  # per database: held by the thread (re)building its pool
_embedding_pools: dict[tuple[str, str | None, int], EmbeddingPool] = {}


def reset_pools() -> None:
    with _lock:
        _pools.clear()
        _embedding_pools.clear()
        _single.clear()
        _single_corpus.clear()
        _built_at.clear()


#: Characters of a profile's text the ``lexical`` criterion reads (the whole of nearly every résumé; the ``text``
#: criterion's encoder reads the first ``compared_texts.MAX_TEXT_CHARS`` only).
LEXICAL_TEXT_CHARS = 30_000


def lexical_text(talent: Any) -> str:
    """Résumé, job titles and desired roles (taxonomy ids and URIs left out), up to ``LEXICAL_TEXT_CHARS``."""
    return profile_text(talent.resume_text, (w.title for w in talent.work_history), talent.desired_roles)[
        :LEXICAL_TEXT_CHARS
    ]


def talent_terms(talent: Any) -> list[str]:
    return terms(lexical_text(talent))


#: Work-history lines of a résumé the ``titles`` criterion reads (the first: the most recent). Chosen on half A of
#: the résumé-routing development set (docs/matching.md): 3, 5 and 8 within a point, 3 the best.
RESUME_TITLES = 3


RoleLabels = Callable[[str], list[str]]
_uri_index: list[Any] = [None, {}]  # [taxonomy, its occupations by URI]


def role_labels(ctx: MatchingContext) -> RoleLabels:
    """A desired role's names in both languages: an occupation of the context's taxonomy (by id or URI) gives its
    English and Korean labels ("vision-inspection-engineer" -> Machine Vision Inspection Engineer, 비전 검사
    엔지니어); another role is taken as written, and a URI the taxonomy does not hold is left out."""
    taxonomy = ctx.taxonomy_and_graph[0]
    with _lock:
        if _uri_index[0] is not taxonomy:
            _uri_index[:] = [taxonomy, taxonomy.occupation_by_uri()]
        by_uri = _uri_index[1]

    def labels(role: str) -> list[str]:
        occupation = taxonomy.occupations.get(role) or by_uri.get(role)
        if occupation is not None:
            return [label for label in (occupation.label_en, occupation.label_ko) if label]
        return [] if "://" in role else [role]

    return labels


def job_titles_text(
    resume: str | None,
    titles: Iterable[str | None],
    roles: Iterable[str],
    labels: RoleLabels | None = None,
    name: str = "",
) -> str:
    """A profile's job titles, a line each: its work history's, its desired roles (named by ``labels``, a
    ``role_labels``; without it as written, URIs left out), its résumé's headline (without the person's ``name``)
    and the first ``RESUME_TITLES`` its résumé's work-history lines name (``skills.resume_titles``)."""
    parts = [t or "" for t in titles]
    for role in roles:
        if labels is not None:
            parts += labels(role)
        elif "://" not in role:
            parts.append(role)
    parts += headline_titles(resume, name=name) + titles_from_resume(resume, RESUME_TITLES)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def talent_job_titles(talent: Any, labels: RoleLabels | None = None) -> list[str]:
    """A profile's job titles (``job_titles_text``), one per line."""
    history = (w.title for w in talent.work_history)
    text = job_titles_text(talent.resume_text, history, talent.desired_roles, labels, talent.name or "")
    return text.split("\n") if text else []


def talent_title_terms(talent: Any, labels: RoleLabels | None = None) -> list[str]:
    """The terms of ``job_titles_text`` of a profile (empty: no job title; the criterion is then left out)."""
    return terms("\n".join(talent_job_titles(talent, labels)))


def _key(ctx: MatchingContext) -> str:
    return f"{ctx.settings.sqlalchemy_url}|{ctx.settings.data_dir}"


def _builder(key: str) -> threading.Lock:
    with _lock:
        return _building.setdefault(key, threading.Lock())


def _pool(ctx: MatchingContext) -> _Sample:
    key = _key(ctx)
    with _lock:
        hit = _pools.get(key)
        age = time.monotonic() - _built_at.get(key, 0.0)
    if hit is not None and len(hit.texts) >= POOL_SAMPLE and age < FULL_SAMPLE_REFRESH_SECONDS:
        # the first POOL_SAMPLE by id: talents added later are not in it; it stands until its refresh (no count:
        # one scan of the table fewer per list)
        return hit
    # One thread of the process checks and (re)builds; the others go on with the pool they have meanwhile (a
    # burst of requests after an import would otherwise rebuild it once per thread), or wait for the first one.
    builder = _builder(key)
    if not builder.acquire(blocking=hit is None):
        return hit  # type: ignore[return-value]  # not None: only a thread that has one does not wait
    try:
        with _lock:
            if hit is None and key in _pools:  # built by the thread this one waited for
                return _pools[key]
        return _check_or_build(ctx, key, hit)
    finally:
        builder.release()


def _check_or_build(ctx: MatchingContext, key: str, hit: _Sample | None) -> _Sample:
    count = ctx.repos.talents.count()
    if hit is not None and abs(count - hit.count) <= REBUILD_SHARE * max(hit.count, 1):
        with _lock:
            _built_at[key] = time.monotonic()  # checked: a full sample is not counted again until the next refresh
        return hit
    now = time.monotonic()
    if (
        hit is not None
        and hit.corpus is not None
        and count > hit.count
        and len(hit.texts) < POOL_SAMPLE
        and now - hit.read_at < FULL_SAMPLE_REFRESH_SECONDS
    ):
        # grown (an import, sign-ups): the newcomers have larger ids; read only them
        texts, docs, title_docs, last_id = _read(ctx, POOL_SAMPLE - len(hit.texts), after=hit.last_id)
        titles = hit.titles.extended(title_docs) if hit.titles is not None else LexicalCorpus(title_docs)
        entry = _Sample(
            count, hit.corpus.extended(docs), hit.texts + texts, last_id or hit.last_id, hit.read_at, titles
        )
    else:
        corpus: LexicalCorpus | None = None
        titles = None
        texts, last_id = [], 0
        if count >= MIN_POOL:
            texts, docs, title_docs, last_id = _read(ctx, POOL_SAMPLE)
            corpus, titles = LexicalCorpus(docs), LexicalCorpus(title_docs)
        entry = _Sample(count, corpus, texts, last_id, now, titles)
    with _lock:
        _pools[key] = entry
        _built_at[key] = time.monotonic()
    return entry


def _read(ctx: MatchingContext, limit: int, after: int = 0) -> tuple[list[str], list[list[str]], list[list[str]], int]:
    """Texts, terms and job-title terms (only of the profiles with a job title) of at most ``limit`` talents in id
    order after id ``after``, and the last id read (0: none).
    Only the three text columns are read (``TalentSnapshot.texts_after``), not whole validated profiles: those
    had cost a web worker about a second of CPU per 2,000 talents, most of it checking stored e-mail addresses."""
    from talentbridge.services.talent_index import talent_snapshot

    texts: list[str] = []  # as the text criterion's encoder sees them
    docs: list[list[str]] = []
    title_docs: list[list[str]] = []
    last_id = 0
    snapshot = talent_snapshot(ctx.session)
    labels = role_labels(ctx)
    while len(texts) < limit:
        rows = snapshot.texts_after(last_id or after, min(1000, limit - len(texts)))
        for talent_id, resume, titles, roles, name in rows:
            whole = profile_text(resume, titles, roles)
            texts.append(cut_text(whole))
            docs.append(terms(whole[:LEXICAL_TEXT_CHARS]))
            title_text = job_titles_text(resume, titles, roles, labels, name)
            if title_text:
                title_docs.append(terms(title_text))
            last_id = talent_id
        if not rows:
            break
    return texts, docs, title_docs, last_id


def pool_corpus(ctx: MatchingContext) -> LexicalCorpus | None:
    """The pool's corpus for ``ctx``'s database (None: fewer than ``MIN_POOL`` talents)."""
    return _pool(ctx).corpus


def titles_corpus(ctx: MatchingContext) -> LexicalCorpus | None:
    """The pool sample's job titles for ``ctx``'s database (None: fewer than ``MIN_POOL`` profiles with one)."""
    titles = _pool(ctx).titles
    return titles if titles is not None and len(titles) >= MIN_POOL else None


def embedding_pool(ctx: MatchingContext, budget: float | None) -> EmbeddingPool | None:
    """Mean and covariance of the pool sample's text embeddings (None: no encoder, fewer than ``MIN_POOL``
    profiles, or fewer than 90% of the sample's texts encoded yet — ``budget`` seconds may be spent encoding)."""
    text = ctx.text
    if not text.active:
        return None
    sample = _pool(ctx)
    count, texts = sample.count, sample.texts
    if len(texts) < MIN_POOL:
        return None
    key = (_key(ctx), text.model_id, count)
    with _lock:
        hit = _embedding_pools.get(key)
        previous = next((p for k, p in _embedding_pools.items() if k[:2] == key[:2]), None)
    if hit is not None:
        return hit
    # as for the corpus: one thread computes it, the others use the previous one meanwhile (or wait for it)
    builder = _builder(f"{key[0]}|embeddings")
    if not builder.acquire(blocking=previous is None):
        return previous
    try:
        with _lock:
            hit = _embedding_pools.get(key)
        if hit is not None:
            return hit
        vectors, found = text.vectors("talents", texts, budget=budget)
        if found.sum() < 0.9 * len(texts):
            return None
        pool = EmbeddingPool(vectors[found])
        with _lock:
            for k in [k for k in _embedding_pools if k[0] == key[0]]:
                del _embedding_pools[k]
            _embedding_pools[key] = pool
        return pool
    finally:
        builder.release()


#: Single openings compiled against the current pool, kept per process and per corpus kind (talents-for-opening
#: compiles its one opening's text and title on every list it computes; widening a bare title costs a few
#: milliseconds).
SINGLE_QUERIES = 4096
_single: dict[str, OrderedDict[str, LexicalQueries]] = {}  # per kind, compiled against ``_single_corpus[kind]``
_single_corpus: dict[str, LexicalCorpus] = {}


def opening_queries(corpus: LexicalCorpus | None, texts: Sequence[str], kind: str = "text") -> LexicalQueries | None:
    """``texts`` compiled against ``corpus`` (None without one). ``kind`` names the corpus (``text``: the pool's
    texts; ``titles``: their job titles, the openings' titles not widened: ``lexical.expands``) and keys the cache of
    single openings."""
    if corpus is None:
        return None
    expand = expands(kind)
    if len(texts) != 1:
        return LexicalQueries(corpus, texts, expand=expand)
    with _lock:
        cache = _single.setdefault(kind, OrderedDict())
        if _single_corpus.get(kind) is not corpus:  # another pool: what was compiled against the last one is stale
            cache.clear()
            _single_corpus[kind] = corpus
        hit = cache.get(texts[0])
        if hit is not None:
            cache.move_to_end(texts[0])
            return hit
    queries = LexicalQueries(corpus, texts, expand=expand)
    with _lock:
        if _single_corpus.get(kind) is corpus:
            cache[texts[0]] = queries
            while len(cache) > SINGLE_QUERIES:
                cache.popitem(last=False)
    return queries
