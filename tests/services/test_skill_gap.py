"""Closing a gap with courses (issue 15): the planner over the catalogue gives the fewest hours that teach the
missing must-haves ("2 must-haves missing, learnable in 120 h"), prerequisites first, one run per course."""

from __future__ import annotations

from datetime import date

from talentbridge.domain.course import Course, CourseSkill
from talentbridge.services.skill_gap import _dedupe, plan_courses


def _course(id_: int, hours: float, teaches: list[str], requires: list[str] = (), fee: int = 0, **kw) -> Course:  # type: ignore[assignment,no-untyped-def]
    return Course(id=id_, provider="p", title=f"c{id_}", hours=hours, fee=fee, programme_share=0.5,
                  teaches=[CourseSkill(skill_id=s, level=2) for s in teaches],
                  requires=[CourseSkill(skill_id=s, level=1) for s in requires], **kw)  # fmt: skip


def test_fewest_hours_with_prerequisites_first_and_unreachable_reported() -> None:
    courses = [
        _course(1, 400, ["pytorch", "mlops"]),
        _course(2, 80, ["pytorch"], requires=["python"], fee=100_000),
        _course(3, 40, ["python"]),
        _course(4, 60, ["mlops"]),
    ]
    targets = [{"skill": "pytorch", "level": 2}, {"skill": "mlops", "level": 1}, {"skill": "rust", "level": 1}]
    estimate = plan_courses(courses, [], targets)
    assert [c.id for c in estimate.courses].index(3) < [c.id for c in estimate.courses].index(2)
    assert sorted(c.id for c in estimate.courses) == [2, 3, 4]
    assert (estimate.hours, estimate.fee, estimate.programme_pays) == (180, 100_000, 50_000)
    assert estimate.unreachable == ["rust"]
    # already holding Python: the prerequisite course is not needed
    held = plan_courses(courses, [{"skill_id": "python", "level": 3}], targets)
    assert sorted(c.id for c in held.courses) == [2, 4] and held.hours == 140


def test_one_run_per_course_the_latest() -> None:
    runs = [
        _course(1, 10, ["python"], start_date=date(2023, 1, 1)),
        _course(2, 10, ["python"], start_date=date(2025, 1, 1)),
    ]
    runs[1] = runs[1].model_copy(update={"title": "c1"})
    assert [c.id for c in _dedupe(runs)] == [2]
