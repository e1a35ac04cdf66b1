"""Notifications and e-mail: in-app notices, composed in the reader's language; e-mail through a real SMTP server
(aiosmtpd, started here) after the transaction commits; the outbox when no server is configured."""

from __future__ import annotations

from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from tests.smtp_server import smtp_server

from talentbridge.config import build_settings
from talentbridge.domain import TalentData
from talentbridge.domain.errors import ValidationFailed
from talentbridge.services import accounts, mail, notifications
from talentbridge.storage import Database
from talentbridge.storage.notification_tables import NotificationRow, OutboxEmailRow
from talentbridge.storage.repositories import Repositories


@pytest.fixture(autouse=True)
def _forget_mail_settings() -> Iterator[None]:
    """Each test says which SMTP server its database's e-mails go to; none leaks into the next test."""
    yield
    mail._SETTINGS.clear()


def _subject(message: object) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))  # type: ignore[index]


def _body(message: object) -> str:
    payload = message.get_payload(decode=True)  # type: ignore[attr-defined]
    return payload.decode(message.get_content_charset() or "utf-8")  # type: ignore[attr-defined,no-any-return]


def _user(db: Database, email: str, language: str = "ko", **fields: object) -> int:
    with db.session() as session:
        return accounts.create_user(session, email=email, password="test-password-123", role=fields.pop("role", "talent"),
                                    name="김비전", language=language, **fields).id  # type: ignore[arg-type]  # fmt: skip


def test_every_kind_reads_in_korean_and_english_without_placeholders() -> None:
    params = {"opening_title": "비전 엔지니어", "organization_name": "딥센스랩스", "status": "interview",
              "round_name": "2026 교류", "outcome": "matched", "talent_name": "김비전", "months": 6,
              "due_date": "2027-06-01", "role": "org_member", "name": "박", "email": "p@x.kr"}  # fmt: skip
    for kind in notifications.KINDS:
        for lang in ("ko", "en"):
            title, body = notifications.describe(kind, params, lang)
            assert title and body and "{" not in body, (kind, lang, body)
    assert "면접" in notifications.describe("application_status_changed", params, "ko")[1]
    assert "'interview'" in notifications.describe("application_status_changed", params, "en")[1]
    assert "배정되었습니다" in notifications.describe("round_published", params, "ko")[1]


def test_notify_refuses_an_unknown_kind_or_no_recipient(database: Database) -> None:
    with database.session() as session, pytest.raises(ValidationFailed) as caught:
        notifications.notify(session, kind="party", params={})
    assert {p.loc[0] for p in caught.value.problems} == {"kind", "account_id"}


def test_in_app_list_unread_count_and_mark_read(database: Database) -> None:
    user_id = _user(database, "a@test.kr")
    with database.session() as session:
        for status in ("screening", "interview", "offer"):
            notifications.notify(session, account_id=user_id, kind="application_status_changed",
                                 params={"opening_title": "T", "organization_name": "O", "status": status})  # fmt: skip
    with database.session() as session:
        assert notifications.unread_count(session, user_id) == 3
        items, total = notifications.list_notifications(session, user_id, lang="en", size=2)
        assert total == 3 and len(items) == 2 and "'offer'" in items[0].body  # newest first
        assert notifications.mark_read(session, user_id, ids=[items[0].id]) == 1
    with database.session() as session:
        assert notifications.unread_count(session, user_id) == 2
        assert notifications.mark_read(session, user_id) == 2
        assert notifications.unread_count(session, user_id) == 0
    other = _user(database, "b@test.kr")
    with database.session() as session:
        assert notifications.list_notifications(session, other)[1] == 0  # nobody sees another's notices


def test_a_notice_for_a_talent_waits_for_its_account(database: Database) -> None:
    with database.session() as session:
        talent = Repositories(session).talents.add(TalentData(name="이하늘", category="student"))
        notifications.notify(session, talent_id=talent.id, kind="invitation",
                             params={"opening_title": "T", "organization_name": "O"})  # fmt: skip
    user_id = _user(database, "t@test.kr", talent_id=talent.id)
    with database.session() as session:
        assert notifications.unread_count(session, user_id, talent.id) == 1


def test_without_smtp_messages_stay_in_the_outbox(database: Database, tmp_path: Path) -> None:
    settings = build_settings(environment="test", data_dir=tmp_path, database_url=database.url)
    mail.register_settings(database.engine, settings)
    user_id = _user(database, "c@test.kr")
    with database.session() as session:
        notifications.notify(session, account_id=user_id, kind="account_activated", params={})
    with database.session() as session:
        rows = session.query(OutboxEmailRow).all()
        assert [(r.status, r.to_address) for r in rows] == [("outbox", "c@test.kr")]
        assert "계정이 활성화되었습니다" in rows[0].body


