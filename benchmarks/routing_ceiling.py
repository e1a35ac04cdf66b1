"""How far the résumé-routing labels let any ranking go: a supervised classifier, trained on labelled CVs.

    .venv/bin/python benchmarks/routing_ceiling.py [--per-family 20] [--seed 7]

``eval_routing.py`` reports the product on the held-out half of its sample (``--per-family 20``, seed 7: 240
CVs). This script trains a classifier the product could never have (it sees the family of every other CV of the
development set: about 2,240) and scores it on the same 240 CVs: TF-IDF of the CV text (sublinear tf, words seen
in at least two CVs, English stop words of ``matching.lexical`` left out) and a multinomial logistic regression
(L2, fitted with scipy's L-BFGS). The labels are the site's search keywords, noisy for five families (the data
set's README), so this number bounds from above what a zero-shot routing of the same CVs can be expected to reach.
It also prints the same classifier trained on half A of the sample only (240 CVs), and, for comparison, the
product's numbers come from ``eval_routing.py``. Nothing from the data set is printed or written.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_routing import load_cvs  # noqa: E402

from talentbridge.matching.lexical import terms  # noqa: E402


def tfidf(train: list[list[str]], test: list[list[str]]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    df = Counter(t for d in train for t in set(d))
    vocab = {t: i for i, t in enumerate(sorted(t for t, n in df.items() if n >= 2))}
    idf = np.array([np.log((1 + len(train)) / (1 + df[t])) + 1 for t in vocab])

    def matrix(docs: list[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, d in enumerate(docs):
            for t, c in Counter(d).items():
                if t in vocab:
                    rows.append(r)
                    cols.append(vocab[t])
                    vals.append((1 + np.log(c)) * idf[vocab[t]])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sparse.diags(1 / np.maximum(norms, 1e-12)) @ m

    return matrix(train), matrix(test)


def logistic_regression(x: sparse.csr_matrix, y: np.ndarray, classes: int, c: float = 10.0) -> np.ndarray:
    """(features + 1) x classes weights of a multinomial logistic regression, L2 penalty 1 / (2c)."""
    n, d = x.shape
    xb = sparse.hstack([x, np.ones((n, 1))]).tocsr()
    onehot = np.zeros((n, classes))
    onehot[np.arange(n), y] = 1

    def loss(w_flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = w_flat.reshape(d + 1, classes)
        z = xb @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -np.sum(onehot * np.log(np.maximum(p, 1e-300))) + np.sum(w[:-1] ** 2) / (2 * c)
        grad = xb.T @ (p - onehot)
        grad[:-1] += w[:-1] / c
        return value, np.asarray(grad).ravel()

    found = optimize.minimize(loss, np.zeros((d + 1) * classes), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return found.x.reshape(d + 1, classes)


def accuracy(train: list[tuple[str, str, str]], test: list[tuple[str, str, str]]) -> tuple[float, float]:
    families = sorted({f for _, f, _ in train})
    index = {f: i for i, f in enumerate(families)}
    xa, xb = tfidf([terms(t) for _, _, t in train], [terms(t) for _, _, t in test])
    w = logistic_regression(xa, np.array([index[f] for _, f, _ in train]), len(families))
    scores = sparse.hstack([xb, np.ones((xb.shape[0], 1))]).tocsr() @ w
    order = np.argsort(-scores, axis=1)
    gold = np.array([index.get(f, -1) for _, f, _ in test])
    return float(np.mean(order[:, 0] == gold)), float(np.mean((order[:, :3] == gold[:, None]).any(axis=1)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-family", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sample = load_cvs(args.per_family, args.seed)
    ids = sorted(f"cv-{i}" for i, _, _ in sample)
    shuffled = ids[:]
    random.Random(args.seed).shuffle(shuffled)  # the split eval_routing.py uses
    fit_half, held_out = set(shuffled[: len(ids) // 2]), set(shuffled[len(ids) // 2 :])
    test = [r for r in sample if f"cv-{r[0]}" in held_out]
    half_a = [r for r in sample if f"cv-{r[0]}" in fit_half]
    rest = [r for r in load_cvs(0, args.seed) if f"cv-{r[0]}" not in held_out]
    print(f"held-out half of eval_routing.py's sample: {len(test)} CVs")
    print(f"{'classifier (supervised: it is told the family of every training CV)':<72} {'acc@1':>6} {'acc@3':>6}")
    for name, train in (
        (f"TF-IDF + logistic regression, trained on half A ({len(half_a)} CVs)", half_a),
        (f"TF-IDF + logistic regression, trained on every other CV ({len(rest)})", rest),
    ):
        a1, a3 = accuracy(train, test)
        print(f"{name:<72} {a1:>6.3f} {a3:>6.3f}")


if __name__ == "__main__":
    main()
