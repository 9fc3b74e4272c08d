/**
 * Splits a 1-D kernel of `2r+1` taps into `r` kernels of 3 taps whose
 * successive correlations equal it: `taps = f₁ ∗ f₂ ∗ … ∗ f_r` (full
 * convolution). The taps are the coefficients of a polynomial of degree 2r;
 * its roots (Durand–Kerner, float64) are grouped into real quadratics —
 * complex roots with their conjugate, real roots two by two — and each factor
 * is scaled to sum 1, so every stage keeps a constant map constant.
 *
 * Why: the embedded wasm backend runs a 3-tap depthwise convolution about 3×
 * faster per tap than a 5-tap or 5×5 one, so a 5×5 Gaussian as four 3-tap
 * passes costs under half. Returns null (use the dense kernel) when the
 * taps cannot be split safely: an end tap that underflowed to 0, a factor
 * with a non-positive sum, a product that does not reproduce the taps to
 * 1e-9, or stages whose absolute sums multiply beyond `maxGain` (float32
 * error grows with it).
 */
export function threeTapFactors(taps: readonly number[], maxGain = 4): number[][] | null {
  const degree = taps.length - 1;
  if (degree < 2 || degree % 2 !== 0) return null;
  const scale = Math.max(...taps.map(Math.abs));
  if (Math.abs(taps[0]) < 1e-12 * scale || Math.abs(taps[degree]) < 1e-12 * scale) return null;
  const roots = polynomialRoots(taps);
  if (!roots) return null;

  const factors: number[][] = [];
  const complex = roots.filter(([, im]) => im > 1e-9);
  const real = roots
    .filter(([, im]) => Math.abs(im) <= 1e-9)
    .map(([re]) => re)
    .sort((a, b) => a - b);
  if (complex.length * 2 + real.length !== degree || real.length % 2 !== 0) return null;
  for (const [re, im] of complex) factors.push([re * re + im * im, -2 * re, 1]);
  for (let k = 0; k < real.length; k += 2)
    factors.push([real[k] * real[k + 1], -(real[k] + real[k + 1]), 1]);

  const normalised: number[][] = [];
  for (const f of factors) {
    const sum = f[0] + f[1] + f[2];
    if (!(sum > 0)) return null;
    normalised.push(f.map((v) => v / sum));
  }
  const product = normalised.reduce((acc, f) => convolve(acc, f), [1]);
  const total = taps.reduce((a, b) => a + b, 0);
  if (product.some((v, i) => Math.abs(v * total - taps[i]) > 1e-9 * scale)) return null;
  const gain = normalised.reduce(
    (acc, f) => acc * (Math.abs(f[0]) + Math.abs(f[1]) + Math.abs(f[2])),
    1,
  );
  if (gain > maxGain) return null;
  // the product sums to 1; put the taps' own sum (1 for a normalised kernel) on the first stage
  normalised[0] = normalised[0].map((v) => v * total);
  return normalised;
}

/** Full convolution of two coefficient lists (polynomial product). */
function convolve(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  return out;
}

type Complex = [number, number];

/** Roots of Σ c_k z^k by Durand–Kerner; null if it does not converge. */
function polynomialRoots(coefficients: readonly number[]): Complex[] | null {
  const n = coefficients.length - 1;
  const lead = coefficients[n];
  const monic = coefficients.map((c) => c / lead);
  const evaluate = ([zr, zi]: Complex): Complex => {
    let re = 1;
    let im = 0;
    for (let k = n - 1; k >= 0; k--) {
      const nextRe = re * zr - im * zi + monic[k];
      im = re * zi + im * zr;
      re = nextRe;
    }
    return [re, im];
  };
  const radius = 1 + Math.max(...monic.slice(0, n).map(Math.abs));
  let roots: Complex[] = Array.from({ length: n }, (_, k) => {
    const angle = (2 * Math.PI * k) / n + 0.4;
    return [0.5 * radius * Math.cos(angle), 0.5 * radius * Math.sin(angle)];
  });
  for (let iteration = 0; iteration < 500; iteration++) {
    let moved = 0;
    roots = roots.map((z, i) => {
      let [dr, di] = [1, 0];
      roots.forEach((w, j) => {
        if (j === i) return;
        const [ar, ai] = [z[0] - w[0], z[1] - w[1]];
        [dr, di] = [dr * ar - di * ai, dr * ai + di * ar];
      });
      const [pr, pi] = evaluate(z);
      const denominator = dr * dr + di * di;
      if (denominator === 0) return z;
      const step: Complex = [(pr * dr + pi * di) / denominator, (pi * dr - pr * di) / denominator];
      moved = Math.max(moved, Math.hypot(step[0], step[1]) / Math.max(1, Math.hypot(z[0], z[1])));
      return [z[0] - step[0], z[1] - step[1]];
    });
    if (moved < 1e-15) break;
  }
  if (roots.some(([re, im]) => !Number.isFinite(re) || !Number.isFinite(im))) return null;
  return roots;
}
