"""The session key: never a default anyone could know (issue 13: a forged operator session with the default key)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner

from talentbridge import config
from talentbridge.cli import main
from talentbridge.config import DEV_SECRET, build_settings, is_loopback_host, require_secret_for_host, session_secret
from talentbridge.domain.errors import ConfigurationError

STRONG = "k" * 40


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "short-secret"])
def test_production_refuses_a_missing_published_or_short_key(secret: str | None) -> None:
    with pytest.raises(ConfigurationError, match="TALENTBRIDGE_SECRET_KEY") as info:
        build_settings(environment="production", secret_key=secret)
    assert "token_urlsafe" in info.value.message  # says how to make one


def test_development_makes_a_random_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    settings = build_settings(environment="development", data_dir=tmp_path / "data")
    first = session_secret(settings)
    path = tmp_path / "data" / "secret_key"
    assert first != DEV_SECRET and len(first) >= 32
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(settings) == first  # kept across restarts: sessions survive
    other = build_settings(environment="development", data_dir=tmp_path / "other")
    assert session_secret(other) != first  # every installation its own key


def test_a_development_key_file_with_a_loose_mode_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    path.write_text(STRONG)
    path.chmod(0o644)
    assert session_secret(build_settings(environment="development", data_dir=tmp_path)) == STRONG
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_published_default_key_is_never_used(tmp_path: Path) -> None:
    settings = build_settings(environment="development", data_dir=tmp_path, secret_key=DEV_SECRET)
    assert session_secret(settings) != DEV_SECRET
    assert session_secret(build_settings(environment="test", data_dir=tmp_path)) != DEV_SECRET


def test_a_configured_key_is_used(tmp_path: Path) -> None:
    assert session_secret(build_settings(environment="development", data_dir=tmp_path, secret_key=STRONG)) == STRONG
    assert not (tmp_path / "secret_key").exists()


def test_a_cookie_signed_with_the_old_default_key_is_not_accepted(tmp_path: Path) -> None:
    """The attack of the issue: sign {"user_id": 1} with the published key and call the API."""
    import base64
    import json

    from fastapi.testclient import TestClient

    from talentbridge.storage import Database
    from talentbridge.web.app import create_app

    db = Database(f"sqlite:///{tmp_path / 'tb.sqlite3'}")
    db.upgrade()
    from talentbridge.services import accounts

    with db.session() as s:
        accounts.create_user(s, email="op@x.kr", password="password-123", role="operator", name="op")
    settings = build_settings(environment="development", data_dir=tmp_path / "data", database_url=db.url)
    payload = base64.b64encode(json.dumps({"user_id": 1, "sv": 0}).encode())
    forged = TimestampSigner(DEV_SECRET).sign(payload).decode()
    with TestClient(create_app(settings, db)) as c:
        c.cookies.set("tb_session", forged)
        assert c.get("/api/auth/me").status_code == 401
    db.dispose()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.0.10", "10.0.0.1", "talentbridge.kr"])
def test_reachable_hosts(host: str) -> None:
    assert not is_loopback_host(host)


def test_serving_on_a_reachable_address_needs_a_key(tmp_path: Path) -> None:
    unset = build_settings(environment="development", data_dir=tmp_path)
    with pytest.raises(ConfigurationError, match="refusing to serve on 0.0.0.0") as info:
        require_secret_for_host(unset, "0.0.0.0")
    assert "TALENTBRIDGE_SECRET_KEY" in info.value.message and "127.0.0.1" in info.value.message
    with pytest.raises(ConfigurationError):
        require_secret_for_host(build_settings(data_dir=tmp_path, secret_key="short"), "192.168.1.5")
    require_secret_for_host(unset, "127.0.0.1")
    require_secret_for_host(build_settings(data_dir=tmp_path, secret_key=STRONG), "0.0.0.0")


def test_serve_command_refuses_with_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TALENTBRIDGE_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env with a key
    config.get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(["serve", "--host", "0.0.0.0", "--port", "8765"])
    finally:
        config.get_settings.cache_clear()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "refusing to serve on 0.0.0.0" in err and "TALENTBRIDGE_SECRET_KEY" in err
