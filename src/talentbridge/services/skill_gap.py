"""Skill gaps as use cases: a talent against an opening, an occupation (built-in role or ESCO occupation) or a
list of skills with levels (``upskilling/gap.py`` diagnoses), and how many course hours would close the gap
(the planner, ``talentbridge.upskilling.plan``, over the course catalogue, objective hours).

    gap_for_talent(session, talent_id, "opening", "12")          → GapReport
    learnable_hours(session, talent, requirements)                → LearnEstimate(hours, courses, unreachable)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from talentbridge.domain.errors import NotFound, Problem, ValidationFailed
from talentbridge.upskilling.gap import GapReport, Requirement, diagnose

__all__ = [
    "LearnEstimate",
    "TARGET_KINDS",
    "catalogue_instance",
    "find_occupation",
    "gap_for_talent",
    "held_skills",
    "learnable_for_opening",
    "learnable_hours",
    "occupation_label",
    "plan_courses",
    "target_requirements",
    "taxonomy_and_graph",
]

TARGET_KINDS = ("opening", "occupation", "skills")
_lock = threading.Lock()
_graphs: dict[int, tuple[Any, Any]] = {}


def taxonomy_and_graph(session: Any) -> tuple[Any, Any]:
    from talentbridge.matching.graph import SkillGraph
    from talentbridge.services.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(session)
    if not len(taxonomy):
        from talentbridge.skills.builtin import load_builtin

        taxonomy = load_builtin()
    with _lock:
        hit = _graphs.get(id(taxonomy))
        if hit is None or hit[0] is not taxonomy:
            hit = _graphs[id(taxonomy)] = (taxonomy, SkillGraph(taxonomy))
    return hit


def target_requirements(session: Any, taxonomy: Any, kind: str, ref: str) -> tuple[str, list[Requirement]]:
    """(label, requirements) of a target: ``opening`` (its id; its required skills), ``occupation`` (a taxonomy
    occupation id; essential skills as must, optional as nice) or ``skills`` (``python:3, pytorch``: must)."""
    if kind == "opening":
        from talentbridge.services.registry import registry

        try:
            opening = registry(session).openings.get(int(ref))
        except ValueError:
            raise NotFound("opening", ref) from None
        reqs = [Requirement(r.skill_id, r.min_level, str(r.importance)) for r in opening.required_skills]
        return opening.title, reqs
    if kind == "occupation":
        occ = taxonomy.occupations.get(ref) or find_occupation(taxonomy, ref)
        if occ is None:
            raise NotFound("occupation", ref)
        reqs = [Requirement(s, 2, "must") for s in occ.essential_skills]
        reqs += [Requirement(s, 1, "nice") for s in occ.optional_skills]
        return occ.label_ko or occ.label_en, reqs
    if kind == "skills":
        reqs, problems = [], []
        for n, part in enumerate((p.strip() for p in ref.replace(";", ",").split(",")), start=1):
            if not part:
                continue
            skill, sep, level = part.rpartition(":")
            if not (sep and level.isdigit()):
                skill, level = part, "1"
            if skill not in taxonomy.skills or not 1 <= int(level) <= 5:
                problems.append(
                    Problem(loc=("target", n), msg="a taxonomy skill id, optionally :level 1–5", value=part)
                )
                continue
            reqs.append(Requirement(skill, int(level), "must"))
        if problems or not reqs:
            raise ValidationFailed(
                "the target skills cannot be read", problems or [Problem(loc=("target",), msg="required")]
            )
        return ", ".join(r.skill_id for r in reqs), reqs
    raise ValidationFailed(
        "unknown target", [Problem(loc=("kind",), msg=f"one of {', '.join(TARGET_KINDS)}", value=kind)]
    )


def occupation_label(occ: Any) -> str:
    """The picker's text of an occupation: ``데이터 분석가 (Data analyst)``, or the one name it has."""
    ko, en = (occ.label_ko or "").strip(), (occ.label_en or "").strip()
    return f"{ko} ({en})" if ko and en and ko != en else ko or en or occ.id


def find_occupation(taxonomy: Any, text: str) -> Any | None:
    """The occupation a person picked by name: its picker text, its Korean or its English name (case and spaces
    ignored); built-in roles first when several share a name. ``None`` when no name matches."""
    key = " ".join(text.split()).casefold()
    if not key:
        return None
    hits = [
        o
        for o in taxonomy.occupations.values()
        if key in {" ".join(n.split()).casefold() for n in (occupation_label(o), o.label_ko or "", o.label_en or "")}
    ]
    hits.sort(key=lambda o: (not o.builtin, o.id))
    return hits[0] if hits else None


def held_skills(talent: Any) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json") for s in talent.skills]


