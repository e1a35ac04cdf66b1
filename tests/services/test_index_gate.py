"""The talent index compares itself with the talents table (a scan) only when the talents' change counters moved
since its last comparison; every insert, update and delete is still taken in at the next use (SQLite and
PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.domain import SkillClaim, TalentData
from talentbridge.matching.criteria import region_code
from talentbridge.services.recommend_context import MatchingContext
from talentbridge.services.talent_index import TalentIndexService
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.storage.talent_snapshot import SqlTalentSnapshot

pytestmark = pytest.mark.usefixtures("fresh_indexes")


class _Counting(SqlTalentSnapshot):
    scans = 0

    def signature(self) -> Any:
        type(self).scans += 1
        return super().signature()


def _talent(n: int, region: str = "seoul") -> TalentData:
    return TalentData(name=f"g{n}", external_id=f"g{n}", region=region, consent_visible=True,
                      employment_types=["full_time"], skills=[SkillClaim(skill_id="python", level=3)])  # fmt: skip


def _live(settings: Settings, db: Database) -> dict[int, int]:
    """The talents the index answers with, and their region as indexed (one use, as a request makes)."""
    with db.session() as session:
        svc = TalentIndexService(MatchingContext(settings, session), snapshot=_Counting)
        svc.sync_interval = 0.0
        idx = svc.index()
        cols = idx.columns
        rows = [r for r in range(len(cols.alive)) if cols.alive[r]]
        return {int(cols.ids[r]): int(cols.region[r]) for r in rows}


def test_the_index_scans_the_table_only_after_a_change_and_takes_every_change_in(tmp_path, database: Database) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=database.url,
                              infer_skills=False)  # fmt: skip
    with database.session(write=True) as session:
        ids = [Repositories(session).talents.add(_talent(i)).id for i in range(4)]
    assert set(_live(settings, database)) == set(ids)
    _live(settings, database)  # the first comparison after the build
    _Counting.scans = 0
    for _ in range(3):
        assert set(_live(settings, database)) == set(ids)
    assert _Counting.scans == 0, "compared with the table while nothing changed"

    with database.session(write=True) as session:
        Repositories(session).talents.update(ids[0], {"region": "busan"})
    assert _live(settings, database)[ids[0]] == region_code("busan")
    with database.session(write=True) as session:
        added = Repositories(session).talents.add(_talent(9)).id
    assert added in _live(settings, database)
    with database.session(write=True) as session:
        Repositories(session).talents.delete(ids[1])
    assert ids[1] not in _live(settings, database)
    assert _Counting.scans >= 3
    scans = _Counting.scans
    _live(settings, database)
    _live(settings, database)
    assert _Counting.scans <= scans + 1  # at most the comparison that closes the gate again
