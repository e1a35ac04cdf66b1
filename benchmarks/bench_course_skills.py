"""Precision of the skills inferred for KDT courses (issue 15), per NCS group size, with and without the NCS
profile rule of ``services/course_skills.py``.

    .venv/bin/python benchmarks/bench_course_skills.py [--file KDT.csv] [--audit-out A.tsv] [--judged J.tsv]

No database: the file is read and validated by the course importer, skills are inferred by the product's encoder
(MiniLM when installed; label encodings cached in the temp folder). Per band of NCS group size (distinct course
titles of the NCS code), for every inferred skill:

* **textual evidence**: a label or alias of the skill (Korean or English) occurs in the course's title,
  description or NCS name (checked here, independently of the extractor: case and spaces ignored);
* **similarity only**: no such mention (found by the encoder's similarity);
* **NCS fill**: a course left with nothing took its NCS code's common skills;
* **courses outside the profile**: courses with at least one skill outside their NCS code's usual profile
  (``course_skills.ncs_profiles``: skills named by the NCS sub-category, or found in ≥ 20% of the code's titles).

Blind audit: ``--audit-out`` writes (outside the repository) a sample of ``--audit`` courses drawn with a fixed seed,
every candidate skill of each on its own line in shuffled order without saying which rule keeps it; a person marks
each line plausible (1) or not (0) in the last column and passes the file back with ``--judged`` (verdicts are
matched by course text and skill, so the file stays valid when a rule changes); the script then prints the counts
for both rules. Never copy the sample into the repository.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

BANDS = ((1, 2, "1–2 titles"), (3, 9, "3–9"), (10, 49, "10–49"), (50, 10**9, "50+"))


def _norm(text: str) -> str:
    return "".join(text.lower().split())


def evidenced(text: str, skill: Any) -> bool:
    """A label or alias of ``skill`` occurs in ``text`` (case and spaces ignored; labels of 2+ characters)."""
    hay = _norm(text)
    return any(len(n) >= 2 and n in hay for n in (_norm(label) for label in skill.labels()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=Path("/work/shared/data/upskilling/kdt/kdt_courses_2021_2025.csv"))
    parser.add_argument("--audit", type=int, default=40, help="Courses in the blind audit sample.")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--audit-out", type=Path, help="Write the blind audit sample here (outside the repository).")
    parser.add_argument("--judged", type=Path, help="The audit sample with a 0/1 verdict in its last column.")
    args = parser.parse_args()
    from talentbridge.config import build_settings
    from talentbridge.services.course_import import parse_course_rows, read_course_file
    from talentbridge.services.course_skills import (
        course_candidates,
        course_text,
        ncs_profiles,
        select_course_skills,
    )
    from talentbridge.services.inference import SkillInference

    fmt, _, rows = read_course_file(args.file)
    parsed = parse_course_rows(fmt, rows)
    courses = [p.record for p in parsed if p.record is not None and not p.duplicate]
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(tempfile.gettempdir()) / "talentbridge-bench-cache"
        settings = build_settings(environment="development", data_dir=Path(folder), model_cache_dir=cache)
        inference = SkillInference.from_settings(settings)
        candidates = course_candidates(courses, inference)
    taxonomy = inference.taxonomy
    profiles = ncs_profiles(courses, candidates)
    titles: dict[str, set[str]] = defaultdict(set)
    for c in courses:
        titles[c.ncs_code or "-"].add(course_text(c))

    def band(course: Any) -> str:
        n = len(titles[course.ncs_code or "-"])
        return next(name for lo, hi, name in BANDS if lo <= n <= hi)

    rules = {
        "before (similarity ≥ 0.3)": select_course_skills(courses, candidates, precision=False),
        "after (NCS profile rule)": select_course_skills(courses, candidates, precision=True),
    }
    print(f"KDT file {args.file.name}: {len(courses):,} courses, {len(titles)} NCS codes, bands by distinct titles\n")
    print("| rule | band | NCS codes | courses | with skills | skills | textual evidence | similarity only | "
          "NCS fill | courses outside the profile |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for rule, results in rules.items():
        for _, _, name in (*BANDS, (0, 0, "all")):
            idx = [i for i, c in enumerate(courses) if name == "all" or band(c) == name]
            if not idx:
                continue
            codes = {courses[i].ncs_code for i in idx}
            skills = text = fill = outside = 0
            for i in idx:
                course, found = courses[i], results[i]
                profile = profiles.get(course.ncs_code or "", frozenset())
                skills += len(found)
                for s in found:
                    if s.evidence.startswith("NCS "):
                        fill += 1
                    elif evidenced(course_text(course), taxonomy.skills[s.skill_id]):
                        text += 1
                outside += any(s.skill_id not in profile for s in found)
            with_skills = sum(1 for i in idx if results[i])
            sim = skills - text - fill
            print(
                f"| {rule} | {name} | {len(codes)} | {len(idx):,} | {with_skills / len(idx):.1%} | {skills:,} | "
                f"{text / max(skills, 1):.1%} | {sim / max(skills, 1):.1%} | {fill / max(skills, 1):.1%} | "
                f"{outside / len(idx):.1%} |"
            )
    if args.audit_out or args.judged:
        _audit(args, courses, candidates, rules, taxonomy, course_text)


def _audit(
    args: Any, courses: list[Any], candidates: list[Any], rules: dict[str, Any], taxonomy: Any, text: Any
) -> None:
    rng = random.Random(args.seed)
    distinct: dict[str, int] = {}
    for i, c in enumerate(courses):
        distinct.setdefault(text(c), i)
    sample = rng.sample(sorted(distinct.values()), min(args.audit, len(distinct)))
    lines = []
    for i in sample:
        kept = {rule: {s.skill_id for s in results[i]} for rule, results in rules.items()}
        for sid in sorted(set().union(*kept.values())):
            lines.append((i, sid, kept))
    rng.shuffle(lines)

    def key(i: int, sid: str) -> tuple[str, str]:  # what the person sees: the course's text and the skill's labels
        s = taxonomy.skills[sid]
        return text(courses[i]).replace("\n", " / "), f"{s.label_en} | {s.label_ko}"

    if args.audit_out:
        with args.audit_out.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, delimiter="\t")
            out.writerow(["line", "course", "ncs", "skill", "verdict"])
            for n, (i, sid, _) in enumerate(lines):
                course, skill = key(i, sid)
                out.writerow([n, course, courses[i].ncs_name, skill, ""])
        print(f"\nblind audit: {len(lines)} course-skill pairs of {len(sample)} courses written to {args.audit_out}")
    if args.judged:
        with args.judged.open(encoding="utf-8") as fh:
            verdicts = {
                (r["course"], r["skill"]): r["verdict"].strip() == "1" for r in csv.DictReader(fh, delimiter="\t")
            }
        print(f"\nblind audit of {len(sample)} courses (seed {args.seed}), skills judged plausible:\n")
        print("| rule | skills | plausible | not plausible | precision | courses with a skill |")
        print("|---|---|---|---|---|---|")
        for rule in rules:
            judged = [verdicts[key(i, sid)] for i, sid, kept in lines if sid in kept[rule] and key(i, sid) in verdicts]
            unjudged = sum(1 for i, sid, kept in lines if sid in kept[rule] and key(i, sid) not in verdicts)
            courses_with = sum(1 for i in sample if rules[rule][i])
            print(
                f"| {rule} | {len(judged)} | {sum(judged)} | {len(judged) - sum(judged)} | "
                f"{sum(judged) / max(len(judged), 1):.1%} | {courses_with} of {len(sample)} |"
                + (f" ({unjudged} not judged)" if unjudged else "")
            )


if __name__ == "__main__":
    main()
