""""Download this list" for list pages: the rows of every page, narrowed by the filters the page shows, as CSV or
XLSX (formulas neutralised, as in every export). Each download is an audit row with its filters."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from talentbridge.services import data_transfer
from talentbridge.web.auth import audit

__all__ = ["MEDIA", "download", "download_links"]

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def download_links(path: str, filters: dict[str, Any]) -> dict[str, str]:
    """``{"csv": url, "xlsx": url}``: the list at ``path`` with the page's ``filters`` (empty ones left out)."""
    shown = {k: v for k, v in filters.items() if v not in (None, "", False)}
    return {fmt: f"{path}?{urlencode({**shown, 'format': fmt}, doseq=True)}" for fmt in data_transfer.LIST_FORMATS}


def download(
    request: Request,
    *,
    name: str,
    fmt: str,
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    entity: str,
    filters: dict[str, Any],
) -> Response:
    """The file of ``rows``; deleted from the data directory once sent."""
    settings = request.app.state.settings
    path, count = data_transfer.list_file(settings, name=name, fmt=fmt, columns=columns, rows=rows)
    shown = {k: str(v) for k, v in filters.items() if v not in (None, "", False)}
    audit(request, "export", entity, None, format=fmt, rows=count, filters=shown)
    return FileResponse(
        path,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True),
    )
