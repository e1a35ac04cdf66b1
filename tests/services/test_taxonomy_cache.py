"""The stored taxonomy's per-process cache (``services.taxonomy.load_taxonomy``)."""

from __future__ import annotations

import threading
import time

from talentbridge.services import taxonomy as taxonomy_service
from talentbridge.storage.taxonomy_repository import TaxonomyRepository


def test_callers_asking_at_once_share_one_load(sqlite_database, monkeypatch):
    """A request that arrives while ``serve``'s warm-up loads the taxonomy waits for that load instead of running
    a second one beside it."""
    taxonomy_service.clear_cache()
    loads: list[int] = []
    real = TaxonomyRepository.load_taxonomy

    def slow_load(self):  # long enough for every caller to arrive during it
        loads.append(1)
        time.sleep(0.3)
        return real(self)

    monkeypatch.setattr(TaxonomyRepository, "load_taxonomy", slow_load)
    got: list[object] = []

    def ask() -> None:
        with sqlite_database.session() as session:
            got.append(taxonomy_service.load_taxonomy(session))

    callers = [threading.Thread(target=ask) for _ in range(3)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(60)
    assert len(got) == 3 and all(t is got[0] for t in got) and len(got[0]) > 0
    assert len(loads) == 1
    taxonomy_service.clear_cache()
