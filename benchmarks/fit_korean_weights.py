"""Fit the Korean job-title weights (``KOREAN_WEIGHTS``) on half A of the Korean development titles.

    PYTHONPATH=src .venv/bin/python benchmarks/fit_korean_weights.py --threads 1     # fit, two-fold check, weights

The metric is the one ``eval_skills.py --only korean`` reports: the ISCO-08 major group of the top-1 occupation
against the title's KSCO major group. Every signal of ``TitleNormalizer`` is computed on its own (one-hot
weights) for each title's ``--candidates`` best occupations under the current ``KOREAN_WEIGHTS``; the weights are
then fitted on half A only (the split of ``eval_skills.py --half``: numpy seed 0, half B stays held out):

* ``logit``: a smooth stand-in for accuracy, the log of the softmax probability mass on the candidates of the
  right major group (L2 penalty), by L-BFGS; then
* ``coordinate``: coordinate ascent on major-group accuracy itself from there (each weight in turn over a grid of
  changes, the best kept when it gains; a few rounds).

A two-fold check inside half A (a second permutation, seed 1: fit on one quarter of the titles, measure on the
other, both ways) says whether the weights generalise before half B is measured. Only linear weights of generic
signals and structure priors are fitted; the per-major-group bias (``prior_major``) is left out unless
``--major``: it would learn how the Korean dictionary's titles are spread over the major groups. Reads
../shared/data/eval-dev/ in place; nothing from it is written anywhere.

The candidates come from the ``KOREAN_WEIGHTS`` that are imported. Its output is not in the product: the
weights it fits win the metric by choosing generic occupations of the right major group instead of the one the
title names (docs/skills.md, "Korean weights on held-out halves"); check the top occupations of everyday titles
before using a fit.
"""

from __future__ import annotations

import argparse
import csv
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
ARGS = _ap.parse_args()
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402
from _title_fit import Memo, halves, one_hot  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from talentbridge.skills.occupation_priors import FEATURES  # noqa: E402
from talentbridge.skills.titles import KOREAN_WEIGHTS, TitleNormalizer  # noqa: E402

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


def build(normalizer: TitleNormalizer, titles: list[str], k: int):
    """Candidates (n, k) under the current Korean weights (product order) and their features (n, k, f)."""
    names = NAMES
    priors = np.stack(
        [normalizer._prior(one_hot(n)) for n in PRIORS]
        + [(normalizer.major == str(d)).astype(np.float32) for d in range(10)],
        1,
    )
    cands, feats = [], []
    for a in range(0, len(titles), 256):
        chunk = titles[a : a + 256]
        fused = normalizer._scores(chunk, KOREAN_WEIGHTS)[0]
        score = np.where(fused > 0, fused + normalizer.korean_prior[None, :], -np.inf)
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


