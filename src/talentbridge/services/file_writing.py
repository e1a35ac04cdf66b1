"""Write tabular files: CSV, JSON Lines, Parquet and XLSX.

Writing is atomic: the output goes to a temporary file next to the target, renamed into place when complete. A CSV
or XLSX text cell that a spreadsheet would run as a formula is written with a leading ``'``
(``spreadsheet_formulas``); JSON Lines and Parquet are written as they are.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from talentbridge.domain.errors import Problem, ValidationFailed
from talentbridge.services.spreadsheet_formulas import neutralize_formula

__all__ = [
    "WRITE_FORMATS",
    "write_rows",
    "write_csv",
    "write_jsonl",
    "write_parquet",
    "write_xlsx",
    "default_extension",
]

WRITE_FORMATS = ("csv", "jsonl", "parquet", "xlsx")
_EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "xlsx": ".xlsx"}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _atomic(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    # mkstemp makes the file 0600; an exported file gets the mode any new file would (0644 under umask 022).
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        with open(tmp, mode, **kwargs) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _spreadsheet_text(value: Any) -> str:
    text = _cell_text(value)
    # Numbers are numbers to a spreadsheet (-5 is not a formula); text of any other kind is neutralised.
    return text if isinstance(value, int | float) else neutralize_formula(text)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]], bom: bool = True) -> int:
    """Write ``rows`` as CSV (UTF-8 with a BOM so Excel shows Hangul correctly); returns the row count."""
    count = 0
    with _atomic(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_spreadsheet_text(row.get(c)) for c in columns])
            count += 1
    return count


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """One JSON object per line (UTF-8, Hangul unescaped); dates as ISO strings."""
    count = 0
    with _atomic(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=_json_default))
            handle.write("\n")
            count += 1
    return count


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_parquet(
    path: Path,
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    types: dict[str, str] | None = None,
    batch_size: int = 10_000,
) -> int:
    """Write ``rows`` as Parquet in row groups of ``batch_size``. ``types`` maps columns to ``int``, ``float``,
    ``bool``, ``date`` or ``str`` (default); lists and objects must be serialized to text by the caller."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "str": pa.string(),
    }
    types = types or {}
    schema = pa.schema([(c, arrow[types.get(c, "str")]) for c in columns])
    count = 0
    with _atomic(path, "wb") as handle:
        writer = pq.ParquetWriter(handle, schema, compression="zstd")
        try:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    writer.write_table(_arrow_table(pa, schema, columns, types, batch))
                    count += len(batch)
                    batch = []
            if batch or count == 0:
                writer.write_table(_arrow_table(pa, schema, columns, types, batch))
                count += len(batch)
        finally:
            writer.close()
    return count


def _arrow_table(pa: Any, schema: Any, columns: list[str], types: dict[str, str], batch: list[dict[str, Any]]) -> Any:
    arrays = []
    for c in columns:
        kind = types.get(c, "str")
        values = [row.get(c) for row in batch]
        if kind == "str":
            values = [None if v is None else _cell_text(v) for v in values]
        arrays.append(pa.array(values, type=schema.field(c).type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_xlsx(path: Path, columns: list[str], rows: Iterable[dict[str, Any]], sheet: str = "data") -> int:
    """Write ``rows`` to the first sheet of a new workbook (streaming, write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(columns)
    count = 0
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            if isinstance(value, list | dict):
                value = json.dumps(value, ensure_ascii=False, default=str)
            elif isinstance(value, datetime) and value.tzinfo is not None:
                value = value.isoformat()  # Excel has no time zones
            if isinstance(value, str):
                value = neutralize_formula(value)  # openpyxl would store "=..." as a live formula
            cells.append(value)
        worksheet.append(cells)
        count += 1
    with _atomic(path, "wb") as handle:
        workbook.save(handle)
    return count


def write_rows(
    path: Path,
    fmt: str,
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    types: dict[str, str] | None = None,
) -> int:
    """Write ``rows`` in ``fmt`` (csv, jsonl, parquet, xlsx); returns the number of rows written."""
    if fmt == "csv":
        return write_csv(path, columns, rows)
    if fmt == "jsonl":
        return write_jsonl(path, ({c: r.get(c) for c in columns} for r in rows))
    if fmt == "parquet":
        return write_parquet(path, columns, rows, types)
    if fmt == "xlsx":
        return write_xlsx(path, columns, rows)
    raise ValidationFailed(
        f"unknown output format {fmt!r}",
        [Problem(loc=("format",), msg=f"use one of {', '.join(WRITE_FORMATS)}", value=fmt)],
    )


def default_extension(fmt: str) -> str:
    return _EXTENSIONS.get(fmt, "")
