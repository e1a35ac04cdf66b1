"""Synthetic talent: Korean and foreign names, visas, education, careers at the demo's organizations, skills
with levels, résumés in Korean or English, contact details and preferences (``iter_talents``)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from talentbridge.demo import _names, _places, _texts
from talentbridge.demo._common import BLOCK, DEMO_TODAY, _Pick
from talentbridge.demo._context import _blocks, _Context, _context
from talentbridge.demo._korean import _josa
from talentbridge.demo._organizations import slug
from talentbridge.demo._skills import Role, SkillCatalog
from talentbridge.domain import (
    Education,
    OrganizationData,
    SkillClaim,
    TalentData,
    WorkExperience,
)
from talentbridge.domain.enums import (
    Degree,
    EmploymentType,
    Gender,
    TalentCategory,
    VisaType,
)

__all__ = ["iter_talents"]

_SURNAME = _Pick([((s, r), w) for s, r, w in _names.SURNAMES])
_NATIONALITY = _Pick([(nat, spec[0]) for nat, spec in _names.FOREIGN_NAMES.items()])
_UNIVERSITY = _Pick([((ko, en, region), w) for ko, en, region, w in _places.UNIVERSITIES])
_FIELD = _Pick([((ko, en), w) for ko, en, w in _places.FIELDS_OF_STUDY])
_TALENT_REGION = _Pick(_places.TALENT_REGIONS)
_GENDER = _Pick([(Gender.MALE, 68), (Gender.FEMALE, 30), (Gender.UNDISCLOSED, 2)])
_DOMESTIC_CATEGORY = _Pick(
    [
        (TalentCategory.ENGINEER, 45),
        (TalentCategory.EMPLOYEE, 18),
        (TalentCategory.STUDENT, 20),
        (TalentCategory.RESEARCHER, 14),
        (TalentCategory.OVERSEAS, 3),
    ]
)
#: foreign talent: (category, visa or None when abroad)
_FOREIGN_STATUS = _Pick(
    [
        ((TalentCategory.STUDENT, VisaType.D2), 30),
        ((TalentCategory.ENGINEER, VisaType.E7), 26),
        ((TalentCategory.ENGINEER, VisaType.D10), 9),
        ((TalentCategory.RESEARCHER, VisaType.E3), 8),
        ((TalentCategory.ENGINEER, VisaType.F2), 8),
        ((TalentCategory.EMPLOYEE, VisaType.F5), 5),
        ((TalentCategory.ENGINEER, VisaType.F4), 4),
        ((TalentCategory.OVERSEAS, None), 10),
    ]
)
_COUNTRY_CODE = {"VN": 84, "IN": 91, "CN": 86, "UZ": 998, "ID": 62, "US": 1, "MN": 976, "PH": 63, "NP": 977,
                 "FR": 33}  # fmt: skip
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
FOREIGN_SHARE = 0.09


def _latin_given(given: str) -> str:
    return "".join(_names.SYLLABLE_LATIN.get(ch, "") for ch in given).capitalize()


def _talent(index: int, rng: random.Random, ctx: _Context) -> TalentData:
    today = ctx.today
    catalog = ctx.catalog
    foreign = rng.random() < FOREIGN_SHARE
    gender = _GENDER(rng)
    female = gender is Gender.FEMALE or (gender is Gender.UNDISCLOSED and rng.random() < 0.5)
    visa: VisaType | None = None
    if foreign:
        nationality = _NATIONALITY(rng)
        _share, males, females, families, family_first = _names.FOREIGN_NAMES[nationality]
        given = rng.choice(females if female else males)
        family = rng.choice(families)
        if nationality == "UZ" and female:
            family += "a"
        name = f"{family} {given}" if family_first else f"{given} {family}"
        name_latin = None
        category, visa = _FOREIGN_STATUS(rng)
    else:
        nationality = "KR"
        surname, surname_latin = _SURNAME(rng)
        given = rng.choice(_names.GIVEN_FEMALE if female else _names.GIVEN_MALE)
        name = surname + given
        name_latin = f"{surname_latin} {_latin_given(given)}"
        category = _DOMESTIC_CATEGORY(rng)
    korean = nationality == "KR" or (foreign and rng.random() < 0.15)
    abroad = category is TalentCategory.OVERSEAS
    region = None if abroad else _TALENT_REGION(rng)
    student = category is TalentCategory.STUDENT
    researcher = category is TalentCategory.RESEARCHER

    # age and education
    age = rng.randint(21, 30) if student else 24 + int(rng.betavariate(2.0, 4.5) * 32)
    birth_year = today.year - age
    education, grad_age = _education(ctx, rng, nationality, student, researcher, age, birth_year, korean)
    experience = 0.0 if student else max(0.0, age - grad_age - rng.random())

    role = ctx.role_pick(rng)
    if researcher and rng.random() < 0.6:
        role = next((r for r in catalog.roles if r.key == "research"), role)

    # careers
    work: list[WorkExperience] = []
    current_employer: int | None = None
    if experience >= 0.5:
        n_jobs = 1 + min(3, int(experience // rng.uniform(3.0, 6.0)))
        start = today - timedelta(days=int(experience * 365.25))
        pool = ctx.employers["academia" if researcher else "industry"]
        seeking = visa is VisaType.D10 or (not abroad and rng.random() < 0.08)
        origin = start
        span = (today - start).days
        for j in range(n_jobs):
            last = j == n_jobs - 1
            end = None if last else origin + timedelta(days=int(span / n_jobs * (j + 1)))
            if last and seeking:
                end = today - timedelta(days=rng.randint(20, 200))
                end = max(end, start + timedelta(days=30))
            pos, org_ko, org_en = rng.choice(pool)
            seniority = min(3, j + int(experience > 10))
            title = (
                _texts.SENIORITY_KO[seniority] + role.label_ko
                if korean
                else _texts.SENIORITY_EN[seniority] + role.label_en
            )
            work.append(
                ctx.make(
                    WorkExperience,
                    organization=org_ko if korean else org_en,
                    title=title,
                    start=start,
                    end=end,
                )
            )
            if last and end is None and not abroad:
                current_employer = pos
            start = (end or today) + timedelta(days=rng.randint(0, 40))
            if start >= today:
                break

    # skills
    n_skills = rng.randint(4, 9)
    chosen = list(role.core[: rng.randint(2, len(role.core))])
    extras = list(role.extra)
    rng.shuffle(extras)
    chosen += extras[: max(0, n_skills - len(chosen))]
    if catalog.general and rng.random() < 0.7:
        chosen.append(rng.choice(catalog.general))
    chosen = list(dict.fromkeys(chosen))
    skills = []
    for k, sid in enumerate(chosen):
        base = 2 + min(2.5, experience / 4) + (0.5 if k < 2 else 0)
        level = max(1, min(5, round(base + rng.gauss(0, 0.7))))
        years = (
            None
            if rng.random() < 0.15
            else round(rng.uniform(0.3, max(0.5, experience + (2 if student else 1))), 1)
        )
        skills.append(ctx.make(SkillClaim, skill_id=sid, level=level, years=years))

    resume = _resume(rng, name, role, education, work, chosen, korean, experience, catalog)

    employment = [EmploymentType.FULL_TIME]
    if student:
        employment = [EmploymentType.INTERNSHIP, EmploymentType.PBL] + (
            [EmploymentType.FULL_TIME] if rng.random() < 0.5 else []
        )
    elif category is TalentCategory.EMPLOYEE:
        employment = [EmploymentType.SECONDMENT] + ([EmploymentType.FULL_TIME] if rng.random() < 0.5 else [])
    elif researcher:
        employment = [EmploymentType.FULL_TIME, EmploymentType.JOINT_RND]
    elif rng.random() < 0.15:
        employment.append(EmploymentType.SECONDMENT)

    salary = None
    if not student or rng.random() < 0.3:
        salary = int(min(25_000, max(2_800, 3_600 + 520 * experience + rng.gauss(0, 600))) // 100 * 100)

    local = slug(name_latin or name) or "talent"
    email = f"{local}.{index}@{_EMAIL_DOMAINS[index % 3]}" if rng.random() < 0.97 else None
    if abroad and foreign:
        phone = f"+{_COUNTRY_CODE.get(nationality, 1)} {rng.randint(100, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"  # fmt: skip
    else:
        phone = f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    desired = [role.occupation_id or role.key]
    if rng.random() < 0.25:
        other = ctx.role_pick(rng)
        if other.key != role.key:
            desired.append(other.occupation_id or other.key)

    return ctx.make(
        TalentData,
        external_id=f"demo-talent-{index:07d}",
        name=name,
        name_latin=name_latin,
        email=email,
        phone=phone,
        gender=gender,
        birth_year=birth_year,
        category=category,
        region=region,
        nationality=nationality,
        visa_type=visa,
        visa_expires=today + timedelta(days=rng.randint(60, 1100)) if visa else None,
        education=education,
        work_history=work,
        skills=skills,
        resume_text=resume,
        desired_roles=desired,
        employment_types=employment,
        salary_expectation=salary,
        available_from=today + timedelta(days=rng.randint(0, 180)),
        current_employer_id=current_employer,
        consent_visible=rng.random() < 0.85,
        consent_statistics=rng.random() < 0.92,
    )


def _education(
    ctx: _Context,
    rng: random.Random,
    nationality: str,
    student: bool,
    researcher: bool,
    age: int,
    birth_year: int,
    korean: bool,
) -> tuple[list[Education], int]:
    field_ko, field_en = _FIELD(rng)
    subject = field_ko if korean else field_en
    home = _places.FOREIGN_UNIVERSITIES.get(nationality)

    def school(abroad_ok: bool) -> str:
        if home and abroad_ok:
            return rng.choice(home)
        ko, en, _region = _UNIVERSITY(rng)
        return ko if korean else en

    degrees = [Degree.BACHELOR]
    if researcher:
        degrees.append(Degree.MASTER)
        if rng.random() < 0.6:
            degrees.append(Degree.DOCTORATE)
    elif rng.random() < 0.4:
        degrees.append(Degree.MASTER)
        if rng.random() < 0.12:
            degrees.append(Degree.DOCTORATE)
    finish = {Degree.BACHELOR: 24, Degree.MASTER: 26, Degree.DOCTORATE: 31}
    if student:  # still studying: the last degree is expected in the future
        degrees = degrees[: 1 + (age >= 25) + (age >= 28)]
    out = []
    for k, degree in enumerate(degrees):
        year = birth_year + finish[degree] + rng.randint(-1, 1)
        if student and k == len(degrees) - 1:
            year = max(year, DEMO_TODAY.year + rng.randint(0, 2))
        out.append(
            ctx.make(
                Education,
                degree=degree,
                field=subject,
                institution=school(k == 0 or rng.random() < 0.4),
                year=year,
            )
        )
    grad_age = finish[degrees[-1]]
    return out, grad_age


def _resume(
    rng: random.Random,
    name: str,
    role: Role,
    education: list[Education],
    work: list[WorkExperience],
    skill_ids: list[str],
    korean: bool,
    experience: float,
    catalog: SkillCatalog,
) -> str:
    labels = [catalog.label(s, korean=False) for s in skill_ids]
    top = education[-1]
    parts = []
    if korean:
        parts.append(f"{top.institution} {top.field} {_texts.DEGREE_KO[top.degree.value]}.")
        if work:
            last = work[-1]
            parts.append(
                f"{last.organization}에서 {_josa(last.title or role.label_ko, '으로', '로')} 근무 (총 경력 {experience:.0f}년)."
            )
        else:
            parts.append(f"{role.label_ko} 직무를 희망하는 신입/재학생입니다.")
    else:
        parts.append(f"{_degree_en(top.degree)} in {top.field}, {top.institution}.")
        if work:
            last = work[-1]
            parts.append(f"{last.title} at {last.organization} ({experience:.0f} years of experience).")
        else:
            parts.append(f"Looking for a {role.label_en} position in Korea.")
    phrases = list(role.phrases)
    rng.shuffle(phrases)
    for phrase in phrases[: rng.randint(1, 3)]:
        parts.append(phrase.format(skill=rng.choice(labels[:4] or labels)) + ".")
    if korean:
        parts.append("주요 기술: " + ", ".join(labels) + ".")
    else:
        parts.append("Skills: " + ", ".join(labels) + ".")
        if rng.random() < 0.4:
            parts.append(f"TOPIK {rng.randint(2, 6)}급, 한국어로 업무 소통 가능.")
    return " ".join(parts)


def _degree_en(degree: Degree) -> str:
    return {"bachelor": "B.S.", "master": "M.S.", "doctorate": "Ph.D.", "associate": "A.S."}.get(
        degree.value, "Diploma"
    )


def iter_talents(
    n: int,
    seed: int,
    *,
    chunk: int = 10_000,
    organizations: Sequence[OrganizationData] | None = None,
    start: int = 1,
    today: date = DEMO_TODAY,
    validate: bool = True,
) -> Iterator[list[TalentData]]:
    """Stream ``n`` talents as lists of at most ``chunk`` records (for 1,000,000-talent benchmarks).

    ``organizations``: the employers to draw careers from; their 1-based positions become
    ``current_employer_id``. Without it, employer names come from ``generate_organizations(200, seed)`` and
    ``current_employer_id`` stays empty. ``start`` is the 1-based index of the first talent (external ids are
    ``demo-talent-<index>``), so a large set can be produced in independent slices. Deterministic for
    (seed, organizations, today), independent of ``chunk``. ``validate=False`` skips pydantic validation
    (``model_construct``; the records are the same, the tests check they validate) and roughly halves the time:
    about 4,000 talents/s validated, 8,000/s without, on one core.
    """
    ctx = _context(organizations, seed, today, validate)
    buffer: list[TalentData] = []
    for block, first, stop in _blocks(start, n):
        rng = random.Random(f"{seed}:talents:{block}")
        # advance to ``first`` inside the block so slices agree with a whole run
        for index in range(block * BLOCK + 1, stop):
            talent = _talent(index, rng, ctx)
            if index >= first:
                buffer.append(talent)
                if len(buffer) >= chunk:
                    yield buffer
                    buffer = []
    if buffer:
        yield buffer
