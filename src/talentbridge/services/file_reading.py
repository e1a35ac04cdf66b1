"""Read tabular files: rows (with their line numbers) from CSV, JSON Lines and XLSX.

Reading never guesses silently: the format comes from the file extension, CSV is UTF-8 (with or without the BOM
Excel writes) or, failing that, CP949/EUC-KR as saved by Korean Excel; a byte that is neither is reported with its
line. A line of a JSON Lines file that is not a JSON object becomes a row with ``error`` set, so an import can
report every bad line at once. Whole-file problems (unknown extension, unreadable file, bad header) raise
``ImportRejected`` naming the file. A CSV or XLSX text cell loses the ``'`` that protected it from running as a
formula (``spreadsheet_formulas``).
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentbridge.domain.errors import ImportRejected, Problem
from talentbridge.services.spreadsheet_formulas import restore_formula

__all__ = [
    "READ_FORMATS",
    "SourceRow",
    "RowSource",
    "detect_format",
    "open_rows",
    "read_rows",
]

READ_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}


@dataclass
class SourceRow:
    """One data row: ``line`` is the 1-based line of a CSV/JSONL file or the sheet row of an XLSX file.

    ``values`` maps column names to cell values (strings for CSV; JSON values; XLSX cell values). ``extra`` holds
    cells beyond the header (CSV/XLSX), ``error`` a reason the row could not be read at all (bad JSON), ``raw``
    the line as read when it could not be parsed.
    """

    line: int
    values: dict[str, Any]
    extra: list[Any] = field(default_factory=list)
    error: str | None = None
    raw: str | None = None


@dataclass
class RowSource:
    """An opened file: its format, its header (None for JSON Lines, whose keys may vary) and its rows."""

    path: Path
    format: str
    columns: list[str] | None
    rows: Iterator[SourceRow]
    close: Callable[[], None] = lambda: None

    def __iter__(self) -> Iterator[SourceRow]:
        return self.rows

    def __enter__(self) -> RowSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reject(
    path: Path, msg: str, line: int | None = None, value: Any = None, loc: tuple[str | int, ...] = ()
) -> ImportRejected:
    where = f"{path.name}" + (f", line {line}" if line is not None else "")
    return ImportRejected(
        f"cannot read {where}: {msg}",
        [Problem(loc=("file", *loc), msg=msg, value=value, line=line)],
        file=str(path),
    )


def detect_format(path: Path | str, fmt: str | None = None) -> str:
    """``csv``, ``jsonl`` or ``xlsx`` from ``fmt`` or the file extension; anything else is refused."""
    path = Path(path)
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt in ("csv", "jsonl", "xlsx"):
            return fmt
        raise _reject(path, f"unknown format {fmt!r}: use csv, jsonl or xlsx")
    suffix = path.suffix.lower()
    if suffix in READ_FORMATS:
        return READ_FORMATS[suffix]
    known = ", ".join(sorted(READ_FORMATS))
    raise _reject(path, f"unknown file type {suffix or '(no extension)'!r}: save it as one of {known}", value=suffix)


def open_rows(path: Path | str, fmt: str | None = None, encoding: str | None = None) -> RowSource:
    """Open ``path`` and return its header and a lazy iterator of rows. Blank rows are skipped."""
    path = Path(path)
    kind = detect_format(path, fmt)
    if not path.exists():
        raise _reject(path, "no such file")
    if path.is_dir():
        raise _reject(path, "this is a folder, not a file")
    if kind == "csv":
        return _open_csv(path, encoding)
    if kind == "jsonl":
        return _open_jsonl(path, encoding)
    return _open_xlsx(path)


def read_rows(
    path: Path | str, fmt: str | None = None, strict: bool = True
) -> tuple[list[str] | None, list[SourceRow]]:
    """All rows of ``path``; with ``strict`` a file with unreadable lines raises ImportRejected listing each."""
    with open_rows(path, fmt) as source:
        rows = list(source)
    if strict:
        bad = [Problem(loc=("row", r.line), msg=r.error, value=r.raw, line=r.line) for r in rows if r.error]
        if bad:
            raise ImportRejected(f"{Path(path).name}: {len(bad)} line(s) cannot be read", bad, file=str(path))
    return source.columns, rows


# -- CSV --------------------------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _reject(path, f"not valid {encoding} text (byte {data[exc.start]:#04x})", line=line) from exc
        except LookupError as exc:
            raise _reject(path, f"unknown encoding {encoding!r}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:  # Korean Excel's "CSV (comma delimited)" is CP949
            return data.decode("cp949")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise _reject(
                path,
                f"not UTF-8 (nor CP949) text: byte {data[exc.start]:#04x} cannot be decoded; "
                "save the file as 'CSV UTF-8' and import it again",
                line=line,
            ) from exc
    return text[1:] if text.startswith("\ufeff") else text


def _header(path: Path, cells: list[Any], line: int) -> list[str]:
    names = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in cells]
    while names and names[-1] == "":
        names.pop()
    if not names:
        raise _reject(path, "the header row is empty: the first row must name the columns", line=line)
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name == "":
            problems.append(Problem(loc=("file", "header", i), msg="column without a name", line=line))
        elif name in seen:
            problems.append(
                Problem(loc=("file", "header", i), msg=f"column {name!r} appears twice", value=name, line=line)
            )
        seen.setdefault(name, i)
    if problems:
        raise ImportRejected(f"cannot read {path.name}: bad header on line {line}", problems, file=str(path))
    return names


def _open_csv(path: Path, encoding: str | None) -> RowSource:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _reject(path, f"cannot open: {exc.strerror}") from exc
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(path, "this looks like a binary file, not CSV text (is it an .xlsx renamed to .csv?)")
    bom16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = data.decode("utf-16") if bom16 else _decode(path, data, encoding)
    sample = text[:8192]
    delimiter = ","
    first_line = sample.split("\n", 1)[0]
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        delimiter = "\t"  # a tab-separated export saved as .csv/.txt
    elif first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:
        delimiter = ";"  # European Excel
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise _reject(path, "the file is empty: the first row must name the columns") from None
    except csv.Error as exc:
        raise _reject(path, f"malformed CSV: {exc}", line=1) from exc
    columns = _header(path, header_cells, 1)

    def rows() -> Iterator[SourceRow]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _reject(path, f"malformed CSV: {exc}", line=start) from exc
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            values = {name: (restore_formula(cells[i]) if i < len(cells) else "") for i, name in enumerate(columns)}
            extra = [c for c in cells[len(columns) :] if c.strip()]
            yield SourceRow(line=line, values=values, extra=extra)

    return RowSource(path, "csv", columns, rows())


# -- JSON Lines ---------------------------------------------------------------------------------------------------


def _open_jsonl(path: Path, encoding: str | None) -> RowSource:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _reject(path, f"cannot open: {exc.strerror}") from exc
    if encoding is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _reject(path, f"not UTF-8 text: byte {data[exc.start]:#04x} cannot be decoded", line=line) from exc
        text = text[1:] if text.startswith("\ufeff") else text
    else:
        text = _decode(path, data, encoding)

    def rows() -> Iterator[SourceRow]:
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip()
            if not stripped:
                continue
            try:
                obj = json.loads(stripped)
            except ValueError as exc:
                msg = f"not valid JSON: {exc.msg} at column {exc.colno}" if hasattr(exc, "msg") else "not valid JSON"
                yield SourceRow(line=number, values={}, error=msg, raw=stripped[:500])
                continue
            if not isinstance(obj, dict):
                yield SourceRow(
                    line=number, values={}, error="each line must be a JSON object {...}", raw=stripped[:500]
                )
                continue
            yield SourceRow(line=number, values={str(k).strip(): v for k, v in obj.items()})

    return RowSource(path, "jsonl", None, rows())


# -- XLSX ---------------------------------------------------------------------------------------------------------


def _open_xlsx(path: Path) -> RowSource:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and data validation it ignores
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _reject(path, f"not a readable .xlsx workbook ({type(exc).__name__}); save it again from Excel") from exc
    sheet = workbook.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    columns: list[str] | None = None
    header_line = 0
    for number, cells in enumerate(it, start=1):
        if any(c is not None and str(c).strip() for c in cells):
            columns = _header(path, list(cells), number)
            header_line = number
            break
    if columns is None:
        workbook.close()
        raise _reject(path, f"the sheet {sheet.title!r} is empty: the first row must name the columns")
    names = columns

    def rows() -> Iterator[SourceRow]:
        for number, cells in enumerate(it, start=header_line + 1):
            values: dict[str, Any] = {}
            empty = True
            for i, name in enumerate(names):
                value = cells[i] if i < len(cells) else None
                if isinstance(value, str):
                    value = restore_formula(value).strip()
                if value not in (None, ""):
                    empty = False
                values[name] = value
            extra = [c for c in cells[len(names) :] if c not in (None, "")]
            if empty and not extra:
                continue
            yield SourceRow(line=number, values=values, extra=extra)
        workbook.close()

    return RowSource(path, "xlsx", columns, rows(), close=workbook.close)
