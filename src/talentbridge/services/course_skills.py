"""Skills a course teaches, inferred from its title, description and NCS name (Korean and English) by the skills
extraction service, each with its evidence: the words of the course text it was found in.

* Every skill the text names outright (``via="explicit"``) is kept; inferred (semantic) ones above
  ``services.inference.MIN_CONFIDENCE``, up to ``MAX_SKILLS`` in all.
* Level taught: 2 (intermediate) for a course of at least ``LONG_COURSE_HOURS`` hours, else 1.
* A course whose text gives nothing gets the skills that at least a third of the other courses of its NCS code
  were found to teach (evidence: "NCS <code> <name>"), so a terse title still says something.
Identical texts are extracted once (the KDT file repeats each course for every run).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from talentbridge.config import Settings
from talentbridge.domain.course import CourseData, CourseSkill, CourseSkillSource

__all__ = ["course_text", "make_inferrer", "infer_course_skills", "MAX_SKILLS", "LONG_COURSE_HOURS"]

MAX_SKILLS = 8
LONG_COURSE_HOURS = 300


def course_text(course: CourseData) -> str:
    parts = [course.title, course.title_en, course.ncs_name, course.description, course.description_en]
    return "\n".join(p for p in parts if p)


def infer_course_skills(courses: list[CourseData], inference: Any) -> list[list[CourseSkill]]:
    """For each course, its inferred taught skills (possibly empty). ``inference``: ``services.inference.
    SkillInference``."""
    from talentbridge.services.inference import MIN_CONFIDENCE

    texts = [course_text(c) for c in courses]
    unique = list(dict.fromkeys(texts))
    extracted = inference.services.extractor.extract_many(unique, top=MAX_SKILLS) if unique else []
    by_text: dict[str, list[tuple[str, float, str]]] = {}
    for text, found in zip(unique, extracted, strict=True):
        out: dict[str, tuple[str, float, str]] = {}
        for skill in found:
            sid = inference._skill_id(skill.uri)
            explicit = skill.via == "explicit"
            if sid is None or sid in out or (not explicit and skill.score < MIN_CONFIDENCE):
                continue
            evidence = " … ".join(dict.fromkeys(text[a:b] for a, b in skill.spans[:3])) or skill.label
            out[sid] = (sid, float(min(1.0, max(skill.score, MIN_CONFIDENCE if explicit else 0.0))), evidence[:300])
        by_text[text] = list(out.values())[:MAX_SKILLS]

    results: list[list[CourseSkill]] = []
    for course, text in zip(courses, texts, strict=True):
        level = 2 if course.hours >= LONG_COURSE_HOURS else 1
        results.append(
            [
                CourseSkill(
                    skill_id=sid,
                    level=level,
                    source=CourseSkillSource.INFERRED,
                    confidence=round(conf, 3),
                    evidence=evidence,
                )
                for sid, conf, evidence in by_text.get(text, [])
            ]  # fmt: skip
        )
    _fill_from_ncs(courses, results)
    return results


def _fill_from_ncs(courses: list[CourseData], results: list[list[CourseSkill]]) -> None:
    counts: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter()
    for course, skills in zip(courses, results, strict=True):
        if course.ncs_code and skills:
            sizes[course.ncs_code] += 1
            counts.setdefault(course.ncs_code, Counter()).update(s.skill_id for s in skills)
    for i, course in enumerate(courses):
        if results[i] or not course.ncs_code or course.ncs_code not in counts:
            continue
        size = sizes[course.ncs_code]
        common = [sid for sid, n in counts[course.ncs_code].most_common(MAX_SKILLS) if n * 3 >= size]
        level = 2 if course.hours >= LONG_COURSE_HOURS else 1
        evidence = f"NCS {course.ncs_code} {course.ncs_name or ''}".strip()
        results[i] = [
            CourseSkill(skill_id=sid, level=level, source=CourseSkillSource.INFERRED, confidence=0.3, evidence=evidence)
            for sid in common
        ]


def make_inferrer(settings: Settings) -> Any:
    """``infer(courses) -> taught skills`` for ``import_courses``, or None when ``Settings.infer_skills`` is off."""
    if not getattr(settings, "infer_skills", True):
        return None
    from talentbridge.services.inference import SkillInference

    def infer(courses: list[CourseData]) -> list[list[CourseSkill]]:
        return infer_course_skills(courses, SkillInference.from_settings(settings))

    return infer
