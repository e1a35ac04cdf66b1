"""Sign-in and pages never wait for a model (issue 12, item 8): while the skill extractor is being built (its lock
held, as during the background warm-up), pages that only need skill names answer, and an answer that needs the
model says "warming up"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import TalentData
from talentbridge.services import skill_extraction
from talentbridge.services.readiness import warm_up_state
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account


@pytest.fixture
def warming(tmp_path: Path, sqlite_database: Database) -> Iterator[tuple[FastAPI, Database]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)
    skill_extraction.reset_skill_services()
    warm_up_state().start("skills")  # as during serve's warm-up: the builder holds the lock for up to a minute
    skill_extraction._lock.acquire()
    try:
        yield app, sqlite_database
    finally:
        skill_extraction._lock.release()
        warm_up_state().reset()


def _get_in_thread(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """The response, or None if the request was still waiting after a generous deadlock guard."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(client.request(method, path, **kwargs)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    return box[0] if box else None


def test_pages_answer_while_the_model_loads(warming: tuple[FastAPI, Database]) -> None:
    app, db = warming
    with db.session() as session:
        talent = Repositories(session).talents.add(
            TalentData(name="김비전", skills=[{"skill_id": "computer-vision", "level": 4}])
        )
    _, token = make_account(db, "talent", talent_id=talent.id)
    with TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept": "text/html"}) as c:
        login = _get_in_thread(c, "GET", "/login")
        assert login is not None and login.status_code == 200
        profile = _get_in_thread(c, "GET", "/me")
        assert profile is not None and profile.status_code == 200, "the profile page waited for the model"
        assert "컴퓨터비전" in profile.text  # skill names come from the stored taxonomy
        suggest = _get_in_thread(c, "POST", "/me/skills/suggest", data={"resume_text": "PyTorch 비전 검사"},
                                 headers={"HX-Request": "true"})  # fmt: skip
        assert suggest is not None and suggest.status_code == 200
        assert 'id="warming-up"' in suggest.text and "준비" in suggest.text
        full = _get_in_thread(c, "POST", "/me/skills/suggest", data={"resume_text": "PyTorch"})
        assert full is not None and full.status_code == 200 and 'id="warming-up"' in full.text


def test_ready_once_built(tmp_path: Path, sqlite_database: Database) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path / "d", database_url=sqlite_database.url)
    skill_extraction.reset_skill_services()
    assert skill_extraction.peek_skill_services(settings) is None
    skill_extraction.get_skill_services(settings)  # built (as the warm-up thread would)
    assert skill_extraction.ready_skill_services(settings) is skill_extraction.peek_skill_services(settings)


def test_the_web_process_works_on_at_most_web_threads_requests_at_once(
    tmp_path: Path, sqlite_database: Database
) -> None:
    """``web_threads``: the event loop's thread limiter (sync endpoints, the recommendation lists' hand-off) is set
    when the app starts, so requests beyond it wait in the loop instead of contending for the GIL."""
    import anyio.to_thread

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    for threads in (3, 17):
        settings = build_settings(environment="test", data_dir=tmp_path / f"d{threads}",
                                  database_url=sqlite_database.url, web_threads=threads)  # fmt: skip
        with TestClient(create_app(settings, sqlite_database)) as client:
            assert client.portal.call(tokens) == threads  # type: ignore[union-attr]
