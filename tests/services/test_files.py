"""Reading CSV / JSON Lines / XLSX with line numbers, and writing CSV / JSONL / Parquet / XLSX."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from talentbridge.domain.errors import ImportRejected, ValidationFailed
from talentbridge.services.file_reading import detect_format, open_rows, read_rows
from talentbridge.services.file_writing import (
    write_csv,
    write_jsonl,
    write_parquet,
    write_rows,
    write_xlsx,
)


def test_csv_utf8_with_and_without_bom_gives_the_same_rows(tmp_path: Path) -> None:
    text = "external_id,name\nt1,김민준\nt2,Nguyen Van Anh\n"
    plain, bom = tmp_path / "a.csv", tmp_path / "b.csv"
    plain.write_text(text, encoding="utf-8")
    bom.write_text(text, encoding="utf-8-sig")
    cols_a, rows_a = read_rows(plain)
    cols_b, rows_b = read_rows(bom)
    assert cols_a == cols_b == ["external_id", "name"]
    assert [(r.line, r.values) for r in rows_a] == [(r.line, r.values) for r in rows_b]
    assert rows_a[0].values == {"external_id": "t1", "name": "김민준"}
    assert [r.line for r in rows_a] == [2, 3]


def test_csv_saved_by_korean_excel_in_cp949_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cp949.csv"
    path.write_bytes("external_id,name,region\nt1,박서연,경기\n".encode("cp949"))
    _cols, rows = read_rows(path)
    assert rows[0].values["name"] == "박서연" and rows[0].values["region"] == "경기"


def test_csv_line_numbers_count_quoted_newlines_and_skip_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('external_id,resume_text\nt1,"line one\nline two"\n\n,\nt2,short\n', encoding="utf-8")
    _cols, rows = read_rows(path)
    assert [(r.line, r.values["external_id"]) for r in rows] == [(2, "t1"), (6, "t2")]
    assert rows[0].values["resume_text"] == "line one\nline two"


def test_csv_short_and_long_rows(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1\n1,2,3,4\n", encoding="utf-8")
    _cols, rows = read_rows(path)
    assert rows[0].values == {"a": "1", "b": "", "c": ""}
    assert rows[1].extra == ["4"]


def test_bad_encoding_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"external_id,name\nt1,ok\nt2,\xff\xfe\xff bad\n")
    with pytest.raises(ImportRejected) as info:
        read_rows(path)
    assert "broken.csv" in info.value.message and "line 3" in info.value.message
    assert info.value.problems[0].line == 3
    assert "UTF-8" in info.value.message


def test_unknown_extension_and_missing_file_are_refused(tmp_path: Path) -> None:
    odd = tmp_path / "data.numbers"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(ImportRejected, match="unknown file type"):
        open_rows(odd)
    with pytest.raises(ImportRejected, match="no such file"):
        open_rows(tmp_path / "nope.csv")
    assert detect_format("x.JSONL") == "jsonl" and detect_format("x.xlsx") == "xlsx"


def test_bad_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("external_id,name,name\n1,a,b\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        read_rows(path)
    assert "appears twice" in str(info.value)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportRejected, match="empty"):
        read_rows(empty)


def test_jsonl_bad_lines_are_rows_with_errors_and_strict_reading_lists_them_all(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"external_id": "t1", "name": "김민준", "skills": ["pytorch:4"]}\n'
        "\n"
        '{"external_id": "t2", "name": oops}\n'
        "[1, 2]\n"
        '{"external_id": "t3", "name": "이서연"}\n',
        encoding="utf-8",
    )
    _cols, rows = read_rows(path, strict=False)
    assert [(r.line, r.error is None) for r in rows] == [(1, True), (3, False), (4, False), (5, True)]
    assert rows[0].values["skills"] == ["pytorch:4"]
    with pytest.raises(ImportRejected) as info:
        read_rows(path)
    assert [p.line for p in info.value.problems] == [3, 4]
    assert "not valid JSON" in info.value.problems[0].msg


def test_xlsx_rows_carry_sheet_row_numbers_and_native_values(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "orgs.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["external_id", "name", "founded", "venture_certified", "employees"])
    ws.append(["o1", "딥센스랩스", datetime(2020, 3, 2), True, 12])
    ws.append([None, None, None, None, None])
    ws.append(["o2", "  한일정밀 ", None, False, None])
    wb.save(path)
    cols, rows = read_rows(path)
    assert cols == ["external_id", "name", "founded", "venture_certified", "employees"]
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].values["founded"] == datetime(2020, 3, 2)
    assert rows[0].values["venture_certified"] is True and rows[0].values["employees"] == 12
    assert rows[1].values["name"] == "한일정밀"


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("external_id,name\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="not a readable .xlsx"):
        read_rows(path)


ROWS = [
    {
        "id": 1,
        "name": "김민준",
        "birth_year": 1990,
        "ok": True,
        "when": date(2024, 1, 2),
        "skills": "pytorch:4:3",
    },
    {"id": 2, "name": 'Nguyen, "Anh"', "birth_year": None, "ok": False, "when": None, "skills": ""},
]
COLUMNS = ["id", "name", "birth_year", "ok", "when", "skills"]


def test_csv_written_then_read_keeps_values(tmp_path: Path) -> None:
    path = tmp_path / "out" / "x.csv"
    assert write_csv(path, COLUMNS, ROWS) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    _cols, rows = read_rows(path)
    assert rows[0].values == {
        "id": "1",
        "name": "김민준",
        "birth_year": "1990",
        "ok": "true",
        "when": "2024-01-02",
        "skills": "pytorch:4:3",
    }
    assert rows[1].values["name"] == 'Nguyen, "Anh"'


def test_jsonl_written_then_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    write_jsonl(path, ROWS)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "김민준" in lines[0]
    assert json.loads(lines[0])["when"] == "2024-01-02"
    _cols, rows = read_rows(path)
    assert rows[1].values["ok"] is False


def test_parquet_has_typed_columns(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "x.parquet"
    write_parquet(path, COLUMNS, ROWS, {"id": "int", "birth_year": "int", "ok": "bool", "when": "date"})
    table = pq.read_table(path)
    assert table.column_names == COLUMNS
    assert str(table.schema.field("birth_year").type) == "int64"
    assert table.column("when").to_pylist() == [date(2024, 1, 2), None]
    assert table.column("name").to_pylist()[0] == "김민준"


def test_xlsx_written_then_read(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    write_xlsx(path, COLUMNS, ROWS)
    _cols, rows = read_rows(path)
    assert rows[0].values["name"] == "김민준" and rows[0].values["birth_year"] == 1990


def test_unknown_output_format_and_atomic_write(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        write_rows(tmp_path / "x.txt", "txt", COLUMNS, ROWS)

    def boom():  # noqa: ANN202
        yield ROWS[0]
        raise RuntimeError("disk full")

    target = tmp_path / "partial.csv"
    with pytest.raises(RuntimeError):
        write_csv(target, COLUMNS, boom())
    assert not target.exists()
    assert not list(tmp_path.glob(".partial.csv.*"))
