"""Fit the English job-title fusion weights (``TitleWeights``) on the JobBERT validation titles.

    .venv/bin/python benchmarks/fit_title_weights.py            # prints the fit, two-fold check, and the weights

How: every signal of ``TitleNormalizer`` is computed on its own (one-hot weights) for each title's ``--candidates``
best occupations under the current weights; the weights are fitted as a conditional logit (softmax over the
candidates, gold = the labelled occupation, L2 penalty) in two steps as the product ranks: first every signal but
the late interaction, then, on the ``late_top`` best of that ranking, the late-interaction term with the rest.
Two-fold cross-validation (fit on one random half, measure on the other, both ways) shows whether the weights
generalise; only linear weights of generic signals and ESCO-structure priors are fitted, never anything per
occupation (a per-occupation prior would memorise the data set's class frequencies). The printed ``TitleWeights``
are the fit on half A (``--fit-on A``, the default: the half ``eval_skills.py --half A`` names; half B stays
held out) in the product's scale (evidence weights summing to 1). Reads ../shared/data/eval-dev/ in
place; nothing from it is written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import sys
import time
from pathlib import Path

_ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
# ../shared/data from the repository (or from a worktree a level deeper)
_root = next((p for p in Path(__file__).resolve().parents if (p / "shared/data").is_dir()), Path("/work"))
_ap.add_argument("--esco", type=Path, default=_root / "shared/data/esco")
_ap.add_argument("--eval", type=Path, default=_root / "shared/data/eval-dev")
_ap.add_argument("--candidates", type=int, default=100)
_ap.add_argument("--late-top", type=int, default=40)
_ap.add_argument("--l2", type=float, default=1e-4)
_ap.add_argument("--limit", type=int, default=0)
_ap.add_argument(
    "--fit-on",
    default="A",
    choices=["A", "all"],
    help="titles the printed TitleWeights are fitted on: half A (default; eval_skills.py reports half B) or all",
)
_ap.add_argument("--threads", type=int, default=2)
_ap.add_argument("--save", type=Path, help="also write the candidates and features to this .npz (for experiments)")
ARGS = _ap.parse_args()
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _title_fit import Memo, one_hot  # noqa: E402

from talentbridge.config import build_settings  # noqa: E402
from talentbridge.skills.encoder import EmbeddingCache, make_encoder  # noqa: E402
from talentbridge.skills.esco_read import read_esco  # noqa: E402
from talentbridge.skills.occupation_priors import FEATURES  # noqa: E402
from talentbridge.skills.title_weights import TitleWeights  # noqa: E402
from talentbridge.skills.titles import TitleNormalizer  # noqa: E402

#: Evidence signals (weights fitted; the product divides by their sum) and the prior / penalty terms.
EVIDENCE = ("semantic", "preferred", "document", "skills", "bm25", "cover")
#: Evidence computed for each title's candidates only (``TitleNormalizer.candidate_scores``).
CANDIDATE = ("second", "second_preferred", "first_word", "head_word")
PRIORS = tuple(f"prior_{name}" for name in FEATURES)
OTHER = ("unasked_manager",)


def features(normalizer: TitleNormalizer, titles: list[str], k: int):
    """Candidates (n, k) under the current weights and their features (n, k, f); names of the features."""
    w = normalizer.weights
    names = [*EVIDENCE, *CANDIDATE, *OTHER, *PRIORS, *(f"major_{d}" for d in range(10)), "late"]
    prior_cols = []
    for name in PRIORS:
        prior_cols.append(normalizer._prior(one_hot(name)))
    isco = normalizer.major
    for d in range(10):
        prior_cols.append((isco == str(d)).astype(np.float32))
    priors = np.stack(prior_cols, 1)
    cands, feats = [], []
    for a in range(0, len(titles), 512):
        chunk = titles[a : a + 512]
        fused, title_tokens, second, _ = normalizer._scores(chunk, w, second_all=False)
        score = np.where(fused > 0, fused + normalizer.prior[None, :], -np.inf)
        cand = np.argsort(-score, axis=1)[:, :k]
        cols = [np.take_along_axis(normalizer._scores(chunk, one_hot(n))[0], cand, 1) for n in EVIDENCE]
        queries = [normalizer._query_text(t) for t in chunk]
        for n in CANDIDATE:
            one = one_hot(n)
            vectors = second if second is not None else [None] * len(chunk)
            cols.append(
                np.stack(
                    [normalizer.candidate_scores(q, v, c, one) for q, v, c in zip(queries, vectors, cand, strict=True)]
                )
            )
        cols.extend(np.take_along_axis(normalizer._scores(chunk, one_hot(n))[0], cand, 1) for n in OTHER)
        block = np.concatenate([np.stack(cols, 2), priors[cand]], 2)
        late = np.zeros((len(chunk), k, 1), dtype=np.float32)
        if normalizer.late is not None and title_tokens is not None:
            for r in range(len(chunk)):
                if len(title_tokens[r]):
                    late[r, :, 0] = normalizer.late.scores(title_tokens[r], cand[r])
        cands.append(cand)
        feats.append(np.concatenate([block, late], 2))
        print(f"  features {a + len(chunk)}/{len(titles)}", file=sys.stderr, flush=True)
    return np.concatenate(cands), np.concatenate(feats).astype(np.float64), names


def fit_logit(x: np.ndarray, gold: np.ndarray, l2: float, w0: np.ndarray | None = None) -> np.ndarray:
    ok = gold >= 0
    x, g = x[ok], gold[ok]
    n = len(g)
    rows = np.arange(n)

    def loss(w):
        s = x @ w
        s -= s.max(1, keepdims=True)
        e = np.exp(s)
        z = e.sum(1)
        p = e / z[:, None]
        ll = s[rows, g] - np.log(z)
        grad = x[rows, g] - np.einsum("nk,nkf->nf", p, x)
        return -ll.mean() + l2 * w @ w, -grad.mean(0) + 2 * l2 * w

    return minimize(loss, np.zeros(x.shape[2]) if w0 is None else w0, jac=True, method="L-BFGS-B").x


def two_step(x: np.ndarray, gold: np.ndarray, late_top: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights (last = late) and the late feature masked to the ``late_top`` best of the first step."""
    w1 = fit_logit(x[:, :, :-1], gold, ARGS.l2)
    masked = mask_late(x, w1, late_top)
    w2 = fit_logit(masked, gold, ARGS.l2, np.append(w1, 0.0))
    masked = mask_late(x, w2[:-1], late_top)  # the product selects with the final weights
    return fit_logit(masked, gold, ARGS.l2, w2), masked


