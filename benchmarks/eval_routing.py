"""Résumé routing through the product's own path: real English CVs to openings titled by job family.

    .venv/bin/python benchmarks/eval_routing.py [--per-family 20] [--seed 7] [--reuse]

The development résumé set (../shared/data/eval-dev/resumes-livecareer/Resume.csv, read in place; nothing from it
is printed or written into the repository) has one job family per CV. Each CV's first line, its headline, is
stripped (it names the family in about 60% of rows). The operator's way, each step a fresh CLI process on a data
dir of its own:

1. `db upgrade`; `import organizations` (one employer); `import openings`: one open job per family, titled by the
   family (24), plus one opening no CV belongs to ("AI Engineer", what TalentBridge mostly carries): 25 openings,
   title only (thin text); their requirements are inferred by the product from the title.
2. `import talents`: the CVs as `resume_text` (skills inferred by the product on import).
3. `recommend batch --direction openings-for-talent --top 25`: every opening's score and breakdown per CV.

Accuracy@1/@3 of the CV's family among the ranked openings, per family, next to BM25 over the opening texts (the
family titles) with the CV as the query. Then the criteria weights of the score refitted on one half of the CVs
(fixed seed; coordinate search on accuracy@1, then MRR) and reported on the other half.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ../shared/data beside the repository (from a worktree under /work/wt/, two levels up)
SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data"
)
CLI = [sys.executable, "-c", "from talentbridge.cli import main; main()"]

#: Opening titles per family (the dataset's category names, spelled out as a job board would).
FAMILY_TITLES = {
    "ACCOUNTANT": "Accountant",
    "ADVOCATE": "Advocate",
    "AGRICULTURE": "Agriculture",
    "APPAREL": "Apparel",
    "ARTS": "Arts",
    "AUTOMOBILE": "Automobile",
    "AVIATION": "Aviation",
    "BANKING": "Banking",
    "BPO": "BPO (business process outsourcing)",
    "BUSINESS-DEVELOPMENT": "Business Development",
    "CHEF": "Chef",
    "CONSTRUCTION": "Construction",
    "CONSULTANT": "Consultant",
    "DESIGNER": "Designer",
    "DIGITAL-MEDIA": "Digital Media",
    "ENGINEERING": "Engineering",
    "FINANCE": "Finance",
    "FITNESS": "Fitness",
    "HEALTHCARE": "Healthcare",
    "HR": "HR (human resources)",
    "INFORMATION-TECHNOLOGY": "Information Technology",
    "PUBLIC-RELATIONS": "Public Relations",
    "SALES": "Sales",
    "TEACHER": "Teacher",
}
DISTRACTOR = ("AI-ENGINEER", "AI Engineer")


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-family", type=int, default=0, help="CVs per family (0: all)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=ROOT / ".bench-cache" / "routing")
    ap.add_argument("--reuse", action="store_true", help="reuse the batch output of an earlier run")
    ap.add_argument("--from-db", type=Path, default=None, help="start from a copy of this data dir (e.g. with ESCO)")
    ap.add_argument(
        "--keep-headline",
        action="store_true",
        help="keep each CV's first line, its headline (names the family in about 60%% of rows): how a résumé "
        "arrives, not the fair zero-shot test; the same CVs as without it",
    )
    ap.add_argument(
        "--untouched",
        action="store_true",
        help="also print before / after / BM25 on the CVs outside half A of the 20-per-family sample (where the "
        "product's choices were made): with --per-family 40, about 700 CVs no choice saw",
    )
    ap.add_argument(
        "--before",
        type=Path,
        default=None,
        help="batch.jsonl of the same CVs scored by an earlier version (e.g. `recommend batch` on a copy of the "
        "data dir with PYTHONPATH at an older checkout): printed as 'before' beside the product",
    )
    return ap.parse_args()


def _cli(args: list[str], env: dict[str, str]) -> None:
    started = time.perf_counter()
    result = subprocess.run(CLI + args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    print(f"  {' '.join(args[:2])}: {time.perf_counter() - started:.0f} s", flush=True)


def strip_headline(text: str) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[1:]).strip()


def load_cvs(per_family: int, seed: int, keep_headline: bool = False) -> list[tuple[str, str, str]]:
    """(id, family, text without headline), stratified sample when ``per_family``; empty texts dropped. With
    ``keep_headline`` the same CVs with their headline line (as a résumé arrives)."""
    path = SHARED / "eval-dev" / "resumes-livecareer" / "Resume.csv"
    csv.field_size_limit(1 << 24)
    by_family: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = strip_headline(row["Resume_str"] or "")
            if len(text) < 100 or text in seen:  # the empty row, the duplicate pairs
                continue
            seen.add(text)
            if keep_headline:
                text = (row["Resume_str"] or "").strip()
            by_family[row["Category"]].append((row["ID"], row["Category"], text[:100_000]))
    rng = random.Random(seed)
    out = []
    for family in sorted(by_family):
        rows = by_family[family]
        rng.shuffle(rows)
        out += rows[:per_family] if per_family else rows
    return out


# --------------------------------------------------------------------------------------------- BM25 baseline

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def bm25_rank(query: str, docs: list[str], k1: float = 1.2, b: float = 0.75) -> list[int]:
    """Documents by Okapi BM25 of ``query`` against them, best first (ties: document order). Each query term
    counts as often as the query repeats it: against bare titles (one occurrence of each term, every term in one
    title) a BM25 that counts a query term once scores every title the CV names anywhere alike, and the tie goes
    to the first title listed; that was this baseline's 0.35."""
    toks = [_tokens(d) for d in docs]
    avg = sum(map(len, toks)) / len(toks)
    df = Counter(t for d in toks for t in set(d))
    n = len(docs)
    q = Counter(_tokens(query))
    scores = []
    for d in toks:
        tf = Counter(d)
        s = 0.0
        for term in q:
            if term in tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                s += q[term] * idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * len(d) / avg))
        scores.append(s)
    return sorted(range(n), key=lambda i: (-scores[i], i))


