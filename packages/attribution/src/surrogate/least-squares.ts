import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * Weighted least squares with an intercept, as scikit-learn's
 * `LinearRegression().fit(X, y, sample_weight=w)` (Captum's
 * `SkLearnLinearRegression`): the data are centred by their weighted means,
 * rows scaled by `√w`, and the minimum-norm solution of `min ‖X̃β − ỹ‖²`
 * taken (what LAPACK's `gelsd` returns), so fewer samples than features still
 * give one answer. Solved through the pseudo-inverse of the smaller Gram
 * matrix (`X̃ᵀX̃` or `X̃X̃ᵀ`); its eigenvalues below `λ_max · max(n, p) · 2⁻⁵²`
 * (the Gram matrix's own rounding level) count as zero.
 *
 * `x`: `n` rows of `p` features (row-major), `y`: `[n]`, `w`: `[n]` > 0.
 * Returns the coefficients `[p]` and the intercept.
 */
export function weightedLeastSquares(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
): { coefficients: Float64Array; intercept: number } {
  if (n < 1 || x.length !== n * p || y.length !== n || w.length !== n) {
    throw new InvalidOptionError(
      `least squares got ${n} rows of ${p} features with mismatched sizes`,
    );
  }
  const totalWeight = w.reduce((a, v) => a + v, 0);
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += (w[i] * y[i]) / totalWeight;
    for (let j = 0; j < p; j++) xMean[j] += (w[i] * x[i * p + j]) / totalWeight;
  }
  const a = new Float64Array(n * p);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i]);
    b[i] = s * (y[i] - yMean);
    for (let j = 0; j < p; j++) a[i * p + j] = s * (x[i * p + j] - xMean[j]);
  }
  const coefficients = new Float64Array(p);
  if (p <= n) {
    // β = (AᵀA)⁺ Aᵀ b
    const gram = new Float64Array(p * p);
    const atb = new Float64Array(p);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < p; j++) {
        atb[j] += a[i * p + j] * b[i];
        for (let k = 0; k < p; k++) gram[j * p + k] += a[i * p + j] * a[i * p + k];
      }
    const pinv = pseudoInverse(gram, p, n);
    for (let j = 0; j < p; j++)
      for (let k = 0; k < p; k++) coefficients[j] += pinv[j * p + k] * atb[k];
  } else {
    // β = Aᵀ (AAᵀ)⁺ b: the minimum-norm solution when p > n.
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += a[i * p + j] * a[k * p + j];
        gram[i * n + k] = s;
      }
    const pinv = pseudoInverse(gram, n, p);
    const dual = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) dual[i] += pinv[i * n + k] * b[k];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < p; j++) coefficients[j] += a[i * p + j] * dual[i];
  }
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= coefficients[j] * xMean[j];
  return { coefficients, intercept };
}

/** Pseudo-inverse of a symmetric positive semi-definite `m × m` matrix by cyclic Jacobi rotations. */
function pseudoInverse(matrix: Float64Array, m: number, otherSize: number): Float64Array {
  const s = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += s[i * m + j] ** 2;
    if (off < 1e-30) break;
    for (let pIdx = 0; pIdx < m; pIdx++)
      for (let q = pIdx + 1; q < m; q++) {
        const apq = s[pIdx * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (s[q * m + q] - s[pIdx * m + pIdx]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const skp = s[k * m + pIdx];
          const skq = s[k * m + q];
          s[k * m + pIdx] = c * skp - sn * skq;
          s[k * m + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[pIdx * m + k];
          const sqk = s[q * m + k];
          s[pIdx * m + k] = c * spk - sn * sqk;
          s[q * m + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + pIdx];
          const vkq = v[k * m + q];
          v[k * m + pIdx] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
  }
  let largest = 0;
  for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(s[i * m + i]));
  const cutoff = largest * Math.max(m, otherSize) * 2 ** -52;
  const out = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const lambda = s[k * m + k];
    if (lambda <= cutoff) continue;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) out[i * m + j] += (v[i * m + k] * v[j * m + k]) / lambda;
  }
  return out;
}
