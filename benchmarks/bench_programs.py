"""Benchmark of the cohort-matching core against the ``matching`` package (v1.4.3).

    .venv/bin/python benchmarks/bench_programs.py [--skip-matching] [--skip-large]

Cases (seeded, reproducible):
  A. 2,000 applicants x 200 programs, complete lists, 10 seats each: ``matching`` side by side with ours
     (identical matchings are checked). Goal: ours >= 1,000x faster than ``matching``.
  B. 20,000 x 2,000, complete lists, 10 seats each. Goal: <= 2 s.
  C. 50,000 applicants x 6,400 programs, 15-entry lists (popularity-skewed), 6 seats each -- the size of the
     US residency match. Goal: <= 0.5 s.

What each timing includes:
  core      applicant-proposing DA on prebuilt CSR arrays (talentbridge.programs.deferred_acceptance), median
            of several runs after a warm-up call (numba compilation, cached on disk, is timed separately);
  core-py   the same kernel run as plain Python (what runs when numba is not installed), one run;
  solve()   the dict-in/dict-out path: validation, id mapping, tie-break lottery, DA, diagnostics (blocking
            pairs, reasons, ranks) and the result document;
  matching  HospitalResident.create_from_dictionaries + solve(optimal="resident"), one run, in a thread with a
            1 GiB stack and a raised recursion limit (it recurses once per proposal).
Peak memory: tracemalloc peak of the timed call in a separate run (numpy buffers included), and the
process's max RSS at the end.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from talentbridge.programs._instance import parse_instance
from talentbridge.programs._jit import numba_available
from talentbridge.programs._solve import result_dict, solve_arrays
from talentbridge.programs.deferred_acceptance import applicant_proposing

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def complete_lists(n: int, m: int, seats: int, seed: int) -> Arrays:
    """Every applicant ranks every program and vice versa, uniformly at random."""
    rng = np.random.default_rng(seed)
    app_prog = np.argsort(rng.random((n, m), dtype=np.float32), axis=1).astype(np.int32)
    prog_order = np.argsort(rng.random((m, n), dtype=np.float32), axis=1)
    prog_rank = np.empty((m, n), dtype=np.int32)
    np.put_along_axis(prog_rank, prog_order, np.arange(n, dtype=np.int32)[None, :].repeat(m, axis=0), axis=1)
    app_prank = prog_rank[app_prog, np.arange(n)[:, None]]
    app_ptr = np.arange(0, n * m + 1, m, dtype=np.int64)
    return app_ptr, app_prog.ravel(), app_prank.ravel(), np.full(m, seats, dtype=np.int64)


def short_lists(n: int, m: int, k: int, seats: int, seed: int) -> Arrays:
    """k-entry lists drawn without replacement with lognormal program popularity (Gumbel top-k); each program
    ranks every applicant who listed it, in random order."""
    rng = np.random.default_rng(seed)
    log_pop = rng.normal(0.0, 0.8, size=m).astype(np.float32)
    chunks = []
    for start in range(0, n, 4000):
        size = min(4000, n - start)
        keys = log_pop[None, :] + rng.gumbel(size=(size, m)).astype(np.float32)
        top = np.argpartition(-keys, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(keys, top, axis=1), axis=1)
        chunks.append(np.take_along_axis(top, order, axis=1).astype(np.int32))
    app_prog = np.concatenate(chunks).ravel()
    entry_app = np.repeat(np.arange(n, dtype=np.int64), k)
    noise = rng.random(len(app_prog))
    order = np.lexsort((noise, app_prog))
    starts = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(app_prog, minlength=m), out=starts[1:])
    app_prank = np.empty(len(app_prog), dtype=np.int32)
    app_prank[order] = np.arange(len(order)) - starts[app_prog[order]]
    del entry_app
    return np.arange(0, n * k + 1, k, dtype=np.int64), app_prog, app_prank, np.full(m, seats, dtype=np.int64)


def to_instance(arrays: Arrays) -> dict[str, Any]:
    app_ptr, app_prog, app_prank, capacity = arrays
    n, m = len(app_ptr) - 1, len(capacity)
    a_ids = [f"a{i}" for i in range(n)]
    p_ids = [f"p{j}" for j in range(m)]
    prog_list = app_prog.tolist()
    applicants = [
        {"id": a_ids[a], "preferences": [p_ids[p] for p in prog_list[app_ptr[a] : app_ptr[a + 1]]]} for a in range(n)
    ]
    entry_app = np.repeat(np.arange(n), np.diff(app_ptr))
    order = np.lexsort((app_prank, app_prog))
    bounds = np.searchsorted(app_prog[order], np.arange(m + 1))
    sorted_apps = entry_app[order].tolist()
    programs = [
        {
            "id": p_ids[p],
            "capacity": int(capacity[p]),
            "preferences": [a_ids[a] for a in sorted_apps[bounds[p] : bounds[p + 1]]],
        }
        for p in range(m)
    ]
    return {"applicants": applicants, "programs": programs, "seed": 1}


def id_conversion(instance: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The unavoidable part of the dict path: every id of every list mapped to its index (one dict lookup per
    entry, a list at a time), as solve() must do before any kernel can run."""
    from itertools import chain

    apps, progs = instance["applicants"], instance["programs"]
    a_index = {a["id"]: i for i, a in enumerate(apps)}
    p_index = {p["id"]: i for i, p in enumerate(progs)}
    a_lists = [a["preferences"] for a in apps]
    p_lists = [p["preferences"] for p in progs]
    ae = np.fromiter(map(p_index.__getitem__, chain.from_iterable(a_lists)), np.int64, sum(map(len, a_lists)))
    pe = np.fromiter(map(a_index.__getitem__, chain.from_iterable(p_lists)), np.int64, sum(map(len, p_lists)))
    return ae, pe


