"""Import and export in the browser (operators): upload a CSV, JSON Lines or XLSX file of organizations, talents
or openings → the importer's row-by-row report (atomic, or keep the valid rows) → the rejected rows as a CSV with
their reasons; export any list, narrowed by the same filters as its page and the list API.

The work runs inline through services/data_transfer.py, or, with "run as a background job" (large files), as an
``import`` job whose page shows its progress (services/job_queue.submit_import; docs/jobs.md)."""

from __future__ import annotations

import shutil
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from talentbridge.services import data_transfer
from talentbridge.services.file_writing import WRITE_FORMATS
from talentbridge.services.importing import ENTITIES
from talentbridge.web.auth import audit
from talentbridge.web.deps import DatabaseDep, SessionDep, SettingsDep
from talentbridge.web.pages.downloads import MEDIA
from talentbridge.web.pages.guards import require_roles
from talentbridge.web.pages.rendering import is_htmx, redirect, render

__all__ = ["router", "export_url"]

router = APIRouter(prefix="/operator/data", include_in_schema=False, dependencies=[Depends(require_roles("operator"))])
#: Query parameters of the export address that are not list filters.
_NOT_FILTERS = {"entity", "format", "lang"}
#: What the import form offers: the registry's entities, the course catalogue and the yearly status survey.
IMPORT_ENTITIES = (*ENTITIES, "courses", "survey")


def export_url(entity: str, fmt: str = "csv", **filters: object) -> str:
    """The download address of ``entity`` as a list page shows it filtered (for "Download" links elsewhere)."""
    from urllib.parse import urlencode

    shown = {k: v for k, v in filters.items() if v not in (None, "")}
    return "/operator/data/export?" + urlencode({"entity": entity, "format": fmt, **shown}, doseq=True)


@router.get("")
def data_page(request: Request) -> Response:
    return render(request, "operator/data.html", entities=ENTITIES, formats=WRITE_FORMATS, report=None,
                  import_entities=IMPORT_ENTITIES)  # fmt: skip


@router.post("/import")
def import_data(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    session: SessionDep,
    entity: Annotated[str, Form(max_length=20)],
    file: Annotated[UploadFile, File()],
    mode: Annotated[str, Form(max_length=20)] = "atomic",
    background: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    content = file.file.read(data_transfer.MAX_UPLOAD_BYTES + 1)
    if background and entity != "survey":  # a survey is one row per organization: always inline
        return _import_as_job(request, database, settings, entity, file.filename or "upload", content, mode)
    started = time.perf_counter()
    if entity == "courses":  # the course catalogue (KDT, JCRec or generic files): services/course_catalogue.py
        from talentbridge.services.course_catalogue import import_course_upload

        report: Any = import_course_upload(
            database, settings, filename=file.filename or "upload", content=content, skip_invalid=mode == "keep_valid"
        )
    elif entity == "survey":  # the yearly status survey: services/survey_import.py
        from talentbridge.services.survey_import import import_survey_upload

        report = import_survey_upload(
            database, settings, filename=file.filename or "upload", content=content, skip_invalid=mode == "keep_valid"
        )
    else:
        report = data_transfer.import_upload(
            database, settings, entity=entity, filename=file.filename or "upload", content=content,
            skip_invalid=mode == "keep_valid",
        )  # fmt: skip
    elapsed = time.perf_counter() - started
    audit(request, "import", entity, None, file=report.filename, rows=report.rows, created=report.created,
          updated=report.updated, rejected=report.rejected, atomic=report.atomic)  # fmt: skip
    from talentbridge.web.pages.error_pages import import_reason, translator
    tr = translator(request)
    fragment = is_htmx(request)
    template = "operator/_import_report.html" if fragment else "operator/data.html"
    return render(
        request,
        template,
        # htmx 2 swaps only 2xx answers: a report of bad rows answered 422 left the page showing nothing at all.
        # The fragment says itself that nothing was written; the whole page (no JavaScript) keeps the 422.
        status_code=200 if report.ok or fragment else 422,
        entities=ENTITIES,
        import_entities=IMPORT_ENTITIES,
        formats=WRITE_FORMATS,
        report=report,
        elapsed=elapsed,
        reason=lambda problem: import_reason(problem, tr),
    )


def _import_as_job(
    request: Request, database: Any, settings: Any, entity: str, filename: str, content: bytes, mode: str
) -> Response:
    """Queue the import ("run as a background job", for large files) and go to the job's page."""
    from talentbridge.services.job_queue import submit_import

    user = request.state.user
    job, _ = submit_import(database, settings, entity=entity, filename=filename, content=content,
                           skip_invalid=mode == "keep_valid", started_by=user.id, started_by_label=user.email)  # fmt: skip
    audit(request, "import", entity, None, file=filename, job=job.id)
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": f"/jobs/{job.id}"})
    return redirect(f"/jobs/{job.id}")


@router.get("/rejects/{token}")
def rejected_rows(token: str, settings: SettingsDep) -> Response:
    path = data_transfer.rejects_file(settings, token)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename="rejected-rows.csv")


@router.get("/export")
def export_data(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    session: SessionDep,
    entity: str = "talents",
    format: str = "csv",  # noqa: A002 - the query parameter's name
) -> Response:
    filters: dict[str, Any] = {k: v for k, v in request.query_params.multi_items() if k not in _NOT_FILTERS}
    asked = dict(filters)  # what the audit row records (not the ids a search resolved to)
    if "search" in filters and entity in ENTITIES:
        # "Download these" on the search page: every record the search finds (skills and résumé text included),
        # not only those whose name or title matches.
        from talentbridge.services.operator_search import matching_ids

        filters["id"] = matching_ids(session, str(filters.pop("search")), entity) or [0]
    path, rows = data_transfer.export_file(database, settings, entity=entity, fmt=format, filters=filters)
    audit(request, "export", entity, None, format=format, rows=rows, filters=asked)
    return FileResponse(
        path,
        media_type=MEDIA.get(format, "application/octet-stream"),
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True),
    )
