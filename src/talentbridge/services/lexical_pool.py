"""The talent pool the ``lexical`` criterion compares with: term statistics of the profiles' texts, per process.

``pool_corpus(ctx)`` gives a ``matching.lexical.LexicalCorpus`` over the texts (``talent_text``) of at most
``POOL_SAMPLE`` talents (the first by id; BM25's document frequencies and each opening's mean and deviation are
estimated on them), built on first use and again when the number of talents has moved by more than
``REBUILD_SHARE`` since (or the database or taxonomy is another one). ``opening_queries(corpus, texts)`` compiles
openings' texts against it. A pool of fewer than ``MIN_POOL`` profiles gives None: the criterion is then not
applicable (a standardised score over a handful of profiles says nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from talentbridge.matching.lexical import LexicalCorpus, LexicalQueries, terms
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.text_embeddings import talent_text

__all__ = ["pool_corpus", "opening_queries", "talent_terms", "reset_pools", "POOL_SAMPLE", "MIN_POOL"]

POOL_SAMPLE = 5000
MIN_POOL = 20
REBUILD_SHARE = 0.1

_lock = threading.Lock()
_pools: dict[str, tuple[int, LexicalCorpus | None]] = {}


def reset_pools() -> None:
    with _lock:
        _pools.clear()


def talent_terms(talent: Any) -> list[str]:
    return terms(talent_text(talent))


def pool_corpus(ctx: MatchingContext) -> LexicalCorpus | None:
    """The pool's corpus for ``ctx``'s database (None: fewer than ``MIN_POOL`` talents)."""
    key = f"{ctx.settings.sqlalchemy_url}|{ctx.settings.data_dir}"
    count = ctx.repos.talents.count()
    with _lock:
        hit = _pools.get(key)
    if hit is not None and abs(count - hit[0]) <= REBUILD_SHARE * max(hit[0], 1):
        return hit[1]
    corpus: LexicalCorpus | None = None
    if count >= MIN_POOL:
        docs = []
        for t in ctx.repos.talents.iter_all(batch_size=1000):
            docs.append(talent_terms(t))
            if len(docs) >= POOL_SAMPLE:
                break
        corpus = LexicalCorpus(docs)
    with _lock:
        _pools[key] = (count, corpus)
    return corpus


def opening_queries(corpus: LexicalCorpus | None, texts: Sequence[str]) -> LexicalQueries | None:
    return None if corpus is None else LexicalQueries(corpus, texts)
