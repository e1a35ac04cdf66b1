"""Browser tests: the real app (uvicorn on a free port, SQLite with demo data) driven by Playwright through
Debian's Chromium (/usr/bin/chromium, headless, --no-sandbox). Never a downloaded browser.

Without /usr/bin/chromium these tests skip, unless TALENTBRIDGE_REQUIRE_BROWSER=1 (set by .ci/run), in which
case they fail. Screenshots go to $TALENTBRIDGE_SCREENSHOTS_DIR (default test-results/screenshots).

The server warms its skill extractor and talent index before the first test, so that no page waits for taxonomy
embeddings (shared by every test through TALENTBRIDGE_MODEL_CACHE_DIR, see tests/conftest.py).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path(os.environ.get("TALENTBRIDGE_CHROMIUM", "/usr/bin/chromium"))
REQUIRE = os.environ.get("TALENTBRIDGE_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("TALENTBRIDGE_SCREENSHOTS_DIR", ROOT / "test-results" / "screenshots"))
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "talentbridge-demo"
ACCOUNTS = {
    "operator": "operator@demo.talentbridge.kr",
    "org_member": "org@demo.talentbridge.kr",
    "talent": "talent@demo.talentbridge.kr",
    "auditor": "auditor@demo.talentbridge.kr",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application on http://127.0.0.1:<port> over a fresh SQLite database with demo data and accounts."""
    import uvicorn

    from talentbridge.cli import main
    from talentbridge.config import build_settings, get_settings
    from talentbridge.storage import Database
    from talentbridge.web.app import create_app

    data_dir = tmp_path_factory.mktemp("browser-data")
    os.environ["TALENTBRIDGE_DATA_DIR"] = str(data_dir)
    os.environ.pop("TALENTBRIDGE_DATABASE_URL", None)
    get_settings.cache_clear()
    try:
        main(["demo", "--talents", "400", "--orgs", "40", "--seed", "7"])
    except SystemExit as exc:
        assert exc.code in (0, None), f"demo failed with {exc.code}"
    settings = build_settings(data_dir=data_dir, environment="test")
    _warm_up(settings)
    _LIVE["settings"] = settings
    app = create_app(settings, Database.from_settings(settings))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    _LIVE["base"] = base
    yield base
    server.should_exit = True
    thread.join(timeout=10)
    get_settings.cache_clear()


_LIVE: dict[str, Any] = {}


def _warm_up(settings: Any) -> None:
    """Build the skill extractor (taxonomy embeddings) and the talent index before the first request."""
    from talentbridge.services.recommend import RecommendService
    from talentbridge.services.skill_extraction import get_skill_services
    from talentbridge.storage import Database

    get_skill_services(settings)
    database = Database.from_settings(settings)
    with database.session() as session:
        RecommendService(settings, session).index()
    database.dispose()


@pytest.fixture(scope="session")
def live_db(live_server: str) -> Iterator[Any]:
    """The live server's database, for preparing data the UI has no form for (e.g. a round's participants)."""
    from talentbridge.storage import Database

    database = Database.from_settings(_LIVE["settings"])
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if REQUIRE:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium); TALENTBRIDGE_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="ko-KR")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def new_page(browser: Any, live_server: str) -> Iterator[Any]:
    """``new_page(viewport=PHONE)``: more pages, each in its own context (own cookies), closed at the end."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server, viewport=viewport or {"width": 1280, "height": 900}, locale="ko-KR"
        )
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        return pg

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, role: str) -> None:
    page.goto("/login")
    page.fill("#email", ACCOUNTS[role])
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