# --------------------------------------------------------------------------------------------- metrics


def accuracy(ranked: dict[str, list[str]], gold: dict[str, str], ids: list[str]) -> dict[str, tuple[float, float]]:
    """Per family and "all": (accuracy@1, accuracy@3)."""
    per: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for cv in ids:
        r = ranked.get(cv, [])
        hit1, hit3 = int(r[:1] == [gold[cv]]), int(gold[cv] in r[:3])
        per[gold[cv]].append((hit1, hit3))
        per["all"].append((hit1, hit3))
    return {f: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for f, v in per.items()}


def rescore(items: list[dict], factors: dict[str, float]) -> list[str]:
    """Openings re-ranked by the breakdown's points per criterion, each scaled by ``factors`` (all 1: the product's
    own order). The batch output gives points (weight x score, over the applicable weights), so scaling them is
    re-weighting the criteria up to the normalisation of pairs with other applicable sets."""
    return [
        i["family"]
        for i in sorted(items, key=lambda i: -sum(factors.get(c, 1.0) * p for c, p in i["breakdown"].items()))
    ]


def fit_factors(rows: dict[str, list[dict]], gold: dict[str, str], ids: list[str]) -> dict[str, float]:
    """Coordinate search over per-criterion factors (0..3 in steps of 0.25) maximising accuracy@1, then MRR."""

    def objective(f: dict[str, float]) -> tuple[float, float]:
        a1 = mrr = 0.0
        for cv in ids:
            order = rescore(rows[cv], f)
            pos = order.index(gold[cv]) if gold[cv] in order else len(order)
            a1 += pos == 0
            mrr += 1 / (pos + 1)
        return a1 / len(ids), mrr / len(ids)

    criteria = sorted({c for cv in ids for i in rows[cv] for c in i["breakdown"]})
    best = dict.fromkeys(criteria, 1.0)
    value = objective(best)
    grid = [0.25 * k for k in range(13)]
    for _ in range(3):
        improved = False
        for c in criteria:
            for g in grid:
                trial = {**best, c: g}
                v = objective(trial)
                if v > value:
                    best, value, improved = trial, v, True
        if not improved:
            break
    return best


