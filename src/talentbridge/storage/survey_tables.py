"""The yearly status survey of AI workforce at member organizations (``services/survey_import.py``): one row per
organization and survey year, upserted by that pair, so importing the same file twice changes nothing.

    status_survey   organization × year → headcount per AI role, vacancies, hard-to-fill roles, training spend

No row names a person: headcounts are counts an organization reports about itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.storage.base import Base

__all__ = ["StatusSurveyRow", "SURVEY_ROLES"]

#: The AI roles the survey counts people in (the AI industry survey's job groups), in display order.
SURVEY_ROLES = ("ai_research", "ml_engineering", "data_engineering", "data_science", "ai_planning", "ai_other")


class StatusSurveyRow(Base):
    __tablename__ = "status_survey"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    headcount_ai_research: Mapped[int] = mapped_column(Integer, default=0)
    headcount_ml_engineering: Mapped[int] = mapped_column(Integer, default=0)
    headcount_data_engineering: Mapped[int] = mapped_column(Integer, default=0)
    headcount_data_science: Mapped[int] = mapped_column(Integer, default=0)
    headcount_ai_planning: Mapped[int] = mapped_column(Integer, default=0)
    headcount_ai_other: Mapped[int] = mapped_column(Integer, default=0)
    vacancies: Mapped[int] = mapped_column(Integer, default=0)
    hard_to_fill: Mapped[str] = mapped_column(String(200), default="")  # roles joined with ";"
    training_spend_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    source_file: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