def test_email_goes_through_a_real_smtp_server_after_commit(database: Database, tmp_path: Path) -> None:
    with smtp_server(user="mailer", password="s3cret") as server:
        settings = build_settings(environment="test", data_dir=tmp_path, database_url=database.url,
                                  smtp_host=server.host, smtp_port=server.port, smtp_user="mailer",
                                  smtp_password="s3cret", smtp_starttls=False, smtp_from="TB <tb@test.kr>",
                                  public_url="https://tb.example.kr")  # fmt: skip
        mail.register_settings(database.engine, settings)
        ko_id = _user(database, "ko@test.kr")
        en_id = _user(database, "en@test.kr", language="en")
        with database.session() as session:
            notifications.notify(session, account_id=ko_id, kind="application_status_changed",
                                 params={"opening_title": "비전 엔지니어", "organization_name": "딥센스랩스",
                                         "status": "interview"})  # fmt: skip
            notifications.notify(session, account_id=en_id, kind="round_published",
                                 params={"round_name": "2026 exchange", "outcome": "unmatched"})  # fmt: skip
            assert server.messages == []  # nothing leaves before the commit
        messages = server.wait_for(2)
        assert len(messages) == 2
        by_to = {str(m["To"]): m for m in messages}
        assert _subject(by_to["ko@test.kr"]) == "[TalentBridge] 지원 상태 변경"
        assert "'비전 엔지니어' 지원 상태가 '면접'" in _body(by_to["ko@test.kr"])
        assert "https://tb.example.kr/me/applications" in _body(by_to["ko@test.kr"])
        assert "not matched" in _body(by_to["en@test.kr"])
        assert str(by_to["en@test.kr"]["From"]) == "TB <tb@test.kr>"
        assert server.logins == [("mailer", "s3cret"), ("mailer", "s3cret")]
        with database.session() as session:
            assert {r.status for r in session.query(OutboxEmailRow)} == {"sent"}


def test_a_rolled_back_change_sends_nothing(database: Database, tmp_path: Path) -> None:
    with smtp_server() as server:
        settings = build_settings(environment="test", data_dir=tmp_path, database_url=database.url,
                                  smtp_host=server.host, smtp_port=server.port, smtp_starttls=False)  # fmt: skip
        mail.register_settings(database.engine, settings)
        user_id = _user(database, "r@test.kr")
        with pytest.raises(RuntimeError), database.session() as session:
            notifications.notify(session, account_id=user_id, kind="account_activated", params={})
            raise RuntimeError("the change failed")
        with database.session() as session:
            assert session.query(NotificationRow).count() == 0
            notifications.notify(session, account_id=user_id, kind="account_activated", params={})
        assert len(server.wait_for(1)) == 1


def test_an_unreachable_server_fails_the_message_with_the_reason_and_it_is_retried(
    database: Database, tmp_path: Path
) -> None:
    from tests.smtp_server import _free_port

    with smtp_server() as server:
        down = build_settings(environment="test", data_dir=tmp_path, database_url=database.url,
                              smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_starttls=False)  # fmt: skip
        mail.register_settings(database.engine, down)
        user_id = _user(database, "f@test.kr")
        with database.session() as session:
            notifications.notify(session, account_id=user_id, kind="account_activated", params={})
        with database.session() as session:
            row = session.query(OutboxEmailRow).one()
            assert row.status == "failed" and "Connection" in (row.error or "") and row.attempts == 1
            assert session.query(NotificationRow).count() == 1  # the change itself stands
        up = down.model_copy(update={"smtp_port": server.port})
        assert mail.deliver_pending(database.engine, up) == {"sent": 1, "failed": 0}
        assert len(server.wait_for(1)) == 1
        assert mail.deliver_pending(database.engine, up) == {"sent": 0, "failed": 0}  # sent once only


def test_password_reset_link_goes_by_email(database: Database, tmp_path: Path) -> None:
    with smtp_server() as server:
        settings = build_settings(environment="test", data_dir=tmp_path, database_url=database.url,
                                  smtp_host=server.host, smtp_port=server.port, smtp_starttls=False)  # fmt: skip
        mail.register_settings(database.engine, settings)
        _user(database, "p@test.kr")
        with database.session() as session:
            token = accounts.request_password_reset(session, "p@test.kr")
            assert token
            notifications.send_password_reset(session, "p@test.kr", token)
        (message,) = server.wait_for(1)
        assert f"/password-reset?token={token}" in _body(message)
        with database.session() as session:
            accounts.reset_password(session, token, "a-new-password-1")
            assert accounts.authenticate(session, "p@test.kr", "a-new-password-1").email == "p@test.kr"


def test_cli_lists_the_outbox_and_retries(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from talentbridge import config
    from talentbridge.cli import main

    monkeypatch.setenv("TALENTBRIDGE_DATABASE_URL", database.url)
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    config.get_settings.cache_clear()
    user_id = _user(database, "cli@test.kr")
    with database.session() as session:
        notifications.notify(session, account_id=user_id, kind="account_activated", params={})

    def run(argv: list[str]) -> int:
        try:
            main(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    try:
        assert run(["mail", "outbox"]) == 0
        assert "cli@test.kr" in capsys.readouterr().out
        assert run(["mail", "deliver"]) == 1  # no SMTP server configured: one clear error
        with smtp_server() as server:
            monkeypatch.setenv("TALENTBRIDGE_SMTP_HOST", server.host)
            monkeypatch.setenv("TALENTBRIDGE_SMTP_PORT", str(server.port))
            monkeypatch.setenv("TALENTBRIDGE_SMTP_STARTTLS", "false")
            config.get_settings.cache_clear()
            with database.session() as session:  # kept in the outbox earlier: mark it for sending
                session.query(OutboxEmailRow).update({"status": "pending"})
            assert run(["mail", "deliver"]) == 0
            assert "1 sent" in capsys.readouterr().out and len(server.wait_for(1)) == 1
    finally:
        config.get_settings.cache_clear()
