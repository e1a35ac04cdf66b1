"""Operator accounts page: every account, filtered by role and status, paginated; signups waiting for activation
first; activate, change role (and organization), deactivate, send a password-reset link. Auditors see the list
read-only. Each change is an audit row (services/account_admin.py) and a notice to the account's owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from talentbridge.domain.errors import PermissionDenied, Problem, ValidationFailed
from talentbridge.services import account_admin
from talentbridge.services.accounts import Role
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages.downloads import download, download_links
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import redirect, render
from talentbridge.web.policy import policy_of

__all__ = ["router"]

router = APIRouter(
    prefix="/operator/accounts",
    include_in_schema=False,
    dependencies=[Depends(require_roles("operator", "auditor"))],
)
PAGE_SIZE = 25
ACTIONS = ("activate", "deactivate", "role", "reset")


@router.get("")
def accounts_page(
    request: Request,
    session: SessionDep,
    role: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=40)] = "",
    format: Annotated[str, Query(max_length=10)] = "",  # noqa: A002 - csv or xlsx: download the list as filtered
) -> Response:
    policy_of(request).check(request, "user", "list")
    filters = {"role": role, "status": status, "q": q}
    if format:
        return download(
            request, name="accounts", fmt=format, columns=list(ACCOUNT_COLUMNS), entity="user", filters=filters,
            rows=_all_accounts(session, role=role or None, status=status or None, q=q or None),
        )  # fmt: skip
    accounts, total = account_admin.list_accounts(
        session, role=role or None, status=status or None, q=q or None, page=page, size=PAGE_SIZE
    )
    pending, pending_total = account_admin.list_accounts(session, status="pending", size=10)
    return render(
        request,
        "operator/accounts.html",
        accounts=accounts,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        role=role,
        status=status,
        q=q,
        roles=[r.value for r in Role],
        statuses=account_admin.STATUSES,
        pending=pending,
        pending_total=pending_total,
        done=done if done in ACTIONS else "",
        can_act=request.state.user.role == Role.OPERATOR,
        downloads=download_links("/operator/accounts", filters),
    )


ACCOUNT_COLUMNS = ("id", "email", "name", "role", "status", "organization", "created_at", "last_login_at")


def _all_accounts(session: Any, **filters: str | None) -> Iterator[dict[str, Any]]:
    """Every account the filters select, page by page (the download holds the whole list, not one page)."""
    page = 1
    while True:
        accounts, total = account_admin.list_accounts(session, page=page, size=500, **filters)  # type: ignore[arg-type]
        for a in accounts:
            status = "active" if a.active else ("pending" if a.pending else "deactivated")
            yield {"id": a.id, "email": a.email, "name": a.name, "role": a.role, "status": status,
                   "organization": a.organization_name or "", "created_at": a.created_at,
                   "last_login_at": a.last_login_at}  # fmt: skip
        if page * 500 >= total or not accounts:
            return
        page += 1


@router.post("/{user_id}/{action}", dependencies=[Depends(require_roles("operator"))])
def account_action(
    request: Request,
    session: SessionDep,
    user_id: int,
    action: str,
    role: Annotated[str, Form(max_length=20)] = "",
    organization_id: Annotated[str, Form(max_length=20)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    policy_of(request).check(request, "user", "update")
    actor = request.state.user
    ip = request.client.host if request.client else None
    if action == "activate":
        account_admin.activate(session, actor, user_id, ip)
    elif action == "deactivate":
        account_admin.deactivate(session, actor, user_id, ip)
    elif action == "role":
        org = organization_id.strip()
        if org and not org.isdigit():
            raise ValidationFailed(
                "invalid role change", [Problem(loc=("organization_id",), msg="no organization with this id")]
            )
        account_admin.change_role(session, actor, user_id, role, int(org) if org else None, ip)
    elif action == "reset":
        account_admin.send_reset_link(session, actor, user_id, ip)
    else:
        raise PermissionDenied(f"unknown action {action!r}")
    target = back if back.startswith("/operator/accounts") and not back.startswith("//") else "/operator/accounts"
    joiner = "&" if "?" in target else "?"
    return redirect(f"{target}{joiner}done={action}")