def mask_late(x: np.ndarray, w: np.ndarray, late_top: int) -> np.ndarray:
    s = x[:, :, :-1] @ w
    rank = np.argsort(np.argsort(-s, axis=1), axis=1)
    out = x.copy()
    out[:, :, -1] = np.where(rank < late_top, x[:, :, -1], 0.0)
    return out


def metrics(s: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    ok = gold >= 0
    g = np.where(ok, s[np.arange(len(gold)), np.maximum(gold, 0)], np.inf)
    rank = np.where(ok, (s > g[:, None]).sum(1) + 1, 10**9)
    return {"acc@1": np.mean(rank == 1), "acc@5": np.mean(rank <= 5), "MRR": np.mean(np.where(ok, 1 / rank, 0))}


def main() -> None:
    tax = read_esco([ARGS.esco]).taxonomy
    cache = EmbeddingCache(build_settings().cache_dir / "embeddings")
    start = TitleWeights()  # every signal on, so that prepare() builds its vectors
    start = dataclasses.replace(
        start,
        skills=start.skills or 0.05,
        second=start.second or 0.05,
        second_preferred=start.second_preferred or 0.05,
    )
    normalizer = TitleNormalizer(
        tax, encoder=Memo(make_encoder("minilm")), cache=cache, weights=start, second_encoder=Memo(make_encoder("use"))
    )
    normalizer.prepare()
    with (ARGS.eval / "jobbert-titles/titles.validation.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = rows[: ARGS.limit] if ARGS.limit else rows
    titles = [r["vacancyTitle"] for r in rows]
    position = {u: i for i, u in enumerate(normalizer.index.uris)}
    t = time.perf_counter()
    cand, x, names = features(normalizer, titles, ARGS.candidates)
    gold_occ = np.asarray([position.get(r["conceptUri"], -1) for r in rows])
    gold = np.asarray([int(np.flatnonzero(c == g)[0]) if g in c else -1 for c, g in zip(cand, gold_occ, strict=True)])
    print(
        f"features of {len(titles)} titles x {ARGS.candidates} candidates in {time.perf_counter() - t:.0f} s; "
        f"gold among the candidates: {np.mean(gold >= 0):.3f}"
    )
    if ARGS.save:
        np.savez_compressed(ARGS.save, cand=cand, x=x, names=np.asarray(names), gold=gold, gold_occ=gold_occ)
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(titles))
    halves = perm[: len(perm) // 2], perm[len(perm) // 2 :]
    print("| fit on | measured on | acc@1 | acc@5 | MRR |\n|---|---|---|---|---|")
    for name, (train, test) in (("half A", halves), ("half B", halves[::-1])):
        w, _ = two_step(x[train], gold[train], ARGS.late_top)
        m = metrics(mask_late(x[test], w[:-1], ARGS.late_top) @ w, gold[test])
        print(f"| {name} | the other half | " + " | ".join(f"{v:.3f}" for v in m.values()) + " |")
    fit_rows = halves[0] if ARGS.fit_on == "A" else np.arange(len(titles))
    w, masked = two_step(x[fit_rows], gold[fit_rows], ARGS.late_top)
    m = metrics(masked @ w, gold[fit_rows])
    print(f"| {ARGS.fit_on} | the same (in-sample) | " + " | ".join(f"{v:.3f}" for v in m.values()) + " |")
    scale = sum(w[names.index(n)] for n in (*EVIDENCE, *CANDIDATE))
    weights = {n: round(float(w[i] / scale), 4) for i, n in enumerate(names)}
    major = tuple(round(weights.pop(f"major_{d}"), 4) for d in range(10))
    print("\nTitleWeights(")
    for n, v in weights.items():
        print(f"    {n}={v},")
    print(f"    prior_major={major},\n    late_top={ARGS.late_top},\n)")


if __name__ == "__main__":
    main()