def fit_logit(x: np.ndarray, ok: np.ndarray, w0: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Maximise the mean log softmax mass on the right-group candidates (titles with one among them)."""
    keep = ok.any(1)
    x, ok = x[keep], ok[keep]

    def loss(v):
        w = np.where(free, v, w0)
        s = x @ w
        s -= s.max(1, keepdims=True)
        e = np.exp(s)
        z = e.sum(1)
        zr = (e * ok).sum(1)
        grad = np.einsum("nk,nkf->nf", e * ok / zr[:, None] - e / z[:, None], x).mean(0)
        return -np.mean(np.log(zr / z)) + ARGS.l2 * v @ v, (-grad + 2 * ARGS.l2 * v) * free

    return np.where(free, minimize(loss, w0 * free, jac=True, method="L-BFGS-B").x, w0)


def coordinate(x: np.ndarray, ok: np.ndarray, w: np.ndarray, free: np.ndarray, pivot: int) -> np.ndarray:
    """Coordinate ascent on accuracy; steps relative to the pivot weight (semantic), smallest change on ties."""
    w = w.copy()
    steps = np.asarray([-0.5, -0.2, -0.1, -0.05, -0.02, 0.02, 0.05, 0.1, 0.2, 0.5]) * abs(w[pivot])
    best = accuracy(x, ok, w)
    for _ in range(ARGS.rounds):
        moved = False
        for j in np.flatnonzero(free):
            if j == pivot:
                continue
            base = w[j]
            for step in sorted(steps, key=abs):
                w[j] = base + step
                acc = accuracy(x, ok, w)
                if acc > best + 1e-9:
                    best, base, moved = acc, w[j], True
            w[j] = base
        if not moved:
            break
    return w


def fit(x: np.ndarray, ok: np.ndarray, w0: np.ndarray, free: np.ndarray, pivot: int) -> dict[str, np.ndarray]:
    logit = fit_logit(x, ok, w0, free)
    logit = logit / abs(logit[pivot]) if logit[pivot] else logit
    return {"logit": logit, "logit + coordinate": coordinate(x, ok, logit, free, pivot),
            "current + coordinate": coordinate(x, ok, w0, free, pivot)}  # fmt: skip


def main() -> None:
    from talentbridge.config import build_settings
    from talentbridge.skills.encoder import EmbeddingCache, make_encoder
    from talentbridge.skills.esco import read_esco

    with (ARGS.eval / "korean-titles/titles.validation.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = [rows[i] for i in halves(len(rows))[0]]  # half A only: half B is never read here
    titles = [r["job_title_ko"] for r in rows]
    gold = [r["code4"][0] for r in rows]
    if ARGS.load:
        z = np.load(ARGS.load)
        cand, x, names, isco = z["cand"], z["x"], list(z["names"]), z["isco"]
        assert names == NAMES, "features of another version of this script"
    else:
        tax = read_esco([ARGS.esco]).taxonomy
        cache = EmbeddingCache(build_settings().cache_dir / "embeddings")
        normalizer = TitleNormalizer(
            tax, encoder=Memo(make_encoder("minilm")), cache=cache, second_encoder=Memo(make_encoder("use"))
        )
        normalizer.prepare()
        t = time.perf_counter()
        cand, x, names = build(normalizer, titles, ARGS.candidates)
        isco = normalizer.major
        print(
            f"features of {len(titles)} half-A titles x {ARGS.candidates} candidates: {time.perf_counter() - t:.0f} s"
        )
        if ARGS.save:
            np.savez_compressed(ARGS.save, cand=cand, x=x, names=np.asarray(names), isco=isco)
    ok = np.asarray([[g in KSCO_OF_ISCO.get(str(isco[j])[:1], "") for j in c] for c, g in zip(cand, gold, strict=True)])
    print(f"right major group among the candidates: {np.mean(ok.any(1)):.3f}; current weights: {np.mean(ok[:, 0]):.3f}")
    current = KOREAN_WEIGHTS
    w0 = np.asarray([getattr(current, n) if not n.startswith("major_") else 0.0 for n in names], dtype=np.float64)
    if current.prior_major:
        w0[[names.index(f"major_{d}") for d in range(len(current.prior_major))]] = current.prior_major
    chosen = set(ARGS.signals.split(",")) if ARGS.signals else set(names)
    free = np.asarray([n in chosen and (ARGS.major or not n.startswith("major_")) for n in names])
    pivot = names.index("semantic")
    print(f"current weights on half A: {accuracy(x, ok, w0):.3f} (ties broken by the candidate order)")
    quarter = np.random.default_rng(1).permutation(len(titles))
    folds = quarter[: len(quarter) // 2], quarter[len(quarter) // 2 :]
    print("| method | two-fold inside half A (mean of both ways) | in-sample on half A |\n|---|---|---|")
    fitted = fit(x, ok, w0, free, pivot)
    cross = [fit(x[a], ok[a], w0, free, pivot) for a in folds]
    for method, w in fitted.items():
        held = np.mean([accuracy(x[b], ok[b], cross[i][method]) for i, b in enumerate(folds[::-1])])
        print(f"| {method} | {held:.3f} | {accuracy(x, ok, w):.3f} |")
    held0 = np.mean([accuracy(x[b], ok[b], w0) for b in folds])
    print(f"| current KOREAN_WEIGHTS | {held0:.3f} | {accuracy(x, ok, w0):.3f} |")
    for method, w in fitted.items():
        scale = sum(w[names.index(n)] for n in EVIDENCE)
        values = {n: round(float(w[i] / scale), 4) for i, n in enumerate(names)}
        major = tuple(values.pop(f"major_{d}") for d in range(10))
        print(f"\n{method}: KOREAN_WEIGHTS = TitleWeights(")
        for n, v in values.items():
            print(f"    {n}={v},")
        print(f"    prior_major={major if ARGS.major else ()},\n    late_top={ARGS.late_top},\n)")


if __name__ == "__main__":
    main()
