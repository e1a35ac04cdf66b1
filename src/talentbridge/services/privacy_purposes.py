"""Every purpose for which TalentBridge processes personal data: the one list the public privacy page (``/privacy``),
the talent's own privacy page and docs/privacy.md are generated from. Retention periods come from the settings
(``privacy_*_days``), so the page says what the running configuration does.

A purpose with ``consent`` names the talent's consent field: withdrawing it stops that processing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from talentbridge.config import Settings

__all__ = ["Purpose", "PURPOSES", "purposes_for", "CONSENT_PURPOSES"]


@dataclass(frozen=True)
class Purpose:
    key: str
    title: tuple[str, str]  # (English, Korean)
    what: tuple[str, str]  # the data processed
    basis: tuple[str, str]  # legal basis under PIPA
    retention_setting: str | None  # a Settings field giving days, or None
    retention_text: tuple[str, str]  # what happens when the period ends (or without a period)
    consent: str | None = None  # the talent's consent field, when processing rests on consent
    recipients: tuple[str, str] = ("None outside the agency", "기관 외 제공 없음")


PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        "account",
        ("Your account", "회원 계정 운영"),
        (
            "E-mail address, name, password (stored as a hash), language, sign-in times",
            "이메일 주소, 이름, 비밀번호(해시로 저장), 언어, 로그인 시각",
        ),
        (
            "Necessary to provide the service you signed up for (PIPA art. 15(1)4)",
            "가입한 서비스 제공에 필요(개인정보 보호법 제15조 제1항 제4호)",
        ),
        "privacy_inactive_days",
        (
            "Erased after this many days without a sign-in or a profile change, or when you delete your account",
            "이 기간 동안 로그인이나 프로필 변경이 없거나 계정을 삭제하면 파기",
        ),
    ),
    Purpose(
        "recommendation",
        ("Recommending you to organizations", "기관에 인재로 추천"),
        (
            "Profile, skills, résumé, education and work history, desired roles and conditions",
            "프로필, 역량, 이력서, 학력과 경력, 희망 직무와 조건",
        ),
        (
            "Your consent (PIPA art. 15(1)1); you can withdraw it at any time",
            "정보주체의 동의(개인정보 보호법 제15조 제1항 제1호), 언제든 철회 가능",
        ),
        "privacy_inactive_days",
        (
            "Stops at once when you withdraw consent; erased with your account",
            "동의를 철회하면 즉시 중단, 계정과 함께 파기",
        ),
        consent="consent_visible",
        recipients=(
            "Organizations taking part in the programme (only while you consent)",
            "사업 참여 기관(동의한 동안에만)",
        ),
    ),
    Purpose(
        "statistics",
        ("Programme statistics", "사업 통계"),
        (
            "Category, region, skills, nationality, gender and age band, counted in groups of at least 5 people",
            "구분, 지역, 역량, 국적, 성별과 연령대(5명 이상 집단으로만 집계)",
        ),
        (
            "Your consent (PIPA art. 15(1)1); without it you are counted only in anonymous totals",
            "정보주체의 동의(제15조 제1항 제1호), 철회하면 익명 합계에만 포함",
        ),
        None,
        ("Only aggregates are kept; no person can be picked out of them", "집계만 보관하며 개인을 식별할 수 없음"),
        consent="consent_statistics",
        recipients=("Ministry of SMEs and Startups (aggregates only)", "중소벤처기업부(집계만)"),
    ),
    Purpose(
        "rounds",
        ("Matching rounds and placements", "매칭 라운드와 배치"),
        (
            "Your rankings of openings, round results, placements and follow-ups at 3, 6 and 12 months",
            "공고 선호 순위, 라운드 결과, 배치와 3·6·12개월 후속 확인",
        ),
        (
            "Administering the government programme you applied to (PIPA art. 15(1)2 and 3)",
            "신청한 정부 사업의 운영(제15조 제1항 제2호·제3호)",
        ),
        "privacy_round_days",
        (
            "Personal details in a round's records are blanked this many days after it closes; placement counts "
            "stay anonymised",
            "라운드 종료 후 이 기간이 지나면 기록의 개인 정보를 지우고, 배치 건수는 익명으로 보관",
        ),
        recipients=("The organization you are placed with", "배치된 기관"),
    ),
    Purpose(
        "ai_records",
        ("Records of AI recommendations (AI Basic Act)", "AI 추천 기록(인공지능기본법)"),
        (
            "Which list or ranking AI produced, with ids and scores, and who saw or approved it; your review requests",
            "AI가 만든 목록·순위(식별번호와 점수), 열람·승인한 사람, 사람 검토 요청",
        ),
        (
            "Legal obligation for high-impact AI (AI Basic Act; PIPA art. 15(1)2)",
            "고영향 AI 사업자의 법적 의무(인공지능기본법, 개인정보 보호법 제15조 제1항 제2호)",
        ),
        "privacy_round_days",
        (
            "Kept with the round; your free-text requests are erased with your account",
            "라운드 기록과 함께 보관, 요청 내용은 계정과 함께 파기",
        ),
    ),
    Purpose(
        "audit",
        ("Audit log of access to personal data", "개인정보 접근 기록"),
        (
            "Who viewed or changed your data, when, and from which address",
            "누가 언제 어느 주소에서 정보를 열람·변경했는지",
        ),
        ("Safety measures required by PIPA art. 29", "개인정보 보호법 제29조 안전성 확보 조치"),
        "privacy_audit_address_days",
        (
            "Addresses are removed after this many days; the entries stay, without personal data after erasure",
            "이 기간이 지나면 주소를 삭제하고, 기록은 파기 후에도 개인정보 없이 보관",
        ),
    ),
    Purpose(
        "notifications",
        ("Notifications and e-mail", "알림과 이메일"),
        ("Your e-mail address and the notices sent to you", "이메일 주소와 보낸 알림"),
        ("Necessary to provide the service (PIPA art. 15(1)4)", "서비스 제공에 필요(제15조 제1항 제4호)"),
        None,
        ("Deleted with your account", "계정과 함께 삭제"),
    ),
)

#: consent field → purpose key
CONSENT_PURPOSES = {p.consent: p.key for p in PURPOSES if p.consent}


def purposes_for(settings: Settings, language: str = "ko") -> list[dict[str, Any]]:
    """The purposes in ``language`` with their retention period (days from the settings, None without one)."""
    i = 1 if language == "ko" else 0
    out = []
    for p in PURPOSES:
        days = getattr(settings, p.retention_setting) if p.retention_setting else None
        out.append(
            {
                "key": p.key,
                "title": p.title[i],
                "what": p.what[i],
                "basis": p.basis[i],
                "retention_days": days or None,
                "retention_setting": p.retention_setting,
                "retention": p.retention_text[i],
                "consent": p.consent,
                "recipients": p.recipients[i],
            }
        )
    return out
