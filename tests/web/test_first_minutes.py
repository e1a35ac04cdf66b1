"""Small things a user meets in the first minutes (issue 12, item 8): local Swagger UI, a favicon, the real port
in the demo's last line, ``db upgrade`` heads on one line, a sensible import rate, exported files 0644."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentbridge import config
from talentbridge.cli import main
from talentbridge.cli.data import format_rate
from talentbridge.config import build_settings
from talentbridge.services.file_writing import write_csv, write_jsonl, write_xlsx
from talentbridge.storage import Database
from talentbridge.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_client(tmp_path: Path, sqlite_database: Database) -> Iterator[TestClient]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    with TestClient(create_app(settings, sqlite_database)) as c:
        yield c


def test_swagger_ui_loads_its_assets_from_this_server(web_client: TestClient) -> None:
    html = web_client.get("/docs").text
    assert "cdn.jsdelivr.net" not in html and "unpkg" not in html
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/vendor/swagger-ui/swagger-ui.css" in html
    js = web_client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    css = web_client.get("/static/vendor/swagger-ui/swagger-ui.css")
    assert js.status_code == 200 and "SwaggerUIBundle" in js.text
    assert css.status_code == 200 and ".swagger-ui" in css.text
    assert web_client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not offered


def test_favicon_is_served(web_client: TestClient) -> None:
    response = web_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert web_client.get("/static/favicon.svg").status_code == 200
    assert 'rel="icon"' in web_client.get("/login").text


@pytest.fixture
def cli_env(sqlite_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", sqlite_database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "60")  # narrow terminal: long lines must not wrap
    config.get_settings.cache_clear()
    yield sqlite_database
    config.get_settings.cache_clear()


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_db_upgrade_prints_every_head_on_one_line(cli_env: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    heads = cli_env.current_revision()
    assert heads
    lines = [line for line in out.splitlines() if "revision" in line]
    assert len(lines) == 1, out
    for head in heads.split(","):
        assert head in lines[0]


def test_demo_prints_the_configured_port(
    cli_env: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TALENTBRIDGE_PORT", "8765")
    config.get_settings.cache_clear()
    assert _run(["demo", "--talents", "20", "--orgs", "4", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8765" in out and ":8000" not in out


@pytest.mark.parametrize(
    ("rows", "seconds", "expected"),
    [(3, 2.0, ", 1.5 rows/s"), (1, 3.2, ", 3.2 s/row"), (5000, 2.0, ", 2,500 rows/s"), (0, 1.0, ""), (4, 0.0, "")],
)
def test_import_rate_is_never_zero_for_small_files(rows: int, seconds: float, expected: str) -> None:
    assert format_rate(rows, seconds) == expected
    assert "0 rows/s" not in format_rate(rows, seconds).replace(",", "").replace("500", "")


def test_import_summary_line_has_a_sensible_rate(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orgs.csv"
    write_csv(path, ["external_id", "name", "kind"], [{"external_id": "o1", "name": "비전랩", "kind": "ai_startup"}])
    assert _run(["db", "upgrade"]) == 0 and _run(["import", "organizations", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 organizations" in out and " 0 rows/s" not in out


@pytest.mark.parametrize("writer", ["csv", "jsonl", "xlsx"])
def test_exported_files_get_the_usual_mode(tmp_path: Path, writer: str) -> None:
    path = tmp_path / f"out.{writer}"
    rows: list[dict[str, Any]] = [{"a": 1}]
    old = os.umask(0o022)
    try:
        {"csv": lambda: write_csv(path, ["a"], rows), "jsonl": lambda: write_jsonl(path, rows),
         "xlsx": lambda: write_xlsx(path, ["a"], rows)}[writer]()  # fmt: skip
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        os.umask(0o077)
        write_jsonl(path, rows) if writer == "jsonl" else write_csv(path, ["a"], rows)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a stricter umask is respected
    finally:
        os.umask(old)


def test_readme_says_how_to_choose_the_port() -> None:
    assert "TALENTBRIDGE_PORT" in (ROOT / "README.md").read_text(encoding="utf-8")