def team_cohort(n: int, m: int, size: int, seed: int) -> dict[str, Any]:
    """PBL cohort: 20 skills with Zipf-like popularity (levels 1-5, 3-6 per learner), 2-3 must-haves per
    project at level 2-4, 5 preferences per learner over lognormal project popularity, 30 institutions with
    a skewed size distribution, at most 2 per team."""
    import random

    rnd = random.Random(seed)
    skills = [f"s{i}" for i in range(20)]
    skill_weight = [1 / (i + 1) ** 0.8 for i in range(20)]
    popularity = [rnd.lognormvariate(0, 0.8) for _ in range(m)]

    def pick(count: int) -> list[str]:
        out: set[str] = set()
        while len(out) < count:
            out.add(rnd.choices(skills, weights=skill_weight)[0])
        return sorted(out)

    projects = [
        {"id": f"pr{j}", "must_have": {s: rnd.randint(2, 4) for s in pick(rnd.randint(2, 3))}} for j in range(m)
    ]
    learners = []
    for i in range(n):
        prefs: list[str] = []
        while len(prefs) < 5:
            p = f"pr{rnd.choices(range(m), weights=popularity)[0]}"
            if p not in prefs:
                prefs.append(p)
        learners.append(
            {
                "id": f"l{i}",
                "institution": f"u{min(int(rnd.expovariate(0.15)), 29)}",
                "skills": {s: rnd.randint(1, 5) for s in pick(rnd.randint(3, 6))},
                "preferences": prefs,
            }
        )
    return {
        "team_size": size,
        "max_per_institution": 2,
        "learners": learners,
        "projects": projects,
        "seed": seed,
    }


