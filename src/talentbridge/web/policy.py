"""The access policy seam: every API route and page asks one object what the caller may do.

``AllowAll`` is the default for an app built without accounts (tests of the bare API, batch tools). The web
application's account layer installs its own policy in ``app.state.access_policy``; routes never decide alone.
"""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import Request
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from talentbridge.web.write_rules import changed_fields

__all__ = ["AccessPolicy", "AllowAll", "policy_of", "check_create", "check_update"]


class AccessPolicy(Protocol):
    def check(self, request: Request, entity: str, action: str, item: Any | None = None) -> None:
        """Raise PermissionDenied/NotAuthenticated unless the caller may do ``action`` on ``entity``/``item``.

        ``action`` is one of list, read, create, update, delete (or a custom verb such as run, publish).
        """

    def scope(self, request: Request, entity: str, filters: dict[str, Any]) -> dict[str, Any]:
        """Filters narrowed to what the caller may list (e.g. only consenting talent for organizations)."""

    def present(self, request: Request, entity: str, item: dict[str, Any]) -> dict[str, Any]:
        """The item as the caller may see it (fields redacted per consent); records personal-data access."""

    def check_write(
        self,
        request: Request,
        entity: str,
        action: str,
        before: Any | None,
        after: dict[str, Any] | None,
        changed: dict[str, Any],
    ) -> None:
        """Raise unless the caller may ``action`` (create, update, delete) ``entity``: on the stored record
        ``before`` (update, delete), field by field on ``changed`` (the fields the write sets, see
        ``web/write_rules.py``), and on the record ``after`` as it will be once written."""

    def check_query(self, request: Request, entity: str, filters: dict[str, Any], sort: str | None) -> None:
        """Raise ValidationFailed (422) listing every filter or sort the caller may not use on ``entity``."""

    def record_view(self, request: Request, entity: str, entity_id: int | None, fields: list[str]) -> None:
        """Write the audit row of a view of personal data shown outside ``present`` (e.g. recommendations)."""


class AllowAll:
    def check(self, request: Request, entity: str, action: str, item: Any | None = None) -> None:
        return None

    def scope(self, request: Request, entity: str, filters: dict[str, Any]) -> dict[str, Any]:
        return filters

    def present(self, request: Request, entity: str, item: dict[str, Any]) -> dict[str, Any]:
        return item

    def check_write(
        self,
        request: Request,
        entity: str,
        action: str,
        before: Any | None,
        after: dict[str, Any] | None,
        changed: dict[str, Any],
    ) -> None:
        return None

    def check_query(self, request: Request, entity: str, filters: dict[str, Any], sort: str | None) -> None:
        return None

    def record_view(self, request: Request, entity: str, entity_id: int | None, fields: list[str]) -> None:
        return None


_ALLOW_ALL = AllowAll()


def policy_of(request: Request) -> AccessPolicy:
    return getattr(request.app.state, "access_policy", None) or _ALLOW_ALL


def check_create(request: Request, entity: str, record: BaseModel, sent: dict[str, Any]) -> None:
    """Ask the policy about creating ``record`` (validated) from the fields the caller ``sent``."""
    sent_json = to_jsonable_python(sent, fallback=str)
    changed = changed_fields(type(record), None, sent_json)
    policy_of(request).check_write(request, entity, "create", None, record.model_dump(mode="json"), changed)


def check_update(
    request: Request, entity: str, data_cls: type[BaseModel], stored: BaseModel, changes: dict[str, Any]
) -> None:
    """Ask the policy about applying ``changes`` to ``stored``: judged before, field by field, and after."""
    before = stored.model_dump(mode="json")
    sent = to_jsonable_python(changes, fallback=str)
    changed = changed_fields(data_cls, before, sent)
    policy_of(request).check_write(request, entity, "update", stored, {**before, **sent}, changed)
