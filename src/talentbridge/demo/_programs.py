"""The demo's four programmes: a talent exchange, a manufacturing-AI PBL, a startup internship and a joint R&D
programme."""

from __future__ import annotations

from datetime import date

from talentbridge.demo._common import DEMO_TODAY
from talentbridge.domain import ProgramData
from talentbridge.domain.enums import ProgramKind, ProgramStatus

__all__ = ["generate_programs"]


def generate_programs(seed: int, today: date = DEMO_TODAY) -> list[ProgramData]:
    """A talent exchange, a manufacturing-AI PBL, a startup internship and a joint R&D programme."""
    year = today.year + (1 if today.month >= 10 else 0)
    return [
        ProgramData(
            external_id="demo-program-exchange",
            name=f"{year} 대기업·스타트업 AI 인재교류",
            kind=ProgramKind.TALENT_EXCHANGE,
            description="대기업·중견기업 AI 인력이 6~12개월간 AI 스타트업과 제조기업에 파견되어 함께 일합니다.",
            start_date=date(year, 3, 1),
            end_date=date(year, 12, 31),
            status=ProgramStatus.ACTIVE,
            settings={"mechanism": "da", "max_secondment_months": 12, "regional_caps": {"capital_area": 0.6}},
        ),
        ProgramData(
            external_id="demo-program-pbl",
            name=f"{year} 제조 AI PBL (울산·창원·구미)",
            kind=ProgramKind.PBL,
            description="대학생·대학원생 팀이 제조기업의 실제 공정 데이터로 문제를 해결하는 프로젝트 기반 학습.",
            start_date=date(year, 3, 2),
            end_date=date(year, 6, 30),
            status=ProgramStatus.PLANNED,
            settings={"team_size": 4, "min_team_size": 3, "mechanism": "da"},
        ),
        ProgramData(
            external_id="demo-program-internship",
            name=f"{year} AI 스타트업 하계 인턴십",
            kind=ProgramKind.INTERNSHIP,
            description="AI 스타트업에서 2~6개월간 인턴으로 일하는 프로그램 (외국인 유학생 D-2 포함).",
            start_date=date(year, 7, 1),
            end_date=date(year, 8, 31),
            status=ProgramStatus.PLANNED,
            settings={"mechanism": "da", "proposing": "applicants"},
        ),
        ProgramData(
            external_id="demo-program-joint-rnd",
            name=f"{year} 산학연 AI 공동연구",
            kind=ProgramKind.JOINT_RND,
            description="출연연·대학·제조기업이 함께 수행하는 산업 AI 공동연구 매칭.",
            start_date=date(year, 4, 1),
            end_date=date(year + 1, 3, 31),
            status=ProgramStatus.PLANNED,
            settings={"mechanism": "max-welfare"},
        ),
    ]
