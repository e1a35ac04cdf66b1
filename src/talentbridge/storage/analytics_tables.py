"""Aggregate tables of the status analytics: counts per cell, refreshed from the registry by one grouped query
each (``services/analytics_cells.py``), so every chart is a GROUP BY over a few thousand cells instead of over
every talent's skills. No row names a person: the smallest unit is a count.

    analytics_supply_cells   month registered × skill family × region × employer kind → consenting talents
                             (family ``*all*``: every consenting talent once, with or without skills)
    analytics_demand_cells   month posted × skill family × region × organization kind × status → seats, openings
                             (family ``*all*``: every opening once)
    analytics_skill_levels   skill × region × level → consenting talents holding it at exactly that level
    analytics_refresh        per aggregate: the fingerprint of the data it was computed from, when, how long
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base

__all__ = ["SupplyCellRow", "DemandCellRow", "SkillLevelCellRow", "AnalyticsRefreshRow"]


class SupplyCellRow(Base):
    __tablename__ = "analytics_supply_cells"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    family: Mapped[str] = mapped_column(String(50), primary_key=True)
    region: Mapped[str] = mapped_column(String(20), primary_key=True)
    org_kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    talents: Mapped[int] = mapped_column(Integer)


class DemandCellRow(Base):
    __tablename__ = "analytics_demand_cells"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    family: Mapped[str] = mapped_column(String(50), primary_key=True)
    region: Mapped[str] = mapped_column(String(20), primary_key=True)
    org_kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    seats: Mapped[int] = mapped_column(Integer)
    openings: Mapped[int] = mapped_column(Integer)


class SkillLevelCellRow(Base):
    __tablename__ = "analytics_skill_levels"

    skill_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    region: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    talents: Mapped[int] = mapped_column(Integer)


class AnalyticsRefreshRow(Base):
    __tablename__ = "analytics_refresh"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(400))
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float] = mapped_column(Float)
