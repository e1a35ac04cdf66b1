"""Benchmark of talents-for-opening retrieval: ANN (usearch per region) + exact re-scoring vs exact brute force.

    .venv/bin/python benchmarks/bench_recommend.py                       # 1,000,000 talents x 100,000 openings
    .venv/bin/python benchmarks/bench_recommend.py --talents 100000 --openings 10000

Data comes from the demo generator (``talentbridge.demo``), deterministic per seed, generated in parallel slices
and cached under ``.bench-cache/`` (talent columns as .npz, openings as a pickle) after the first run. Prints, in
one run: index build time and memory; p50/p95 latency of top-20 talents-for-opening with a region filter (the
opening's region) through the ANN path and through exact brute-force scoring; recall@20 of the ANN path against
exact; batch throughput (openings per second, ANN path, no region filter).

Recall@20 is tie-aware: an ANN result counts as correct when its exact score is at least the exact 20th score
(several talents often share a score); the strict id-overlap recall is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from talentbridge.demo import DEMO_TODAY, generate_organizations, iter_openings, iter_talents
from talentbridge.domain.enums import OpeningStatus
from talentbridge.domain.errors import TalentBridgeError
from talentbridge.matching.columns import SkillVocab, TalentColumns
from talentbridge.matching.constraints import Affiliates, OpeningContext
from talentbridge.matching.criteria import REGION_CODE
from talentbridge.matching.graph import SkillGraph
from talentbridge.matching.retrieval import DEFAULT_CANDIDATES, SearchFilters, TalentIndex
from talentbridge.skills.taxonomy import Skill, Taxonomy

ROOT = Path(__file__).resolve().parent.parent
CACHE_FORMAT = 1


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load_taxonomy() -> Taxonomy:
    """The built-in taxonomy; if it does not validate (it is being written), its files read leniently."""
    try:
        from talentbridge.skills.builtin import load_builtin

        return load_builtin()
    except (TalentBridgeError, ImportError) as exc:
        print(f"note: built-in taxonomy did not load ({str(exc)[:80]}...); reading its files leniently")
    from importlib import resources

    tax = Taxonomy()
    for name in ("skills_core.jsonl", "skills_industry.jsonl"):
        try:
            text = resources.files("talentbridge.skills").joinpath("data", name).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
        for line in text.splitlines():
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if isinstance(r, dict) and "id" in r:
                tax.skills[r["id"]] = Skill(
                    r["id"], r.get("label_en", r["id"]), r.get("label_ko", ""),
                    broader=list(r.get("broader") or []), related=list(r.get("related") or []),
                )  # fmt: skip
    return tax


def organization_count(openings: int) -> int:
    return max(50, round(openings / 2.8))


# ---------------------------------------------------------------- data (cached)


def _talent_slice(job: tuple[int, int, int, int]) -> dict[str, Any]:
    start, n, seed, n_orgs = job
    orgs = generate_organizations(n_orgs, seed)
    vocab = SkillVocab()
    parts = []
    at = start
    for chunk in iter_talents(n, seed, organizations=orgs, start=start, validate=False, chunk=20_000):
        cols = TalentColumns.from_talents(chunk, vocab=vocab, today=DEMO_TODAY)
        cols.ids = np.arange(at, at + len(chunk), dtype=np.int64)
        at += len(chunk)
        parts.append(cols.arrays())
    return {"parts": parts, "vocab": vocab.ids}


def concat(slices: list[dict[str, Any]]) -> TalentColumns:
    """One TalentColumns from slices built with their own vocabularies."""
    vocab = SkillVocab()
    out = TalentColumns.empty(vocab)
    for sl in slices:
        remap = np.array([vocab.add(s) for s in sl["vocab"]], dtype=np.int32)
        for arrays in sl["parts"]:
            arrays = dict(arrays)
            arrays["skill"] = remap[arrays["skill"]] if arrays["skill"].size else arrays["skill"]
            out.append(TalentColumns.from_arrays(arrays, vocab))
    return out


def talent_columns(n: int, seed: int, n_orgs: int, cache: Path, workers: int) -> TalentColumns:
    path = cache / f"talents-v{CACHE_FORMAT}-n{n}-o{n_orgs}-s{seed}.npz"
    if path.exists():
        with np.load(path) as data:
            vocab = SkillVocab.of(json.loads(str(data["vocab_json"])))
            return TalentColumns.from_arrays({k: data[k] for k in data.files}, vocab)
    t0 = time.perf_counter()
    step = max(1, -(-n // (workers * 4)))
    jobs = [(s, min(step, n - s + 1), seed, n_orgs) for s in range(1, n + 1, step)]
    with ProcessPoolExecutor(workers) as pool:
        slices = list(pool.map(_talent_slice, jobs))
    cols = concat(slices)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, vocab_json=np.array(json.dumps(cols.vocab.ids)), **cols.arrays())
    tmp.replace(path)
    print(f"generated {n:,} talents in {time.perf_counter() - t0:.0f} s (cached in {path.name})")
    return cols


def openings_list(m: int, seed: int, n_orgs: int, cache: Path) -> list[Any]:
    path = cache / f"openings-v{CACHE_FORMAT}-m{m}-o{n_orgs}-s{seed}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    t0 = time.perf_counter()
    orgs = generate_organizations(n_orgs, seed)
    out = [o for chunk in iter_openings(m, seed, orgs, validate=False, chunk=20_000) for o in chunk]
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"generated {m:,} openings in {time.perf_counter() - t0:.0f} s (cached in {path.name})")
    return out


# ---------------------------------------------------------------- measuring


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--talents", type=int, default=1_000_000)
    ap.add_argument("--openings", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--queries", type=int, default=200, help="openings timed on both paths")
    ap.add_argument("--batch", type=int, default=2000, help="openings in the batch throughput run")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES, help="ANN candidates per sub-index")
    ap.add_argument("--workers", type=int, default=2, help="processes for generation, threads for the batch")
    ap.add_argument("--cache", type=Path, default=ROOT / ".bench-cache")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--reuse-index", action="store_true", help="save the built index in the cache and reuse it")
    args = ap.parse_args(argv)

    n_orgs = organization_count(args.openings)
    taxonomy = load_taxonomy()
    graph = SkillGraph(taxonomy)
    t0 = time.perf_counter()
    cols = talent_columns(args.talents, args.seed, n_orgs, args.cache, args.workers)
    openings = openings_list(args.openings, args.seed, n_orgs, args.cache)
    print(
        f"data ready in {time.perf_counter() - t0:.1f} s: {len(cols):,} talents, {len(openings):,} openings, "
        f"{len(cols.vocab)} skills in use, {len(taxonomy.skills)} in the taxonomy"
    )
    for sid in taxonomy.skills:  # the vector layout covers the whole taxonomy, not only skills in use
        cols.vocab.add(sid)

    rss0 = rss_mb()
    saved = args.cache / f"index-n{args.talents}-o{n_orgs}-s{args.seed}"
    index = TalentIndex.load(saved, graph) if args.reuse_index else None
    if index is not None:
        build = json.loads((saved / "build.json").read_text())
        build_s, build_cpu_s = build["build_s"], build.get("build_cpu_s", float("nan"))
        print(f"index loaded from {saved.name} (built earlier in {build_s:.1f} s)")
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        index = TalentIndex.build(cols, graph)
        build_s = time.perf_counter() - t0
        build_cpu_s = time.process_time() - c0
        if args.reuse_index:
            index.save(saved)
            (saved / "build.json").write_text(json.dumps({"build_s": build_s, "build_cpu_s": build_cpu_s}))
    index_mb = index.memory_bytes() / 2**20
    rss_delta = rss_mb() - rss0
    print(
        f"index built in {build_s:.1f} s: {sum(len(a) for a in index.ann.values()):,} vectors of "
        f"{index.space.ndim} dims in {len(index.ann)} regional sub-indexes; {index_mb:,.0f} MB"
    )

    orgs = {i + 1: o for i, o in enumerate(generate_organizations(n_orgs, args.seed))}
    affiliates = Affiliates(orgs)

    def context(o: Any) -> OpeningContext:
        return OpeningContext(o, affiliate_ids=affiliates.of(o.organization_id), today=DEMO_TODAY)

    live = [
        o for o in openings
        if o.status == OpeningStatus.OPEN and (o.deadline is None or o.deadline >= DEMO_TODAY) and o.region
    ]  # fmt: skip
    rng = random.Random(args.seed)
    queries = rng.sample(live, min(args.queries, len(live)))

    # Each path is timed in its own pass over the same queries (warm, as a serving process would be), after one
    # untimed warm-up query that builds the lazy structures (postings, propagation matrix).
    def region_filter(o: Any) -> SearchFilters:
        return SearchFilters(regions=frozenset({REGION_CODE[o.region]}))

    index.recommend(context(queries[0]), args.top, filters=region_filter(queries[0]), n_candidates=args.candidates)
    ann_ms, exact_ms, ann_results = [], [], []
    for o in queries:
        ctx, filters = context(o), region_filter(o)
        t = time.perf_counter()
        ann_results.append(index.recommend(ctx, args.top, filters=filters, n_candidates=args.candidates))
        ann_ms.append((time.perf_counter() - t) * 1000)
    recall_tie, recall_ids = [], []
    for o, ann in zip(queries, ann_results, strict=True):
        ctx, filters = context(o), region_filter(o)
        t = time.perf_counter()
        exact = index.recommend(ctx, args.top, filters=filters, method="exact")
        exact_ms.append((time.perf_counter() - t) * 1000)
        if len(exact) == 0:
            continue
        kth = exact.scores.score[-1]
        want = len(exact)
        recall_tie.append(min(want, int(np.sum(ann.scores.score >= kth - 1e-9))) / want)
        recall_ids.append(len(set(ann.ids.tolist()) & set(exact.ids.tolist())) / want)

    batch = [o for o in rng.sample(live, min(args.batch, len(live)))]

    t = time.perf_counter()
    for start in range(0, len(batch), 256):  # batched ANN search (multi-threaded), then exact re-scoring
        chunk = batch[start : start + 256]
        index.recommend_many([context(o) for o in chunk], args.top, n_candidates=args.candidates, threads=args.workers)
    batch_s = time.perf_counter() - t

    res = {
        "talents": len(cols),
        "openings": len(openings),
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "load_average": os.getloadavg()[0],
        "index_mb": index_mb,
        "rss_delta_mb": rss_delta,
        "ann_p50_ms": pct(ann_ms, 50),
        "ann_p95_ms": pct(ann_ms, 95),
        "exact_p50_ms": pct(exact_ms, 50),
        "exact_p95_ms": pct(exact_ms, 95),
        "speedup_p50": pct(exact_ms, 50) / pct(ann_ms, 50),
        "recall_at_k": float(np.mean(recall_tie)),
        "recall_ids_at_k": float(np.mean(recall_ids)),
        "batch_openings_per_s": len(batch) / batch_s,
        "queries": len(queries),
        "batch": len(batch),
        "k": args.top,
        "candidates": args.candidates,
    }
    rows = [
        ("talents x openings", f"{res['talents']:,} x {res['openings']:,}", ""),
        ("index build time (wall / CPU of all threads)", f"{build_s:.1f} s / {build_cpu_s:.1f} s", ""),
        ("index memory (arrays + HNSW)", f"{index_mb:,.0f} MB", ""),
        ("process RSS growth during build", f"{rss_delta:,.0f} MB", ""),
        (f"top-{args.top} ANN path p50 / p95", f"{res['ann_p50_ms']:.1f} / {res['ann_p95_ms']:.1f} ms", "p95 <= 50 ms"),
        (f"top-{args.top} exact path p50 / p95",
         f"{res['exact_p50_ms']:.1f} / {res['exact_p95_ms']:.1f} ms", ""),
        ("speed-up (p50 exact / p50 ANN)", f"{res['speedup_p50']:.1f}x", ">= 20x"),
        (f"recall@{args.top} (tie-aware)", f"{res['recall_at_k']:.3f}", ">= 0.95"),
        (f"recall@{args.top} (same ids)", f"{res['recall_ids_at_k']:.3f}", ""),
        ("batch throughput (ANN, no region filter)",
         f"{res['batch_openings_per_s']:.0f} openings/s ({args.workers} threads)", ""),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"\n| {'metric'.ljust(width)} | {'value'.ljust(vwidth)} | goal |")
    print(f"|{'-' * (width + 2)}|{'-' * (vwidth + 2)}|------|")
    for name, value, goal in rows:
        print(f"| {name.ljust(width)} | {value.ljust(vwidth)} | {goal} |")
    print(
        f"\n{len(queries)} timed queries (region filter = the opening's region), {len(batch)} batch openings, "
        f"{args.candidates} ANN candidates per sub-index, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine)"
    )
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
