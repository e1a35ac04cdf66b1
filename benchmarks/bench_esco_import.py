"""Benchmark: full ESCO v1.1.1 import (13,896 skills, 3,007 occupations, 123,855 relations) vs the 60 s goal.

    .venv/bin/python benchmarks/bench_esco_import.py [--esco-dir DIR] [--postgres URL] [--repeat N]

Each run migrates a fresh database (a temporary SQLite file; a throw-away PostgreSQL database created through
the admin URL and dropped afterwards), imports the classification and relations zips, then re-imports them
(the "newer release" path). Prints one table: backend, phase, seconds, goal. The ESCO zips are read from
``--esco-dir`` or ``TALENTBRIDGE_ESCO_DIR`` (default ``<repo>/../shared/data/esco``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

GOAL_SECONDS = 60.0
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = os.environ.get("TALENTBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _zips(folder: Path) -> list[Path]:
    paths = [folder / "esco_v1.1.1_classification_en_csv.zip", folder / "esco_v1.1.1_relations_csv.zip"]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        sys.exit(f"ESCO zips not found: {', '.join(map(str, missing))} (use --esco-dir or TALENTBRIDGE_ESCO_DIR)")
    return paths


def _run(url: str, paths: list[Path], repeat: int) -> list[tuple[str, float, str]]:
    from talentbridge.services.taxonomy import import_esco, load_taxonomy
    from talentbridge.skills.esco_read import read_esco
    from talentbridge.storage import Database

    rows: list[tuple[str, float, str]] = []
    db = Database(url)
    try:
        started = time.perf_counter()
        db.upgrade()
        rows.append(("migrate + built-in taxonomy", time.perf_counter() - started, ""))

        started = time.perf_counter()
        data = read_esco(paths)
        rows.append(
            (
                "read + validate CSV only",
                time.perf_counter() - started,
                f"{len(data.taxonomy.skills):,} skills",
            )
        )

        for i in range(repeat):
            started = time.perf_counter()
            with db.session() as session:
                stats = import_esco(session, paths)
            label = "first import" if i == 0 else f"re-import #{i}"
            rows.append((label, time.perf_counter() - started, f"{stats.counts.occupation_skill_relations:,} rel."))
            started = time.perf_counter()
        with db.session() as session:
            started = time.perf_counter()
            taxonomy = load_taxonomy(session)
            rows.append(("load taxonomy (cold)", time.perf_counter() - started, f"{len(taxonomy.skills):,} skills"))
    finally:
        db.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=None)
    parser.add_argument("--postgres", default=DEFAULT_PG, help="admin URL of a PostgreSQL server ('' to skip)")
    parser.add_argument("--repeat", type=int, default=2, help="imports per backend (the first is the fresh one)")
    args = parser.parse_args()
    folder = args.esco_dir or Path(os.environ.get("TALENTBRIDGE_ESCO_DIR") or ROOT.parent / "shared" / "data" / "esco")
    paths = _zips(folder)

    results: list[tuple[str, str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for phase, seconds, note in _run(f"sqlite:///{tmp}/bench.sqlite3", paths, args.repeat):
            results.append(("SQLite", phase, seconds, note))

    if args.postgres:
        from sqlalchemy import create_engine, text

        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"tb_bench_{uuid.uuid4().hex[:8]}"
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # noqa: BLE001
            print(f"PostgreSQL skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        else:
            try:
                url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
                for phase, seconds, note in _run(url, paths, args.repeat):
                    results.append(("PostgreSQL", phase, seconds, note))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    print(f"\nESCO v1.1.1 import ({os.cpu_count()} CPUs), goal: full import < {GOAL_SECONDS:.0f} s\n")
    print(f"{'backend':<11} {'phase':<28} {'seconds':>8}  {'goal':<6} note")
    print("-" * 78)
    for backend, phase, seconds, note in results:
        verdict = ""
        if "import" in phase:
            verdict = "ok" if seconds < GOAL_SECONDS else "SLOW"
        print(f"{backend:<11} {phase:<28} {seconds:>8.2f}  {verdict:<6} {note}")


if __name__ == "__main__":
    main()
