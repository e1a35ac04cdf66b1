"""E-mail: every message goes through the outbox table, then to SMTP when a server is configured.

    queue_email(session, to=..., subject=..., body=...)   # a row in outbox_emails, in the caller's transaction
      └─ after that transaction commits: deliver_pending()  # SMTP (STARTTLS, login) → status sent / failed

Without ``TALENTBRIDGE_SMTP_HOST`` nothing leaves the machine: messages stay in the outbox with status
``outbox`` and the development outbox page (/operator/outbox) shows what would have been sent. Delivery runs after
the commit so a rolled-back change never sends mail, and a slow or broken SMTP server never undoes the change
(the message is ``failed`` with the server's error, and ``deliver_pending`` retries it).

Settings (docs/configuration.md): smtp_host, smtp_port, smtp_user, smtp_password, smtp_from, smtp_starttls.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.storage.notification_tables import OutboxEmailRow

__all__ = [
    "Email",
    "MailStatus",
    "deliver_pending",
    "queue_email",
    "register_settings",
    "send_email",
    "settings_for",
    "smtp_configured",
]

log = logging.getLogger("talentbridge.mail")

MAX_ATTEMPTS = 5
SMTP_TIMEOUT_S = 15.0


class MailStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    OUTBOX = "outbox"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


_SETTINGS: weakref.WeakKeyDictionary[Engine, Settings] = weakref.WeakKeyDictionary()


def register_settings(engine: Engine, settings: Settings) -> None:
    """Which settings (SMTP server, public URL) apply to sessions on ``engine`` (the web app registers its own)."""
    _SETTINGS[engine] = settings


def settings_for(session: Session) -> Settings:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    if engine is not None and engine in _SETTINGS:
        return _SETTINGS[engine]
    from talentbridge.config import get_settings

    return get_settings()


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_email(settings: Settings, email: Email) -> None:
    """Send one message through the configured SMTP server; raises OSError/SMTPException on failure."""
    if not settings.smtp_host:
        raise ValueError("no SMTP server configured (TALENTBRIDGE_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain="talentbridge")
    message.set_content(email.body)  # UTF-8, so Korean arrives intact
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    notification_id: int | None = None,
    settings: Settings | None = None,
) -> OutboxEmailRow:
    """Put a message in the outbox (caller's transaction); it is sent after the commit when SMTP is configured."""
    settings = settings or settings_for(session)
    status = MailStatus.PENDING if smtp_configured(settings) else MailStatus.OUTBOX
    row = OutboxEmailRow(
        notification_id=notification_id,
        kind=kind,
        to_address=to,
        subject=subject[:300],
        body=body,
        status=status,
        attempts=0,
    )
    session.add(row)
    session.flush()
    if status == MailStatus.PENDING:
        _deliver_after_commit(session, settings, row.id)
    return row


def _deliver_after_commit(session: Session, settings: Settings, outbox_id: int) -> None:
    session.info.setdefault("tb_mail_pending", []).append(outbox_id)
    if session.info.get("tb_mail_hooked"):
        return
    session.info["tb_mail_hooked"] = True  # the listeners live as long as the session (one request, one block)

    def after_commit(committed: Session) -> None:
        ids = list(committed.info.pop("tb_mail_pending", []))
        if ids:
            deliver_pending(committed.get_bind(), settings, ids)

    def after_rollback(rolled_back: Session) -> None:
        if not rolled_back.in_transaction():  # the outer transaction is gone: its messages were never queued
            rolled_back.info.pop("tb_mail_pending", None)

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_rollback", after_rollback)


def deliver_pending(bind: Any, settings: Settings, ids: list[int] | None = None) -> dict[str, int]:
    """Send pending (and earlier failed) messages, ``ids`` only when given; returns counts by outcome."""
    counts = {MailStatus.SENT: 0, MailStatus.FAILED: 0}
    if not smtp_configured(settings):
        return counts
    with Session(bind=bind, expire_on_commit=False) as session:
        stmt = select(OutboxEmailRow).where(
            OutboxEmailRow.status.in_([MailStatus.PENDING, MailStatus.FAILED]),
            OutboxEmailRow.attempts < MAX_ATTEMPTS,
        )
        if ids is not None:
            stmt = stmt.where(OutboxEmailRow.id.in_(ids))
        rows = list(session.scalars(stmt.order_by(OutboxEmailRow.id)))
        for row in rows:
            row.attempts = (row.attempts or 0) + 1
            try:
                send_email(settings, Email(row.to_address, row.subject, row.body))
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                row.status, row.error = MailStatus.FAILED, f"{type(exc).__name__}: {exc}"[:500]
                counts[MailStatus.FAILED] += 1
                log.warning("e-mail %s to %s failed: %s", row.id, row.to_address, row.error)
            else:
                row.status, row.error, row.sent_at = MailStatus.SENT, None, datetime.now(UTC)
                counts[MailStatus.SENT] += 1
        session.commit()
    return counts


def list_outbox(session: Session, page: int = 1, size: int = 50) -> tuple[list[OutboxEmailRow], int]:
    from sqlalchemy import func

    total = int(session.scalar(select(func.count()).select_from(OutboxEmailRow)) or 0)
    rows = list(
        session.scalars(select(OutboxEmailRow).order_by(OutboxEmailRow.id.desc()).offset((page - 1) * size).limit(size))
    )
    return rows, total
