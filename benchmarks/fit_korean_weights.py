"""Fit the Korean job-title weights (``KOREAN_WEIGHTS``) on half A of the Korean development titles.

    PYTHONPATH=src .venv/bin/python benchmarks/fit_korean_weights.py --threads 1 --save f.npz   # features, fit
    PYTHONPATH=src .venv/bin/python benchmarks/fit_korean_weights.py --load f.npz --nonneg --priors frozen --guard

The metric is the one ``eval_skills.py --only korean`` reports: the ISCO-08 major group of the top-1 occupation
against the title's KSCO major group. Every signal of ``TitleNormalizer`` is computed on its own (one-hot
weights) for each title's ``--candidates`` best occupations under the current ``KOREAN_WEIGHTS``; the weights are
then fitted on half A only (the split of ``eval_skills.py --half``: numpy seed 0, half B stays held out):

* ``logit``: a smooth stand-in for accuracy, the log of the softmax probability mass on the candidates of the
  right major group (L2 penalty), by L-BFGS; then
* ``coordinate``: coordinate ascent on major-group accuracy itself from there (each weight in turn over a grid of
  changes, the best kept when it gains; a few rounds).

The semantic weight stays at 1 (a free temperature sharpens the softmax), so that bounds are in the product's
scale. Constraints, since unconstrained fits choose wrong occupations of the right group: ``--nonneg`` keeps the
evidence weights, the late interaction and the head-word nudge >= 0 (the managerial term <= 0); ``--priors
bounded|frozen`` keeps the occupation priors within ``--prior-bound`` or at the hand-set values; ``--shrink
current`` pulls the L2 penalty towards the hand-set weights instead of 0; ``--guard`` lets coordinate ascent keep a
step only when the everyday check (``korean_everyday_titles.py``: hand-written everyday titles and their sensible
ESCO occupations, not evaluation data) stays at least as good as under the hand-set weights. Every method's
everyday count is printed next to its accuracies; ``--out`` writes the weights as JSON for
``korean_everyday_titles.py --weights``.

A two-fold check inside half A (a second permutation, seed 1: fit on one quarter of the titles, measure on the
other, both ways) says whether the weights generalise before half B is measured. Only linear weights of generic
signals and structure priors are fitted; the per-major-group bias (``prior_major``) is left out unless
``--major``: it would learn how the Korean dictionary's titles are spread over the major groups. Reads
../shared/data/eval-dev/ in place; nothing from it is written anywhere.

The candidates come from, and the fits start at, the product's ``KOREAN_WEIGHTS`` or with ``--start hand-set``
the hand-set weights they replaced (``_title_fit.KOREAN_HAND_SET``; the product's weights came from that start;
``--load`` keeps the candidates of the saved features). Unconstrained fits win the metric by choosing generic
occupations of the right major group instead of the one the title names (docs/skills.md, "Korean weights
on held-out halves"); the everyday count says whether a fit does that.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _title_fit import DATA_ROOT  # noqa: E402

_ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
_ap.add_argument("--esco", type=Path, default=DATA_ROOT / "shared/data/esco")
_ap.add_argument("--eval", type=Path, default=DATA_ROOT / "shared/data/eval-dev")
_ap.add_argument("--candidates", type=int, default=200)
_ap.add_argument("--l2", type=float, default=1e-3)
_ap.add_argument("--signals", default="", help="comma-separated subset of the signals to fit (default: all)")
_ap.add_argument("--major", action="store_true", help="also fit the per-major-group bias (prior_major)")
_ap.add_argument("--late-top", type=int, default=40, help="late interaction on this many best candidates")
_ap.add_argument("--rounds", type=int, default=3, help="coordinate-ascent rounds")
_ap.add_argument("--threads", type=int, default=1)
_ap.add_argument("--load", type=Path, help="read the features from this .npz (written by --save) instead")
_ap.add_argument("--save", type=Path, help="write the half-A candidates and features to this .npz")
_ap.add_argument("--nonneg", action="store_true", help="evidence weights, late interaction and head nudge >= 0")
_ap.add_argument(
    "--priors",
    choices=["free", "bounded", "frozen"],
    default="free",
    help="occupation priors: fitted freely, within +-(--prior-bound), or kept at KOREAN_WEIGHTS'",
)
_ap.add_argument("--prior-bound", type=float, default=0.05, help="|prior weight| <= this (semantic = 1)")
_ap.add_argument(
    "--guard",
    action="store_true",
    help="coordinate ascent keeps only steps after which the everyday check is no worse than the start",
)
_ap.add_argument(
    "--shrink",
    choices=["zero", "current"],
    default="zero",
    help="the L2 penalty pulls the weights towards 0 or towards the hand-set KOREAN_WEIGHTS",
)
_ap.add_argument(
    "--start",
    choices=["product", "hand-set"],
    default="product",
    help="candidates and starting weights: the product's KOREAN_WEIGHTS or the hand-set ones before issue #14's fit",
)
_ap.add_argument("--out", type=Path, help="write each method's weights (product scale) as JSON into this folder")
ARGS = _ap.parse_args()
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402
from _title_fit import KOREAN_HAND_SET, Memo, halves, one_hot  # noqa: E402
from korean_everyday_titles import EVERYDAY_TITLES, acceptable_uris  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from talentbridge.skills.occupation_priors import FEATURES  # noqa: E402
from talentbridge.skills.title_weights import KOREAN_WEIGHTS  # noqa: E402
from talentbridge.skills.titles import TitleNormalizer  # noqa: E402

KSCO_OF_ISCO = {"1": "1", "2": "2", "3": "2", "4": "3", "5": "45", "6": "6", "7": "7", "8": "8", "9": "9", "0": "A"}
#: Signals scored against every occupation (``_scores``), and on the candidates only.
FULL = ("semantic", "bm25", "exact", "cover", "document", "preferred", "skills", "second", "second_preferred")
NUDGES = ("korean_head", "unasked_manager")
CANDIDATE = ("first_word", "head_word")
PRIORS = tuple(f"prior_{name}" for name in FEATURES)
EVIDENCE = (*FULL, *CANDIDATE)  # the weights the product divides by
NAMES = [*FULL, *NUDGES, *CANDIDATE, "late", *PRIORS, *(f"major_{d}" for d in range(10))]
#: Columns the product adds on its candidates only (second encoder, first/head word) and the late interaction.
CANDIDATE_COLS = np.asarray([NAMES.index(n) for n in ("second", "second_preferred", *CANDIDATE)])
LATE_COL = NAMES.index("late")
STAGE2 = np.isin(np.arange(len(NAMES)), [*CANDIDATE_COLS, LATE_COL])
PRODUCT_CANDIDATES = 50


def start_weights():
    """The weights the candidates come from and the fit starts at (``--start``)."""
    return KOREAN_HAND_SET if ARGS.start == "hand-set" else KOREAN_WEIGHTS


def build(normalizer: TitleNormalizer, titles: list[str], k: int):
    """Candidates (n, k) under the current Korean weights (product order) and their features (n, k, f)."""
    names = NAMES
    priors = np.stack(
        [normalizer._prior(one_hot(n)) for n in PRIORS]
        + [(normalizer.major == str(d)).astype(np.float32) for d in range(10)],
        1,
    )
    cands, feats = [], []
    start_prior = normalizer._prior(start_weights())
    for a in range(0, len(titles), 256):
        chunk = titles[a : a + 256]
        fused = normalizer._scores(chunk, start_weights())[0]
        score = np.where(fused > 0, fused + start_prior[None, :], -np.inf)
        cand = np.argsort(-score, axis=1, kind="stable")[:, :k]
        cols = [np.take_along_axis(normalizer._scores(chunk, one_hot(n))[0], cand, 1) for n in (*FULL, *NUDGES)]
        queries = [normalizer._query_text(t) for t in chunk]
        for n in CANDIDATE:
            one = one_hot(n)
            cols.append(
                np.stack([normalizer.candidate_scores(q, None, c, one) for q, c in zip(queries, cand, strict=True)])
            )
        late = np.zeros(cand.shape, dtype=np.float32)
        tokens = normalizer._scores(chunk, one_hot("late"))[1]
        if normalizer.late is not None and tokens is not None:
            for r in range(len(chunk)):
                if len(tokens[r]):
                    late[r] = normalizer.late.scores(tokens[r], cand[r])
        cols.append(late)
        cands.append(cand)
        feats.append(np.concatenate([np.stack(cols, 2), priors[cand]], 2))
        print(f"  features {a + len(chunk)}/{len(titles)}", file=sys.stderr, flush=True)
    return np.concatenate(cands), np.concatenate(feats).astype(np.float64), names


def accuracy(x: np.ndarray, ok: np.ndarray, w: np.ndarray) -> float:
    """Major-group accuracy of the top-1 as the product ranks: the full-matrix signals and priors pick the best
    ``PRODUCT_CANDIDATES`` (``TitleNormalizer.candidates``), the candidate signals are added to those, and the
    late interaction to the best ``--late-top`` of them."""
    rows = np.arange(len(ok))[:, None]
    s = x[:, :, ~STAGE2] @ w[~STAGE2]
    n_cands = min(max(PRODUCT_CANDIDATES, ARGS.late_top), x.shape[1])
    top = np.argpartition(-s, n_cands - 1, axis=1)[:, :n_cands]
    s = s[rows, top] + x[rows, top][:, :, CANDIDATE_COLS] @ w[CANDIDATE_COLS]
    if w[LATE_COL] and ARGS.late_top:
        m = min(ARGS.late_top, n_cands)
        best = np.argpartition(-s, m - 1, axis=1)[:, :m]
        s[rows, best] += w[LATE_COL] * x[rows, top[rows, best], LATE_COL]
    return float(np.mean(ok[rows[:, 0], top[rows[:, 0], np.argmax(s, 1)]]))


def bounds(names: list[str], w0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound of each weight (semantic = 1) under ``--nonneg`` and ``--priors``."""
    lo, hi = np.full(len(names), -np.inf), np.full(len(names), np.inf)
    for i, n in enumerate(names):
        if ARGS.nonneg and (n in EVIDENCE or n in ("late", "korean_head")):
            lo[i] = 0.0
        if ARGS.nonneg and n == "unasked_manager":
            hi[i] = 0.0  # a penalty, never a bonus
        if n.startswith("prior_") and ARGS.priors == "bounded":
            lo[i], hi[i] = -ARGS.prior_bound, ARGS.prior_bound
        if n.startswith("prior_") and ARGS.priors == "frozen":
            lo[i] = hi[i] = w0[i]
    return lo, hi


