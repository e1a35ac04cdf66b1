"""Files and counts the job tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talentbridge.services.file_writing import write_csv
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

REGIONS = ["seoul", "gyeonggi", "daejeon", "ulsan", "busan"]


def talent_rows(n: int, bad_at: int | None = None, prefix: str = "t") -> list[dict[str, Any]]:
    return [
        {
            "external_id": f"{prefix}{i:06d}",
            "name": f"김민준{i}",
            "email": f"{prefix}{i}@example.com",
            "region": "mars" if i == bad_at else REGIONS[i % len(REGIONS)],
            "skills": "pytorch:4:3;python:5",
            "employment_types": "full_time;secondment",
            "resume_text": "",
        }
        for i in range(1, n + 1)
    ]


def talents_csv_bytes(tmp: Path, n: int, bad_at: int | None = None, prefix: str = "t") -> bytes:
    rows = talent_rows(n, bad_at, prefix)
    path = tmp / f"{prefix}-{n}.csv"
    write_csv(path, list(rows[0]), rows)
    return path.read_bytes()


def count(db: Database, entity: str = "talents") -> int:
    with db.session() as session:
        return Repositories(session).by_entity(entity).count()