def text_cosines(cvs: dict[str, str], openings: dict[str, str]) -> dict[tuple[str, str], float]:
    """Cosine of each CV's and opening's text as the product's text criterion sees them (its encoder, its cut)."""
    from talentbridge.services.compared_texts import MAX_TEXT_CHARS
    from talentbridge.skills.encoder import USEEncoder

    def cut(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()[:MAX_TEXT_CHARS]

    encoder = USEEncoder()
    cv_ids, fam_ids = list(cvs), list(openings)
    a = encoder.encode([cut(cvs[c]) for c in cv_ids])
    b = encoder.encode([cut(openings[f]) for f in fam_ids])
    sims = a @ b.T
    return {(c, f): float(sims[i, j]) for i, c in enumerate(cv_ids) for j, f in enumerate(fam_ids)}


def calibrated_order(items: list[dict], p: dict[str, float]) -> list[str]:
    """Re-rank by the non-text criteria's points scaled by ``p[c]`` plus ``p["text"]`` x the text cosine rescaled
    from ``p["floor"]`` (0) to ``p["full"]`` (1): the text criterion's calibration refitted."""

    def score(i: dict) -> float:
        t = min(max((i["cos"] - p["floor"]) / max(p["full"] - p["floor"], 1e-6), 0.0), 1.0)
        rest = sum(p.get(c, 1.0) * v for c, v in i["breakdown"].items() if c != "text")
        return rest + p["text"] * 100 * t

    return [i["family"] for i in sorted(items, key=lambda i: -score(i))]


def fit_calibration(rows: dict[str, list[dict]], gold: dict[str, str], ids: list[str]) -> dict[str, float]:
    """Coordinate search over the text calibration (floor, full), its weight and the other criteria's factors."""

    def objective(p: dict[str, float]) -> tuple[float, float]:
        a1 = mrr = 0.0
        for cv in ids:
            order = calibrated_order(rows[cv], p)
            pos = order.index(gold[cv]) if gold[cv] in order else len(order)
            a1 += pos == 0
            mrr += 1 / (pos + 1)
        return a1 / len(ids), mrr / len(ids)

    criteria = sorted({c for cv in ids for i in rows[cv] for c in i["breakdown"]} - {"text"})
    best = {**dict.fromkeys(criteria, 1.0), "text": 0.1, "floor": 0.30, "full": 0.75}
    value = objective(best)
    grids = {
        "floor": [round(-0.2 + 0.05 * k, 2) for k in range(15)],
        "full": [round(0.1 + 0.05 * k, 2) for k in range(17)],
        "text": [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0],
        **{c: [0.25 * k for k in range(13)] for c in criteria},
    }
    for _ in range(3):
        improved = False
        for key, grid in grids.items():
            for g in grid:
                trial = {**best, key: g}
                if trial["full"] <= trial["floor"]:
                    continue
                v = objective(trial)
                if v > value:
                    best, value, improved = trial, v, True
        if not improved:
            break
    return best


def _read_batch(path: Path) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    rows: dict[str, list[dict]] = {}
    product: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            items = [{**i, "family": i["external_id"].removeprefix("family-")} for i in rec["items"]]
            rows[rec["source"]] = items
            product[rec["source"]] = [i["family"] for i in items]
    return rows, product


def diagnose(rows: dict[str, list[dict]], gold: dict[str, str], ids: list[str]) -> None:
    """For the CVs routed wrongly: mean points per criterion of the right opening and of the chosen one, and the
    most frequent (right, chosen) family pairs."""
    right: dict[str, float] = defaultdict(float)
    chosen: dict[str, float] = defaultdict(float)
    pairs: Counter[tuple[str, str]] = Counter()
    wrong = 0
    for cv in ids:
        items = rows[cv]
        if not items or items[0]["family"] == gold[cv]:
            continue
        hit = next((i for i in items if i["family"] == gold[cv]), None)
        wrong += 1
        pairs[(gold[cv], items[0]["family"])] += 1
        for c, p in items[0]["breakdown"].items():
            chosen[c] += p
            right[c] += hit["breakdown"].get(c, 0.0) if hit else 0.0
    if not wrong:
        return
    print(f"\nheld-out CVs routed wrongly: {wrong}; mean points per criterion, right opening vs chosen one:")
    for c in chosen:
        if right[c] or chosen[c]:
            print(f"  {c:<12} {right[c] / wrong:6.1f}  {chosen[c] / wrong:6.1f}")
    print("most frequent (right -> chosen): " + ", ".join(f"{a} -> {b} {n}" for (a, b), n in pairs.most_common(6)))


def main() -> None:
    args = _args()
    cvs = load_cvs(args.per_family, args.seed, args.keep_headline)
    gold = {f"cv-{i}": fam for i, fam, _ in cvs}
    data = args.data_dir
    batch_out = data / "batch.jsonl"
    # a shared model cache (TALENTBRIDGE_MODEL_CACHE_DIR) is kept: label encodings are keyed by model and content
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTBRIDGE_") or k.endswith("MODEL_CACHE_DIR")}
    env.update(TALENTBRIDGE_DATA_DIR=str(data), COLUMNS="120")
    families = {**FAMILY_TITLES, DISTRACTOR[0]: DISTRACTOR[1]}
    if not (args.reuse and batch_out.exists()):
        import shutil

        shutil.rmtree(data, ignore_errors=True)
        if args.from_db:
            shutil.copytree(args.from_db, data)
        data.mkdir(parents=True, exist_ok=True)
        print(f"routing {len(cvs)} CVs through import and recommend batch:", flush=True)
        _cli(["db", "upgrade"], env)
        (data / "orgs.csv").write_text(
            "external_id,name,kind\nemployer,Routing Employer,ai_startup\n", encoding="utf-8"
        )
        with (data / "openings.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["external_id", "organization_external_id", "kind", "title", "remote", "status"])
            for fam, title in families.items():
                w.writerow([f"family-{fam}", "employer", "job", title, "true", "open"])
        with (data / "talents.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["external_id", "name", "resume_text", "consent_visible"])
            for i, _, text in cvs:
                w.writerow([f"cv-{i}", f"CV {i}", text, "true"])
        _cli(["import", "organizations", str(data / "orgs.csv")], env)
        _cli(["import", "openings", str(data / "openings.csv")], env)
        _cli(["import", "talents", str(data / "talents.csv")], env)
        _cli(["recommend", "batch", "--direction", "openings-for-talent", "--top", "25", "-o", str(batch_out)], env)

    rows, product = _read_batch(batch_out)
    before = _read_batch(args.before)[1] if args.before else None
    ids = sorted(gold)
    titles = list(families.values())
    keys = list(families)
    texts = {f"cv-{i}": t for i, _, t in cvs}
    bm25 = {cv: [keys[j] for j in bm25_rank(texts[cv], titles)] for cv in ids}

    rng = random.Random(args.seed)
    shuffled = ids[:]
    rng.shuffle(shuffled)
    fit_half, test_half = sorted(shuffled[: len(ids) // 2]), sorted(shuffled[len(ids) // 2 :])
    fitted = fit_factors(rows, gold, fit_half)
    refit = {cv: rescore(rows[cv], fitted) for cv in ids}
    cosines = text_cosines({cv: texts[cv] for cv in ids}, families)
    for cv in ids:
        for item in rows[cv]:
            item["cos"] = cosines[(cv, item["family"])]
    calibration = fit_calibration(rows, gold, fit_half)
    calibrated = {cv: calibrated_order(rows[cv], calibration) for cv in ids}
    text_only = {cv: sorted(keys, key=lambda f: -cosines[(cv, f)]) for cv in ids}

    before_all, bm_all = accuracy(product, gold, ids), accuracy(bm25, gold, ids)
    before_test, bm_test = accuracy(product, gold, test_half), accuracy(bm25, gold, test_half)
    after_test = accuracy(refit, gold, test_half)
    cal_test, text_test = accuracy(calibrated, gold, test_half), accuracy(text_only, gold, test_half)
    print(
        f"\n{len(ids)} CVs, {len(families)} openings; weights fitted on {len(fit_half)}, reported on {len(test_half)}"
    )
    print(f"fitted factors on the product's criterion points: {fitted}")
    print(f"fitted text calibration and factors: {calibration}\n")
    print(
        f"{'family':<24} {'n':>4}  {'product @1/@3':>14}  {'BM25 @1/@3':>12}  {'held-out: product':>18}  {'factors':>12}  {'calibrated':>12}  {'cosine':>12}  {'BM25':>12}"
    )
    for fam in [*sorted(FAMILY_TITLES), "all"]:
        n = sum(1 for cv in ids if fam == "all" or gold[cv] == fam)
        a, b = before_all.get(fam, (0, 0)), bm_all.get(fam, (0, 0))
        c, d, e = before_test.get(fam, (0, 0)), after_test.get(fam, (0, 0)), bm_test.get(fam, (0, 0))
        f, g = cal_test.get(fam, (0, 0)), text_test.get(fam, (0, 0))
        print(
            f"{fam:<24} {n:>4}  {a[0]:>6.2f} / {a[1]:.2f}  {b[0]:>5.2f} / {b[1]:.2f}  "
            f"{c[0]:>10.2f} / {c[1]:.2f}  {d[0]:>5.2f} / {d[1]:.2f}  {f[0]:>5.2f} / {f[1]:.2f}  "
            f"{g[0]:>5.2f} / {g[1]:.2f}  {e[0]:>5.2f} / {e[1]:.2f}"
        )
    diagnose(rows, gold, test_half)
    if before is not None:
        b_test, b_all = accuracy(before, gold, test_half), accuracy(before, gold, ids)
        print(f"\nheld-out half ({len(test_half)} CVs), acc@1 / acc@3:")
        print(f"{'family':<24} {'n':>4}  {'before':>12}  {'after':>12}  {'BM25':>12}")
        for fam in [*sorted(FAMILY_TITLES), "all"]:
            n = sum(1 for cv in test_half if fam == "all" or gold[cv] == fam)
            x, y, z = b_test.get(fam, (0, 0)), before_test.get(fam, (0, 0)), bm_test.get(fam, (0, 0))
            print(f"{fam:<24} {n:>4}  {x[0]:>5.2f} / {x[1]:.2f}  {y[0]:>5.2f} / {y[1]:.2f}  {z[0]:>5.2f} / {z[1]:.2f}")
        print(f"all {len(ids)} CVs: before {b_all['all'][0]:.2f} / {b_all['all'][1]:.2f}, "
              f"after {before_all['all'][0]:.2f} / {before_all['all'][1]:.2f}, "
              f"BM25 {bm_all['all'][0]:.2f} / {bm_all['all'][1]:.2f}")  # fmt: skip
    if args.untouched:
        sample = sorted(f"cv-{i}" for i, _, _ in load_cvs(20, args.seed))
        random.Random(args.seed).shuffle(sample)
        tuned = set(sample[: len(sample) // 2])
        fresh = [cv for cv in ids if cv not in tuned]
        print(f"\n{len(fresh)} CVs outside half A of the 20-per-family sample, acc@1 / acc@3:")
        rankings = [("before", before)] if before is not None else []
        for name, ranking in [*rankings, ("product", product), ("BM25", bm25)]:
            a = accuracy(ranking, gold, fresh)["all"]
            print(f"  {name:<8} {a[0]:.3f} / {a[1]:.3f}")
    print("\ngoal: held-out accuracy@1 >= 0.85, ahead of BM25 by a clear margin")


if __name__ == "__main__":
    main()
