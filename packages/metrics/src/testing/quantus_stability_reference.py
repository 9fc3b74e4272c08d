"""Independent float64 reference of the relative stabilities (Agarwal et al. 2022).

Written from the formulas and Quantus' `relative_*_stability_objective`
(quantus/metrics/robustness/relative_{input,output,representation}_stability.py),
not from the TypeScript. Reads JSON on stdin:
  x [n,...], xs [m,n,...] (m copies), ex, exs, hx [n,k], hxs [m,n,k], lx, lxs,
  changed [m,n] (bool), eps
and prints, for protocol "quantus" and "agarwal", the per-sample RIS, ROS, RRS
(null for NaN / no valid copy).
"""
import json
import sys

import numpy as np


def norm(a):
    # Quantus: np.linalg.norm(np.linalg.norm(arr, axis=(-1, -2)), axis=-1) = L2 over all but axis 0.
    return np.linalg.norm(a.reshape(a.shape[0], -1), axis=-1)


def rel(a, b, eps):
    return (a - b) / (a + (a == 0) * eps)


def main():
    d = json.load(sys.stdin)
    eps = d["eps"]
    arr = {k: np.asarray(v, dtype=np.float64) for k, v in d.items() if k not in ("eps", "changed")}
    changed = np.asarray(d["changed"], dtype=bool)
    m = arr["xs"].shape[0]
    out = {}
    for protocol in ("quantus", "agarwal"):
        res = {}
        for kind in ("ris", "ros", "rrs"):
            obj = np.zeros((m, arr["x"].shape[0]))
            for j in range(m):
                nominator = norm(rel(arr["ex"], arr["exs"][j], eps))
                if kind == "ris":
                    den = norm(rel(arr["x"], arr["xs"][j], eps))
                elif kind == "rrs":
                    den = norm(rel(arr["lx"], arr["lxs"][j], eps))
                else:
                    den = np.linalg.norm(arr["hx"] - arr["hxs"][j], axis=-1)
                if protocol == "quantus":
                    den = den + (den == 0) * eps
                else:
                    den = np.maximum(den, eps)
                obj[j] = nominator / den
                obj[j, changed[j]] = np.nan if protocol == "quantus" else -np.inf
            best = np.max(obj, axis=0)
            res[kind] = [None if not np.isfinite(v) else float(v) for v in best]
        out[protocol] = res
    print(json.dumps(out))


main()
