"""Shared pieces of the status analytics: the result shape, small-group suppression and SQL expressions that
differ between SQLite and PostgreSQL (month of a date, days between two moments).

Every analytics view answers with an :class:`AnalyticsResult`: named tables of plain rows (what the API returns,
what the page's "show the numbers" tables and the CSV/XLSX exports print). People counts under
:data:`MIN_GROUP` are suppressed (``None``) in exports and for everyone but operators; a rate computed from a
suppressed count is suppressed with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, cast, func, literal_column
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

__all__ = [
    "MIN_GROUP",
    "AnalyticsTable",
    "AnalyticsResult",
    "dialect_of",
    "month_of",
    "days_between",
    "family_expr",
    "suppress_rows",
]

#: Groups of fewer people than this are not shown to non-operators nor exported (1..4 become ``None``).
MIN_GROUP = 5


@dataclass
class AnalyticsTable:
    """One table of an analytics view: ``columns`` in display order; ``people`` the columns that count people
    (suppressed below :data:`MIN_GROUP`); ``rates`` maps a derived column to the people column it depends on."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    people: tuple[str, ...] = ()
    rates: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "columns": self.columns, "rows": self.rows}


@dataclass
class AnalyticsResult:
    name: str
    tables: list[AnalyticsTable]
    suppressed: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> AnalyticsTable:
        return next(t for t in self.tables if t.name == name)

    def suppress(self) -> AnalyticsResult:
        """A copy with small groups suppressed (idempotent)."""
        tables = [
            AnalyticsTable(t.name, t.columns, suppress_rows(t.rows, t.people, t.rates), t.people, t.rates)
            for t in self.tables
        ]
        return AnalyticsResult(self.name, tables, True, dict(self.meta))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "suppressed": self.suppressed,
            "min_group": MIN_GROUP,
            "meta": self.meta,
            "tables": {t.name: t.as_dict() for t in self.tables},
        }


def suppress_rows(rows: list[dict[str, Any]], people: tuple[str, ...], rates: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        new = dict(row)
        for col in people:
            value = row.get(col)
            if isinstance(value, int) and 0 < value < MIN_GROUP:
                new[col] = None
        for rate, base in rates.items():
            value = row.get(base)
            if isinstance(value, int) and 0 < value < MIN_GROUP:
                new[rate] = None
        out.append(new)
    return out


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def month_of(session: Session, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a date or timestamp column (timestamps in the stored zone: UTC)."""
    if dialect_of(session) == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def days_between(session: Session, start: Any, end: Any) -> ColumnElement[float]:
    """Whole days from ``start`` to ``end`` (dates or timestamps; the calendar dates are compared)."""
    if dialect_of(session) == "postgresql":
        return cast(end, Date) - cast(start, Date)
    return func.julianday(func.date(end)) - func.julianday(func.date(start))


def family_expr(family_column: Any) -> ColumnElement[str]:
    """A skill's family, ``other`` when the skill is unknown to the taxonomy or has none."""
    return func.coalesce(func.nullif(family_column, literal_column("''")), literal_column("'other'"))
