import { describe, expect, it } from 'vitest';
import { INTEGRATION_RULES, quadratureNodes } from './integration-rules';

const integrate = (
  rule: (typeof INTEGRATION_RULES)[number],
  m: number,
  g: (a: number) => number,
) => {
  const { alphas, weights } = quadratureNodes(rule, m);
  return alphas.reduce((acc, a, k) => acc + weights[k] * g(a), 0);
};

describe('quadratureNodes', () => {
  it.each(INTEGRATION_RULES)('%s: weights sum to 1 and nodes lie in [0, 1]', (rule) => {
    const { alphas, weights } = quadratureNodes(rule, 7);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const a of alphas) expect(a >= 0 && a <= 1).toBe(true);
  });

  it('Riemann left/right/middle and trapezoid use the documented nodes', () => {
    expect(quadratureNodes('riemann-left', 4).alphas).toEqual([0, 0.25, 0.5, 0.75]);
    expect(quadratureNodes('riemann-right', 4).alphas).toEqual([0.25, 0.5, 0.75, 1]);
    expect(quadratureNodes('riemann-middle', 4).alphas).toEqual([0.125, 0.375, 0.625, 0.875]);
    const trap = quadratureNodes('riemann-trapezoid', 3);
    expect(trap.alphas).toEqual([0, 0.5, 1]);
    expect(trap.weights).toEqual([0.25, 0.5, 0.25]);
  });

  it('Gauss–Legendre with 2 nodes matches the closed form ½ ± 1/(2√3)', () => {
    const { alphas, weights } = quadratureNodes('gauss-legendre', 2);
    expect(alphas[0]).toBeCloseTo(0.5 - 1 / (2 * Math.sqrt(3)), 14);
    expect(alphas[1]).toBeCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), 14);
    expect(weights[0]).toBeCloseTo(0.5, 14);
    expect(weights[1]).toBeCloseTo(0.5, 14);
  });

  it('Gauss–Legendre with m nodes is exact for polynomials of degree 2m−1, not 2m', () => {
    for (const m of [1, 3, 8, 32]) {
      const degree = 2 * m - 1;
      expect(integrate('gauss-legendre', m, (a) => a ** degree)).toBeCloseTo(1 / (degree + 1), 12);
      if (m <= 8) {
        expect(
          Math.abs(integrate('gauss-legendre', m, (a) => a ** (2 * m)) - 1 / (2 * m + 1)),
        ).toBeGreaterThan(1e-10);
      }
    }
  });

  it('Riemann errors shrink as m grows (first order left/right, second order middle/trapezoid)', () => {
    const g = (a: number) => Math.exp(a);
    const exact = Math.E - 1;
    for (const rule of INTEGRATION_RULES.filter((r) => r !== 'gauss-legendre')) {
      const errors = [4, 16, 64].map((m) => Math.abs(integrate(rule, m, g) - exact));
      expect(errors[1]).toBeLessThan(errors[0]);
      expect(errors[2]).toBeLessThan(errors[1]);
    }
    const middle = [8, 16].map((m) => Math.abs(integrate('riemann-middle', m, g) - exact));
    expect(middle[0] / middle[1]).toBeCloseTo(4, 1); // O(1/m²)
  });

  it('rejects bad steps and unknown rules with the list of rules', () => {
    expect(() => quadratureNodes('gauss-legendre', 0)).toThrow(/positive integer/);
    expect(() => quadratureNodes('riemann-trapezoid', 1)).toThrow(/steps ≥ 2/);
    // @ts-expect-error an unknown rule
    expect(() => quadratureNodes('simpson', 4)).toThrow(/riemann-left, riemann-right/);
  });
});
