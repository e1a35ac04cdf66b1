"""Recommendations shaped for pages: each with a score, matched/partial/missing skills and criteria."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

__all__ = ["openings_for_talent", "talents_for_opening"]


def openings_for_talent(request: Request, session: Session, talent_id: int, top: int = 20) -> tuple[list[dict[str, Any]], str | None]:
    return [], None


def talents_for_opening(request: Request, session: Session, opening_id: int, top: int = 20) -> tuple[list[dict[str, Any]], str | None]:
    return [], None