def fit_logit(x: np.ndarray, ok: np.ndarray, w0: np.ndarray, free: np.ndarray, pivot: int) -> np.ndarray:
    """Maximise the mean log softmax mass on the right-group candidates (titles with one among them).

    The pivot (semantic) stays at its value, so that the bounds are in the product's scale; a free temperature
    ``exp(t)`` in front of the score lets the softmax be as sharp as the data want."""
    keep = ok.any(1)
    x, ok = x[keep], ok[keep]
    lo, hi = bounds(NAMES, w0)
    free = free & (lo < hi)
    free[pivot] = False

    def loss(v):
        w, temp = np.where(free, v[:-1], w0), np.exp(v[-1])
        u = x @ w
        s = temp * u
        s -= s.max(1, keepdims=True)
        e = np.exp(s)
        z = e.sum(1)
        zr = (e * ok).sum(1)
        d = e * ok / zr[:, None] - e / z[:, None]  # d log-mass / d score
        grad_w = temp * np.einsum("nk,nkf->nf", d, x).mean(0)
        grad_t = temp * np.mean(np.sum(d * u, 1))
        reg = np.where(free, w - (w0 if ARGS.shrink == "current" else 0.0), 0.0)
        value = -np.mean(np.log(zr / z)) + ARGS.l2 * reg @ reg
        return value, np.append((-grad_w + 2 * ARGS.l2 * reg) * free, -grad_t)

    start = np.append(np.clip(w0, lo, hi), np.log(10.0))
    box = [(a, b) if f else (None, None) for a, b, f in zip(lo, hi, free, strict=True)] + [(None, None)]
    box = [(None if a == -np.inf else a, None if b == np.inf else b) for a, b in box]
    v = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=box).x
    return np.where(free, v[:-1], w0)


