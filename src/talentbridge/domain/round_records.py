"""Records of the round workflow: a round's openings, participants, ranked lists and runs.

Plain frozen values (stdlib only): storage reads and writes them (``storage/round_repository.py``), services
pass them around, and ``programs.round_instance`` builds a matching instance from them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

__all__ = ["RoundOpening", "RoundParticipant", "RankedList", "RunRecord", "aware_utc"]


def aware_utc(value: Any) -> Any:
    """Datetimes without a zone are taken as UTC (SQLite gives them back without one); anything else as is."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


_utc = aware_utc


class _UTCFields:
    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            object.__setattr__(self, f.name, _utc(getattr(self, f.name)))


@dataclass(frozen=True)
class RoundOpening(_UTCFields):
    opening_id: int
    seats: int
    region: str | None
    added_at: datetime | None = None


@dataclass(frozen=True)
class RoundParticipant(_UTCFields):
    talent_id: int
    employer_id: int | None
    added_at: datetime | None = None


@dataclass(frozen=True)
class RankedList(_UTCFields):
    side: str  # talent | opening
    owner_id: int
    ranking: list[Any]  # ids; on the opening side an inner list is a tie
    source: str  # submitted | generated | edited
    submitted_at: datetime
    submitted_by: str | None = None
    scores: dict[str, float] | None = None
    scorer: str | None = None


@dataclass(frozen=True)
class RunRecord(_UTCFields):
    id: int
    round_id: int
    mechanism: str
    proposing: str
    seed: int
    input_hash: str
    result_hash: str
    software_version: str
    created_at: datetime
    created_by: str | None
    summary: dict[str, Any]
    diagnostics: dict[str, Any]
    published_at: datetime | None = None
    published_by: str | None = None
    instance: dict[str, Any] | None = None  # loaded only when asked for (large)
    result: dict[str, Any] | None = None
