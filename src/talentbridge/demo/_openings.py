"""Synthetic openings of every kind (jobs, secondment slots, PBL projects, internships, joint R&D) at the demo's
organizations, with Korean titles and descriptions and must/should/nice skills (``iter_openings``)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from talentbridge.demo import _places, _texts
from talentbridge.demo._common import BLOCK, DEMO_TODAY, _Pick
from talentbridge.demo._context import _OPENINGS_PER_ORG, _blocks, _Context, _context
from talentbridge.demo._korean import _josa
from talentbridge.domain import OpeningData, OrganizationData, RequiredSkill
from talentbridge.domain.enums import (
    Degree,
    Importance,
    OpeningKind,
    OpeningStatus,
    OrganizationKind,
    Region,
)

__all__ = ["default_opening_count", "iter_openings"]

_OPENING_KIND = {
    OrganizationKind.AI_STARTUP: _Pick(
        [(OpeningKind.JOB, 65), (OpeningKind.INTERNSHIP, 14), (OpeningKind.PBL_PROJECT, 8),
         (OpeningKind.SECONDMENT_SLOT, 9), (OpeningKind.JOINT_RND, 4)]),
    OrganizationKind.MANUFACTURER: _Pick(
        [(OpeningKind.JOB, 45), (OpeningKind.PBL_PROJECT, 20), (OpeningKind.SECONDMENT_SLOT, 20),
         (OpeningKind.INTERNSHIP, 10), (OpeningKind.JOINT_RND, 5)]),
    OrganizationKind.LARGE_ENTERPRISE: _Pick(
        [(OpeningKind.JOB, 45), (OpeningKind.SECONDMENT_SLOT, 25), (OpeningKind.INTERNSHIP, 15),
         (OpeningKind.JOINT_RND, 10), (OpeningKind.PBL_PROJECT, 5)]),
    OrganizationKind.UNIVERSITY: _Pick(
        [(OpeningKind.PBL_PROJECT, 45), (OpeningKind.JOINT_RND, 35), (OpeningKind.INTERNSHIP, 20)]),
    OrganizationKind.RESEARCH_INSTITUTE: _Pick(
        [(OpeningKind.JOINT_RND, 50), (OpeningKind.JOB, 30), (OpeningKind.INTERNSHIP, 20)]),
    OrganizationKind.PUBLIC_AGENCY: _Pick([(OpeningKind.INTERNSHIP, 60), (OpeningKind.JOB, 40)]),
}  # fmt: skip
_STATUS = _Pick(
    [
        (OpeningStatus.OPEN, 75),
        (OpeningStatus.DRAFT, 7),
        (OpeningStatus.CLOSED, 13),
        (OpeningStatus.FILLED, 5),
    ]
)
_DURATION = {
    OpeningKind.SECONDMENT_SLOT: (3, 12),
    OpeningKind.PBL_PROJECT: (2, 6),
    OpeningKind.INTERNSHIP: (2, 6),
    OpeningKind.JOINT_RND: (6, 24),
}
_SEATS = {
    OpeningKind.JOB: (1, 3),
    OpeningKind.SECONDMENT_SLOT: (1, 2),
    OpeningKind.PBL_PROJECT: (3, 6),
    OpeningKind.INTERNSHIP: (1, 5),
    OpeningKind.JOINT_RND: (1, 3),
}


def default_opening_count(organizations: Sequence[OrganizationData]) -> int:
    """About 2.8 openings per organization (more for large enterprises, fewer for agencies)."""
    return round(sum(_OPENINGS_PER_ORG[o.kind] for o in organizations))


def _opening(index: int, rng: random.Random, ctx: _Context) -> OpeningData:
    assert ctx.org_pick is not None
    today = ctx.today
    pos = ctx.org_pick(rng)
    org = ctx.organizations[pos - 1]
    kind = _OPENING_KIND[org.kind](rng)
    role = ctx.roles_by_kind[org.kind](rng)
    topics = _texts.PROJECT_TOPICS.get(role.key) or [role.label_ko + " 프로젝트"]
    topic = rng.choice(topics)
    months = rng.randint(*_DURATION[kind]) if kind in _DURATION else None
    min_years: float | None = None
    if kind is OpeningKind.JOB:
        min_years = float(rng.choice((0, 0, 1, 2, 3, 3, 5, 5, 7, 10)))
        title = rng.choice(_texts.JOB_TITLE_TEMPLATES).format(
            role=role.label_ko, years=max(1, int(min_years)), team=rng.choice(_texts.TEAMS)
        )
    elif kind is OpeningKind.SECONDMENT_SLOT:
        title = f"[인재교류] {role.label_ko} 파견 ({months}개월) - {topic}"
    elif kind is OpeningKind.PBL_PROJECT:
        title = f"[PBL] {topic}"
    elif kind is OpeningKind.INTERNSHIP:
        title = f"{rng.choice(('하계', '동계', '상시'))} {role.label_ko} 인턴 ({months}개월)"
    else:
        title = f"[공동연구] {topic}"

    # required skills: 2-3 musts from the core, then shoulds and nice-to-haves
    junior = kind in (OpeningKind.INTERNSHIP, OpeningKind.PBL_PROJECT)
    core = list(role.core)
    extras = list(role.extra)
    rng.shuffle(extras)
    n_must = min(len(core), rng.randint(2, 3))
    required = []
    for sid in core[:n_must]:
        lvl = rng.randint(2, 3) if junior else rng.randint(3, 4)
        required.append(ctx.make(RequiredSkill, skill_id=sid, min_level=lvl, importance=Importance.MUST))
    for sid in (core[n_must:] + extras)[: rng.randint(1, 3)]:
        required.append(
            ctx.make(RequiredSkill, skill_id=sid, min_level=rng.randint(2, 3), importance=Importance.SHOULD)
        )
    for sid in extras[len(core[n_must:]) + 3 :][: rng.randint(0, 2)]:
        required.append(ctx.make(RequiredSkill, skill_id=sid, min_level=2, importance=Importance.NICE))
    required = list({r.skill_id: r for r in required}.values())

    label = ctx.catalog.label
    must = ", ".join(label(r.skill_id, korean=False) for r in required if r.importance is Importance.MUST)
    should = ", ".join(
        label(r.skill_id, korean=False) for r in required if r.importance is not Importance.MUST
    )
    region = org.region or Region.SEOUL
    city = rng.choice(_places.CITIES.get(region) or ["본사"])
    description = (
        f"{org.name}에서 {_josa(role.label_ko, '을', '를')} 찾습니다.\n\n"
        f"주요 업무\n- {topic}\n- {rng.choice(role.phrases).format(skill=must.split(', ')[0])}\n\n"
        f"자격 요건\n- {must} 실무 경험\n"
        + (f"- 관련 경력 {min_years:.0f}년 이상\n" if min_years else "")
        + (f"\n우대 사항\n- {should}\n" if should else "")
        + f"\n근무지: {city}"
        + (f"\n기간: {months}개월" if months else "")
    )
    salary_min = salary_max = None
    if kind is OpeningKind.JOB:
        salary_min = int(3_600 + 550 * (min_years or 0) + rng.randint(-3, 8) * 100)
        salary_max = salary_min + rng.randint(8, 30) * 100
    min_degree = None
    if kind is OpeningKind.JOINT_RND or role.key == "research":
        min_degree = Degree.MASTER if rng.random() < 0.6 else Degree.DOCTORATE
    elif rng.random() < 0.5:
        min_degree = Degree.BACHELOR
    status = _STATUS(rng)
    if status in (OpeningStatus.CLOSED, OpeningStatus.FILLED):
        deadline = today - timedelta(days=rng.randint(5, 120))
    else:
        deadline = today + timedelta(days=rng.randint(7, 90))
    lo, hi = _SEATS[kind]
    return ctx.make(
        OpeningData,
        external_id=f"demo-opening-{index:06d}",
        organization_id=pos,
        kind=kind,
        title=title,
        description=description,
        required_skills=required,
        occupation_id=role.occupation_id,
        region=region,
        remote=org.kind is OrganizationKind.AI_STARTUP and rng.random() < 0.1,
        salary_min=salary_min,
        salary_max=salary_max,
        min_years_experience=min_years,
        min_degree=min_degree,
        duration_months=months,
        start_date=deadline + timedelta(days=rng.randint(14, 60)),
        seats=rng.randint(lo, hi),
        visa_sponsorship=rng.random() < (0.3 if kind in (OpeningKind.JOB, OpeningKind.JOINT_RND) else 0.1),
        deadline=deadline,
        status=status,
    )


def iter_openings(
    n: int,
    seed: int,
    organizations: Sequence[OrganizationData],
    *,
    chunk: int = 10_000,
    start: int = 1,
    today: date = DEMO_TODAY,
    validate: bool = True,
) -> Iterator[list[OpeningData]]:
    """Stream ``n`` openings of ``organizations`` (``organization_id`` = 1-based position) in lists of at most
    ``chunk``; every kind appears, with Korean titles, descriptions and must/should/nice skills. Deterministic
    for (seed, organizations, today), independent of ``chunk``."""
    if not organizations:
        return
    ctx = _context(organizations, seed, today, validate)
    buffer: list[OpeningData] = []
    for block, first, stop in _blocks(start, n):
        rng = random.Random(f"{seed}:openings:{block}")
        for index in range(block * BLOCK + 1, stop):
            opening = _opening(index, rng, ctx)
            if index >= first:
                buffer.append(opening)
                if len(buffer) >= chunk:
                    yield buffer
                    buffer = []
    if buffer:
        yield buffer
