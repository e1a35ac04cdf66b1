"""The access policy of TalentBridge: who may do what, in one table, enforced for every route and page.

Roles: operator (everything), auditor (read everything, change nothing), organization member (their own
organization and its openings; talent only where the talent consented to be visible or applied to them, and only
the fields consent allows), talent (their own profile, applications and preferences; public openings).

Every view of a talent's personal data by someone other than that talent is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select

from talentbridge.domain.errors import NotAuthenticated, PermissionDenied
from talentbridge.services.accounts import Role, User
from talentbridge.storage.tables import ApplicationRow, OpeningRow
from talentbridge.web.auth import audit

__all__ = ["RolePolicy", "ROLE_TABLE", "PERSONAL_FIELDS", "CONTACT_FIELDS", "STATISTICS_ONLY_FIELDS"]

READ = {"list", "read"}
AUDITOR_ACTIONS = READ | {"review"}  # "review": a round's lists, runs and results (staff only)
ALL = {"list", "read", "create", "update", "delete"}

# entity -> role -> actions allowed before ownership checks ("own" rules are applied in _owns()).
ROLE_TABLE: dict[str, dict[Role, set[str]]] = {
    "organization": {Role.ORG_MEMBER: READ | {"update"}, Role.TALENT: READ},
    "talent": {Role.ORG_MEMBER: READ, Role.TALENT: {"read", "update", "list"}},
    "opening": {Role.ORG_MEMBER: ALL, Role.TALENT: READ},
    "program": {Role.ORG_MEMBER: READ, Role.TALENT: READ},
    "round": {Role.ORG_MEMBER: READ | {"submit_preferences"}, Role.TALENT: READ | {"submit_preferences"}},
    "placement": {Role.ORG_MEMBER: READ, Role.TALENT: READ},
    "application": {Role.ORG_MEMBER: READ | {"update"}, Role.TALENT: ALL},
    "recommendation": {Role.ORG_MEMBER: {"read"}, Role.TALENT: {"read"}},
    "audit": {Role.AUDITOR: READ},
    "user": {},
    "skills": {Role.ORG_MEMBER: {"read", "use"}, Role.TALENT: {"read", "use"}, Role.AUDITOR: {"read"}},
    "taxonomy": {Role.ORG_MEMBER: READ, Role.TALENT: READ},
    "analytics": {Role.ORG_MEMBER: set(), Role.TALENT: set()},
    "support": {Role.ORG_MEMBER: {"read", "use"}, Role.TALENT: {"read", "use"}},
}

#: Fields of a talent that are personal data (a view of any of them by someone else is audited).
PERSONAL_FIELDS = {
    "name",
    "name_latin",
    "email",
    "phone",
    "gender",
    "birth_year",
    "nationality",
    "visa_type",
    "visa_expires",
    "resume_text",
    "education",
    "work_history",
    "salary_expectation",
    "region",
}
#: Shown to an organization only for talent who applied to it.
CONTACT_FIELDS = {"email", "phone"}
#: Never shown to organizations: used for statistics and bias audits only.
STATISTICS_ONLY_FIELDS = {"gender", "birth_year", "visa_expires"}


class RolePolicy:
    """Implements ``talentbridge.web.policy.AccessPolicy`` over ``ROLE_TABLE`` plus ownership rules."""

    def _user(self, request: Request) -> User:
        user: User | None = getattr(request.state, "user", None)
        if user is None:
            raise NotAuthenticated("sign in first (session cookie or Authorization: Bearer <API token>)")
        return user

    def check(self, request: Request, entity: str, action: str, item: Any | None = None) -> None:
        user = self._user(request)
        if user.role == Role.OPERATOR:
            return
        if user.role == Role.AUDITOR:
            if action in AUDITOR_ACTIONS:
                return
            raise PermissionDenied("auditors have read-only access")
        allowed = ROLE_TABLE.get(entity, {}).get(user.role, set())
        if action not in allowed:
            raise PermissionDenied(f"a {user.role.value} may not {action} {entity}s")
        if item is not None and not self._owns(request, user, entity, action, item):
            raise PermissionDenied(f"this {entity} is not yours to {action}")

    # -- ownership ----------------------------------------------------------------------------------------------
    def _owns(self, request: Request, user: User, entity: str, action: str, item: Any) -> bool:
        get = (lambda k: item.get(k)) if isinstance(item, dict) else (lambda k: getattr(item, k, None))
        if user.role == Role.ORG_MEMBER:
            org = user.organization_id
            if entity == "organization":
                return action in READ or get("id") == org
            if entity == "opening":
                return action in READ or get("organization_id") == org
            if entity == "talent":
                return self._talent_visible_to_org(request, get("id"), get("consent_visible"), org)
            if entity == "application":
                return self._opening_org(request, get("opening_id")) == org
            if entity == "placement":
                return get("organization_id") == org
            if entity == "recommendation":
                return get("organization_id") == org
            if entity == "round":
                if action == "submit_preferences":  # only the rankings of its own openings
                    return get("talent_id") is None and get("organization_id") == org
                return action in READ
            return action in READ
        if user.role == Role.TALENT:
            me = user.talent_id
            if entity == "talent":
                return me is not None and get("id") == me
            if entity in {"application", "placement"}:
                return me is not None and get("talent_id") == me
            if entity == "recommendation":
                return me is not None and (
                    get("talent_id") == me or (get("id") == me and get("organization_id") is None)
                )
            if entity == "round" and action == "submit_preferences":  # only their own ranking
                return me is not None and get("talent_id") == me
            return action in READ
        return False

    def _applied_talent_ids(self, request: Request, org: int | None) -> set[int]:
        cache = getattr(request.state, "applied_talent_ids", None)
        if cache is None:
            cache = set()
            if org is not None:
                with request.app.state.database.session() as session:
                    stmt = (
                        select(ApplicationRow.talent_id)
                        .join(OpeningRow, OpeningRow.id == ApplicationRow.opening_id)
                        .where(OpeningRow.organization_id == org)
                    )
                    cache = set(session.scalars(stmt))
            request.state.applied_talent_ids = cache
        return cache  # type: ignore[no-any-return]

    def _opening_org(self, request: Request, opening_id: int | None) -> int | None:
        if opening_id is None:
            return None
        with request.app.state.database.session() as session:
            return session.scalar(select(OpeningRow.organization_id).where(OpeningRow.id == opening_id))

    def _talent_visible_to_org(
        self, request: Request, talent_id: int | None, consent: bool | None, org: int | None
    ) -> bool:
        return bool(consent) or (talent_id is not None and talent_id in self._applied_talent_ids(request, org))

    # -- lists ---------------------------------------------------------------------------------------------------
    def scope(self, request: Request, entity: str, filters: dict[str, Any]) -> dict[str, Any]:
        user = self._user(request)
        if user.role in {Role.OPERATOR, Role.AUDITOR}:
            return filters
        scoped = dict(filters)
        if user.role == Role.ORG_MEMBER:
            if entity == "talent":
                scoped["visible_to_organization"] = user.organization_id
            elif entity == "application" or entity == "placement":
                scoped["organization_id"] = user.organization_id
        elif user.role == Role.TALENT:
            if entity == "talent":
                scoped["id"] = user.talent_id if user.talent_id is not None else -1
            elif entity in {"application", "placement"}:
                scoped["talent_id"] = user.talent_id if user.talent_id is not None else -1
            elif entity == "opening":
                scoped["status"] = "open"
        return scoped

    # -- presentation + audit -----------------------------------------------------------------------------------
    def present(self, request: Request, entity: str, item: dict[str, Any]) -> dict[str, Any]:
        if entity != "talent":
            return item
        user = self._user(request)
        if user.role == Role.TALENT and item.get("id") == user.talent_id:
            return item
        shown = dict(item)
        if user.role == Role.ORG_MEMBER:
            for name in STATISTICS_ONLY_FIELDS:
                shown.pop(name, None)
            if item.get("id") not in self._applied_talent_ids(request, user.organization_id):
                for name in CONTACT_FIELDS:
                    shown.pop(name, None)
        audit(
            request,
            "view",
            "talent",
            item.get("id"),
            fields=sorted(k for k in shown if k in PERSONAL_FIELDS),
            path=request.url.path,
        )
        return shown
