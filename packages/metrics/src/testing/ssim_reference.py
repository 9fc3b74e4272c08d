"""Independent float64 reference of scikit-image's structural_similarity
(gaussian_weights=False, use_sample_covariance=True), written with NumPy
window views instead of scipy's uniform_filter + crop (the same windows).
Reads JSON {a: [h][w] or [n], b: same, win, data_range (null: max − min of both)} pairs as a list on stdin,
prints the list of SSIMs."""
import json
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def ssim(a, b, win, data_range, k1=0.01, k2=0.03):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    # 2-D images or (Quantus' flattened maps) 1-D signals: windows of win per axis.
    shape = (win,) * a.ndim
    axes = tuple(range(-a.ndim, 0))
    if data_range is None:  # Quantus' ssim: the range of both signals together
        data_range = float(np.max(np.concatenate([a.ravel(), b.ravel()])) - np.min(np.concatenate([a.ravel(), b.ravel()])))
    wa = sliding_window_view(a, shape)
    wb = sliding_window_view(b, shape)
    ux = wa.mean(axis=axes)
    uy = wb.mean(axis=axes)
    n = win**a.ndim
    cov_norm = n / (n - 1)
    vx = cov_norm * ((wa * wa).mean(axis=axes) - ux * ux)
    vy = cov_norm * ((wb * wb).mean(axis=axes) - uy * uy)
    vxy = cov_norm * ((wa * wb).mean(axis=axes) - ux * uy)
    c1 = (k1 * data_range) ** 2
    c2 = (k2 * data_range) ** 2
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux**2 + uy**2 + c1) * (vx + vy + c2))
    return float(s.mean())


cases = json.load(sys.stdin)
print(json.dumps([ssim(c["a"], c["b"], c["win"], c["data_range"]) for c in cases]))