def gap_for_talent(session: Any, talent_id: int, kind: str, ref: str) -> tuple[str, GapReport]:
    from talentbridge.services.registry import registry

    taxonomy, graph = taxonomy_and_graph(session)
    talent = registry(session).talents.get(talent_id)
    label, reqs = target_requirements(session, taxonomy, kind, ref)
    return label, diagnose(held_skills(talent), reqs, graph)


# -- closing the gap with courses ------------------------------------------------------------------------------


@dataclass
class LearnEstimate:
    hours: float = 0.0
    fee: int = 0
    programme_pays: int = 0
    courses: list[Any] = field(default_factory=list)  # domain Course, in path order
    unreachable: list[str] = field(default_factory=list)  # skills no course (sequence) teaches
    status: str = "optimal"


def _dedupe(courses: list[Any]) -> list[Any]:
    """One run per (provider, title): the KDT file lists every run of a course; keep the latest."""
    best: dict[tuple[str, str], Any] = {}
    for c in courses:
        key = (c.provider, c.title)
        old = best.get(key)
        if old is None or (c.start_date or c.id) and str(c.start_date or "") > str(old.start_date or ""):
            best[key] = c
    return list(best.values())


def catalogue_instance(courses: list[Any], targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Planner courses relevant to ``targets``: those teaching a target skill and, transitively, those teaching
    their prerequisites (the planner reduces again; this only keeps the instance small)."""
    teaches: dict[str, list[Any]] = {}
    for c in courses:
        for s in c.teaches:
            teaches.setdefault(s.skill_id, []).append(c)
    wanted = [t["skill"] for t in targets]
    seen_skills: set[str] = set()
    keep: dict[int, Any] = {}
    while wanted:
        skill = wanted.pop()
        if skill in seen_skills:
            continue
        seen_skills.add(skill)
        for c in teaches.get(skill, ()):
            if c.id not in keep:
                keep[c.id] = c
                wanted.extend(r.skill_id for r in c.requires)
    return [
        {
            "id": str(c.id),
            "hours": c.hours,
            "fee": c.fee,
            "requires": [{"skill": r.skill_id, "level": r.level} for r in c.requires],
            "provides": [{"skill": t.skill_id, "level": t.level} for t in c.teaches],
        }  # fmt: skip
        for c in keep.values()
    ]


def plan_courses(
    courses: list[Any], profile: list[dict[str, Any]], targets: list[dict[str, Any]], objective: str = "hours"
) -> LearnEstimate:
    """The planner's path over ``courses`` (domain ``Course``) from ``profile`` to ``targets``."""
    from talentbridge.upskilling import plan

    if not targets:
        return LearnEstimate()
    by_id = {str(c.id): c for c in courses}
    instance = {
        "courses": catalogue_instance(courses, targets),
        "profile": [{"skill": p["skill_id"], "level": int(p.get("level") or 1)} for p in profile],
        "target": targets,
        "objective": objective,
        "time_limit_s": 2,
    }
    result = plan(instance)
    path = [by_id[step["course"]] for step in result["path"]]
    return LearnEstimate(
        hours=float(result["total"]["hours"]),
        fee=int(result["total"]["fee"]),
        programme_pays=sum(c.programme_pays for c in path),
        courses=path,
        unreachable=[u["skill"] for u in result["uncovered"]],
        status=result["status"],
    )


def learnable_hours(
    session: Any, talent: Any, requirements: list[Requirement], courses: list[Any] | None = None
) -> tuple[GapReport, LearnEstimate]:
    """The gap of ``talent`` and the fewest course hours that close its missing must-haves."""
    from talentbridge.services.course_catalogue import course_store

    _, graph = taxonomy_and_graph(session)
    report = diagnose(held_skills(talent), requirements, graph)
    targets = [{"skill": i.skill_id, "level": i.level} for i in report.missing_must]
    if not targets:
        return report, LearnEstimate()
    if courses is None:
        courses = _dedupe(course_store(session).all())
    return report, plan_courses(courses, held_skills(talent), targets)


def learnable_for_opening(session: Any, opening_id: int, talents: list[Any]) -> list[dict[str, Any] | None]:
    """For each talent: ``{"missing": n must-haves not met, "hours": course hours to learn them, "unreachable":
    how many of them no course teaches}``, or None when nothing must-have is missing or there is no catalogue."""
    from talentbridge.services.course_catalogue import course_store

    store = course_store(session)
    if not talents or not store.count():
        return [None] * len(talents)
    taxonomy, _ = taxonomy_and_graph(session)
    _, reqs = target_requirements(session, taxonomy, "opening", str(opening_id))
    courses = _dedupe(store.all())
    out: list[dict[str, Any] | None] = []
    for talent in talents:
        report, estimate = learnable_hours(session, talent, reqs, courses)
        n = len(report.missing_must)
        out.append(
            None if n == 0 else {"missing": n, "hours": round(estimate.hours), "unreachable": len(estimate.unreachable)}
        )
    return out
