"""Translations: every message id the pages use is in the Korean and English catalogs; pages are Korean by
default and English with ``?lang=en`` (remembered in a cookie)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentbridge.config import build_settings
from talentbridge.domain import OrganizationData
from talentbridge.storage import Database
from talentbridge.storage.repositories import Repositories
from talentbridge.web.app import create_app
from tests.conftest import make_account

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "src" / "talentbridge" / "web" / "locales"


def _extractor() -> Any:
    spec = importlib.util.spec_from_file_location("extract_messages", ROOT / "scripts" / "extract_messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


extract = _extractor()


def test_the_extractor_finds_literal_messages_in_templates_and_pages() -> None:
    found = extract.literal_messages()
    assert "Sign in" in found and any(p.endswith("login.html") for p in found["Sign in"])
    assert "Wrong email or password." in found  # pages/auth.py
    assert "Supply (talent)" in found  # pages/operator.py
    assert len(found) > 150


def test_the_extractor_reads_both_quote_styles_and_skips_other_calls() -> None:
    text = """{{ _("Double \\"quoted\\"") }} {{ _('Single') }} x_("not a message") {{ _(value) }}"""
    ids = [m.group(1) if m.group(1) is not None else m.group(2) for m in extract.CALL.finditer(text)]
    assert [extract._unescape(i) for i in ids] == ['Double "quoted"', "Single"]


def _merged(lang: str) -> dict[str, str]:
    """The catalog as the app reads it: ``<lang>.json`` plus every ``<lang>/*.json`` feature file."""
    messages: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    for part in sorted((LOCALES / lang).glob("*.json")):
        messages.update(json.loads(part.read_text(encoding="utf-8")))
    return messages


def test_the_app_reads_the_same_merged_catalog() -> None:
    from talentbridge.web.i18n import catalog

    for lang in ("ko", "en"):
        assert catalog(lang) == _merged(lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_message_id_means_one_thing_in_every_catalog(lang: str) -> None:
    """A feature catalog may repeat an id of another catalog only with the same text: otherwise whichever loads
    last silently changes the other feature's pages (one id, one meaning; give a different meaning its own id)."""
    seen: dict[str, tuple[str, str]] = {
        k: ("base", v) for k, v in json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8")).items()
    }
    clashes = []
    for part in sorted((LOCALES / lang).glob("*.json")):
        for key, text in json.loads(part.read_text(encoding="utf-8")).items():
            if key in seen and seen[key][1] != text:
                clashes.append(f"{key!r}: {seen[key][0]} {seen[key][1]!r} vs {part.name} {text!r}")
            seen[key] = (part.name, text)
    assert not clashes, clashes


def test_feature_catalogs_come_in_pairs() -> None:
    ko = sorted(p.name for p in (LOCALES / "ko").glob("*.json"))
    en = sorted(p.name for p in (LOCALES / "en").glob("*.json"))
    assert ko == en


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_message_id_is_in_the_catalog(lang: str) -> None:
    catalog = _merged(lang)
    missing = sorted(m for m in extract.all_messages() if not catalog.get(m))
    assert not missing, f"{lang} catalogs lack {len(missing)} message ids (run scripts/extract_messages.py): {missing}"


def test_korean_texts_are_korean_and_keep_their_placeholders() -> None:
    ko = _merged("ko")
    en = _merged("en")
    assert set(ko) == set(en), "the ko and en catalogs have different ids"
    same_in_both = {"TalentBridge", "PBL", "pbl", "Seed"}  # brand names and abbreviations
    for key, text in ko.items():
        assert set(re.findall(r"\{\w+\}", key)) == set(re.findall(r"\{\w+\}", text)), key
        assert set(re.findall(r"\{\w+\}", key)) == set(re.findall(r"\{\w+\}", en[key])), key
        if key not in same_in_both:
            assert re.search(r"[가-힣]", text), f"ko.json: {key!r} is not translated: {text!r}"


def test_enum_values_shown_in_pages_are_translated() -> None:
    from talentbridge.domain.enums import ApplicationStatus, OpeningKind, RoundStatus

    ko = _merged("ko")
    for enum in (OpeningKind, RoundStatus, ApplicationStatus):
        for member in enum:
            assert member.value in ko


# -- pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path, sqlite_database: Database) -> Iterator[tuple[Any, Database]]:
    settings = build_settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_database.url)
    app = create_app(settings, sqlite_database)
    yield app, sqlite_database


def _client(app: Any, database: Database, role: str | None, **fields: Any) -> TestClient:
    headers = {}
    if role is not None:
        _, token = make_account(database, role, **fields)
        headers["Authorization"] = f"Bearer {token}"
    return TestClient(app, headers=headers)


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, html[:500]
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_login_page_is_korean_by_default_and_english_on_request(web: tuple[Any, Database]) -> None:
    app, database = web
    with _client(app, database, None) as c:
        korean = c.get("/login")
        assert korean.status_code == 200
        assert '<html lang="ko">' in korean.text and _h1(korean.text) == "로그인"
        english = c.get("/login?lang=en")
        assert '<html lang="en">' in english.text and _h1(english.text) == "Sign in"
        assert c.get("/login").text.count("Forgot your password?") == 1  # the choice is remembered


@pytest.mark.parametrize(
    ("role", "path", "ko", "en"),
    [
        ("talent", "/me/applications", "지원 현황", "Applications"),
        ("talent", "/me/rounds", "매칭 라운드", "Rounds"),
        ("talent", "/me/recommendations", "추천 공고", "Recommended openings"),
        ("org_member", "/org/openings", "공고", "Openings"),
        ("org_member", "/org/rounds", "매칭 라운드", "Rounds"),
        ("operator", "/operator/rounds", "사업 및 매칭 라운드", "Programmes and rounds"),
        ("operator", "/operator/search?q=AI", "검색", "Search"),
        ("auditor", "/operator/audit-log", "감사 로그", "Audit log"),
    ],
)
def test_key_pages_render_in_korean_and_english(
    web: tuple[Any, Database], role: str, path: str, ko: str, en: str
) -> None:
    app, database = web
    fields: dict[str, Any] = {}
    if role == "org_member":
        with database.session() as session:
            org = Repositories(session).organizations.add(OrganizationData(name="비전AI", kind="ai_startup"))
        fields["organization_id"] = org.id
    with _client(app, database, role, **fields) as c:
        korean = c.get(path)
        assert korean.status_code == 200, korean.text[:500]
        assert _h1(korean.text) == ko
        english = c.get(path + ("&" if "?" in path else "?") + "lang=en")
        assert english.status_code == 200
        assert _h1(english.text) == en
        assert "로그아웃" in korean.text and "Sign out" in english.text


def test_enum_values_render_translated(web: tuple[Any, Database]) -> None:
    app, database = web
    with database.session() as session:
        org = Repositories(session).organizations.add(OrganizationData(name="울산정밀", kind="manufacturer"))
    with _client(app, database, "org_member", organization_id=org.id) as c:
        korean = c.get("/org/openings").text
        assert "인재교류(파견)" in korean and "모집 중" in korean and "secondment_slot</option>" not in korean
        english = c.get("/org/openings?lang=en").text
        assert ">Secondment</option>" in english and ">Open</option>" in english
