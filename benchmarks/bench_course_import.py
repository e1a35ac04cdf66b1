"""KDT catalogue import (issue 15): the whole published file imports with no rejected row and skills inferred for
≥ 95% of courses; the most and least covered NCS groups (by distinct skills taught).

    .venv/bin/python benchmarks/bench_course_import.py [--file ../shared/data/upskilling/kdt/kdt_courses_2021_2025.csv]

Runs on a fresh SQLite database in a temporary folder with the product's encoder (MiniLM when installed).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

DEFAULT = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "upskilling" / "kdt" / "kdt_courses_2021_2025.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=Path("/work/shared/data/upskilling/kdt/kdt_courses_2021_2025.csv")
                        if not DEFAULT.exists() else DEFAULT)  # fmt: skip
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    from talentbridge.config import build_settings
    from talentbridge.services.course_catalogue import course_store, import_course_file
    from talentbridge.services.course_import import ncs_groups
    from talentbridge.storage import Database

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(tempfile.gettempdir()) / "talentbridge-bench-cache"  # label encodings survive between runs
        settings = build_settings(environment="development", data_dir=Path(folder), model_cache_dir=cache)
        db = Database.from_settings(settings)
        db.upgrade()
        started = time.perf_counter()
        result = import_course_file(db, settings, args.file)
        elapsed = time.perf_counter() - started
        with db.session() as session:
            courses = course_store(session).all()
        db.dispose()
    with_skills = sum(1 for c in courses if c.teaches)
    share = with_skills / len(courses) if courses else 0.0
    print(f"KDT import of {args.file.name}: {elapsed:.0f} s\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| rows read | {result.rows:,} | whole file |")
    print(f"| rejected rows | {result.rejected} | 0 |")
    print(f"| repeated rows merged (identical) | {result.duplicates} | — |")
    print(f"| published values left unknown (#DIV/0!, rates > 100%) | {len(result.notes)} | reported |")
    print(f"| courses stored | {len(courses):,} | — |")
    print(f"| courses with inferred skills | {result.inferred:,} | — |")
    print(f"| courses with taught skills | {with_skills:,} ({share:.1%}) | ≥ 95% |")
    print(f"| distinct skills taught | {len({s.skill_id for c in courses for s in c.teaches})} | — |")
    groups = ncs_groups(courses)
    print("\n| NCS | name | courses | with skills | distinct skills | most taught |")
    print("|---|---|---|---|---|---|")
    for title, chosen in (("most covered", groups[: args.top]), ("least covered", groups[-args.top :])):
        print(f"| **{title}** | | | | | |")
        for g in chosen:
            top = ", ".join(s for s, _ in g["skills"].most_common(3))
            print(
                f"| {g['ncs_code']} | {g['ncs_name']} | {g['courses']} | {g['with_skills']} | {len(g['skills'])} | {top} |"
            )


if __name__ == "__main__":
    main()
