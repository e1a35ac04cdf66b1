"""Repository of the round workflow: a round's openings, participants, ranked lists and runs.

Plain values in and out (the frozen dataclasses of ``domain/round_records.py``, re-exported here); SQL stays
here. The use cases and their state checks live in the round services (``services/round_setup.py``,
``round_submissions.py``, ``round_runs.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from talentbridge.domain import Round
from talentbridge.domain.errors import Conflict, NotFound
from talentbridge.domain.round_records import RankedList, RoundOpening, RoundParticipant, RunRecord, _utc
from talentbridge.storage.round_tables import (
    RoundOpeningRow,
    RoundParticipantRow,
    RoundPreferenceRow,
    RoundRunRow,
)
from talentbridge.storage.tables import PlacementRow, RoundRow

__all__ = ["RoundOpening", "RoundParticipant", "RankedList", "RunRecord", "RoundStore"]


class RoundStore:
    """Reads and writes of the round workflow tables over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the round itself ------------------------------------------------------------------------------------
    def lock(self, round_id: int, shared: bool = False) -> None:
        """Lock the round's row until the transaction ends (PostgreSQL; SQLite serialises writers anyway).

        State changes take an exclusive lock, submissions a shared one: lists can be submitted concurrently,
        but not while the round is being closed, run or published.
        """
        stmt = select(RoundRow.id).where(RoundRow.id == round_id).with_for_update(read=shared)
        if self.session.scalar(stmt) is None:
            raise NotFound("round", round_id)

    def set_status(self, round_id: int, status: str, **fields: Any) -> None:
        values = {"status": status, "updated_at": func.now(), **fields}
        self.session.execute(update(RoundRow).where(RoundRow.id == round_id).values(**values))
        self.session.expire_all()

    # -- openings --------------------------------------------------------------------------------------------
    def openings(self, round_id: int) -> list[RoundOpening]:
        rows = self.session.scalars(
            select(RoundOpeningRow)
            .where(RoundOpeningRow.round_id == round_id)
            .order_by(RoundOpeningRow.opening_id)
        )
        return [RoundOpening(r.opening_id, r.seats, r.region, r.added_at) for r in rows]

    def opening(self, round_id: int, opening_id: int) -> RoundOpening | None:
        row = self.session.get(RoundOpeningRow, (round_id, opening_id))
        return None if row is None else RoundOpening(row.opening_id, row.seats, row.region, row.added_at)

    def attach_opening(self, round_id: int, opening_id: int, seats: int, region: str | None) -> RoundOpening:
        row = self.session.get(RoundOpeningRow, (round_id, opening_id))
        if row is None:
            row = RoundOpeningRow(round_id=round_id, opening_id=opening_id, seats=seats, region=region)
            self.session.add(row)
        else:
            row.seats, row.region = seats, region
        self.session.flush()
        self.session.refresh(row)
        return RoundOpening(row.opening_id, row.seats, row.region, row.added_at)

    def detach_opening(self, round_id: int, opening_id: int) -> None:
        self.session.execute(
            delete(RoundOpeningRow).where(
                RoundOpeningRow.round_id == round_id, RoundOpeningRow.opening_id == opening_id
            )
        )

    # -- participants ----------------------------------------------------------------------------------------
    def participants(self, round_id: int) -> list[RoundParticipant]:
        rows = self.session.scalars(
            select(RoundParticipantRow)
            .where(RoundParticipantRow.round_id == round_id)
            .order_by(RoundParticipantRow.talent_id)
        )
        return [RoundParticipant(r.talent_id, r.employer_id, r.added_at) for r in rows]

    def round_ids_of_talent(self, talent_id: int) -> list[int]:
        """Ids of the rounds the talent takes part in."""
        return list(
            self.session.scalars(select(RoundParticipantRow.round_id).where(RoundParticipantRow.talent_id == talent_id))
        )

    def rounds_holding(self, opening_ids: Sequence[int]) -> list[tuple[int, int]]:
        """(round id, opening id) for every round holding one of the openings."""
        if not opening_ids:
            return []
        stmt = select(RoundOpeningRow.round_id, RoundOpeningRow.opening_id).where(
            RoundOpeningRow.opening_id.in_(list(opening_ids))
        )
        return [(int(r), int(o)) for r, o in self.session.execute(stmt)]

    def participant(self, round_id: int, talent_id: int) -> RoundParticipant | None:
        row = self.session.get(RoundParticipantRow, (round_id, talent_id))
        return None if row is None else RoundParticipant(row.talent_id, row.employer_id, row.added_at)

    def add_participant(self, round_id: int, talent_id: int, employer_id: int | None) -> RoundParticipant:
        row = self.session.get(RoundParticipantRow, (round_id, talent_id))
        if row is None:
            row = RoundParticipantRow(round_id=round_id, talent_id=talent_id, employer_id=employer_id)
            self.session.add(row)
        else:
            row.employer_id = employer_id
        self.session.flush()
        self.session.refresh(row)
        return RoundParticipant(row.talent_id, row.employer_id, row.added_at)

    def add_new_participants(self, round_id: int, rows: Sequence[tuple[int, int | None]]) -> int:
        """Insert (talent id, employer id) pairs not yet in the round, in batches; returns how many were new."""
        present = {p.talent_id for p in self.participants(round_id)}
        fresh = [{"round_id": round_id, "talent_id": t, "employer_id": e} for t, e in rows if t not in present]
        for start in range(0, len(fresh), 1000):
            self.session.execute(insert(RoundParticipantRow), fresh[start : start + 1000])
        return len(fresh)

    def remove_participant(self, round_id: int, talent_id: int) -> None:
        self.session.execute(
            delete(RoundParticipantRow).where(
                RoundParticipantRow.round_id == round_id, RoundParticipantRow.talent_id == talent_id
            )
        )

    # -- ranked lists ----------------------------------------------------------------------------------------
    @staticmethod
    def _ranked(row: RoundPreferenceRow) -> RankedList:
        return RankedList(
            row.side,
            row.owner_id,
            list(row.ranking),
            row.source,
            row.submitted_at,
            row.submitted_by,
            row.scores,
            row.scorer,
        )

    def preferences(self, round_id: int, side: str | None = None) -> list[RankedList]:
        stmt = select(RoundPreferenceRow).where(RoundPreferenceRow.round_id == round_id)
        if side is not None:
            stmt = stmt.where(RoundPreferenceRow.side == side)
        stmt = stmt.order_by(RoundPreferenceRow.side, RoundPreferenceRow.owner_id)
        return [self._ranked(r) for r in self.session.scalars(stmt)]

    def preference(self, round_id: int, side: str, owner_id: int) -> RankedList | None:
        row = self._preference_row(round_id, side, owner_id)
        return None if row is None else self._ranked(row)

    def _preference_row(self, round_id: int, side: str, owner_id: int) -> RoundPreferenceRow | None:
        return self.session.scalar(
            select(RoundPreferenceRow).where(
                RoundPreferenceRow.round_id == round_id,
                RoundPreferenceRow.side == side,
                RoundPreferenceRow.owner_id == owner_id,
            )
        )

    def _preference_rows(self, round_id: int, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        """Stored rows of ``keys`` (side, owner): one query per key for a few, one for the round for many."""
        if len(keys) <= 50:
            found = {k: self._preference_row(round_id, *k) for k in keys}
            return {k: row for k, row in found.items() if row is not None}
        rows = self.session.scalars(select(RoundPreferenceRow).where(RoundPreferenceRow.round_id == round_id))
        return {(r.side, r.owner_id): r for r in rows}

    def preferences_of(
        self, round_id: int, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], RankedList]:
        """The stored lists of ``keys`` (side, owner) that exist."""
        wanted = set(keys)
        rows = self._preference_rows(round_id, keys)
        return {k: self._ranked(r) for k, r in rows.items() if k in wanted}

    def save_preferences(self, round_id: int, lists: Sequence[RankedList]) -> None:
        """Insert or replace each owner's list."""
        existing = self._preference_rows(round_id, [(i.side, i.owner_id) for i in lists])
        for item in lists:
            row = existing.get((item.side, item.owner_id))
            if row is None:
                row = RoundPreferenceRow(round_id=round_id, side=item.side, owner_id=item.owner_id)
                self.session.add(row)
            row.ranking = list(item.ranking)
            row.scores = item.scores
            row.scorer = item.scorer
            row.source = item.source
            row.submitted_at = item.submitted_at
            row.submitted_by = item.submitted_by
        try:
            self.session.flush()
        except IntegrityError as exc:  # two first submissions of one owner's list at the same moment
            raise Conflict(
                "the same ranked list was submitted at the same time by another request; submit it again"
            ) from exc

    def delete_preferences(self, round_id: int, side: str, owner_id: int) -> None:
        self.session.execute(
            delete(RoundPreferenceRow).where(
                RoundPreferenceRow.round_id == round_id,
                RoundPreferenceRow.side == side,
                RoundPreferenceRow.owner_id == owner_id,
            )
        )

    # -- runs ------------------------------------------------------------------------------------------------
    @staticmethod
    def _run(row: RoundRunRow, full: bool) -> RunRecord:
        return RunRecord(
            id=row.id,
            round_id=row.round_id,
            mechanism=row.mechanism,
            proposing=row.proposing,
            seed=row.seed,
            input_hash=row.input_hash,
            result_hash=row.result_hash,
            software_version=row.software_version,
            created_at=row.created_at,
            created_by=row.created_by,
            summary=dict(row.summary or {}),
            diagnostics=dict(row.diagnostics or {}),
            published_at=row.published_at,
            published_by=row.published_by,
            instance=row.instance if full else None,
            result=row.result if full else None,
        )

    def add_run(self, round_id: int, **values: Any) -> RunRecord:
        row = RoundRunRow(round_id=round_id, **values)
        self.session.add(row)
        self.session.flush()
        return self._run(row, full=True)

    def runs(self, round_id: int) -> list[RunRecord]:
        rows = self.session.scalars(
            select(RoundRunRow).where(RoundRunRow.round_id == round_id).order_by(RoundRunRow.id)
        )
        return [self._run(r, full=False) for r in rows]

    def run(self, run_id: int, full: bool = True) -> RunRecord:
        stmt = select(RoundRunRow).where(RoundRunRow.id == run_id)
        if full:
            stmt = stmt.options(undefer(RoundRunRow.instance), undefer(RoundRunRow.result))
        row = self.session.scalar(stmt)
        if row is None:
            raise NotFound("run", run_id)
        return self._run(row, full=full)

    def published_run(self, round_id: int) -> RunRecord | None:
        row = self.session.scalar(
            select(RoundRunRow)
            .where(RoundRunRow.round_id == round_id, RoundRunRow.published_at.is_not(None))
            .options(undefer(RoundRunRow.result))
        )
        return None if row is None else self._run(row, full=True)

    def mark_published(self, run_id: int, at: datetime, by: str) -> None:
        self.session.execute(
            update(RoundRunRow).where(RoundRunRow.id == run_id).values(published_at=at, published_by=by)
        )

    # -- placements made by publishing -----------------------------------------------------------------------
    def add_placements(self, rows: Iterable[dict[str, Any]]) -> list[int]:
        rows = list(rows)
        for start in range(0, len(rows), 2000):
            self.session.execute(insert(PlacementRow), rows[start : start + 2000])
        return self.placement_ids(rows[0]["round_id"]) if rows else []

    def placement_ids(self, round_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(PlacementRow.id).where(PlacementRow.round_id == round_id).order_by(PlacementRow.id)
            )
        )

    def round_of(self, round_id: int) -> Round:
        row = self.session.get(RoundRow, round_id, populate_existing=True)
        if row is None:
            raise NotFound("round", round_id)
        return Round.model_validate(
            {name: _utc(getattr(row, name)) for name in Round.model_fields if hasattr(row, name)}
        )