def coordinate(x: np.ndarray, ok: np.ndarray, w: np.ndarray, free: np.ndarray, pivot: int, guard=None) -> np.ndarray:
    """Coordinate ascent on accuracy; steps relative to the pivot weight (semantic), smallest change on ties,
    within ``bounds``. ``guard(w)`` (when given) must stay true after every step kept (the everyday check)."""
    w = w.copy()
    lo, hi = bounds(NAMES, w)
    if ARGS.priors == "frozen":  # frozen at the product's values, not at this start's
        lo, hi = bounds(NAMES, START)
    steps = np.asarray([-0.5, -0.2, -0.1, -0.05, -0.02, 0.02, 0.05, 0.1, 0.2, 0.5]) * abs(w[pivot])
    best = accuracy(x, ok, w)
    for _ in range(ARGS.rounds):
        moved = False
        for j in np.flatnonzero(free & (lo < hi)):
            if j == pivot:
                continue
            base = w[j]
            for step in sorted(steps, key=abs):
                if not lo[j] - 1e-12 <= base + step <= hi[j] + 1e-12:
                    continue
                w[j] = base + step
                acc = accuracy(x, ok, w)
                if acc > best + 1e-9 and (guard is None or guard(w)):
                    best, base, moved = acc, w[j], True
            w[j] = base
        if not moved:
            break
    return w


