"""Saved training plans (services/saved_training_plans.py), property-tested: whatever group is saved and whatever
group it is edited to, the plan holds exactly the new group's courses, its totals are the sum of each person's
own plan, and a course already started or completed keeps its status while new ones start as planned."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.domain import OrganizationData, TalentData
from talentbridge.domain.course import CourseData, CourseSkill
from talentbridge.services import saved_training_plans as plans
from talentbridge.services.course_catalogue import course_store
from talentbridge.services.registry import registry
from talentbridge.services.training_plans import team_plan
from talentbridge.storage import Database

SKILLS = ("pytorch", "kubernetes", "sql")
TARGET = "pytorch:2, kubernetes:1, sql:2"
people = st.lists(st.sets(st.sampled_from(SKILLS)), min_size=4, max_size=4)
groups = st.lists(st.integers(0, 3), min_size=1, max_size=4)


def _courses(session: Any) -> None:
    if course_store(session).count():
        return
    course_store(session).upsert_many([
        (CourseData(external_id=f"c-{s}", provider="p", title=f"{s} 과정", hours=10 * (n + 1), fee=100_000 * (n + 1),
                    teaches=[CourseSkill(skill_id=s, level=2)]), False)
        for n, s in enumerate(SKILLS)
    ])  # fmt: skip


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(held=people, first=groups, second=groups, marks=st.lists(st.sampled_from(["started", "completed"]),
                                                                 min_size=0, max_size=6))  # fmt: skip
def test_edit_recomputes_the_group_and_keeps_statuses(
    sqlite_database: Database, held: list[set[str]], first: list[int], second: list[int], marks: list[str]
) -> None:
    with sqlite_database.session() as session:
        _courses(session)
        reg = registry(session)
        org = reg.organizations.add(OrganizationData(name="기관", kind="manufacturer"))
        staff = [reg.talents.add(TalentData(name=f"직원{i}", current_employer_id=org.id,
                                            skills=[{"skill_id": s, "level": 3} for s in sorted(h)])).id
                 for i, h in enumerate(held)]  # fmt: skip
        plan = plans.create_plan(session, org.id, name="", target_kind="skills", target_ref=TARGET,
                                 talent_ids=[staff[i] for i in first])  # fmt: skip
        marked: dict[tuple[int, int], str] = {}
        for status, pc in zip(marks, plan.courses, strict=False):
            plans.set_course_status(session, plan.id, org.id, pc.talent_id, pc.course_id, status)
            marked[(pc.talent_id, pc.course_id)] = status
        new_group = [staff[i] for i in second]
        after = plans.update_plan(session, plan.id, org.id, {"talent_ids": new_group})
        assert after.talent_ids == list(dict.fromkeys(new_group))
        assert {pc.talent_id for pc in after.courses} <= set(new_group)
        alone = {t: team_plan(session, org.id, "skills", TARGET, talent_ids=[t]) for t in set(new_group)}
        assert after.summary["hours"] == sum(r["hours"] for r in alone.values())
        assert after.summary["fee"] == sum(r["fee"] for r in alone.values())
        expected = {(t, c.id) for t, r in alone.items() for c in r["people"][0]["plan"].courses}
        assert {(pc.talent_id, pc.course_id) for pc in after.courses} == expected
        for pc in after.courses:
            assert pc.status == marked.get((pc.talent_id, pc.course_id), "planned")