def timed(func: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def peak_mib(func: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run_matching(instance: dict[str, Any]) -> tuple[float, dict[str, str | None]]:
    from matching.games import HospitalResident

    residents = {a["id"]: a["preferences"] for a in instance["applicants"]}
    hospitals = {p["id"]: p["preferences"] for p in instance["programs"]}
    capacities = {p["id"]: p["capacity"] for p in instance["programs"]}
    box: dict[str, Any] = {}

    def work() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
            solution = game.solve(optimal="resident")
            box["seconds"] = time.perf_counter() - start
        box["assignments"] = {r.name: h.name for h, rs in solution.items() for r in rs}

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 2**20)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    threading.stack_size(0)
    if "seconds" not in box:
        raise RuntimeError("matching failed (see the thread's traceback above)")
    return box["seconds"], box["assignments"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-matching", action="store_true", help="do not run the ~20 s matching reference")
    parser.add_argument("--skip-large", action="store_true", help="only case A")
    parser.add_argument("--teams", action="store_true", help="also form PBL teams: 1,000 learners x 200 projects")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(case: str, impl: str, what: str, seconds: float | None, ref: float | None, mem: float | None) -> None:
        rows.append(
            (
                case,
                impl,
                what,
                "-" if seconds is None else f"{seconds:.4f} s",
                "-" if ref is None or seconds is None else f"{ref / seconds:,.0f}x",
                "-" if mem is None else f"{mem:,.0f} MiB",
            )
        )
        print(f"  {case:<22} {impl:<16} {rows[-1][3]:>12}", file=sys.stderr, flush=True)

    print(f"numba: {'yes' if numba_available() else 'no (plain Python kernels)'}", file=sys.stderr)
    start = time.perf_counter()
    applicant_proposing(*complete_lists(50, 5, 2, 0))
    jit_seconds = time.perf_counter() - start

    # --- A. 2,000 x 200 against matching
    case = "A 2,000x200 complete"
    arrays = complete_lists(2000, 200, 10, seed=1)
    core = lambda: applicant_proposing(*arrays)  # noqa: E731
    t_core, match = timed(core, repeat=7)
    instance = to_instance(arrays)
    t_ref = None
    if not args.skip_matching:
        t_ref, ref = run_matching(instance)
        ours = {f"a{a}": f"p{arrays[1][e]}" for a, e in enumerate(match.tolist()) if e >= 0}
        assert ours == ref, "matchings differ from the matching package"
        row(case, "matching 1.4.3", "create + solve", t_ref, t_ref, None)
        print("  identical matchings: yes", file=sys.stderr)
    t_py, _ = timed(lambda: applicant_proposing(*arrays, jit=False))
    row(case, "ours, Python", "core-py", t_py, t_ref, None)
    row(case, "ours", "core", t_core, t_ref, peak_mib(core))
    from talentbridge.programs import solve

    t_conv, _ = timed(lambda: id_conversion(instance), repeat=3)
    row(case, "ours", "id conversion alone", t_conv, t_ref, None)
    t_solve, result = timed(lambda: solve(instance), repeat=3)
    assert result["diagnostics"]["blocking_pairs"] == 0
    row(case, "ours", "solve() dict path", t_solve, t_ref, peak_mib(lambda: solve(instance)))
    ratios = [f"A: solve() / (core + id conversion) = {t_solve / (t_core + t_conv):.2f} (goal <= 2)"]

    if not args.skip_large:
        # --- B. 20,000 x 2,000 complete lists
        case = "B 20,000x2,000 complete"
        arrays = complete_lists(20_000, 2_000, 10, seed=2)
        core = lambda: applicant_proposing(*arrays)  # noqa: E731
        t_core, match = timed(core, repeat=3)
        t_py, _ = timed(lambda: applicant_proposing(*arrays, jit=False))
        row(case, "ours, Python", "core-py", t_py, None, None)
        row(case, "ours", "core", t_core, None, peak_mib(core))
        del arrays, match

        # --- C. 50,000 x 6,400, 15-entry lists
        case = "C 50,000x6,400 k=15"
        arrays = short_lists(50_000, 6_400, 15, 6, seed=3)
        core = lambda: applicant_proposing(*arrays)  # noqa: E731
        t_core, match = timed(core, repeat=5)
        t_py, _ = timed(lambda: applicant_proposing(*arrays, jit=False))
        row(case, "ours, Python", "core-py", t_py, None, None)
        row(case, "ours", "core", t_core, None, peak_mib(core))
        instance = to_instance(arrays)
        t_parse, parsed = timed(lambda: parse_instance(instance))
        row(case, "ours", "validate + arrays", t_parse, None, None)
        t_res, _ = timed(lambda: result_dict(parsed, solve_arrays(parsed), "da", "applicants"))
        row(case, "ours", "DA + diagnostics", t_res, None, None)
        t_conv, _ = timed(lambda: id_conversion(instance), repeat=3)
        row(case, "ours", "id conversion alone", t_conv, None, None)
        t_solve, result = timed(lambda: solve(instance), repeat=3)
        assert result["diagnostics"]["blocking_pairs"] == 0
        row(case, "ours", "solve() dict path", t_solve, None, peak_mib(lambda: solve(instance)))
        ratios.append(f"C: solve() / (core + id conversion) = {t_solve / (t_core + t_conv):.2f} (goal <= 2)")

    team_lines = []
    if args.teams:
        import os

        from talentbridge.programs import form_teams

        cohort = team_cohort(1000, 200, 5, seed=4)
        load = os.getloadavg()
        t_teams, teams = timed(lambda: form_teams(cohort, time_limit=60.0))
        d = teams["diagnostics"]
        b = d["bounds"]
        team_lines.append(
            f"teams D 1,000 learners x 200 projects (size 5, <=2 per institution): {t_teams:.1f} s wall "
            f"(limit 60 s, load average {load[0]:.1f} before / {os.getloadavg()[0]:.1f} after), "
            f"status {d['status']}, objective {d['objective']}, bound {d['bound']} "
            f"(flow {b['preference_flow']}, LP {b['lp']}, relaxation {b['relaxation']}), "
            f"gap {100 * d['gap']:.2f}%, heuristic start {d['heuristic_objective']}, "
            f"uncovered must-haves {d['uncovered_skills']}, LNS {d['lns']}"
        )

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    headers = ("case", "implementation", "timed", "time", "vs matching", "peak mem")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    print(
        f"\n'ours' = numba-compiled kernel "
        f"({'installed' if numba_available() else 'NOT installed: plain Python'}); first kernel call "
        f"(compile or load from cache): {jit_seconds:.2f} s; process max RSS {rss:,.0f} MiB"
    )
    print("goals: A >= 1,000x matching; B <= 2 s; C <= 0.5 s (core on prebuilt arrays); issue 18: solve() dict path "
          "A >= 1,000x matching, C <= 0.5 s end to end, within 2x of core + id conversion")
    for text in ratios:
        print(text)
    import os

    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; timings are wall-clock medians)")
    for text in team_lines:
        print(text)


if __name__ == "__main__":
    main()
