"""Reading texts to process from a file: ``.txt`` (one text per line), ``.csv`` or ``.jsonl`` (one column).

Everything is validated before anything is returned: a malformed file raises ``ImportRejected`` listing every bad
line (file and 1-based line number), so callers write nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from talentbridge.domain.errors import ImportRejected, InputTooLarge, Problem
from talentbridge.skills.text import MAX_TEXT_CHARS

__all__ = ["InputText", "read_texts"]


@dataclass(frozen=True)
class InputText:
    row: int  # 0-based data row
    line: int  # 1-based line in the file where the row starts
    text: str


def read_texts(path: Path, column: str | None = None, max_chars: int = MAX_TEXT_CHARS) -> list[InputText]:
    """The texts of ``path`` in order. ``column`` names the CSV column / JSON key (default ``text``).

    Raises ``ImportRejected`` (every bad line), ``InputTooLarge`` (a text over ``max_chars``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportRejected(f"{path}: no such file", [Problem(loc=(str(path),), msg="file not found")])
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            f"{path}: not UTF-8 text", [Problem(loc=(str(path),), msg="invalid UTF-8", line=line)]
        ) from exc
    problems: list[Problem] = []
    if suffix == ".txt":
        texts = [InputText(i, i + 1, line) for i, line in enumerate(raw.splitlines())]
    elif suffix == ".csv":
        texts = _read_csv(path, raw, column or "text", problems)
    elif suffix in (".jsonl", ".ndjson"):
        texts = _read_jsonl(path, raw, column or "text", problems)
    else:
        raise ImportRejected(
            f"{path}: unsupported file type {suffix or '(none)'}; use .txt, .csv or .jsonl",
            [Problem(loc=(str(path),), msg="unsupported file type", value=suffix)],
        )
    if problems:
        raise ImportRejected(f"{path}: {len(problems)} bad line(s); nothing was written", problems)
    for t in texts:
        if len(t.text) > max_chars:
            raise InputTooLarge(
                f"{path}, line {t.line}: text has {len(t.text):,} characters; the limit is {max_chars:,}",
                file=str(path),
                line=t.line,
                row=t.row,
            )
    return texts


def _read_csv(path: Path, raw: str, column: str, problems: list[Problem]) -> list[InputText]:
    lines = raw.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    out: list[InputText] = []
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(loc=(str(path),), msg="empty file: a header row is required", line=1))
        return out
    except csv.Error as exc:
        problems.append(Problem(loc=(str(path),), msg=f"malformed CSV: {exc}", line=1))
        return out
    if column not in header:
        problems.append(Problem(loc=(str(path), column), msg=f"no column {column!r}; columns are {header}", line=1))
        return out
    col = header.index(column)
    start_line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(loc=(str(path),), msg=f"malformed CSV: {exc}", line=start_line))
            break  # the reader cannot resynchronise after a quoting error
        if not record:  # blank line
            start_line = reader.line_num + 1
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    loc=(str(path), len(out)),
                    msg=f"expected {len(header)} fields, found {len(record)}",
                    line=start_line,
                )
            )
        else:
            out.append(InputText(len(out), start_line, record[col]))
        start_line = reader.line_num + 1
    return out


def _read_jsonl(path: Path, raw: str, key: str, problems: list[Problem]) -> list[InputText]:
    out: list[InputText] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(loc=(str(path),), msg=f"invalid JSON: {exc.msg}", line=number))
            continue
        if isinstance(value, str):
            text = value
        elif isinstance(value, dict) and isinstance(value.get(key), str):
            text = value[key]
        elif isinstance(value, dict) and value.get(key) is None and key not in value:
            problems.append(Problem(loc=(str(path), key), msg=f"missing key {key!r}", line=number))
            continue
        else:
            problems.append(Problem(loc=(str(path), key), msg="expected a string", value=value, line=number))
            continue
        out.append(InputText(len(out), number, text))
    return out
