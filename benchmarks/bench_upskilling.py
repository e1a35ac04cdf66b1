"""Benchmark: the learning-path planner on the real JCRec catalogue (3,000 courses), beside JCRec's greedy
set-cover baseline, through the public interface ``talentbridge.upskilling.plan`` (dicts in, dicts out).

    .venv/bin/python benchmarks/bench_upskilling.py [--data DIR] [--esco-dir DIR] [--limit N] [--time-limit S]

Profiles: the validation résumés of JCRec (skill lists with levels; level "unknown" taken as 1). Targets, per
résumé: (a) *course outcomes*: what 3 random courses teach; (b) *ESCO occupation*: the essential skills of a
random ESCO occupation that the JCRec taxonomy holds (mapped through the ESCO URIs), at level 1. Objective: the
number of courses (JCRec has no hours or fees). Every path is re-walked to check that each course's requirements
are met when it starts. Prints one table beside the goals of issue #15, with wall and CPU time per plan (the
machine's cores are shared: CPU time is the stable number), the load average, and how many courses are relevant
to each plan before and after dominance (the planner's own compiler, not timed).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from talentbridge.upskilling import greedy_plan, plan  # noqa: E402
from talentbridge.upskilling._instance import parse_instance  # noqa: E402
from talentbridge.upskilling._task import compile_task  # noqa: E402

LEVELS = {"beginner": 1, "intermediate": 2, "expert": 3, "unknown": 1}


def _pairs(items: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {"skill": str(s), "level": LEVELS.get(lv, 1) if isinstance(lv, str) else max(int(lv), 1)} for s, lv in items
    ]


def load(data: Path, esco: Path) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], list[list[str]]]:
    raw = json.loads((data / "courses.json").read_text(encoding="utf-8"))
    courses = [
        {"id": cid, "requires": _pairs(c["required"]), "provides": _pairs(c["to_acquire"])} for cid, c in raw.items()
    ]
    resumes = {
        rid: _pairs(skills) for rid, skills in json.loads((data / "resumes.validation.json").read_text()).items()
    }
    uri_to_id: dict[str, str] = {}
    with (data / "taxonomy.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            uri_to_id[row["Source"]] = str(row["unique_id"])
    occupations: dict[str, list[str]] = {}
    with zipfile.ZipFile(esco / "esco_v1.1.1_relations_csv.zip") as z, z.open("occupationSkillRelations.csv") as fh:
        for row in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")):
            if row["relationType"] == "essential" and row["skillUri"] in uri_to_id:
                occupations.setdefault(row["occupationUri"], []).append(uri_to_id[row["skillUri"]])
    return courses, resumes, [sorted(set(v)) for v in occupations.values() if len(set(v)) >= 3]


def walk(courses: dict[str, dict[str, Any]], profile: list[dict[str, Any]], order: list[str]) -> bool:
    state: dict[str, int] = {}
    for p in profile:
        state[p["skill"]] = max(state.get(p["skill"], 0), p["level"])
    for cid in order:
        c = courses[cid]
        if any(state.get(r["skill"], 0) < r["level"] for r in c["requires"]):
            return False
        for p in c["provides"]:
            state[p["skill"]] = max(state.get(p["skill"], 0), p["level"])
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = next((p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT / "data")
    parser.add_argument("--data", type=Path, default=shared / "upskilling" / "jcrec")
    parser.add_argument("--esco-dir", type=Path, default=Path(os.environ.get("TALENTBRIDGE_ESCO_DIR", shared / "esco")))
    parser.add_argument("--limit", type=int, default=0, help="Only the first N résumés (0: all).")
    parser.add_argument("--time-limit", type=float, default=5.0, help="Planner time limit per plan, seconds.")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    courses, resumes, occupations = load(args.data, args.esco_dir)
    by_id = {c["id"]: c for c in courses}
    rng = random.Random(args.seed)
    items = sorted(resumes.items())[: args.limit or None]
    rows = []
    load_before = f"{os.getloadavg()[0]:.2f}"
    for _rid, profile in items:
        picked = rng.sample(courses, 3)
        outcome: dict[str, int] = {}
        for c in picked:
            for p in c["provides"]:
                outcome[p["skill"]] = max(outcome.get(p["skill"], 0), p["level"])
        occupation = rng.choice(occupations)
        for kind, target in (
            ("course outcomes", [{"skill": s, "level": lv} for s, lv in sorted(outcome.items())]),
            ("ESCO occupation", [{"skill": s, "level": 1} for s in occupation]),
        ):
            instance = {
                "courses": courses,
                "profile": profile,
                "target": target,
                "objective": "courses",
                "time_limit_s": args.time_limit,
            }
            t0, c0 = time.perf_counter(), time.process_time()
            exact = plan(instance)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            task = compile_task(parse_instance(instance))  # sizes only, not timed
            greedy = greedy_plan(instance)
            rows.append(
                {
                    "kind": kind,
                    "seconds": seconds,
                    "cpu": cpu,
                    "relevant": task.relevant,
                    "kept": len(task.courses),
                    "feasible": walk(by_id, profile, [s["course"] for s in exact["path"]]),
                    "greedy_feasible": walk(by_id, profile, [s["course"] for s in greedy["path"]]),
                    "optimal": exact["optimal"],
                    "cost": exact["total"]["courses"],
                    "bound": exact["bound"],
                    "reached": len(exact["reached"]),
                    "greedy_cost": greedy["total"]["courses"],
                    "greedy_reached": len(greedy["reached"]),
                    "targets": len(target),
                }
            )
    n = len(rows)
    times = sorted(r["seconds"] for r in rows)
    p95 = times[min(n - 1, int(round(0.95 * (n - 1))))]
    cpus = sorted(r["cpu"] for r in rows)
    relevant = sorted(r["relevant"] for r in rows)
    kept = sorted(r["kept"] for r in rows)
    gaps = [(r["cost"] - r["bound"]) / r["cost"] if r["cost"] else 0.0 for r in rows]
    worse = sum(1 for r in rows if (r["reached"], -r["cost"]) < (r["greedy_reached"], -r["greedy_cost"]))
    same_cover = [r for r in rows if r["reached"] == r["greedy_reached"]]
    more = [r for r in rows if r["reached"] > r["greedy_reached"]]
    print(
        f"JCRec catalogue: {len(courses)} courses; {len(items)} résumés x 2 targets = {n} plans; "
        f"time limit {args.time_limit:g} s; seed {args.seed}; load average before {load_before}, after "
        f"{os.getloadavg()[0]:.2f} (2 shared cores)\n"
    )
    print("| measure | ours (CP-SAT, exact) | greedy set cover (JCRec) | goal |")
    print("|---|---|---|---|")
    print(
        f"| feasible paths | {sum(r['feasible'] for r in rows) / n:.1%} | {sum(r['greedy_feasible'] for r in rows) / n:.1%} | 100% |"
    )
    print(f"| proven optimal | {sum(r['optimal'] for r in rows) / n:.1%} | - | ≥ 95% |")
    print(f"| mean gap to the bound | {statistics.mean(gaps):.2%} | - | ≤ 2% |")
    print(
        f"| p50 / p95 / max seconds per plan (wall) | {times[n // 2]:.3f} / {p95:.3f} / {times[-1]:.3f} | - | p95 ≤ 1 s |"
    )
    print(
        f"| p50 / p95 CPU seconds per plan | {cpus[n // 2]:.3f} / {cpus[min(n - 1, int(round(0.95 * (n - 1))))]:.3f} "
        f"| - | - |"
    )
    print(
        f"| relevant courses per plan, min / median / max | {relevant[0]} / {relevant[n // 2]} / {relevant[-1]} "
        f"| - | - |"
    )
    print(f"| after dominance, min / median / max | {kept[0]} / {kept[n // 2]} / {kept[-1]} | - | - |")
    print(
        f"| target skills reached (mean) | {statistics.mean(r['reached'] for r in rows):.2f} | "
        f"{statistics.mean(r['greedy_reached'] for r in rows):.2f} | - |"
    )
    print(f"| plans where ours reaches more targets | {len(more)} of {n} | - | - |")
    if same_cover:
        ours = statistics.mean(r["cost"] for r in same_cover)
        theirs = statistics.mean(r["greedy_cost"] for r in same_cover)
        print(
            f"| courses when both reach the same targets (mean, {len(same_cover)} plans) | {ours:.2f} | {theirs:.2f} | "
            f"never worse |"
        )
    print(f"| plans where ours is worse than greedy | {worse} | - | 0 |")
    for kind in ("course outcomes", "ESCO occupation"):
        sub = [r for r in rows if r["kind"] == kind]
        st = sorted(r["seconds"] for r in sub)
        print(
            f"| {kind}: optimal / p95 s / mean courses (ours, greedy) | {sum(r['optimal'] for r in sub) / len(sub):.1%} / "
            f"{st[min(len(st) - 1, int(round(0.95 * (len(st) - 1))))]:.3f} / {statistics.mean(r['cost'] for r in sub):.2f} | "
            f"{statistics.mean(r['greedy_cost'] for r in sub):.2f} | - |"
        )


if __name__ == "__main__":
    main()
