"""The status-survey import (atomic, row report, skip-invalid with a rejected-rows file, idempotent, Korean
headers, XLSX) and the ``status-survey`` view beside the platform's numbers — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from talentbridge.domain.errors import ImportRejected
from talentbridge.services.analytics_survey import NUMBERS, status_survey
from talentbridge.services.survey_import import COLUMNS, import_survey_file
from talentbridge.storage.survey_tables import SURVEY_ROLES, StatusSurveyRow
from talentbridge.storage.tables import OpeningRow, OrganizationRow, PlacementRow, TalentRow

KINDS = ("ai_startup", "manufacturer", "large_enterprise")
REGIONS = ("seoul", "busan", "daegu")


def _orgs(database: Any, n: int, rng: random.Random) -> list[dict[str, Any]]:
    made = []
    with database.session(write=True) as s:
        for i in range(n):
            row = OrganizationRow(name=f"기관 {i}", external_id=f"org-{i}", business_number=f"{1000000000 + i}",
                                  kind=KINDS[i % 3], region=REGIONS[rng.randrange(3)])
            s.add(row)
            s.flush()
            made.append({"id": row.id, "kind": row.kind, "region": row.region, "ext": row.external_id})
            for t in range(rng.randrange(4)):
                s.add(TalentRow(name=f"t{i}-{t}", category="engineer", nationality="KR", region="seoul",
                                consent_statistics=t != 0, current_employer_id=row.id))
            if rng.random() < 0.7:
                s.add(OpeningRow(organization_id=row.id, kind="job", title=f"o{i}", status="open",
                                 seats=rng.randrange(1, 4)))
    return made


def _survey_rows(orgs: list[dict[str, Any]], year: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for o in orgs:
        row: dict[str, Any] = {"organization": o["ext"], "year": year}
        for r in SURVEY_ROLES:
            row[f"headcount_{r}"] = rng.randrange(0, 20)
        row["vacancies"] = rng.randrange(0, 5)
        row["hard_to_fill_roles"] = ";".join(rng.sample(SURVEY_ROLES, rng.randrange(0, 3)))
        row["training_spend_krw"] = rng.randrange(0, 10**8)
        rows.append(row)
    return rows


def _csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(columns))
        w.writeheader()
        w.writerows(rows)
    return path


def _count(database: Any) -> int:
    with database.session() as s:
        return int(s.scalar(select(func.count()).select_from(StatusSurveyRow)) or 0)


def test_a_survey_imports_once_and_the_view_equals_a_recount(database: Any, tmp_path: Path) -> None:
    rng = random.Random(7)
    orgs = _orgs(database, 14, rng)
    year = date.today().year - 1
    rows = _survey_rows(orgs, year, rng)
    path = _csv(tmp_path / "survey.csv", rows)
    first = import_survey_file(database, path)
    assert (first.rows, first.created, first.updated, first.rejected) == (14, 14, 0, 0)
    again = import_survey_file(database, path)  # idempotent: the same file changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 14)
    assert _count(database) == 14

    with database.session(write=True) as s:  # a placement that started in the survey year, one that did not
        talent = s.scalars(select(TalentRow).where(TalentRow.current_employer_id == orgs[0]["id"])).first()
        if talent is None:
            talent = TalentRow(name="p", category="engineer", nationality="KR", region="seoul")
            s.add(talent)
            s.flush()
        for start in (date(year, 5, 1), date(year - 1, 5, 1)):
            s.add(PlacementRow(talent_id=talent.id, organization_id=orgs[0]["id"], kind="job", start_date=start,
                               status="active"))
    with database.session() as s:
        result = status_survey(s, year=year)
        consenting = {oid: n for oid, n in s.execute(
            select(TalentRow.current_employer_id, func.count()).where(TalentRow.consent_statistics.is_(True))
            .group_by(TalentRow.current_employer_id))}
        seats = {oid: int(n) for oid, n in s.execute(
            select(OpeningRow.organization_id, func.sum(OpeningRow.seats)).where(OpeningRow.status == "open")
            .group_by(OpeningRow.organization_id))}
    by_kind = {r["org_kind"]: r for r in result.table("by_org_kind").rows}
    for kind in KINDS:
        mine = [(o, r) for o, r in zip(orgs, rows, strict=True) if o["kind"] == kind]
        got = by_kind[kind]
        assert got["organizations"] == len(mine)
        for role in SURVEY_ROLES:
            assert got[f"headcount_{role}"] == sum(r[f"headcount_{role}"] for _, r in mine)
        assert got["headcount_total"] == sum(r[f"headcount_{x}"] for _, r in mine for x in SURVEY_ROLES)
        assert got["vacancies"] == sum(r["vacancies"] for _, r in mine)
        assert got["training_spend_krw"] == sum(r["training_spend_krw"] for _, r in mine)
        assert got["platform_talents"] == sum(consenting.get(o["id"], 0) for o, _ in mine)
        assert got["platform_open_seats"] == sum(seats.get(o["id"], 0) for o, _ in mine)
        assert got["platform_placements"] == (1 if kind == orgs[0]["kind"] else 0)
    assert sum(r["organizations"] for r in result.table("by_region").rows) == 14
    named = {r["role"]: r["organizations"] for r in result.table("hard_to_fill").rows}
    assert named == {role: sum(role in r["hard_to_fill_roles"].split(";") for r in rows) for role in SURVEY_ROLES}

    hidden = result.suppress().table("by_org_kind").rows  # 4 or 5 organizations per kind: < 5 hidden whole
    for row in hidden:
        if by_kind[row["org_kind"]]["organizations"] < 5:
            assert row["organizations"] is None and all(row[c] is None for c in NUMBERS)
        else:
            assert row["headcount_total"] == by_kind[row["org_kind"]]["headcount_total"]


def test_bad_rows_are_all_reported_and_nothing_is_written(database: Any, tmp_path: Path) -> None:
    rng = random.Random(3)
    orgs = _orgs(database, 3, rng)
    good = _survey_rows(orgs, 2025, rng)
    bad = [
        {**good[0], "organization": "nobody"},                     # line 5: unknown organization
        {**good[1], "year": "1999"},                                # line 6: year out of range
        {**good[2], "headcount_data_science": "-3"},                # line 7: negative
        {**good[2], "year": 2024, "hard_to_fill_roles": "wizard"},  # line 8: unknown role
        {**good[0], "headcount_ai_research": 999},                  # line 9: same org+year, other numbers
    ]
    path = _csv(tmp_path / "bad.csv", good + bad)
    with pytest.raises(ImportRejected) as caught:
        import_survey_file(database, path)
    where = {(p.line, p.loc[2]) for p in caught.value.problems}
    assert where == {(5, "organization"), (6, "year"), (7, "headcount_data_science"), (8, "hard_to_fill_roles"),
                     (9, "organization")}
    assert _count(database) == 0

    rejects = tmp_path / "rejects.csv"
    kept = import_survey_file(database, path, skip_invalid=True, rejects_path=rejects)
    assert (kept.created, kept.rejected) == (3, 5) and _count(database) == 3
    with rejects.open(encoding="utf-8-sig") as f:
        back = list(csv.DictReader(f))
    assert [int(r["_line"]) for r in back] == [5, 6, 7, 8, 9]
    assert "headcount_data_science" in back[2]["_errors"] and "0 or more" in back[2]["_errors"]
    fixed = [{**r, "headcount_data_science": "3"} if r["_line"] == "7" else r for r in back[2:3]]
    again = import_survey_file(database, _csv(tmp_path / "fixed.csv", fixed, list(back[0].keys())))
    assert (again.updated, again.rejected) == (1, 0)  # the rejects file re-imports once fixed


def test_korean_headers_in_xlsx_and_exact_duplicates(database: Any, tmp_path: Path) -> None:
    orgs = _orgs(database, 2, random.Random(1))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["기관명", "조사연도", "AI연구인력", "데이터사이언티스트", "미충원인원", "채용애로직무", "교육훈련비(원)"])
    ws.append(["기관 0", 2025, 3, 2.0, 1, "AI연구; 데이터사이언티스트", "1,200,000원"])
    ws.append(["1000000001", 2025, "4명", None, 0, "", 0])  # by business number
    ws.append(["기관 0", 2025, 3, 2, 1, "ai_research;data_science", 1200000])  # an exact repeat of line 2
    path = tmp_path / "설문.xlsx"
    wb.save(path)
    result = import_survey_file(database, path)
    assert (result.created, result.duplicates, result.rejected) == (2, 1, 0)
    with database.session() as s:
        row = s.get(StatusSurveyRow, (orgs[0]["id"], 2025))
        assert row is not None
        assert (row.headcount_ai_research, row.headcount_data_science, row.headcount_ml_engineering) == (3, 2, 0)
        assert (row.hard_to_fill, row.training_spend_krw) == ("ai_research;data_science", 1_200_000)
        s.execute(delete(StatusSurveyRow))
        s.commit()


def test_a_header_that_does_not_fit_is_refused_whole(database: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("organisation,yeer,headcount_ai_research\nA,2025,1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_survey_file(database, path)
    said = {p.loc: str(p.msg) for p in caught.value.problems}
    assert "organization" in said[("column", "organisation")] and "year" in said[("column", "yeer")]
    assert ("column", "organization") in said and ("column", "year") in said  # required and missing
    assert all(p.line is None for p in caught.value.problems)
