"""The change counters (``storage/change_tables.py``) on SQLite and PostgreSQL: every counted write moves its
table's counter, in the writer's transaction (never visible before its commit); a talent insert its own; on
PostgreSQL a transaction holding uncommitted talent writes does not make another writer of talents wait; a
restore and a TRUNCATE move every counter past any value it had."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, insert, text, update

from talentbridge.storage import Database
from talentbridge.storage.change_tables import TRACKED, move_past, read_counters
from talentbridge.storage.tables import OpeningRow, OrganizationRow, ProgramRow, TalentRow


def _counters(database: Database) -> dict[str, int]:
    with database.engine.connect() as conn:
        counters = read_counters(conn)
    assert counters is not None
    return counters


def _org(conn, n: int) -> int:
    return conn.execute(
        insert(OrganizationRow).values(name=f"org {n}", kind="startup").returning(OrganizationRow.id)
    ).scalar_one()


def _talent(conn, n: int) -> int:
    return conn.execute(
        insert(TalentRow)
        .values(name=f"t{n}", category="engineer", nationality="KR", education=[], work_history=[], skills=[],
                desired_roles=[], employment_types=[], consent_visible=True, consent_statistics=False)  # fmt: skip
        .returning(TalentRow.id)
    ).scalar_one()


def _moved(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {t for t in TRACKED if after[t] != before[t]}


def test_each_counted_write_moves_its_counter_and_only_its_own(database: Database) -> None:
    engine = database.engine
    before = _counters(database)
    with engine.begin() as conn:
        org = _org(conn, 1)
    assert _moved(before, after := _counters(database)) == {"organizations"}
    with engine.begin() as conn:
        talent = _talent(conn, 1)
    assert _moved(after, after2 := _counters(database)) == {"talents_added"}, "lists do not key on additions"
    with engine.begin() as conn:
        conn.execute(update(TalentRow).where(TalentRow.id == talent).values(region="busan"))
    assert _moved(after2, after3 := _counters(database)) == {"talents"}
    with engine.begin() as conn:
        opening = conn.execute(
            insert(OpeningRow)
            .values(title="ML engineer", organization_id=org, kind="job", status="open", required_skills=[])
            .returning(OpeningRow.id)
        ).scalar_one()
    assert _moved(after3, after4 := _counters(database)) == {"openings"}
    with engine.begin() as conn:
        conn.execute(delete(OpeningRow).where(OpeningRow.id == opening))
        conn.execute(delete(TalentRow).where(TalentRow.id == talent))
    assert _moved(after4, after5 := _counters(database)) == {"openings", "talents"}
    with engine.begin() as conn:
        conn.execute(insert(ProgramRow).values(name="secondment 2027", kind="secondment", status="open", settings={}))
    assert _moved(after5, _counters(database)) == {"programs"}


def test_a_counter_moves_with_the_commit_and_not_before(database: Database) -> None:
    with database.engine.begin() as conn:
        ids = [_talent(conn, n) for n in range(3)]
    before = _counters(database)
    with database.engine.connect() as writer:
        writer.execute(update(TalentRow).where(TalentRow.id.in_(ids)).values(region="ulsan"))
        assert _counters(database) == before, "seen before the commit"
        writer.commit()
    after = _counters(database)
    assert after["talents"] > before["talents"]
    with database.engine.connect() as writer:
        writer.execute(update(TalentRow).where(TalentRow.id == ids[0]).values(region="jeju"))
        writer.rollback()
    assert _counters(database) == after, "a rolled-back write is no change"


@pytest.mark.postgres
def test_postgres_an_open_transaction_with_talent_writes_does_not_hold_other_writers(request) -> None:
    database = request.getfixturevalue("postgres_database")
    with database.engine.begin() as conn:
        first, second = _talent(conn, 10), _talent(conn, 11)
    before = _counters(database)
    long = database.engine.connect()  # an import's transaction, say: it has written and not committed
    try:
        long.execute(update(TalentRow).where(TalentRow.id == first).values(region="busan"))
        done = threading.Event()

        def edit() -> None:
            with database.engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                conn.execute(update(TalentRow).where(TalentRow.id == second).values(region="daejeon"))
            done.set()

        worker = threading.Thread(target=edit)
        worker.start()
        worker.join(10)
        assert done.is_set(), "a profile edit waited for another transaction's talent writes"
        assert _counters(database)["talents"] == before["talents"] + 1
        long.commit()
    finally:
        long.close()
    assert _counters(database)["talents"] == before["talents"] + 2, "each transaction counts once"


def test_move_past_leaves_every_counter_beyond_what_it_was_and_what_was_seen(database: Database) -> None:
    before = _counters(database)
    seen = {t: v + 10**13 for t, v in before.items()}  # a live database that had counted further
    with database.engine.begin() as conn:
        move_past(conn, seen)
    after = _counters(database)
    assert all(after[t] > seen[t] for t in TRACKED)
    with database.engine.begin() as conn:
        move_past(conn, None)
    assert all(v > after[t] for t, v in _counters(database).items())
    assert time.time() * 1000 < min(_counters(database).values())
