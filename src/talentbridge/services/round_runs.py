"""Stored runs of a round: the canonical JSON and hashes that make a run reproducible and auditable, run
summaries, and what differs when a run is re-solved."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from talentbridge.storage.round_repository import RunRecord

__all__ = ["canonical_json", "digest", "run_summary"]


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that hashes and comparisons use: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def digest(value: Any) -> str:
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    """Datetimes without a zone are taken as UTC (SQLite gives them back without one)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def run_summary(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "round_id": run.round_id,
        "mechanism": run.mechanism,
        "proposing": run.proposing,
        "seed": run.seed,
        "input_hash": run.input_hash,
        "result_hash": run.result_hash,
        "software_version": run.software_version,
        "created_at": _aware(run.created_at).isoformat() if run.created_at else None,
        "created_by": run.created_by,
        "published_at": _aware(run.published_at).isoformat() if run.published_at else None,
        "published_by": run.published_by,
        "summary": run.summary,
    }


def _summary(instance: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    return {
        "participants": len(instance["applicants"]),
        "openings": len(instance["programs"]),
        "seats": sum(p["capacity"] for p in instance["programs"]),
        "placed": d.get("placed"),
        "unmatched": d.get("unmatched"),
        "empty_seats": d.get("empty_seats"),
        "blocking_pairs": d.get("blocking_pairs"),
        "rank_distribution": d.get("rank_distribution", {}),
        "over_cap": sum(r.get("over_cap", 0) for r in d.get("regions", {}).values()),
    }


def _input_hash(instance: dict[str, Any], mechanism: str, proposing: str) -> str:
    return digest({"instance": instance, "mechanism": mechanism, "proposing": proposing})


def _plain_json(value: Any) -> Any:
    """``value`` as plain JSON types (numpy scalars converted), exactly as it will be stored."""
    return json.loads(canonical_json(value))


def _differences(stored: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(stored) | set(fresh)):
        if canonical_json(stored.get(key)) == canonical_json(fresh.get(key)):
            continue
        if key == "assignments":
            a, b = stored.get(key) or {}, fresh.get(key) or {}
            changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            out.append(f"assignments of {len(changed)} applicant(s) differ: {_few(changed)}")
        else:
            out.append(f"{key} differs")
    return out


def _few(ids: Sequence[Any], limit: int = 10) -> str:
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
