"""The hostile-write access matrix as numbers: (caller, route, body) cases checked and violations found.

Runs ``tests/api/test_access_writes.py`` (the matrix only) with ``TB_ACCESS_MATRIX_REPORT`` set, then prints
cases and violations per caller and the goal (0 violations). ``--src DIR`` runs it against another source tree
(e.g. an export of an older commit: ``git archive <rev> src | tar -x -C /tmp/old``) for a before/after table;
``--report FILE`` only summarises an existing report.

    python benchmarks/access_matrix.py
    python benchmarks/access_matrix.py --src /tmp/old/src
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(src: Path, report: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src), "TB_ACCESS_MATRIX_REPORT": str(report)}
    cmd = [sys.executable, "-m", "pytest", "tests/api/test_access_writes.py", "-q", "-p", "no:cacheprovider",
           "-k", "hostile_writes_change"]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)


def summarise(report: Path) -> None:
    cases: collections.Counter[str] = collections.Counter()
    bad: collections.Counter[str] = collections.Counter()
    examples: list[str] = []
    for line in report.read_text(encoding="utf-8").splitlines():
        role, label, _status, count, problems = (line.split("\t") + [""] * 5)[:5]
        cases[role] += 1
        bad[role] += int(count or 0)
        if int(count or 0) and len(examples) < 10:
            examples.append(f"{role} {label}: {problems[:160]}")
    print(f"{'caller':<18}{'cases':>8}{'violations':>12}")
    for role in sorted(cases):
        print(f"{role:<18}{cases[role]:>8}{bad[role]:>12}")
    print(f"{'total':<18}{sum(cases.values()):>8}{sum(bad.values()):>12}   goal: 0 violations")
    for example in examples:
        print("  -", example)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="source tree to test (default: ./src)")
    parser.add_argument("--report", type=Path, help="summarise this report instead of running the matrix")
    args = parser.parse_args()
    if args.report:
        summarise(args.report)
        return
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "matrix.tsv"
        run(args.src, report)
        summarise(report)


if __name__ == "__main__":
    main()
