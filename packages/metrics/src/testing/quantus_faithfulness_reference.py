"""Independent float64 reference of the deterministic Quantus-family metrics.

Written from Quantus' evaluate_batch code of PixelFlipping, Monotonicity (with
x's values inserted, as the paper), MonotonicityCorrelation (constant
baseline), Sufficiency, Complexity and Completeness, not from the TypeScript.
The model is a ReLU MLP, logits = relu(x W1 + b1) W2 + b2. Reads JSON on stdin:
  x [n, d], a [n, d], W1 [d, m], b1 [m], W2 [m, k], b2 [k], y [n], threshold
and prints per-sample values (baseline 'black' = each sample's minimum,
features_in_step 1, ties absent in the inputs).
"""
import json
import sys

import numpy as np


def logits(d, x):
    return np.maximum(x @ d["W1"] + d["b1"], 0) @ d["W2"] + d["b2"]


def score(d, x, y):
    return logits(d, x)[np.arange(len(y)), y]


def ranks(v):
    out = np.empty(len(v))
    out[np.argsort(v)] = np.arange(1, len(v) + 1)
    return out


def main():
    raw = json.load(sys.stdin)
    d = {k: np.asarray(v, dtype=np.float64) for k, v in raw.items() if k not in ("y", "threshold")}
    y = np.asarray(raw["y"], dtype=int)
    x, a = d["x"], d["a"]
    n, f = x.shape
    black = x.min(axis=1)
    out = {}

    # PixelFlipping: cumulative, most relevant first (signed), AUC np.trapz dx=1.
    order = np.argsort(-a, axis=1)
    xp = x.copy()
    curve = []
    for k in range(f):
        xp[np.arange(n), order[:, k]] = black
        curve.append(score(d, xp, y))
    curve = np.stack(curve, axis=1)
    out["pixelFlipping"] = np.trapz(curve, dx=1.0, axis=1).tolist()
    out["pixelFlippingCurves"] = curve.tolist()

    # Monotonicity: insert x into the all-black image, ascending |a|.
    order = np.argsort(np.abs(a), axis=1)
    xb = np.repeat(black[:, None], f, axis=1)
    preds = []
    for k in range(f):
        idx = order[:, k]
        xb[np.arange(n), idx] = x[np.arange(n), idx]
        preds.append(score(d, xb, y))
    preds = np.stack(preds, axis=1)
    out["monotonicity"] = np.all(np.diff(preds) >= 0, axis=1).astype(float).tolist()
    out["monotonicityCurves"] = preds.tolist()

    # MonotonicityCorrelation, black baseline: one feature at a time, Spearman(|a|, squared change).
    base = score(d, x, y)
    changes = []
    for k in range(f):
        xs = x.copy()
        idx = order[:, k]
        xs[np.arange(n), idx] = black
        changes.append((score(d, xs, y) - base) ** 2)
    changes = np.stack(changes, axis=1)
    atts = np.abs(a)[np.arange(n)[:, None], order]
    out["monotonicityCorrelation"] = [
        float(np.corrcoef(ranks(atts[i]), ranks(changes[i]))[0, 1]) for i in range(n)
    ]

    # Complexity: entropy of |a| / sum |a|.
    p = np.abs(a) / np.abs(a).sum(axis=1, keepdims=True)
    out["complexity"] = (-(p * np.log(p + 1e-12)).sum(axis=1)).tolist()

    # Completeness gap, normalise=False: sum a - (f(x) - f(black image)).
    xb = np.repeat(black[:, None], f, axis=1)
    out["completenessGap"] = (a.sum(axis=1) - (base - score(d, xb, y))).tolist()

    # Sufficiency: |a| scaled by its max (per sample), seuclidean with batch variances (ddof 1).
    an = np.abs(a) / np.abs(a).max(axis=1, keepdims=True)
    var = an.var(axis=0, ddof=1)
    dist = np.sqrt((((an[:, None, :] - an[None, :, :]) ** 2) / var).sum(-1))
    near = (dist <= raw["threshold"]) & ~np.eye(n, dtype=bool)
    pred = logits(d, x).argmax(axis=1)
    same = pred[None, :] == pred[:, None]
    counts = near.sum(1)
    out["sufficiency"] = np.where(counts == 0, 0.0, (near & same).sum(1) / np.maximum(counts, 1)).tolist()
    print(json.dumps(out))


main()
