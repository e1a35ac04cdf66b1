"""Taxonomy use cases: keep the built-in taxonomy loaded, import ESCO, read the taxonomy (cached).

``ensure_builtin_taxonomy`` (``storage/taxonomy_seed.py``, run after every ``db upgrade``) compares the content hash of the shipped files
with the one stored in ``taxonomy_meta`` and does nothing when they match (one query). When they differ it
merges the new built-in data with the ESCO data already in the database (recovered from the stored ESCO
side of each concept, no download needed) and rewrites the taxonomy tables.

``import_esco`` reads and validates the whole download before writing anything, then replaces the taxonomy
tables with built-in ∪ (previous ESCO data updated by this release) inside the caller's transaction: a failure
leaves the database unchanged; re-importing the same release changes nothing but the import record; a newer
release updates concepts in place (same ids) and keeps concepts that it no longer lists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock
from typing import Any

from sqlalchemy.orm import Session

from talentbridge.skills.builtin import builtin_content_hash
from talentbridge.skills.esco import EscoData
from talentbridge.skills.esco_merge import esco_layer, merge_with_builtin, update_layer
from talentbridge.skills.esco_read import read_esco
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.storage.taxonomy_repository import TaxonomyCounts, TaxonomyRepository
from talentbridge.storage.taxonomy_seed import BUILTIN_HASH_KEY, builtin_taxonomy, sync_builtin_taxonomy
from talentbridge.storage.taxonomy_writes import Progress

__all__ = [
    "ImportStats",
    "ensure_builtin_taxonomy",
    "import_esco",
    "load_taxonomy",
    "taxonomy_counts",
    "clear_cache",
    "BUILTIN_HASH_KEY",
    "ESCO_IMPORT_KEY",
]

log = logging.getLogger(__name__)

ESCO_IMPORT_KEY = "esco_import"


@dataclass
class ImportStats:
    """What an ESCO import read and wrote."""

    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # CSV rows read per ESCO file
    esco_skills: int = 0
    esco_occupations: int = 0
    occupation_skill_relations: int = 0  # stored from this release (references to missing concepts skipped)
    skill_skill_relations: int = 0
    skipped_references: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    linked_builtin_skills: int = 0
    linked_builtin_occupations: int = 0
    unmatched_builtin_uris: list[str] = field(default_factory=list)  # built-in esco_uri not in this release
    added_skills: int = 0
    updated_skills: int = 0
    kept_skills: int = 0  # ESCO-only skills from an earlier import that this release does not list
    added_occupations: int = 0
    updated_occupations: int = 0
    kept_occupations: int = 0
    counts: TaxonomyCounts = field(default_factory=TaxonomyCounts)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts.as_dict()
        return data


def ensure_builtin_taxonomy(session: Session) -> bool:
    """Load (or reload) the built-in taxonomy when the shipped files changed; True if it wrote anything.

    Idempotent; costs one hash of the shipped files and one query when the database is up to date.
    """
    wrote = sync_builtin_taxonomy(session) is not None
    if wrote:
        clear_cache()
        _tell_other_processes(session)
    return wrote


def import_esco(session: Session, paths: Sequence[str | Path], progress: Progress | None = None) -> ImportStats:
    """Import an ESCO CSV download (zips or folders) into the database, merged with the built-in taxonomy.

    Raises ``ImportRejected`` (naming file, line and column) before writing anything when the input is
    malformed. Writes within ``session``'s transaction; the caller commits.
    """
    started = time.perf_counter()
    say = progress or (lambda stage, done, total: None)
    say("reading ESCO files", 0, 1)
    new = read_esco(paths)
    say("reading ESCO files", 1, 1)

    repo = TaxonomyRepository(session)
    say("loading the current taxonomy", 0, 1)
    current = repo.load()
    old_layer = esco_layer(current) if repo.has_esco() else EscoData()
    say("loading the current taxonomy", 1, 1)

    builtin = _builtin()
    merged = merge_with_builtin(builtin, update_layer(old_layer, new))
    repo.replace_all(merged, progress)
    repo.set_meta(BUILTIN_HASH_KEY, builtin_content_hash())

    stats = ImportStats(
        files=[str(p) for p in paths],
        rows=dict(new.rows),
        esco_skills=len(new.taxonomy.skills),
        esco_occupations=len(new.taxonomy.occupations),
        occupation_skill_relations=new.occupation_skill_count,
        skill_skill_relations=new.skill_skill_count,
        skipped_references=len(new.skipped),
        skipped_examples=[f"{name} line {line}: {uri}" for name, line, uri in new.skipped[:5]],
        linked_builtin_skills=len(merged.esco_skills),
        linked_builtin_occupations=len(merged.esco_occupations),
        unmatched_builtin_uris=sorted(
            {c.esco_uri for c in builtin.skills.values() if c.esco_uri and c.esco_uri not in new.taxonomy.skills}
            | {
                c.esco_uri
                for c in builtin.occupations.values()
                if c.esco_uri and c.esco_uri not in new.taxonomy.occupations
            }
        ),
    )
    old_esco_skills = {uri for uri in old_layer.taxonomy.skills}
    old_esco_occs = {uri for uri in old_layer.taxonomy.occupations}
    stats.updated_skills = len(old_esco_skills & new.taxonomy.skills.keys())
    stats.added_skills = len(new.taxonomy.skills) - stats.updated_skills
    stats.kept_skills = len(old_esco_skills - new.taxonomy.skills.keys())
    stats.updated_occupations = len(old_esco_occs & new.taxonomy.occupations.keys())
    stats.added_occupations = len(new.taxonomy.occupations) - stats.updated_occupations
    stats.kept_occupations = len(old_esco_occs - new.taxonomy.occupations.keys())
    stats.counts = repo.counts()
    stats.seconds = round(time.perf_counter() - started, 2)
    repo.set_meta(
        ESCO_IMPORT_KEY,
        {"imported_at": datetime.now(UTC).isoformat(timespec="seconds"), **stats.as_dict()},
    )
    clear_cache()
    _tell_other_processes(session)
    return stats


def _tell_other_processes(session: Session) -> None:
    from talentbridge.services.change_bus import publish_after_commit

    publish_after_commit(session, "taxonomy", {"reason": "import"})


def _builtin() -> Taxonomy:
    return builtin_taxonomy()


def taxonomy_counts(session: Session) -> TaxonomyCounts:
    return TaxonomyRepository(session).counts()


# -- cached taxonomy -----------------------------------------------------------------------------------------

_cache: dict[str, tuple[str, Taxonomy]] = {}
_cache_lock = Lock()
#: One load at a time per database: a request that arrives while ``serve``'s warm-up is loading the taxonomy waits
#: for that load instead of running a second one beside it (with ESCO each takes about a second of CPU).
_load_locks: dict[str, Lock] = {}


def _database_key(session: Session) -> str:
    bind = session.get_bind()
    return bind.engine.url.render_as_string(hide_password=True) if hasattr(bind, "engine") else str(bind)


def cache_stamp(version: str | None, aliases: str) -> str:
    """``load_taxonomy``'s cache stamp from the stored taxonomy's version and ``skill_aliases.alias_stamp`` (""
    without a stored version: nothing to cache on)."""
    return f"{version}/aliases:{aliases}" if version else ""


def _cached(key: str, version: str) -> Taxonomy | None:
    with _cache_lock:
        hit = _cache.get(key)
    return hit[1] if hit is not None and version and hit[0] == version else None


def load_taxonomy(session: Session, stamp: str | None = None) -> Taxonomy:
    """The stored taxonomy (built-in merged with ESCO when imported), cached per database and version.

    ``stamp``: the cache stamp (taxonomy version and aliases) when the caller has just read it in the same
    session (``recommend_cache.DataVersion.taxonomy_stamp``): two queries fewer. The returned object is shared
    between callers: treat it as read-only.
    """
    from talentbridge.services.skill_aliases import alias_stamp, apply_aliases

    repo = TaxonomyRepository(session)
    if stamp is not None:
        version = stamp
    else:
        stored = repo.version()
        version = cache_stamp(stored, alias_stamp(session)) if stored else ""
    key = _database_key(session)
    cached = _cached(key, version)
    if cached is not None:
        return cached
    with _cache_lock:
        loading = _load_locks.setdefault(key, Lock())
    with loading:
        cached = _cached(key, version)  # loaded by another thread meanwhile
        if cached is not None:
            return cached
        taxonomy = repo.load_taxonomy()
        apply_aliases(session, taxonomy)
        with _cache_lock:
            _cache[key] = (version, taxonomy)
    return taxonomy


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
