"""Skills a course teaches, inferred from its title, description and NCS name (Korean and English) by the skills
extraction service, each with its evidence: the words of the course text it was found in.

* Candidates: every skill the text names outright (``explicit``: a label or alias occurs in the text) and the
  semantically close ones above ``services.inference.MIN_CONFIDENCE``, up to ``MAX_SKILLS`` per course.
* Precision: a KDT course has a title and an NCS name, nothing more, so similarity alone says little (a
  bio-pharma title "teaching" C#). A candidate found only by similarity is kept when it is in the **profile** of
  the course's NCS code, or when its score is at least ``STRONG_SIMILARITY``. The profile of an NCS code: the
  skills named outright by some course of its NCS sub-category (the first six digits of the code, 소분류).
  Measured on a blind audit of 40 KDT courses (benchmarks/bench_course_skills.py): skills named outright were
  plausible 94% of the time, similarity-only ones inside that profile 37%, outside it 6%, and the score did not
  separate them (the best-scored outside ones: 1 in 33). A profile that also counted skills recurring by
  similarity in a code's titles let that noise confirm itself, so it counts named skills only. Similarity-only
  scores top out at the extractor's semantic weight (0.6), so ``STRONG_SIMILARITY`` sits above it: outside the
  profile, only textual evidence counts with the current extractor.
* Level taught: 2 (intermediate) for a course of at least ``LONG_COURSE_HOURS`` hours, else 1.
* A course left with nothing gets the skills that at least a third of the other courses of its NCS code were found
  to teach (evidence: "NCS <code> <name>"), so a terse title still says something.
Identical texts are extracted once (the KDT file repeats each course for every run).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from talentbridge.config import Settings
from talentbridge.domain.course import CourseData, CourseSkill, CourseSkillSource

__all__ = [
    "Candidate",
    "course_text",
    "course_candidates",
    "ncs_profiles",
    "select_course_skills",
    "make_inferrer",
    "infer_course_skills",
    "MAX_SKILLS",
    "LONG_COURSE_HOURS",
    "STRONG_SIMILARITY",
]

MAX_SKILLS = 8
LONG_COURSE_HOURS = 300
STRONG_SIMILARITY = 0.7  # a similarity-only skill outside the NCS profile needs at least this score (see above)
NCS_FAMILY_DIGITS = 6  # NCS 소분류: 대분류 (2) + 중분류 (2) + 소분류 (2)


@dataclass(frozen=True)
class Candidate:
    skill_id: str
    score: float
    evidence: str
    explicit: bool  # the text names the skill (a label or an alias), not only something close to it


def course_text(course: CourseData) -> str:
    parts = [course.title, course.title_en, course.ncs_name, course.description, course.description_en]
    return "\n".join(p for p in parts if p)


def course_candidates(courses: list[CourseData], inference: Any) -> list[list[Candidate]]:
    """For each course, the skills its text names or comes close to (best first, at most ``MAX_SKILLS``).
    ``inference``: ``services.inference.SkillInference``."""
    from talentbridge.services.inference import MIN_CONFIDENCE

    texts = [course_text(c) for c in courses]
    unique = list(dict.fromkeys(texts))
    extracted = inference.services.extractor.extract_many(unique, top=MAX_SKILLS) if unique else []
    by_text: dict[str, list[Candidate]] = {}
    for text, found in zip(unique, extracted, strict=True):
        out: dict[str, Candidate] = {}
        for skill in found:
            sid = inference._skill_id(skill.uri)
            explicit = skill.via == "explicit"
            if sid is None or sid in out or (not explicit and skill.score < MIN_CONFIDENCE):
                continue
            evidence = " … ".join(dict.fromkeys(text[a:b] for a, b in skill.spans[:3])) or skill.label
            score = float(min(1.0, max(skill.score, MIN_CONFIDENCE if explicit else 0.0)))
            out[sid] = Candidate(sid, score, evidence[:300], explicit)
        by_text[text] = list(out.values())[:MAX_SKILLS]
    return [by_text.get(text, []) for text in texts]


def _family(code: str) -> str:
    return code[:NCS_FAMILY_DIGITS]


def ncs_profiles(courses: list[CourseData], candidates: list[list[Candidate]]) -> dict[str, frozenset[str]]:
    """NCS code -> the skills usual for it: those named outright by some course of its NCS sub-category."""
    named: dict[str, set[str]] = defaultdict(set)  # NCS sub-category -> skills some course of it names outright
    for course, found in zip(courses, candidates, strict=True):
        if course.ncs_code:
            named[_family(course.ncs_code)].update(c.skill_id for c in found if c.explicit)
    codes = {course.ncs_code for course in courses if course.ncs_code}
    return {code: frozenset(named[_family(code)]) for code in codes}


def _kept(candidate: Candidate, profile: frozenset[str]) -> bool:
    return candidate.explicit or candidate.skill_id in profile or candidate.score >= STRONG_SIMILARITY


def select_course_skills(
    courses: list[CourseData], candidates: list[list[Candidate]], *, precision: bool = True
) -> list[list[CourseSkill]]:
    """The taught skills of each course from its candidates: with ``precision``, similarity-only skills outside
    the NCS profile need ``STRONG_SIMILARITY``; then the NCS fill of courses left with nothing."""
    profiles = ncs_profiles(courses, candidates) if precision else {}
    empty: frozenset[str] = frozenset()
    results: list[list[CourseSkill]] = []
    for course, found in zip(courses, candidates, strict=True):
        level = 2 if course.hours >= LONG_COURSE_HOURS else 1
        profile = profiles.get(course.ncs_code or "", empty)
        results.append(
            [
                CourseSkill(
                    skill_id=c.skill_id,
                    level=level,
                    source=CourseSkillSource.INFERRED,
                    confidence=round(c.score, 3),
                    evidence=c.evidence,
                )
                for c in found
                if not precision or _kept(c, profile)
            ]  # fmt: skip
        )
    _fill_from_ncs(courses, results)
    return results


def infer_course_skills(courses: list[CourseData], inference: Any) -> list[list[CourseSkill]]:
    """For each course, its inferred taught skills (possibly empty). ``inference``: ``services.inference.
    SkillInference``."""
    return select_course_skills(courses, course_candidates(courses, inference))


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
