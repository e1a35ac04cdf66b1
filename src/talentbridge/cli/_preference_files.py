"""Ranked preference lists from a CSV or JSON file, for ``talentbridge rounds submit-preferences``.

Every malformed row or entry is reported at once (``ImportRejected``); the lists are
:class:`~talentbridge.services.rounds.PreferenceInput` for the round service to validate and save.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

__all__ = ["read_preferences"]


def read_preferences(path: Path) -> list[Any]:
    """Ranked lists from CSV or JSON; every malformed row is reported at once (ImportRejected)."""
    from talentbridge.domain.errors import ImportRejected, Problem

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportRejected(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = Problem(loc=(), msg=f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
            raise ImportRejected(f"{path} is not valid JSON", [problem]) from exc
        return _lists_from_json(data, path)
    if path.suffix.lower() == ".csv":
        return _lists_from_csv(text, path)
    raise ImportRejected(
        f"{path}: use a .csv or .json file", [Problem(("file",), "unknown file type", path.suffix)]
    )


def _lists_from_json(data: Any, path: Path) -> list[Any]:
    from talentbridge.domain.errors import ImportRejected, Problem
    from talentbridge.services.rounds import PreferenceInput

    problems: list[Problem] = []
    out: list[PreferenceInput] = []
    if isinstance(data, dict) and set(data) <= {"talents", "openings"}:
        for key, side in (("talents", "talent"), ("openings", "opening")):
            owners = data.get(key, {})
            if not isinstance(owners, dict):
                problems.append(Problem((key,), "an object of owner id to ranked list", owners))
                continue
            for owner, ranking in owners.items():
                try:
                    owner_id = int(owner)
                except ValueError:
                    problems.append(Problem((key, owner), "an owner id is a whole number", owner))
                    continue
                out.append(PreferenceInput(side, owner_id, ranking))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if not isinstance(item, dict) or set(item) != {"side", "owner_id", "ranking"}:
                problems.append(Problem((i,), 'an object {"side", "owner_id", "ranking"}', None))
                continue
            out.append(PreferenceInput(item["side"], item["owner_id"], item["ranking"]))
    else:
        problems.append(Problem((), 'use {"talents": {...}, "openings": {...}} or a list of lists', None))
    if problems:
        raise ImportRejected(f"{path} is not a preferences file", problems)
    return out


def _lists_from_csv(text: str, path: Path) -> list[Any]:
    from talentbridge.domain.errors import ImportRejected, Problem
    from talentbridge.services.rounds import PreferenceInput

    reader = csv.DictReader(io.StringIO(text))
    wanted = ["side", "owner_id", "rank", "choice_id"]
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != wanted:
        raise ImportRejected(
            f"{path}: the header must be {','.join(wanted)}",
            [Problem(("header",), f"expected {','.join(wanted)}", reader.fieldnames, line=1)],
        )
    problems: list[Problem] = []
    groups: dict[tuple[str, int], tuple[int, list[tuple[int, int]]]] = {}
    for row in reader:
        line = reader.line_num
        values: dict[str, Any] = {}
        side = (row.get("side") or "").strip()
        if side not in ("talent", "opening"):
            problems.append(Problem(("side",), "side is talent or opening", side, line=line))
        for name in ("owner_id", "rank", "choice_id"):
            raw = (row.get(name) or "").strip()
            if not raw.isdigit() or (name == "rank" and int(raw) < 1):
                problems.append(
                    Problem((name,), "a whole number" + (" from 1" if name == "rank" else ""), raw, line=line)
                )
            else:
                values[name] = int(raw)
        if len(values) == 3 and side in ("talent", "opening"):
            first, entries = groups.setdefault((side, values["owner_id"]), (line, []))
            entries.append((values["rank"], values["choice_id"]))
    if problems:
        raise ImportRejected(f"{len(problems)} bad row value(s) in {path}; nothing was saved", problems)
    out = []
    for (side, owner), (line, entries) in groups.items():
        ranking: list[Any] = []
        last_rank = None
        for rank, choice in sorted(entries, key=lambda e: e[0]):
            if rank == last_rank:
                tail = ranking[-1]
                ranking[-1] = [*tail, choice] if isinstance(tail, list) else [tail, choice]
            else:
                ranking.append(choice)
            last_rank = rank
        out.append(PreferenceInput(side, owner, ranking, line))
    return out
