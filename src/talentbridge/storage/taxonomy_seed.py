"""The built-in taxonomy as seed data of the taxonomy tables, loaded after every migration.

Kept in storage (not in services) so that ``Database.upgrade`` needs nothing above it: the layering is
web, cli → services → storage, and storage never imports services. The shipped files are compared by content
hash with the one stored in ``taxonomy_meta``; when they differ the new built-in data is merged with the ESCO
data already stored (recovered from the stored ESCO side of each concept) and the taxonomy tables are rewritten.
Readers' caches key on ``TaxonomyRepository.version()``, which every rewrite changes.
"""

from __future__ import annotations

import logging
from typing import Literal

from sqlalchemy.orm import Session

from talentbridge.skills.builtin import builtin_content_hash, load_builtin_lenient
from talentbridge.skills.esco import EscoData
from talentbridge.skills.esco_merge import esco_layer, merge_with_builtin
from talentbridge.skills.taxonomy import Taxonomy
from talentbridge.storage.taxonomy_repository import TaxonomyRepository

__all__ = ["BUILTIN_HASH_KEY", "builtin_taxonomy", "sync_builtin_taxonomy"]

log = logging.getLogger(__name__)

BUILTIN_HASH_KEY = "builtin_hash"


def builtin_taxonomy() -> Taxonomy:
    """The shipped taxonomy; problems in it (which the test suite rejects) are logged, not fatal here."""
    taxonomy, problems = load_builtin_lenient()
    if problems:
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""
        log.warning("the built-in taxonomy has %d problem(s), loaded without them: %s%s", len(problems), shown, more)
    return taxonomy


def sync_builtin_taxonomy(session: Session) -> Literal["loaded", "replaced"] | None:
    """Load (or reload) the built-in taxonomy when the shipped files changed: ``"loaded"`` the first time,
    ``"replaced"`` when it replaced an earlier built-in taxonomy (a product update: skills inferred from text before
    may then be out of date), None when nothing was written.

    Idempotent; costs one hash of the shipped files and one query when the database is up to date.
    """
    repo = TaxonomyRepository(session)
    digest = builtin_content_hash()
    before = repo.get_meta(BUILTIN_HASH_KEY)
    if before == digest:
        return None
    layer = esco_layer(repo.load()) if repo.has_esco() else EscoData()
    repo.replace_all(merge_with_builtin(builtin_taxonomy(), layer))
    repo.set_meta(BUILTIN_HASH_KEY, digest)
    return "loaded" if before is None else "replaced"
