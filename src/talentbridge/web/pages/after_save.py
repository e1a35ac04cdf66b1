"""``saved_redirect``: commit the request's transaction, then redirect.

The request session is committed when its dependency exits, which (FastAPI >= 0.118) is after the response is
sent; a browser following a 303 at once could then read the page before the change is stored. Page handlers that
change data and redirect call this instead of ``redirect``, so the next page always shows the change.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse

from talentbridge.web.pages.rendering import redirect

__all__ = ["saved_redirect"]


def saved_redirect(request: Request, session: Any, url: str) -> RedirectResponse:
    entries = getattr(request.state, "audit", None)
    if entries:  # personal-data views and decisions queued by this request: in the same transaction
        from talentbridge.services.audit_log import write_entries

        write_entries(session, list(entries))
        entries.clear()
    session.commit()
    return redirect(url)
