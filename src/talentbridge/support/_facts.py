"""The facts rules may ask about: name, type, Korean and English label. Facts come from the organization, the
person, the offer (an opening or a placement's pay) and the placement; a missing fact is *unknown*, never false."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from talentbridge.domain.errors import Problem, ValidationFailed

__all__ = ["Fact", "FACTS", "DEGREES", "FACT_MESSAGES", "normalize_facts", "fact_label", "format_value"]

#: Every message a bad fact can get (pages translate them).
FACT_MESSAGES = (
    "unknown fact",
    "expected yes or no",
    "expected a whole number",
    "expected a number",
    "number out of range",
    "must not be negative",
    "deductions are zero or negative",
    "must be a number from 0",
    "expected a date (YYYY-MM-DD)",
    "expected one of the listed values",
)

DEGREES = ("high_school", "associate", "bachelor", "master", "doctorate")


@dataclass(frozen=True)
class Fact:
    name: str
    type: str  # int, money, float, bool, str, date, degree, choice
    ko: str
    en: str
    choices: tuple[str, ...] = ()


def _f(name: str, type_: str, ko: str, en: str, choices: tuple[str, ...] = ()) -> tuple[str, Fact]:
    return name, Fact(name, type_, ko, en, choices)


FACTS: dict[str, Fact] = dict(
    [
        _f("organization.kind", "str", "기관 유형", "organization kind"),
        _f("organization.region", "str", "기관 소재지", "organization's region"),
        _f("organization.capital_region", "bool", "수도권 소재", "in the capital region"),
        _f("organization.employees", "int", "상시 근로자 수", "employees"),
        _f("organization.is_sme", "bool", "중소기업(우선지원대상기업)", "SME (priority-support enterprise)"),
        _f("organization.is_midsize", "bool", "중견기업", "mid-sized enterprise"),
        _f("organization.in_industrial_complex", "bool", "산업단지 입주", "in an industrial complex"),
        _f(
            "organization.area_type",
            "choice",
            "비수도권 지역 구분",
            "non-capital area type",
            ("general", "preferred", "special"),
        ),
        _f("organization.venture_certified", "bool", "벤처기업 확인", "certified venture"),
        _f("organization.has_rnd_lab", "bool", "기업부설연구소·연구개발전담부서", "R&D lab or dedicated R&D unit"),
        _f("organization.industry", "str", "업종(KSIC 대분류)", "industry (KSIC section)"),
        _f("organization.vacancy_industry", "bool", "빈일자리 업종", "vacancy industry"),
        _f("organization.manufacturing_ai", "bool", "제조AI 중소기업", "manufacturing-AI SME"),
        _f("organization.high_tech", "bool", "첨단기술 기업", "high-tech firm"),
        _f(
            "organization.sector",
            "choice",
            "첨단 분야",
            "high-tech sector",
            ("semiconductor", "bio", "battery", "display", "ai", "other"),
        ),
        _f("organization.korean_corporation", "bool", "국내 법인", "Korean corporation"),
        _f("organization.years_since_founding", "float", "창업 후 경과 연수", "years since founding"),
        _f("person.age", "int", "나이(만)", "age"),
        _f("person.foreign", "bool", "외국인", "foreign national"),
        _f("person.nationality", "str", "국적", "nationality"),
        _f("person.degree", "degree", "최종 학위", "highest degree"),
        _f("person.degree_stem", "bool", "이공계 학위", "STEM degree"),
        _f("person.degree_from_korea", "bool", "국내 학위", "degree from a Korean school"),
        _f("person.degree_related", "bool", "직무 관련 전공", "degree related to the job"),
        _f("person.years_since_degree", "float", "학위 취득 후 경과 연수", "years since the degree"),
        _f("person.years_experience", "float", "경력 연수", "years of experience"),
        _f("person.research_years", "float", "연구 경력 연수", "years of research career"),
        _f("person.hard_to_employ", "bool", "취업애로청년", "youth with employment difficulty (취업애로청년)"),
        _f("person.unemployed_months", "int", "실업 기간(개월)", "months unemployed"),
        _f("person.top_university", "bool", "세계 100위 이내 대학 졸업", "graduate of a world top-100 university"),
        _f(
            "person.global_firm_years",
            "float",
            "글로벌 500대 기업·최상위 연구기관 경력 연수",
            "years at a Global-500 firm or top institute",
        ),
        _f("person.postdoc_years", "float", "박사후 연구 경력 연수", "years of post-doctoral research"),
        _f("person.sme_tenure_months", "int", "중소기업 재직 기간(개월)", "months employed at an SME"),
        _f(
            "person.public_institute_researcher",
            "bool",
            "공공연구기관 석·박사 연구인력",
            "MA/PhD researcher of a public research institute",
        ),
        _f("person.officer_or_employee", "bool", "해당 벤처기업 임직원", "officer or employee of the venture"),
        _f("person.major_shareholder", "bool", "10% 이상 주주", "shareholder of 10% or more"),
        _f("person.points_age", "int", "점수: 나이", "points: age"),
        _f("person.points_education", "int", "점수: 학력", "points: education"),
        _f("person.points_korean", "int", "점수: 한국어 능력", "points: Korean language"),
        _f("person.points_income", "int", "점수: 연간 소득", "points: yearly income"),
        _f("person.points_bonus", "int", "점수: 가점", "points: bonus items"),
        _f("person.points_deduction", "int", "점수: 감점(음수)", "points: deductions (negative)"),
        _f("person.points_basic", "int", "점수: 기본 항목", "points: basic items"),
        _f("person.points_optional", "int", "점수: 선택 항목", "points: optional items"),
        _f("person.oasis_points", "int", "OASIS 점수", "OASIS points"),
        _f("offer.annual_salary", "money", "연봉(원)", "yearly pay (KRW)"),
        _f("offer.research_role", "bool", "연구 전담 직무", "dedicated research role"),
        _f("offer.full_time", "bool", "정규직(기간의 정함이 없는 근로)", "permanent full-time contract"),
        _f("placement.start_date", "date", "채용일", "hire date"),
        _f("placement.months_employed", "int", "고용 유지 기간(개월)", "months employed"),
        _f("options.years_since_grant", "float", "부여 결의 후 경과 연수", "years since the grant resolution"),
        _f("options.pool_share", "float", "발행주식 대비 부여 비율", "options granted as a share of issued shares"),
        _f(
            "options.exercise_price_total_2y",
            "money",
            "직전 2개년 행사가액 합계(원)",
            "exercise price total over the prior 2 years (KRW)",
        ),
    ]
)


#: Words for coded values (degrees, area types, sectors) in Korean and English.
VALUE_LABELS: dict[str, tuple[str, str]] = {
    "high_school": ("고졸", "high school"),
    "associate": ("전문학사", "associate degree"),
    "bachelor": ("학사", "bachelor's"),
    "master": ("석사", "master's"),
    "doctorate": ("박사", "doctorate"),
    "general": ("일반 지역", "general area"),
    "preferred": ("우대지원 지역", "preferred-support area"),
    "special": ("특별지원 지역", "special-support area"),
    "semiconductor": ("반도체", "semiconductors"),
    "bio": ("바이오", "bio"),
    "battery": ("이차전지", "batteries"),
    "display": ("디스플레이", "displays"),
    "ai": ("인공지능", "AI"),
    "other": ("기타", "other"),
}


def fact_label(name: str, lang: str) -> str:
    fact = FACTS.get(name)
    if fact is None:
        return name
    return fact.ko if lang == "ko" else fact.en


def format_value(name: str, value: Any, lang: str) -> str:
    """A fact's value in words: money with thousands separators and ₩, yes/no in the reader's language."""
    if value is None:
        return "?" if lang == "en" else "미상"
    fact = FACTS.get(name)
    if isinstance(value, bool):
        return ("예" if value else "아니오") if lang == "ko" else ("yes" if value else "no")
    if fact is not None and fact.type == "money" and isinstance(value, int | float):
        return f"₩{int(value):,}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(format_value(name, v, lang) for v in value)
    if isinstance(value, str) and value in VALUE_LABELS:
        ko, en = VALUE_LABELS[value]
        return ko if lang == "ko" else en
    return str(value)


def _coerce(fact: Fact, value: Any) -> Any:
    if value is None or value == "":
        return None
    t = fact.type
    if t == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "yes", "1", "예", "y"):
            return True
        if isinstance(value, str) and value.lower() in ("false", "no", "0", "아니오", "n"):
            return False
        raise ValueError("expected yes or no")
    if t in ("int", "money"):
        if isinstance(value, bool):
            raise ValueError("expected a whole number")
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("expected a whole number") from None
        if number != int(number):
            raise ValueError("expected a whole number")
        if abs(number) > 10**15:
            raise ValueError("number out of range")
        if fact.name == "person.points_deduction":
            if number > 0:
                raise ValueError("deductions are zero or negative")
        elif number < 0:
            raise ValueError("must not be negative")
        return int(number)
    if t == "float":
        if isinstance(value, bool):
            raise ValueError("expected a number")
        try:
            number = float(str(value).replace(",", ""))
        except ValueError:
            raise ValueError("expected a number") from None
        if not (0 <= number < 1e9):
            raise ValueError("must be a number from 0")
        return number
    if t == "date":
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise ValueError("expected a date (YYYY-MM-DD)") from None
    if t == "degree":
        if value not in DEGREES:
            raise ValueError("expected one of the listed values")
        return value
    if t == "choice":
        if value not in fact.choices:
            raise ValueError("expected one of the listed values")
        return value
    return str(value)


def normalize_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Flatten ``{"person": {"age": 29}}`` or ``{"person.age": 29}`` into typed dotted facts.

    Raises ``ValidationFailed`` listing every unknown fact and every value of the wrong type at once.
    """
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for name, value in flat.items():
        fact = FACTS.get(name)
        if fact is None:
            problems.append(Problem(loc=("facts", name), msg="unknown fact", type="unknown_fact"))
            continue
        try:
            coerced = _coerce(fact, value)
        except (TypeError, ValueError) as exc:
            problems.append(Problem(loc=("facts", name), msg=str(exc), value=value, type="fact_type"))
            continue
        if coerced is not None:
            out[name] = coerced
    if problems:
        raise ValidationFailed("some facts are not understood", problems)
    return out
