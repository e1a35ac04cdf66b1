"""CRUD and list endpoints of the registry: organizations, talents, openings, programs, rounds, placements,
applications. One factory makes all seven, so validation, paging, errors and access checks are the same.

Bodies and answers have their schemas (``registry_schemas.py``): ``XCreate`` in for POST, ``XUpdate`` for PATCH,
``XPublic`` out (``response_model``), ``XPage`` for lists. Reads and writes go through the ``Registry`` of
``services.registry``.
"""


from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from talentbridge.domain.errors import Conflict, Problem, ValidationFailed
from talentbridge.web.api.registry_schemas import RESOURCES as _SCHEMA_RESOURCES
from talentbridge.web.api.registry_schemas import SCHEMAS
from talentbridge.web.deps import ReposDep, SettingsDep
from talentbridge.web.policy import check_create, check_update, policy_of

__all__ = ["router", "RESOURCES"]

router = APIRouter(prefix="/api")

_RESERVED = {"page", "size", "sort", "q"}

#: Fields a generic create/update may not set: they change only through their workflow.
_WORKFLOW_FIELDS: dict[str, dict[str, str]] = {
    "rounds": {"status": "a round's status changes through /api/rounds/{id}/open, /close, /run and /publish"},
}


def _refuse_workflow_fields(path: str, values: dict[str, Any], creating: bool) -> None:
    problems = []
    for name, why in _WORKFLOW_FIELDS.get(path, {}).items():
        if name not in values:
            continue
        if creating and str(getattr(values[name], "value", values[name])) == "draft":
            continue
        problems.append(Problem(loc=("body", name), msg=f"not settable here: {why}", value=str(values[name])))
    if problems:
        raise ValidationFailed("use the workflow for this change", problems)


