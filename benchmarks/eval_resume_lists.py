"""Named skills in real résumés' lists: how many items of their comma-separated lines an explicit mention covers.

A rough coverage measure for the taxonomy on real CVs (``../shared/data/eval-dev/resumes-livecareer/``): the
20-per-family sample and the halves of ``benchmarks/eval_routing.py`` (seed 7; half A is for reading and tuning,
half B is reported). For every line of a CV with at least three commas, each item of one to three words is
covered when an explicit suggestion's span (``services.skill_suggestions.suggest_skills``, the pages' path)
overlaps it. Most uncovered items are ordinary words, not skills, so the share is far from 1 by nature; it is for
before / after comparisons (run with ``PYTHONPATH`` at an older checkout for "before").

    TALENTBRIDGE_ESCO_DIR=../shared/data/esco .venv/bin/python benchmarks/eval_resume_lists.py --half B
    ... --half A --top 60     # tuning half only: the most frequent uncovered items

Nothing from the evaluation files is written anywhere.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

_ITEM = re.compile(r"[^,;:()]+")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", default="B", choices=["A", "B"])
    ap.add_argument("--per-family", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--top", type=int, default=0, help="print the N most frequent uncovered items (half A only)")
    args = ap.parse_args()
    if args.top and args.half != "A":
        sys.exit("--top reads the items of the CVs: only on half A, the tuning half")

    import eval_explicit  # imported, it takes its defaults (its own command line is not parsed)
    import eval_routing

    eval_explicit.ARGS.encoder = "none"  # explicit mentions are lexical: the same with any encoder
    cvs = eval_routing.load_cvs(args.per_family, args.seed)
    ids = sorted(f"cv-{i}" for i, _, _ in cvs)
    shuffled = ids[:]
    random.Random(args.seed).shuffle(shuffled)  # the split of eval_routing.py
    half = set(shuffled[: len(ids) // 2] if args.half == "A" else shuffled[len(ids) // 2 :])
    texts = {f"cv-{i}": t for i, _, t in cvs}
    services = eval_explicit.build_services()
    from talentbridge.services.skill_suggestions import suggest_skills

    items = uncovered = 0
    missed: Counter[str] = Counter()
    for cv in sorted(half):
        text = texts[cv]
        spans = [sp for s in suggest_skills(services, text) if s.via == "explicit" for sp in s.spans]
        for line in re.finditer(r"[^\n]*", text):
            if line.group().count(",") < 3:
                continue
            for it in _ITEM.finditer(line.group()):
                item = it.group().strip(" .-•")
                if not item or not 1 <= len(item.split()) <= 3:
                    continue
                a = line.start() + it.start() + it.group().find(item)
                b = a + len(item)
                items += 1
                if not any(x < b and a < y for x, y in spans):
                    uncovered += 1
                    missed[item.lower()] += 1
    print(f"\nhalf {args.half} of the {args.per_family}-per-family sample (seed {args.seed}): {len(half)} CVs")
    print("| list items | uncovered | covered share |")
    print("|---|---|---|")
    print(f"| {items:,} | {uncovered:,} | {1 - uncovered / max(items, 1):.3f} |")
    if args.top:
        print(", ".join(f"{k} ×{v}" for k, v in missed.most_common(args.top)), file=sys.stderr)


if __name__ == "__main__":
    main()
