"""Notifications: an in-app notice for a person, and the same message by e-mail (services/mail.py).

Other services call one function, in their own transaction::

    from talentbridge.services.notifications import notify
    notify(session, talent_id=7, kind="application_status_changed",
           params={"opening_title": "비전 엔지니어", "organization_name": "딥센스랩스", "status": "interview"})

Recipients: ``account_id`` (a user account) or ``talent_id`` (every account linked to that talent; the notice is
also kept on the talent, so an account made later still sees it). The text is composed from ``kind`` and
``params`` in the reader's language when it is shown, so params hold data (names, dates, statuses), never prose.

Kinds and their params (unknown params are kept and ignored; missing ones show as "?"):

================================  ===================================================================================
``application_status_changed``    opening_title, organization_name, status (an ApplicationStatus value), opening_id
``invitation``                    opening_title, organization_name, opening_id, message (optional, the inviter's note)
``round_published``               round_name, round_id, outcome ("matched" or "unmatched"), opening_title (if matched)
``placement_follow_up_due``       talent_name, organization_name, months (3, 6 or 12), due_date, placement_id
``account_activated``             (none)
``account_role_changed``          role (a Role value)
``account_deactivated``           (none)
``signup_pending``                name, email, role, organization_name (sent to every active operator)
``ai_review_requested``           review_id, role (who asks; sent to every active operator)
``ai_review_answered``            review_id (sent to the person who asked)
================================  ===================================================================================

Password-reset links are e-mail only (``send_password_reset``): a reset link in an in-app list would help anyone
who already holds the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from talentbridge.domain.errors import NotFound, Problem, ValidationFailed
from talentbridge.storage.account_tables import UserRow
from talentbridge.storage.notification_tables import NotificationRow

__all__ = [
    "KINDS",
    "Notice",
    "describe",
    "list_notifications",
    "mark_read",
    "notify",
    "notify_operators",
    "send_password_reset",
    "unread_count",
]

#: kind -> language -> (title, body). Bodies use ``str.format`` with the params (and derived labels).
KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "application_status_changed": {
        "ko": (
            "지원 상태 변경",
            "{organization_name}의 '{opening_title}' 지원 상태가 '{status_label}'(으)로 바뀌었습니다.",
        ),
        "en": (
            "Application status changed",
            "Your application to '{opening_title}' at {organization_name} is now '{status_label}'.",
        ),
    },
    "invitation": {
        "ko": ("지원 초대", "{organization_name}에서 '{opening_title}'에 지원해 보시라고 초대했습니다. {message}"),
        "en": ("Invitation to apply", "{organization_name} invites you to apply to '{opening_title}'. {message}"),
    },
    "round_published": {
        "ko": ("매칭 결과 발표", "'{round_name}' 매칭 결과가 발표되었습니다. {outcome_text}"),
        "en": ("Round results published", "The results of '{round_name}' are published. {outcome_text}"),
    },
    "placement_follow_up_due": {
        "ko": (
            "배치 후속 조사 시기",
            "{talent_name}님의 {organization_name} 배치 {months}개월 후속 조사 기한은 {due_date}입니다.",
        ),
        "en": (
            "Placement follow-up due",
            "The {months}-month follow-up of {talent_name} at {organization_name} is due on {due_date}.",
        ),
    },
    "account_activated": {
        "ko": ("계정 활성화", "계정이 활성화되었습니다. 이제 로그인할 수 있습니다."),
        "en": ("Account activated", "Your account is active. You can sign in now."),
    },
    "account_role_changed": {
        "ko": ("역할 변경", "계정의 역할이 '{role_label}'(으)로 바뀌었습니다."),
        "en": ("Role changed", "Your account's role is now '{role_label}'."),
    },
    "signup_pending": {
        "ko": (
            "활성화 대기 가입",
            "{name}({email})님이 '{role_label}'(으)로 가입했습니다{organization_text}. 계정 관리에서 "
            "확인하고 활성화하세요.",
        ),
        "en": (
            "Signup waiting",
            "{name} ({email}) signed up as '{role_label}'{organization_text}. Check and activate "
            "the account under Accounts.",
        ),
    },
    "ai_review_requested": {
        "ko": ("AI 결과 검토 요청", "AI가 매긴 결과에 대해 사람의 검토 요청이 들어왔습니다(요청 #{review_id}). 답해 주세요."),
        "en": ("AI result review requested", "Someone asked a person to review an AI result (request #{review_id}). "
               "Please answer it."),
    },
    "ai_review_answered": {
        "ko": ("AI 결과 검토 답변", "요청하신 AI 결과 검토(요청 #{review_id})에 운영자가 답했습니다."),
        "en": ("Review answered", "An operator answered your request to review an AI result (#{review_id})."),
    },
    "account_deactivated": {
        "ko": ("계정 비활성화", "계정이 비활성화되었습니다. 궁금한 점은 운영자에게 문의하세요."),
        "en": ("Account deactivated", "Your account has been deactivated. Ask an operator if you have questions."),
    },
}

_STATUS = {
    "ko": {"applied": "지원함", "screening": "서류 검토", "interview": "면접", "offer": "제안", "hired": "채용",
           "rejected": "불합격", "withdrawn": "지원 취소"},
    "en": {"applied": "applied", "screening": "screening", "interview": "interview", "offer": "offer",
           "hired": "hired", "rejected": "not selected", "withdrawn": "withdrawn"},
}  # fmt: skip
_ROLE = {
    "ko": {"operator": "운영자", "org_member": "기관 담당자", "talent": "인재", "auditor": "감사인"},
    "en": {"operator": "operator", "org_member": "organization member", "talent": "talent", "auditor": "auditor"},
}
_OUTCOME = {
    "ko": {"matched": "'{opening_title}'에 배정되었습니다.", "unmatched": "이번 라운드에서는 배정되지 않았습니다."},
    "en": {"matched": "You are matched to '{opening_title}'.", "unmatched": "You were not matched in this round."},
}
_LINKS = {
    "application_status_changed": "/me/applications",
    "invitation": "/me/recommendations",
    "round_published": "/me/rounds",
    "signup_pending": "/operator/accounts?status=pending",
    "ai_review_requested": "/operator/ai/reviews",
    "ai_review_answered": "/ai/reviews",
}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read: bool


def describe(kind: str, params: dict[str, Any], lang: str) -> tuple[str, str]:
    """(title, body) of a notification in ``lang`` ("ko" or "en")."""
    lang = lang if lang in ("ko", "en") else "ko"
    texts = KINDS.get(kind)
    if texts is None:
        return kind, ""
    values = _Missing({k: v for k, v in params.items() if v is not None})
    values.setdefault("message", "")
    values["status_label"] = _STATUS[lang].get(str(params.get("status")), str(params.get("status", "?")))
    values["role_label"] = _ROLE[lang].get(str(params.get("role")), str(params.get("role", "?")))
    org = params.get("organization_name")
    values["organization_text"] = "" if not org else (f" ({org})" if lang == "en" else f" (소속: {org})")
    outcome = _OUTCOME[lang].get(str(params.get("outcome")), "")
    values["outcome_text"] = outcome.format_map(values)
    title, body = texts[lang]
    return title, body.format_map(values).strip()


def _check(kind: str, account_id: int | None, talent_id: int | None, params: dict[str, Any]) -> None:
    problems = []
    if kind not in KINDS:
        problems.append(Problem(loc=("kind",), msg=f"one of {', '.join(sorted(KINDS))}", value=kind))
    if account_id is None and talent_id is None:
        problems.append(Problem(loc=("account_id",), msg="give an account or a talent"))
    if not isinstance(params, dict):
        problems.append(Problem(loc=("params",), msg="a mapping of names to values"))
    if problems:
        raise ValidationFailed("invalid notification", problems)


def notify(
    session: Session,
    account_id: int | None = None,
    talent_id: int | None = None,
    kind: str = "",
    params: dict[str, Any] | None = None,
    *,
    email: bool = True,
) -> list[int]:
    """Notify one person in-app and (``email``) by e-mail; returns the notification ids (one per account, or one
    kept on the talent when it has no account yet). Runs in the caller's transaction; e-mail leaves after commit.
    """
    from talentbridge.services import mail

    params = dict(params or {})
    _check(kind, account_id, talent_id, params)
    users: list[UserRow] = []
    if account_id is not None:
        user = session.get(UserRow, account_id)
        if user is None:
            raise NotFound("user", account_id)
        users.append(user)
    elif talent_id is not None:
        users = list(session.scalars(select(UserRow).where(UserRow.talent_id == talent_id).order_by(UserRow.id)))
    ids = []
    targets: list[UserRow | None] = list(users) or [None]
    for user in targets:
        row = NotificationRow(
            user_id=user.id if user is not None else None,
            talent_id=talent_id if talent_id is not None else (user.talent_id if user is not None else None),
            kind=kind,
            params=params,
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
        if email and user is not None and user.active:
            settings = mail.settings_for(session)
            title, body = describe(kind, params, user.language)
            link = _LINKS.get(kind)
            text = f"{body}\n\n{settings.base_url}{link or '/notifications'}\n\n— TalentBridge"
            mail.queue_email(session, to=user.email, subject=f"[TalentBridge] {title}", body=text, kind=kind,
                             notification_id=row.id, settings=settings)  # fmt: skip
    return ids


def notify_operators(session: Session, kind: str, params: dict[str, Any]) -> list[int]:
    """Notify every active operator (e.g. a signup waiting for activation)."""
    ids: list[int] = []
    operators = session.scalars(select(UserRow.id).where(UserRow.role == "operator", UserRow.active.is_(True)))
    for operator_id in list(operators):
        ids += notify(session, account_id=operator_id, kind=kind, params=params)
    return ids


def send_password_reset(session: Session, email_address: str, token: str) -> None:
    """E-mail a password-reset link for ``token`` to the account with this address (its language)."""
    from talentbridge.services import mail

    user = session.scalar(select(UserRow).where(UserRow.email == email_address.strip().lower()))
    if user is None:
        return
    settings = mail.settings_for(session)
    link = f"{settings.base_url}/password-reset?token={token}"
    if user.language == "en":
        subject = "[TalentBridge] Reset your password"
        body = (
            f"Someone (hopefully you) asked to reset the password of {user.email}.\n\nOpen this link within an "
            f"hour to choose a new password:\n{link}\n\nIf it was not you, ignore this e-mail; nothing changes."
        )
    else:
        subject = "[TalentBridge] 비밀번호 재설정"
        body = (
            f"{user.email} 계정의 비밀번호 재설정을 요청하셨습니다.\n\n한 시간 안에 아래 링크를 열어 새 비밀번호를 "
            f"정하세요:\n{link}\n\n요청하지 않으셨다면 이 메일을 무시하세요. 아무것도 바뀌지 않습니다."
        )
    mail.queue_email(session, to=user.email, subject=subject, body=body, kind="password_reset", settings=settings)


def _mine(user_id: int, talent_id: int | None) -> Any:
    if talent_id is None:
        return NotificationRow.user_id == user_id
    return or_(
        NotificationRow.user_id == user_id,
        (NotificationRow.user_id.is_(None)) & (NotificationRow.talent_id == talent_id),
    )


def unread_count(session: Session, user_id: int, talent_id: int | None = None) -> int:
    stmt = (
        select(func.count())
        .select_from(NotificationRow)
        .where(_mine(user_id, talent_id), NotificationRow.read_at.is_(None))
    )
    return int(session.scalar(stmt) or 0)


def list_notifications(
    session: Session,
    user_id: int,
    talent_id: int | None = None,
    *,
    lang: str = "ko",
    unread_only: bool = False,
    page: int = 1,
    size: int = 20,
) -> tuple[list[Notice], int]:
    conditions = [_mine(user_id, talent_id)]
    if unread_only:
        conditions.append(NotificationRow.read_at.is_(None))
    total = int(session.scalar(select(func.count()).select_from(NotificationRow).where(*conditions)) or 0)
    rows = session.scalars(
        select(NotificationRow)
        .where(*conditions)
        .order_by(NotificationRow.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    notices = []
    for row in rows:
        title, body = describe(row.kind, row.params or {}, lang)
        notices.append(
            Notice(row.id, row.kind, title, body, _LINKS.get(row.kind), row.created_at, row.read_at is not None)
        )
    return notices, total


def mark_read(session: Session, user_id: int, talent_id: int | None = None, ids: list[int] | None = None) -> int:
    """Mark the reader's notifications read (``ids`` only, or all); returns how many changed."""
    stmt = update(NotificationRow).where(_mine(user_id, talent_id), NotificationRow.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(NotificationRow.id.in_(ids))
    result = session.execute(stmt.values(read_at=datetime.now(UTC)).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
