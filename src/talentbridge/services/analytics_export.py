"""Analytics results as CSV (one table) and XLSX (every table of one or more results, a sheet each).

Cells that a spreadsheet would read as a formula are neutralised; suppressed numbers are written as ``<5``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from talentbridge.services.analytics_sql import MIN_GROUP, AnalyticsResult, AnalyticsTable
from talentbridge.services.spreadsheet_formulas import neutralize_formula

__all__ = ["table_csv", "results_xlsx", "SUPPRESSED_MARK"]

SUPPRESSED_MARK = f"<{MIN_GROUP}"


def _cell(table: AnalyticsTable, column: str, value: Any, suppressed: bool) -> Any:
    if value is None and suppressed and (column in table.people or column in table.rates):
        return SUPPRESSED_MARK
    if isinstance(value, str):
        return neutralize_formula(value)
    return value


def table_csv(result: AnalyticsResult, table_name: str | None = None) -> bytes:
    """One table (the first when not named) as UTF-8 CSV with a BOM, so spreadsheet programs read Korean."""
    table = result.table(table_name) if table_name else result.tables[0]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if (v := _cell(table, c, row.get(c), result.suppressed)) is None else v
                         for c in table.columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def results_xlsx(results: Sequence[AnalyticsResult], title_rows: Sequence[tuple[str, str]] = ()) -> bytes:
    """Every table of ``results``, one sheet each (``view.table``, cut to Excel's 31 characters), after an
    optional cover sheet of (label, value) rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = "report"
    for label, value in title_rows:
        cover.append([neutralize_formula(label), neutralize_formula(value)])
    if not title_rows:
        cover.append(["views", ", ".join(r.name for r in results)])
    used: set[str] = {"report"}
    for result in results:
        for table in result.tables:
            name = f"{result.name}.{table.name}"[:31]
            i = 2
            while name in used:
                name = f"{result.name[:27]}~{i}"
                i += 1
            used.add(name)
            ws = wb.create_sheet(name)
            ws.append(table.columns)
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                ws.append([_cell(table, c, row.get(c), result.suppressed) for c in table.columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
