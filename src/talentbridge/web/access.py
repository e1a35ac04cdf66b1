"""The access policy of TalentBridge: who may do what, in one table, enforced for every route and page.

Roles: operator (everything), auditor (read everything, change nothing), organization member (their own
organization and its openings; talent only where the talent consented to be visible or applied to them, and only
the fields consent allows), talent (their own profile, applications and preferences; public openings).

Writes are judged on the record as it will be (``check_write``): the stored record must be the caller's, every
field the write sets must be one the caller's role may set (``web/write_rules.py``; refused with 403, never
dropped), and the changed record must still be the caller's. Drafts are seen only by their organization and staff;
a talent sees open openings and those they applied to. Organization members filter and sort talent only by fields
they may see (``check_query``).

Every view of a talent's personal data by someone other than that talent is written to the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request

from talentbridge.domain.errors import (
    InvalidState,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from talentbridge.services.access_facts import AccessFacts
from talentbridge.services.accounts import Role, User
from talentbridge.web.auth import audit
from talentbridge.web.write_rules import refused_fields

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
#: Filters and sorts an organization member may use on talent lists: only over fields it may see, so that a
#: filter never tells what a hidden field holds (``?gender=``, ``?email=``, ``sort=birth_year``).
ORG_TALENT_FILTERS = frozenset(
    {
        "q",
        "region",
        "category",
        "nationality",
        "visa_type",
        "consent_visible",
        "current_employer_id",
        "skill",
        "external_id",
        "id",
    }
)
ORG_TALENT_SORTS = frozenset(
    {"id", "name", "region", "salary_expectation", "available_from", "created_at", "updated_at"}
)


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
        if (
            entity == "opening"
            and action == "read"
            and item is not None
            and not self._opening_visible(request, user, item)
        ):
            raise NotFound("opening", _get(item, "id"))

    # -- writes: the record as it will be, field by field -----------------------------------------------------
    def check_write(
        self,
        request: Request,
        entity: str,
        action: str,
        before: Any | None,
        after: dict[str, Any] | None,
        changed: dict[str, Any],
    ) -> None:
        user = self._user(request)
        # 1. the stored record (update, delete) or the new one (create) is the caller's to change
        self.check(request, entity, action, after if action == "create" else before)
        if user.role == Role.OPERATOR or action == "delete":
            return
        # 2. field by field: a field the caller may not set is refused, never dropped
        refused = refused_fields(user.role.value, entity, action, changed)
        if refused:
            listed = "; ".join(f"{r.field}: {r.reason}" for r in refused)
            raise PermissionDenied(
                f"a {user.role.value} may not set {', '.join(r.field for r in refused)} ({listed})",
                fields=[r.as_dict() for r in refused],
            )
        # 3. the record as it will be is still the caller's
        if action == "update" and after is not None and not self._owns(request, user, entity, action, after):
            raise PermissionDenied(f"after this change the {entity} would not be yours")
        # 4. state rules of the self-service roles
        if entity == "application" and after is not None:
            self._check_application(request, user, action, before, after, changed)

    def _check_application(
        self, request: Request, user: User, action: str, before: Any, after: dict[str, Any], changed: dict[str, Any]
    ) -> None:
        if user.role == Role.TALENT and action == "create":
            opening_id = after.get("opening_id")
            row = self._opening_row(request, opening_id)
            if row is None or row.status != "open":  # drafts must not leak: one answer for all three cases
                raise ValidationFailed(
                    "applications go to open openings only",
                    [Problem(loc=("body", "opening_id"), msg="no open opening with this id", value=opening_id)],
                )
            if row.deadline is not None and row.deadline < date.today():
                raise ValidationFailed(
                    "the application deadline has passed",
                    [Problem(loc=("body", "opening_id"), msg=f"deadline was {row.deadline}", value=opening_id)],
                )
        if user.role == Role.ORG_MEMBER and "status" in changed and _get(before, "status") == "withdrawn":
            raise InvalidState("the talent withdrew this application; its status can no longer change")

    # -- ownership ----------------------------------------------------------------------------------------------
    def _opening_row(self, request: Request, opening_id: Any) -> Any:
        if not isinstance(opening_id, int):
            return None
        return _facts(request).opening_gate(opening_id)

    def _opening_visible(self, request: Request, user: User, item: Any) -> bool:
        """Drafts only to their organization; a talent sees open openings and those they applied to."""
        status = str(getattr(_get(item, "status"), "value", _get(item, "status")))
        if user.role == Role.ORG_MEMBER:
            return status != "draft" or _get(item, "organization_id") == user.organization_id
        if user.role == Role.TALENT:
            if status == "open":
                return True
            if user.talent_id is None:
                return False
            opening_id = _get(item, "id")
            return isinstance(opening_id, int) and _facts(request).has_applied(user.talent_id, opening_id)
        return True

    # -- ownership ----------------------------------------------------------------------------------------------
    def _owns(self, request: Request, user: User, entity: str, action: str, item: Any) -> bool:
        def get(key: str) -> Any:
            return _get(item, key)

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
                cache = _facts(request).talents_applied_to(org)
            request.state.applied_talent_ids = cache
        return cache  # type: ignore[no-any-return]

    def _opening_org(self, request: Request, opening_id: int | None) -> int | None:
        if opening_id is None:
            return None
        return _facts(request).opening_organization(opening_id)

    def _talent_visible_to_org(
        self, request: Request, talent_id: int | None, consent: bool | None, org: int | None
    ) -> bool:
        return bool(consent) or (talent_id is not None and talent_id in self._applied_talent_ids(request, org))

    # -- lists ---------------------------------------------------------------------------------------------------
    def scope(self, request: Request, entity: str, filters: dict[str, Any]) -> dict[str, Any]:
        user = self._user(request)
        if user.role in {Role.OPERATOR, Role.AUDITOR}:
            return filters
        forced: dict[str, Any] = {}
        if user.role == Role.ORG_MEMBER:
            if entity == "talent":
                forced["visible_to_organization"] = user.organization_id
            elif entity == "application" or entity == "placement":
                forced["organization_id"] = user.organization_id
            elif entity == "opening":
                forced["visible_to_organization"] = user.organization_id
        elif user.role == Role.TALENT:
            if entity == "talent":
                forced["id"] = user.talent_id if user.talent_id is not None else -1
            elif entity in {"application", "placement"}:
                forced["talent_id"] = user.talent_id if user.talent_id is not None else -1
            elif entity == "opening":
                forced["status"] = "open"
        # A filter the scope overrides is refused when it asks for something else, never silently replaced.
        problems = [
            Problem(loc=("query", name), msg=f"you may list only {name}={value}", value=filters[name])
            for name, value in forced.items()
            if filters.get(name) not in (None, "") and str(filters[name]) != str(value)
        ]
        if problems:
            raise ValidationFailed(f"a {user.role.value} may not list these {entity}s", problems)
        return {**filters, **forced}

    def check_query(self, request: Request, entity: str, filters: dict[str, Any], sort: str | None) -> None:
        user = self._user(request)
        if user.role != Role.ORG_MEMBER or entity != "talent":
            return
        problems = [
            Problem(
                loc=("query", name),
                msg=f"not a filter organization members may use (allowed: {', '.join(sorted(ORG_TALENT_FILTERS))})",
                value=value,
            )
            for name, value in filters.items()
            if name not in ORG_TALENT_FILTERS and value not in (None, "")
        ]
        for part in (sort or "").split(","):
            name = part.strip().lstrip("+-")
            if name and name not in ORG_TALENT_SORTS:
                problems.append(
                    Problem(
                        loc=("query", "sort"),
                        msg=f"organization members may sort by: {', '.join(sorted(ORG_TALENT_SORTS))}",
                        value=part.strip(),
                    )
                )
        if problems:
            raise ValidationFailed("filters or sorting not allowed for organization members", problems)

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

    def record_view(self, request: Request, entity: str, entity_id: int | None, fields: list[str]) -> None:
        user = self._user(request)
        if entity == "talent" and user.role == Role.TALENT and entity_id == user.talent_id:
            return  # looking at yourself is not logged
        audit(request, "view", entity, entity_id, fields=sorted(fields), path=request.url.path)


def _facts(request: Request) -> AccessFacts:
    return AccessFacts(request.app.state.database)


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)