def fit(x: np.ndarray, ok: np.ndarray, w0: np.ndarray, free: np.ndarray, pivot: int, guard=None):
    logit = fit_logit(x, ok, w0, free, pivot)
    return {"logit": logit, "logit + coordinate": coordinate(x, ok, logit, free, pivot, guard),
            "current + coordinate": coordinate(x, ok, w0, free, pivot, guard)}  # fmt: skip


START = np.zeros(0)  # the product's weights in fitting order (set in main)


def everyday_features(normalizer: TitleNormalizer | None, tax, z: dict) -> tuple[np.ndarray, np.ndarray]:
    """Candidates and features of the everyday titles (``korean_everyday_titles.py``), from ``z`` when saved."""
    if "everyday_x" in z:
        return z["everyday_cand"], z["everyday_x"]
    assert normalizer is not None
    cand, x, _ = build(normalizer, [t for t, _ in EVERYDAY_TITLES], ARGS.candidates)
    return cand, x


def product_weights(w: np.ndarray, names: list[str]) -> dict[str, object]:
    """``TitleWeights`` fields of fitted weights ``w``: divided by the sum of the evidence weights."""
    scale = sum(w[names.index(n)] for n in EVIDENCE)
    values: dict[str, object] = {n: round(float(w[i] / scale), 4) for i, n in enumerate(names)}
    major = tuple(values.pop(f"major_{d}") for d in range(10))
    values["prior_major"] = major if ARGS.major else ()
    values["late_top"] = ARGS.late_top
    return values


