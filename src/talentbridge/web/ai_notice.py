"""The AI notice on every surface where AI ranks people, and the records of the lists shown.

``shown(request, session, result, surface)`` builds the AI Basic Act record of a recommendation list as the
caller shows it (``services/ai_records.py``) and queues it on the request; the session dependency writes it
right after the request's transaction (``web/deps.py``). It returns the record's key, which the notice links
to: pages pass it to ``templates/_ai_notice.html``; API responses carry ``ai_notice`` (:func:`api_notice`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from talentbridge.services.ai_records import AiRun, Viewer, notice, recommendation_run

__all__ = ["viewer_of", "queue", "shown", "api_notice"]


def viewer_of(request: Request) -> Viewer:
    user = getattr(request.state, "user", None)
    if user is None:
        return Viewer(label="anonymous")
    role = getattr(user.role, "value", str(user.role))
    return Viewer(user_id=user.id, role=role, label=f"{user.name} <{user.email}>")


def queue(request: Request, run: AiRun) -> str:
    runs = getattr(request.state, "ai_runs", None)
    if runs is None:
        runs = request.state.ai_runs = []
    runs.append(run)
    return run.key


def shown(
    request: Request, session: Session, result: dict[str, Any], surface: str, *, taxonomy_version: Any = ...
) -> str:
    """Record the list ``result`` as shown to the caller on ``surface``; returns the record's key.
    ``taxonomy_version``: the stored taxonomy's version when the caller read it already (``...``: read it here)."""
    run = recommendation_run(
        session, result, surface=surface, viewer=viewer_of(request), taxonomy_version=taxonomy_version
    )
    return queue(request, run)


def api_notice(key: str | None) -> dict[str, Any]:
    return notice(key)
