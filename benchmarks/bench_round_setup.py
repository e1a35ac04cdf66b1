"""Round set-up benchmark: adding a cohort of participants from a file, searching candidates, one page of the
participants list with eligibility, and comparing runs — on SQLite (and PostgreSQL when reachable).

    .venv/bin/python benchmarks/bench_round_setup.py [--participants 5000] [--openings 200]
                                                     [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                                                     [--no-postgres]

The design target is a 50,000-participant cohort round (docs: ARCHITECTURE.md); the default here is smaller so
it finishes quickly on a shared machine, and the table shows the throughput to extrapolate from. PostgreSQL runs
in a dedicated database ``tb_bench_rounds`` (dropped and created here, dropped at the end). Prints one table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

GOALS = {
    "upload rows/s": 500.0,  # 50,000 rows in under 100 s
    "search ms": 500.0,
    "members page ms": 500.0,
    "compare ms": 1000.0,
}


def _world(database: Any, participants: int, openings: int) -> tuple[int, list[str]]:
    from talentbridge.domain import OpeningData, OrganizationData, TalentData
    from talentbridge.services.round_setup import Actor, RoundSetupService
    from talentbridge.storage.repositories import Repositories

    actor = Actor(None, "operator", "bench")
    with database.session() as s:
        repos = Repositories(s)
        orgs = [
            repos.organizations.add(OrganizationData(name=f"기관{i}", kind="ai_startup", region="busan"))
            for i in range(20)
        ]
        repos.openings.upsert_many(
            [
                OpeningData(
                    organization_id=orgs[i % 20].id,
                    kind="job",
                    title=f"공고{i}",
                    region="busan" if i % 2 else "seoul",
                    required_skills=[{"skill_id": "python", "min_level": 2, "importance": "must"}],
                    seats=3,
                    status="open",
                    external_id=f"O-{i}",
                )
                for i in range(openings)
            ]
        )
        repos.talents.upsert_many(
            [
                TalentData(
                    name=f"인재{i:06d}",
                    external_id=f"T-{i}",
                    region="busan",
                    skills=[{"skill_id": "python", "level": 1 + i % 5}],
                    consent_visible=True,
                )
                for i in range(participants)
            ]
        )
        setup = RoundSetupService(s)
        program = setup.create_program({"name": "벤치", "kind": "talent_exchange"}, actor)
        rnd = setup.create_round(program.id, {"name": "코호트", "mechanism": "flexible-da", "cap:capital": "50"}, actor)
    return rnd.id, [f"T-{i}" for i in range(participants)]


def bench(database: Any, participants: int, openings: int) -> dict[str, float]:
    from talentbridge.services.round_review import RoundReviewService
    from talentbridge.services.round_setup import Actor, RoundSetupService
    from talentbridge.storage.round_candidates import search_talents

    actor = Actor(None, "operator", "bench")
    round_id, keys = _world(database, participants, openings)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        people = Path(tmp) / "people.csv"
        people.write_text("external_id\n" + "\n".join(keys) + "\n", encoding="utf-8")
        rooms = Path(tmp) / "openings.csv"
        rooms.write_text("external_id\n" + "\n".join(f"O-{i}" for i in range(openings)) + "\n", encoding="utf-8")
        with database.session() as s:
            setup = RoundSetupService(s)
            setup.upload(round_id, rooms, "openings", actor)
            started = time.perf_counter()
            report = setup.upload(round_id, people, "participants", actor)
            elapsed = time.perf_counter() - started
        assert len(report.added) == participants, (len(report.added), report.refused[:3])
    out["upload rows/s"] = participants / elapsed
    with database.session() as s:
        started = time.perf_counter()
        search_talents(s, q="인재00", region="busan", page=3)
        out["search ms"] = (time.perf_counter() - started) * 1000
        setup = RoundSetupService(s)
        rnd = setup.rounds.get(round_id)
        members = setup.rounds.store.participants(round_id)
        started = time.perf_counter()
        setup.talent_eligibility(rnd, [p.talent_id for p in members[:100]])
        out["members page ms"] = (time.perf_counter() - started) * 1000
    # Two runs (every talent ranks three openings; rankings from fit scores), then the comparison.
    with database.session() as s:
        review = RoundReviewService(s)
        review.setup.open(round_id, actor)
        opening_ids = [o.opening_id for o in review.rounds.openings(round_id)]
        from talentbridge.services.rounds import PreferenceInput

        lists = [
            PreferenceInput("talent", p.talent_id, [opening_ids[(i + k) % len(opening_ids)] for k in range(3)])
            for i, p in enumerate(review.rounds.participants(round_id))
        ]
        review.rounds.submit_many(round_id, lists, what="bench")
        review.setup.close(round_id, actor)
        review.setup.generate(round_id, actor)
        review.run(round_id, "da", None, actor)
        review.run(round_id, "flexible-da", None, actor)
    with database.session() as s:
        started = time.perf_counter()
        RoundReviewService(s).compare(round_id)
        out["compare ms"] = (time.perf_counter() - started) * 1000
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--openings", type=int, default=200)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, text

    from talentbridge.storage import Database

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        db.upgrade()
        results["sqlite"] = bench(db, args.participants, args.openings)
        db.dispose()
    if not args.no_postgres:
        admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS tb_bench_rounds"))
                conn.execute(text("CREATE DATABASE tb_bench_rounds"))
        except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        else:
            url = args.postgres_url.rsplit("/", 1)[0] + "/tb_bench_rounds"
            db = Database(url)
            db.upgrade()
            try:
                results["postgresql"] = bench(db, args.participants, args.openings)
            finally:
                db.dispose()
                with admin.connect() as conn:
                    conn.execute(text("DROP DATABASE IF EXISTS tb_bench_rounds"))
        admin.dispose()

    engines = list(results)
    print(f"\nRound set-up, {args.participants} participants, {args.openings} openings")
    print(f"{'measure':<18}" + "".join(f"{e:>14}" for e in engines) + f"{'goal':>14}")
    for key, goal in GOALS.items():
        cells = "".join(f"{results[e][key]:>14.1f}" for e in engines)
        sense = "≥" if key.endswith("/s") else "≤"
        print(f"{key:<18}{cells}{sense + format(goal, '.0f'):>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
