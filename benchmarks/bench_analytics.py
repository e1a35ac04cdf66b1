"""Status analytics benchmark: p95 of every ``/api/analytics`` view on 100,000 talents and 20,000 openings, on
SQLite and PostgreSQL, beside the < 1 s target.

    .venv/bin/python benchmarks/bench_analytics.py [--talents 100000] [--openings 20000] [--repeat 15]
                                                   [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                                                   [--no-postgres]

Data is bulk-inserted (Core executemany, ids given): talents with ~6 skills of the built-in taxonomy, 80 %
consenting to statistics, employers for 40 %, registered over 24 months; openings with ~5 skills; programmes,
rounds with participants and seats, runs, placements and follow-ups. Each view is requested through the HTTP API
(operator token, JSON) ``--repeat`` times after one warm-up; the table prints p50/p95 in ms. PostgreSQL runs in
a dedicated database ``tb_bench_analytics`` (dropped and created here, dropped at the end).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = 1000.0
REGIONS = ["seoul", "gyeonggi", "incheon", "busan", "daegu", "daejeon", "gwangju", "ulsan", "sejong", "gangwon",
           "chungbuk", "chungnam", "jeonbuk", "jeonnam", "gyeongbuk", "gyeongnam", "jeju"]
KINDS = ["ai_startup", "manufacturer", "large_enterprise", "university", "research_institute", "public_agency"]
REQUESTS = [
    ("supply-demand", ""),
    ("supply-demand", "?region=busan&org_kind=manufacturer"),
    ("supply-demand-monthly", ""),
    ("supply-demand-monthly", "?family=ml"),
    ("skill-gap", ""),
    ("programme-kpis", ""),
    ("programme-kpis", "?period=2026-H1"),
    ("retention", ""),
    ("status-survey", ""),
]


def _chunks(rows: list[dict[str, Any]], size: int = 20000) -> Any:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def seed(database: Any, talents: int, openings: int, rng: random.Random) -> None:
    from sqlalchemy import insert, select

    from talentbridge.storage.round_tables import (
        PlacementFollowUpRow,
        RoundOpeningRow,
        RoundParticipantRow,
        RoundRunRow,
    )
    from talentbridge.storage.tables import (
        OpeningRow,
        OpeningSkillRow,
        OrganizationRow,
        PlacementRow,
        ProgramRow,
        RoundRow,
        TalentRow,
        TalentSkillRow,
    )
    from talentbridge.storage.taxonomy_tables import SkillRow

    start = datetime(2025, 1, 1, tzinfo=UTC)
    with database.session() as s:
        skills = [sid for (sid,) in s.execute(select(SkillRow.id).where(SkillRow.builtin.is_(True)).order_by(SkillRow.id))]
        skills = skills[:600]
        n_orgs = 2000
        s.execute(insert(OrganizationRow), [
            {"id": i + 1, "name": f"기관{i}", "kind": rng.choice(KINDS), "region": rng.choice(REGIONS)}
            for i in range(n_orgs)])

        def batches(table: Any, rows: list[dict[str, Any]]) -> None:
            if not rows:
                return
            if database.engine.dialect.name == "postgresql":  # COPY: an order of magnitude faster than INSERT
                import json

                defaults = {}  # Python-side defaults (JSON lists, flags) that COPY does not apply
                for col in table.__table__.columns:
                    if col.name not in rows[0] and col.default is not None and not col.server_default:
                        arg = col.default.arg
                        defaults[col.name] = arg(None) if col.default.is_callable else arg
                cols = list(rows[0]) + list(defaults)
                tail = list(defaults.values())
                cur = s.connection().connection.driver_connection.cursor()
                with cur.copy(f"COPY {table.__tablename__} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row([json.dumps(v) if isinstance(v, dict | list) else v
                                        for v in [*r.values(), *tail]])
                return
            for chunk in _chunks(rows):
                s.execute(insert(table), chunk)

        t_rows, ts_rows = [], []
        for i in range(1, talents + 1):
            t_rows.append({"id": i, "name": f"인재{i}", "category": "engineer", "nationality": "KR",
                           "region": rng.choice(REGIONS), "consent_statistics": rng.random() < 0.8,
                           "current_employer_id": rng.randint(1, n_orgs) if rng.random() < 0.4 else None,
                           "created_at": start + timedelta(minutes=rng.randint(0, 730 * 24 * 60))})
            for sid in rng.sample(skills, 6):
                ts_rows.append({"talent_id": i, "skill_id": sid, "level": rng.randint(1, 5), "source": "declared"})
        batches(TalentRow, t_rows)
        batches(TalentSkillRow, ts_rows)
        o_rows, os_rows = [], []
        for i in range(1, openings + 1):
            o_rows.append({"id": i, "organization_id": rng.randint(1, n_orgs), "kind": "job", "title": f"공고{i}",
                           "region": rng.choice(REGIONS + [None]), "seats": rng.randint(1, 3),
                           "status": rng.choice(["open", "open", "closed", "filled", "draft"]),
                           "created_at": start + timedelta(minutes=rng.randint(0, 730 * 24 * 60))})
            for sid in rng.sample(skills, 5):
                os_rows.append({"opening_id": i, "skill_id": sid, "min_level": rng.randint(1, 4), "importance": "must",
                                "source": "declared"})
        batches(OpeningRow, o_rows)
        batches(OpeningSkillRow, os_rows)
        s.execute(insert(ProgramRow), [{"id": p, "name": f"사업{p}", "kind": "talent_exchange", "status": "active"}
                                       for p in range(1, 11)])
        rounds, parts, seats, runs = [], [], [], []
        for r in range(1, 41):
            rounds.append({"id": r, "program_id": 1 + (r - 1) % 10, "name": f"회차{r}", "status": "published",
                           "mechanism": "da", "proposing": "talent",
                           "created_at": start + timedelta(days=rng.randint(0, 700))})
            for t in rng.sample(range(1, talents + 1), 500):
                parts.append({"round_id": r, "talent_id": t})
            for o in rng.sample(range(1, openings + 1), 100):
                seats.append({"round_id": r, "opening_id": o, "seats": rng.randint(1, 4)})
            runs.append({"round_id": r, "mechanism": "da", "proposing": "talent", "seed": 0, "instance": {},
                         "result": {}, "diagnostics": {}, "input_hash": "x", "result_hash": "y",
                         "summary": {"rank_distribution": {"1": 120, "2": 60, "3": 20}}, "software_version": "b",
                         "created_at": start, "published_at": start})
        batches(RoundRow, rounds)
        batches(RoundParticipantRow, parts)
        batches(RoundOpeningRow, seats)
        batches(RoundRunRow, runs)
        placements, followups = [], []
        for p in range(1, 8001):
            started = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
            placements.append({"id": p, "talent_id": rng.randint(1, talents), "organization_id": rng.randint(1, n_orgs),
                               "opening_id": rng.randint(1, openings), "round_id": rng.randint(1, 40),
                               "kind": rng.choice(["secondment", "internship", "job"]), "start_date": started,
                               "status": "active", "created_at": start + timedelta(days=rng.randint(0, 700))})
            for months in (3, 6, 12):
                if rng.random() < 0.7:
                    followups.append({"placement_id": p, "months": months, "retained": rng.random() < 0.8,
                                      "recorded_at": start, "recorder_role": "operator"})
        batches(PlacementRow, placements)
        batches(PlacementFollowUpRow, followups)
    if database.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        with database.engine.begin() as conn:  # ids were given: move the sequences past them
            for table in ("organizations", "talents", "openings", "programs", "rounds", "placements"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
    from talentbridge.storage.survey_tables import StatusSurveyRow

    with database.session() as s:  # every organization answered the status survey of two years
        now = datetime.now(UTC)
        s.execute(insert(StatusSurveyRow), [
            {"organization_id": o + 1, "year": year, **{f"headcount_{r}": rng.randrange(0, 30) for r in
             ("ai_research", "ml_engineering", "data_engineering", "data_science", "ai_planning", "ai_other")},
             "vacancies": rng.randrange(0, 8), "hard_to_fill": rng.choice(["", "ml_engineering", "data_science"]),
             "training_spend_krw": rng.randrange(0, 10**8), "source_file": "bench", "imported_at": now}
            for o in range(2000) for year in (2024, 2025)])
        s.commit()
    database.analyze()


def measure(database: Any, data_dir: Path, repeat: int) -> dict[str, tuple[float, float]]:
    from fastapi.testclient import TestClient

    from talentbridge.config import build_settings
    from talentbridge.services import accounts
    from talentbridge.web.app import create_app

    settings = build_settings(environment="test", data_dir=data_dir, database_url=database.url)
    with database.session() as s:
        user = accounts.create_user(s, email="bench@x.kr", password="bench-password-123", role="operator", name="b")
        _, token = accounts.create_api_token(s, user.id, "bench")
    from talentbridge.services.analytics_cells import refresh

    out = {}
    times = []
    for _ in range(3):  # what the first analytics request after a change of the data pays once
        with database.session() as s:
            t0 = time.perf_counter()
            refresh(s)
            times.append((time.perf_counter() - t0) * 1000)
    out["cells refresh (once per data change)"] = (statistics.median(times), max(times))
    with TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {token}"}) as client:
        for name, query in REQUESTS:
            url = f"/api/analytics/{name}{query}"
            assert client.get(url).status_code == 200, url
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            out[f"{name}{query}"] = (statistics.median(times), p95)
        # a read right after a change of the data: the last counts at once, the rebuild submitted as a job (it
        # runs in this process's job threads meanwhile, as it would beside a web worker)
        from talentbridge.services.job_queue import job_queue
        from talentbridge.storage.tables import TalentRow

        times = []
        for i in range(repeat):
            with database.session(write=True) as s:
                s.add(TalentRow(name=f"new {i}", category="engineer", nationality="KR", region="busan",
                                consent_statistics=True))
            t0 = time.perf_counter()
            r = client.get("/api/analytics/supply-demand")
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200  # "updating", unless the job of the previous change already ran
        times.sort()
        out["supply-demand right after a change"] = (statistics.median(times),
                                                     times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))])
        job_queue(database, settings).wait(600)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--talents", type=int, default=100_000)
    ap.add_argument("--openings", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()

    from sqlalchemy import create_engine, text

    from talentbridge.storage import Database

    results: dict[str, dict[str, tuple[float, float]]] = {}
    seeded: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.sqlite3")
        db.upgrade()
        t0 = time.perf_counter()
        seed(db, args.talents, args.openings, random.Random(7))
        seeded["SQLite"] = time.perf_counter() - t0
        results["SQLite"] = measure(db, Path(tmp) / "data", args.repeat)
        db.dispose()
    if not args.no_postgres:
        admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        name = "tb_bench_analytics"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            db = Database(args.postgres_url.rsplit("/", 1)[0] + f"/{name}")
            db.upgrade()
            t0 = time.perf_counter()
            seed(db, args.talents, args.openings, random.Random(7))
            seeded["PostgreSQL"] = time.perf_counter() - t0
            with tempfile.TemporaryDirectory() as tmp:
                results["PostgreSQL"] = measure(db, Path(tmp), args.repeat)
            db.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    engines = list(results)
    print(f"\nStatus analytics: {args.talents:,} talents, {args.openings:,} openings, {args.repeat} requests each "
          f"(seeded in " + ", ".join(f"{e} {s:.0f} s" for e, s in seeded.items()) + ")\n")
    head = "| view | " + " | ".join(f"{e} p50 ms | {e} p95 ms" for e in engines) + " | target p95 |"
    print(head)
    print("|" + "---|" * (2 + 2 * len(engines)))
    for key in results[engines[0]]:
        cells = " | ".join(f"{results[e][key][0]:.0f} | {results[e][key][1]:.0f}" for e in engines)
        ok = all(results[e][key][1] < TARGET_MS for e in engines)
        target = f"< {TARGET_MS:.0f} {'✓' if ok else '✗'}" if not key.startswith("cells") else "(not a request)"
        print(f"| `{key}` | {cells} | {target} |")


if __name__ == "__main__":
    main()
