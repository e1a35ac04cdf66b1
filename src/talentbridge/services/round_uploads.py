"""Adding a round's participants or openings from a file (CSV or XLSX): every row is reported — added, already
in the round, or refused with the reason — and the valid rows are kept even when others are refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentbridge.domain import Round
from talentbridge.domain.enums import RoundStatus
from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.round_forms import _whole
from talentbridge.storage import round_candidates as cand

if TYPE_CHECKING:
    from talentbridge.services.round_setup import Actor, RoundSetupService

__all__ = ["UploadReport", "upload"]

_MAX_SEATS = 10_000
_SETUP = (RoundStatus.DRAFT, RoundStatus.COLLECTING)


@dataclass
class UploadReport:
    """Row by row: what a file added and what it refused, and why (a message id and the value)."""

    added: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "refused": self.refused, "unchanged": self.unchanged}


def upload(setup: RoundSetupService, round_id: int, path: Path | str, what: str, actor: Actor | None) -> UploadReport:
    """Add participants (``what="participants"``: columns ``external_id`` and/or ``email``) or attach
    openings (``what="openings"``: ``external_id``, optional ``seats``) from a CSV or XLSX file.

    Every row is reported: added, unchanged (already in the round) or refused with the reason. Valid rows
    are kept even when others are refused (the report says which); a file that cannot be read at all, or
    without the columns, is refused as a whole (ImportRejected)."""
    from talentbridge.domain.errors import ImportRejected
    from talentbridge.services.file_reading import read_rows

    if what not in ("participants", "openings"):
        raise ValidationFailed("invalid upload", [Problem(("what",), "participants or openings", what)])
    rnd = setup.rounds._require(round_id, _SETUP, "add from a file")
    columns, rows = read_rows(path, strict=False)
    names = {c.strip().lower() for c in (columns or [])}
    keys = ("external_id", "email") if what == "participants" else ("external_id",)
    if columns is not None and not names & set(keys):
        message = (
            "The file needs a column named external_id or email."
            if what == "participants"
            else "The file needs a column named external_id."
        )
        raise ImportRejected(message, [Problem(("file", "columns"), message, ", ".join(sorted(names)))])
    report = UploadReport()
    if what == "participants":
        _upload_participants(setup, rnd, rows, report)
    else:
        _upload_openings(setup, rnd, rows, report)
    if report.added:
        setup.audit(
            actor,
            "upload_" + what,
            "round",
            round_id,
            file=Path(path).name,
            added=len(report.added),
            refused=len(report.refused),
        )
    return report


def _upload_participants(setup: RoundSetupService, rnd: Round, rows: Sequence[Any], report: UploadReport) -> None:
    values = [{k.strip().lower(): v for k, v in r.values.items() if isinstance(k, str)} for r in rows]
    ext = [str(v.get("external_id") or "").strip() for v in values]
    mails = [str(v.get("email") or "").strip() for v in values]
    by_ext, by_mail = cand.talent_ids_by_key(setup.session, [e for e in ext if e], [m for m in mails if m])
    seen: dict[int, int] = {}
    found: dict[int, int] = {}  # row index -> talent id
    for i, row in enumerate(rows):
        key = ext[i] or mails[i]
        base = {"line": row.line, "key": key}
        if row.error:
            report.refused.append({**base, "reason": "The line cannot be read.", "value": row.raw})
            continue
        if not key:
            report.refused.append({**base, "reason": "Give an external id or an e-mail address.", "value": ""})
            continue
        tid = by_ext.get(ext[i]) if ext[i] else by_mail.get(mails[i].lower())
        if ext[i] and mails[i] and tid is not None and by_mail.get(mails[i].lower()) not in (None, tid):
            report.refused.append(
                {**base, "reason": "The external id and the e-mail belong to different people.", "value": key}
            )
            continue
        if tid is None:
            report.refused.append({**base, "reason": "No talent with this external id or e-mail.", "value": key})
            continue
        if tid in seen:
            report.refused.append(
                {**base, "reason": "The same person appears twice in the file.", "value": key, "first": seen[tid]}
            )
            continue
        seen[tid] = row.line
        found[i] = tid
    cards = {c["id"]: c for c in setup.talent_eligibility(rnd, list(found.values()))}
    add = []
    for i, tid in found.items():
        card = cards[tid]
        base = {"line": rows[i].line, "key": ext[i] or mails[i], "name": card["name"]}
        if card["member"]:
            report.unchanged.append({**base, "reason": "Already a participant of this round."})
        elif card["blockers"]:
            report.refused.append({**base, "reason": card["blockers"][0], "value": base["key"]})
        else:
            add.append(tid)
            report.added.append({**base, "warnings": card["warnings"]})
    setup.rounds.store.add_new_participants(rnd.id, [(tid, cards[tid]["employer_id"]) for tid in add])


def _upload_openings(setup: RoundSetupService, rnd: Round, rows: Sequence[Any], report: UploadReport) -> None:
    values = [{k.strip().lower(): v for k, v in r.values.items() if isinstance(k, str)} for r in rows]
    ext = [str(v.get("external_id") or "").strip() for v in values]
    by_ext = cand.opening_ids_by_external_id(setup.session, [e for e in ext if e])
    seen: set[int] = set()
    found: dict[int, tuple[int, int | None]] = {}
    for i, row in enumerate(rows):
        base = {"line": row.line, "key": ext[i]}
        if row.error:
            report.refused.append({**base, "reason": "The line cannot be read.", "value": row.raw})
            continue
        if not ext[i]:
            report.refused.append({**base, "reason": "Give an external id.", "value": ""})
            continue
        oid = by_ext.get(ext[i])
        if oid is None:
            report.refused.append({**base, "reason": "No opening with this external id.", "value": ext[i]})
            continue
        if oid in seen:
            report.refused.append({**base, "reason": "The same opening appears twice in the file.", "value": ext[i]})
            continue
        raw = values[i].get("seats")
        seats = None
        if raw not in (None, ""):
            problems: list[Problem] = []
            seats = _whole(str(raw), "seats", problems, 1, _MAX_SEATS, "Seats are a whole number of 1 or more.")
            if problems:
                report.refused.append({**base, "reason": problems[0].msg, "value": raw})
                continue
        seen.add(oid)
        found[i] = (oid, seats)
    cards = {c["id"]: c for c in setup.opening_eligibility(rnd, [o for o, _ in found.values()])}
    for i, (oid, seats) in found.items():
        card = cards[oid]
        base = {"line": rows[i].line, "key": ext[i], "name": card["title"]}
        if card["member"]:
            report.unchanged.append({**base, "reason": "Already attached to this round."})
        elif card["blockers"]:
            report.refused.append({**base, "reason": card["blockers"][0], "value": ext[i]})
        else:
            setup.rounds.attach_opening(rnd.id, oid, seats=seats)
            report.added.append({**base, "warnings": card["warnings"]})
