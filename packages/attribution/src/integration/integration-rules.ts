import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Quadrature rules for the path integral of Integrated Gradients over α ∈ [0, 1]. */
export type IntegrationRule =
  | 'riemann-left'
  | 'riemann-right'
  | 'riemann-middle'
  | 'riemann-trapezoid'
  | 'gauss-legendre';

export const INTEGRATION_RULES: readonly IntegrationRule[] = [
  'riemann-left',
  'riemann-right',
  'riemann-middle',
  'riemann-trapezoid',
  'gauss-legendre',
];

/** Points `α_k ∈ [0, 1]` and weights `w_k` with `∫₀¹ g(α) dα ≈ Σ_k w_k g(α_k)`. */
export interface QuadratureNodes {
  alphas: number[];
  weights: number[];
}

/**
 * The `m` nodes and weights of `rule` on [0, 1] (the names and conventions of
 * Captum's `approximation_methods`):
 * - `riemann-left`   α_k = k/m,        k = 0..m−1, w_k = 1/m
 * - `riemann-right`  α_k = k/m,        k = 1..m,   w_k = 1/m
 * - `riemann-middle` α_k = (k + ½)/m,  k = 0..m−1, w_k = 1/m
 * - `riemann-trapezoid` α_k = k/(m−1), k = 0..m−1, w_k = 1/(m−1), halved at both ends (m ≥ 2)
 * - `gauss-legendre` the roots of the Legendre polynomial P_m mapped to [0, 1],
 *   exact for polynomials of degree ≤ 2m−1.
 */
export function quadratureNodes(rule: IntegrationRule, m: number): QuadratureNodes {
  if (!Number.isInteger(m) || m < 1) {
    throw new InvalidOptionError(`steps must be a positive integer, got ${m}`);
  }
  const range = Array.from({ length: m }, (_, k) => k);
  switch (rule) {
    case 'riemann-left':
      return { alphas: range.map((k) => k / m), weights: range.map(() => 1 / m) };
    case 'riemann-right':
      return { alphas: range.map((k) => (k + 1) / m), weights: range.map(() => 1 / m) };
    case 'riemann-middle':
      return { alphas: range.map((k) => (k + 0.5) / m), weights: range.map(() => 1 / m) };
    case 'riemann-trapezoid': {
      if (m < 2)
        throw new InvalidOptionError('the trapezoid rule needs steps ≥ 2 (both ends of the path)');
      const h = 1 / (m - 1);
      return {
        alphas: range.map((k) => k * h),
        weights: range.map((k) => (k === 0 || k === m - 1 ? h / 2 : h)),
      };
    }
    case 'gauss-legendre':
      return gaussLegendre(m);
    default:
      throw new InvalidOptionError(
        `integration rule "${String(rule)}" is unknown; use one of ${INTEGRATION_RULES.join(', ')}`,
      );
  }
}

/** Gauss–Legendre nodes on [0, 1] by Newton's method on P_m (from the Chebyshev guesses). */
function gaussLegendre(m: number): QuadratureNodes {
  const alphas = new Array<number>(m);
  const weights = new Array<number>(m);
  for (let i = 0; i < Math.ceil(m / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Legendre recurrence: (j+1) P_{j+1} = (2j+1) z P_j − j P_{j−1}.
      let p0 = 1;
      let p1 = z;
      for (let j = 1; j < m; j++) {
        const p2 = ((2 * j + 1) * z * p1 - j * p0) / (j + 1);
        p0 = p1;
        p1 = p2;
      }
      // Now p1 = P_m(z), p0 = P_{m−1}(z).
      derivative = (m * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / derivative;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    const w = 2 / ((1 - z * z) * derivative * derivative);
    // Map [-1, 1] → [0, 1]: α = (1 − z)/2 ascending, weight halves.
    alphas[i] = (1 - z) / 2;
    alphas[m - 1 - i] = (1 + z) / 2;
    weights[i] = w / 2;
    weights[m - 1 - i] = w / 2;
  }
  return { alphas, weights };
}
