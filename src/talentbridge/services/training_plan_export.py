"""A saved training plan as a table (one row per employee course) and as CSV / XLSX bytes. Text cells a
spreadsheet would read as a formula are neutralised, as in every other export."""

from __future__ import annotations

import csv
import io
from typing import Any

from talentbridge.domain.training_plan import SavedPlan
from talentbridge.services.spreadsheet_formulas import neutralize_formula

__all__ = ["PLAN_COLUMNS", "plan_csv", "plan_rows", "plan_xlsx"]

PLAN_COLUMNS = [
    "plan", "target", "employee_id", "employee", "coverage", "order", "course_id", "course", "provider", "hours",
    "fee", "status",
]  # fmt: skip


def plan_rows(session: Any, plan: SavedPlan) -> list[dict[str, Any]]:
    """Every employee's courses in order; an employee with no course gets one row without a course."""
    from talentbridge.services.course_catalogue import course_store
    from talentbridge.services.registry import registry

    people = registry(session).talents.get_many(plan.talent_ids)
    courses = {c.id: c for c in course_store(session).many(sorted({c.course_id for c in plan.courses}))}
    by_talent: dict[int, list[Any]] = {}
    for pc in plan.courses:
        by_talent.setdefault(pc.talent_id, []).append(pc)
    coverage = plan.summary.get("coverage", {})
    rows: list[dict[str, Any]] = []
    for tid in plan.talent_ids:
        base = {"plan": plan.name, "target": plan.target_label, "employee_id": tid,
                "employee": people[tid].name if tid in people else "", "coverage": coverage.get(str(tid))}  # fmt: skip
        planned = by_talent.get(tid, [])
        if not planned:
            rows.append(base)
        for pc in planned:
            course = courses.get(pc.course_id)
            rows.append(base | {
                "order": pc.position, "course_id": pc.course_id, "course": course.title if course else "",
                "provider": course.provider if course else "", "hours": course.hours if course else None,
                "fee": course.fee if course else None, "status": pc.status,
            })  # fmt: skip
    return rows


def _cell(value: Any) -> Any:
    return neutralize_formula(value) if isinstance(value, str) else value


def plan_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 CSV with a BOM, so spreadsheet programs read Korean."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(PLAN_COLUMNS)
    for row in rows:
        writer.writerow(["" if (v := _cell(row.get(c))) is None else v for c in PLAN_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def plan_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "training_plan"
    sheet.append(PLAN_COLUMNS)
    for row in rows:
        sheet.append([_cell(row.get(c)) for c in PLAN_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
