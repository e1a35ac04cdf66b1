"""What a personal-data request costs on a realistic database (docs/privacy.md): export, erasure (database,
index, text store, uploads, SQLite checkpoint + VACUUM) and a retention dry run.

    PYTHONPATH=src python benchmarks/bench_privacy.py [--talents 5000] [--requests 5]

Makes a temporary data directory with ``talentbridge demo --talents N`` (SQLite), builds the talent index, then
times ``--requests`` exports and erasures of demo talents (one at a time, as operators do) and one retention
plan. Prints median and max seconds beside the target. Erasure includes rewriting the SQLite file (VACUUM), so it
grows with the database; the target is that a person's request is done while the operator waits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

TARGET_EXPORT_S = 1.0
TARGET_ERASE_S = 30.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--talents", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:  # encoders may still write
        data = Path(tmp)
        os.environ["TALENTBRIDGE_DATA_DIR"] = str(data)
        os.environ.pop("TALENTBRIDGE_DATABASE_URL", None)
        from talentbridge.cli import main as cli
        from talentbridge.config import build_settings, get_settings

        get_settings.cache_clear()
        try:
            cli(["demo", "--talents", str(args.talents), "--orgs", str(max(20, args.talents // 50)), "--seed", "3"])
        except SystemExit as exc:
            assert exc.code in (0, None)
        from sqlalchemy import select

        from talentbridge.services.privacy_erase import erase, find_talent
        from talentbridge.services.privacy_export import export_talent
        from talentbridge.services.privacy_retention import plan
        from talentbridge.services.recommend import RecommendService
        from talentbridge.storage import Database
        from talentbridge.storage.tables import TalentRow

        settings = build_settings(data_dir=data, environment="test")
        db = Database.from_settings(settings)
        with db.session() as session:
            RecommendService(settings, session).index()
            ids = list(session.scalars(select(TalentRow.id).order_by(TalentRow.id).limit(args.requests * 7)))[::7]
        exports, erasures = [], []
        for tid in ids[: args.requests]:
            started = time.perf_counter()
            with db.session() as session:
                export_talent(session, find_talent(session, talent_id=tid))
            exports.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = erase(settings, db, talent_id=tid)
            erasures.append(time.perf_counter() - started)
            assert not result.residue, result.residue
        started = time.perf_counter()
        with db.session() as session:
            plan(settings, session)
        retention = time.perf_counter() - started
        size = (data / "talentbridge.sqlite3").stat().st_size / 2**20
        db.dispose()
    print(f"talents {args.talents}, SQLite file {size:.1f} MiB, {len(ids[: args.requests])} requests")
    print(f"{'step':<24}{'median s':>10}{'max s':>10}{'target s':>10}")
    print(f"{'export (JSON)':<24}{statistics.median(exports):>10.3f}{max(exports):>10.3f}{TARGET_EXPORT_S:>10.1f}")
    print(f"{'erase (all of it)':<24}{statistics.median(erasures):>10.3f}{max(erasures):>10.3f}{TARGET_ERASE_S:>10.1f}")
    print(f"{'retention plan':<24}{retention:>10.3f}{retention:>10.3f}{TARGET_ERASE_S:>10.1f}")


if __name__ == "__main__":
    main()