def _filters_from(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in request.query_params:
        if key in _RESERVED:
            continue
        values = request.query_params.getlist(key)
        out[key] = values if len(values) > 1 else values[0]
    return out


def _add_resource(path: str, entity: str, data_cls: type[BaseModel], tag: str) -> None:
    schemas = SCHEMAS[path]
    create_cls, update_cls = schemas.create, schemas.update

    def list_items(
        request: Request,
        repos: ReposDep,
        settings: SettingsDep,
        page: int = Query(1, ge=1, description="1-based page number."),
        size: int | None = Query(None, ge=1, description="Items per page (default 50)."),
        sort: str | None = Query(None, description="Field to sort by; prefix with - for descending."),
        q: str | None = Query(None, max_length=200, description="Text search in names/titles."),
    ) -> dict[str, Any]:
        policy = policy_of(request)
        policy.check(request, entity, "list")
        size = size or settings.page_size_default
        if size > settings.page_size_max:
            raise ValidationFailed(
                "page size too large",
                [Problem(loc=("query", "size"), msg=f"at most {settings.page_size_max}", value=size)],
            )
        asked = {**_filters_from(request), "q": q}
        policy.check_query(request, entity, asked, sort)
        filters = policy.scope(request, entity, asked)
        repo = repos.by_entity(path)
        result = repo.list(filters, sort=sort, page=page, size=size)
        return {
            "items": [policy.present(request, entity, i.model_dump(mode="json")) for i in result.items],
            "total": result.total,
            "page": result.page,
            "size": result.size,
            "pages": result.pages,
        }

    def get_item(item_id: int, request: Request, repos: ReposDep) -> dict[str, Any]:
        policy = policy_of(request)
        item = repos.by_entity(path).get(item_id)
        policy.check(request, entity, "read", item)
        return policy.present(request, entity, item.model_dump(mode="json"))

    def create_item(body: create_cls, request: Request, response: Response, repos: ReposDep) -> dict[str, Any]:  # type: ignore[valid-type]
        policy = policy_of(request)
        record = data_cls.model_validate(body.model_dump())  # type: ignore[attr-defined]
        check_create(request, entity, record, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        _refuse_workflow_fields(path, body.model_dump(exclude_unset=True), creating=True)  # type: ignore[attr-defined]
        record = _before_save(request, entity, record)
        with _quiet_conflicts(request):
            item = repos.by_entity(path).add(record)
        _after_save(request, entity, item)
        response.headers["Location"] = f"/api/{path}/{item.id}"
        return policy.present(request, entity, item.model_dump(mode="json"))

    def update_item(item_id: int, body: update_cls, request: Request, repos: ReposDep) -> dict[str, Any]:  # type: ignore[valid-type]
        policy = policy_of(request)
        repo = repos.by_entity(path)
        stored = repo.get(item_id)
        changes = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        # Judged on the record as it will be: ownership before and after, and every field the body changes.
        check_update(request, entity, data_cls, stored, changes)
        _refuse_workflow_fields(path, changes, creating=False)
        with _quiet_conflicts(request):
            item = repo.update(item_id, changes)
        _after_save(request, entity, item)
        return policy.present(request, entity, item.model_dump(mode="json"))

    def delete_item(item_id: int, request: Request, repos: ReposDep) -> Response:
        policy = policy_of(request)
        repo = repos.by_entity(path)
        policy.check_write(request, entity, "delete", repo.get(item_id), None, {})
        repo.delete(item_id)
        return Response(status_code=204)

    filters = ", ".join(sorted(_RepoFilters.get(path, ())))
    router.add_api_route(
        f"/{path}",
        list_items,
        methods=["GET"],
        response_model=schemas.page,
        response_model_exclude_unset=True,
        tags=[tag],
        summary=f"List {path}",
        description=f"Filters (query parameters, repeat for OR): {filters}. Paging: page, size. Sorting: sort.",
    )
    public = {"response_model": schemas.public, "response_model_exclude_unset": True, "tags": [tag]}
    router.add_api_route(f"/{path}/{{item_id}}", get_item, methods=["GET"], summary=f"Get a {entity}", **public)
    router.add_api_route(
        f"/{path}", create_item, methods=["POST"], status_code=201, summary=f"Create a {entity}", **public
    )
    router.add_api_route(
        f"/{path}/{{item_id}}", update_item, methods=["PATCH"], summary=f"Update a {entity}", **public
    )
    router.add_api_route(
        f"/{path}/{{item_id}}",
        delete_item,
        methods=["DELETE"],
        status_code=204,
        tags=[tag],
        summary=f"Delete a {entity}",
    )


@contextmanager
def _quiet_conflicts(request: Request) -> Iterator[None]:
    """A duplicate key names the other record's id and value only to staff: a talent trying an e-mail address
    learns that it is taken, not whose profile holds it."""
    try:
        yield
    except Conflict as exc:
        user = getattr(request.state, "user", None)
        if user is None or str(getattr(user.role, "value", user.role)) in {"operator", "auditor"}:
            raise
        field = exc.details.get("field")
        message = f"this {field} is already in use" if field else exc.message.split(": ", 1)[0]
        raise Conflict(message, field=field) from None


def _before_save(request: Request, entity: str, record: Any) -> Any:
    """Let installed hooks enrich a record before it is saved (e.g. skills inferred from text)."""
    for hook in getattr(request.app.state, "before_save_hooks", []):
        record = hook(request, entity, record)
    return record


def _after_save(request: Request, entity: str, item: Any) -> None:
    for hook in getattr(request.app.state, "after_save_hooks", []):
        hook(request, entity, item)


RESOURCES: list[tuple[str, str, type[BaseModel], str]] = [
    (path, entity, data_cls, tag) for path, entity, data_cls, _stored, tag in _SCHEMA_RESOURCES
]

_RepoFilters: dict[str, tuple[str, ...]] = {
    "organizations": (
        "kind",
        "region",
        "industry",
        "size_band",
        "group",
        "parent_id",
        "venture_certified",
        "external_id",
    ),
    "talents": (
        "region",
        "category",
        "nationality",
        "visa_type",
        "gender",
        "consent_visible",
        "current_employer_id",
        "external_id",
        "email",
        "skill",
    ),
    "openings": (
        "organization_id",
        "kind",
        "region",
        "status",
        "remote",
        "visa_sponsorship",
        "deadline_after",
        "external_id",
        "skill",
    ),
    "programs": ("kind", "status"),
    "rounds": ("program_id", "status"),
    "placements": ("talent_id", "organization_id", "round_id", "status", "kind", "started_after", "started_before"),
    "applications": ("talent_id", "opening_id", "status"),
}

for _path, _entity, _data_cls, _tag in RESOURCES:
    _add_resource(_path, _entity, _data_cls, _tag)