def main() -> None:
    from talentbridge.config import build_settings
    from talentbridge.skills.encoder import EmbeddingCache, make_encoder
    from talentbridge.skills.esco_read import read_esco

    global START
    with (ARGS.eval / "korean-titles/titles.validation.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = [rows[i] for i in halves(len(rows))[0]]  # half A only: half B is never read here
    titles = [r["job_title_ko"] for r in rows]
    gold = [r["code4"][0] for r in rows]
    tax = read_esco([ARGS.esco]).taxonomy
    normalizer = None
    z: dict = dict(np.load(ARGS.load)) if ARGS.load else {}
    if not z or "everyday_x" not in z:
        cache = EmbeddingCache(build_settings().cache_dir / "embeddings")
        normalizer = TitleNormalizer(
            tax, encoder=Memo(make_encoder("minilm")), cache=cache, second_encoder=Memo(make_encoder("use"))
        )
        normalizer.prepare()
    if z:
        cand, x, names, isco = z["cand"], z["x"], list(z["names"]), z["isco"]
        assert names == NAMES, "features of another version of this script"
    else:
        t = time.perf_counter()
        cand, x, names = build(normalizer, titles, ARGS.candidates)
        isco = normalizer.major
        print(
            f"features of {len(titles)} half-A titles x {ARGS.candidates} candidates: {time.perf_counter() - t:.0f} s"
        )
    e_cand, e_x = everyday_features(normalizer, tax, z)
    if ARGS.save:
        np.savez_compressed(ARGS.save, cand=cand, x=x, names=np.asarray(names), isco=isco, everyday_cand=e_cand,
                            everyday_x=e_x)  # fmt: skip
    ok = np.asarray([[g in KSCO_OF_ISCO.get(str(isco[j])[:1], "") for j in c] for c, g in zip(cand, gold, strict=True)])
    accept = acceptable_uris(tax)
    uris = TitleNormalizer(tax).index.uris  # the same occupation order as the features' normalizer
    e_ok = np.asarray([[uris[j] in accept[t] for j in c] for c, (t, _) in zip(e_cand, EVERYDAY_TITLES, strict=True)])
    print(f"right major group among the candidates: {np.mean(ok.any(1)):.3f}; current weights: {np.mean(ok[:, 0]):.3f}")
    print(f"everyday titles with an acceptable occupation among the candidates: {int(e_ok.any(1).sum())}/{len(e_ok)}")
    current = start_weights()
    w0 = np.asarray([getattr(current, n) if not n.startswith("major_") else 0.0 for n in names], dtype=np.float64)
    if current.prior_major:
        w0[[names.index(f"major_{d}") for d in range(len(current.prior_major))]] = current.prior_major
    START = w0
    chosen = set(ARGS.signals.split(",")) if ARGS.signals else set(names)
    free = np.asarray([n in chosen and (ARGS.major or not n.startswith("major_")) for n in names])
    pivot = names.index("semantic")

    def everyday(w: np.ndarray) -> int:
        return round(accuracy(e_x, e_ok, w) * len(e_ok))

    floor = everyday(w0)
    guard = (lambda w: everyday(w) >= floor) if ARGS.guard else None
    print(f"current weights on half A: {accuracy(x, ok, w0):.3f} (ties broken by the candidate order)")
    print(f"constraints: nonneg={ARGS.nonneg} priors={ARGS.priors} (bound {ARGS.prior_bound}) guard={ARGS.guard}")
    quarter = np.random.default_rng(1).permutation(len(titles))
    folds = quarter[: len(quarter) // 2], quarter[len(quarter) // 2 :]
    print("| method | two-fold inside half A (mean of both ways) | in-sample on half A | everyday check |")
    print("|---|---|---|---|")
    fitted = fit(x, ok, w0, free, pivot, guard)
    cross = [fit(x[a], ok[a], w0, free, pivot, guard) for a in folds]
    for method, w in fitted.items():
        held = np.mean([accuracy(x[b], ok[b], cross[i][method]) for i, b in enumerate(folds[::-1])])
        print(f"| {method} | {held:.3f} | {accuracy(x, ok, w):.3f} | {everyday(w)}/{len(e_ok)} |")
    held0 = np.mean([accuracy(x[b], ok[b], w0) for b in folds])
    print(f"| start ({ARGS.start}) | {held0:.3f} | {accuracy(x, ok, w0):.3f} | {floor}/{len(e_ok)} |")
    if ARGS.out:
        ARGS.out.mkdir(parents=True, exist_ok=True)
    for method, w in fitted.items():
        values = product_weights(w, names)
        print(f"\n{method}: KOREAN_WEIGHTS = TitleWeights(")
        for n, v in values.items():
            print(f"    {n}={v},")
        print(")")
        if ARGS.out:
            (ARGS.out / f"{method.replace(' + ', '_').replace(' ', '_')}.json").write_text(json.dumps(values))


if __name__ == "__main__":
    main()
