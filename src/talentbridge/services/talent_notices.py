"""Notices to a talent about their applications and invitations, sent through one call: :func:`notify`.

The pipeline and invitation services call ``notify(session, talent_id=..., kind=..., **data)`` after a change a
talent should hear about (``invited``, ``application_moved``). Where a notice goes is decided by the hooks in
:data:`NOTICE_HOOKS` (the in-app notifications and e-mail outbox of the platform register one); without a hook
the notice is only logged. The invitation itself stays visible on the talent's applications page either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

__all__ = ["notify", "NOTICE_HOOKS", "Notice"]

log = logging.getLogger(__name__)

Notice = dict[str, Any]
#: Callables ``hook(session, notice)``; each runs inside the caller's transaction.
NOTICE_HOOKS: list[Callable[[Session, Notice], None]] = []


#: Our kinds -> the notification kinds of ``services.notifications`` (in-app list and e-mail).
PLATFORM_KINDS = {"application_moved": "application_status_changed", "invited": "invitation"}


def notify(session: Session, *, talent_id: int, kind: str, **data: Any) -> Notice:
    """Tell talent ``talent_id`` about ``kind`` (``invited``, ``application_moved``): an in-app notification and
    an e-mail (``services.notifications``), then any extra hooks; returns the notice."""
    notice: Notice = {"talent_id": talent_id, "kind": kind, **data}
    platform_kind = PLATFORM_KINDS.get(kind)
    if platform_kind is not None:
        from talentbridge.services import notifications
        from talentbridge.storage.repositories import Repositories

        params = dict(data)
        if "organization_name" not in params and params.get("opening_id") is not None:
            repos = Repositories(session)
            opening = repos.openings.get(int(params["opening_id"]))
            params["organization_name"] = repos.organizations.get(opening.organization_id).name
        notifications.notify(session, talent_id=talent_id, kind=platform_kind, params=params)
    for hook in list(NOTICE_HOOKS):
        hook(session, notice)
    log.info("notice for talent %s: %s %s", talent_id, kind, data)
    return notice
