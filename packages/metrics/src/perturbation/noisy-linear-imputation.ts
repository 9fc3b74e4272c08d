import { InvalidOptionError, type SeededRandom, ShapeError } from '@trustgrad/core-tensor';

/**
 * Neighbour offsets `[dRow, dCol]` and weights of the noisy linear imputation
 * (Rong, Leemann et al. 2022, ROAD; Quantus' `noisy_linear_imputation`):
 * direct neighbours 1/6, diagonal ones 1/12 (they sum to 1).
 */
const NEIGHBOURS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1 / 12],
  [0, 1, 1 / 6],
  [-1, 1, 1 / 12],
  [1, -1, 1 / 12],
  [0, -1, 1 / 6],
  [-1, -1, 1 / 12],
  [1, 0, 1 / 6],
  [-1, 0, 1 / 6],
];

/** Relative residual the conjugate-gradient solve stops at (float64). */
const TOLERANCE = 1e-12;

/**
 * Noisy linear imputation of the pixels `removed` of one image (ROAD, Rong,
 * Leemann et al. 2022, "A Consistent and Efficient Evaluation Strategy for
 * Attribution Methods"; as Quantus' `noisy_linear_imputation`): every removed
 * pixel becomes the weighted mean of its in-image 8-neighbours (weights 1/6
 * direct, 1/12 diagonal, renormalised over the neighbours inside the image),
 * removed neighbours included, which is a sparse linear system
 *
 * `S_i v_i − Σ_{j removed} w_ij v_j = Σ_{j kept} w_ij x_j`,   `S_i = Σ_{j in image} w_ij`,
 *
 * solved per channel (one matrix for all channels) by conjugate gradients
 * (the matrix is symmetric and positive definite unless every pixel is
 * removed) to a relative residual of 1e-12; then `noise·N(0, 1)` is added to
 * every imputed value, independently per channel. Kept pixels are unchanged.
 *
 * @param image one image, HWC row-major (`h·w·c` values).
 * @param removed pixel indices `row·w + col`, distinct, at least one pixel kept.
 * @returns a new HWC image (float64).
 * @example
 * const out = noisyLinearImputation(pixels, 28, 28, 1, topPixels, 0.01, rng);
 */
export function noisyLinearImputation(
  image: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  removed: ArrayLike<number>,
  noise: number,
  rng: SeededRandom,
): Float64Array {
  if (image.length !== h * w * c) {
    throw new ShapeError(
      `noisyLinearImputation: image has ${image.length} values, expected ${h}×${w}×${c} = ${h * w * c}`,
    );
  }
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new InvalidOptionError(`imputation noise must be a finite number ≥ 0, got ${noise}`);
  }
  const out = Float64Array.from(image);
  const m = removed.length;
  if (m === 0) return out;
  if (m >= h * w) {
    throw new InvalidOptionError(
      `noisyLinearImputation: all ${h * w} pixels removed, nothing to impute from; keep at least one`,
    );
  }
  const variable = new Int32Array(h * w).fill(-1);
  for (let k = 0; k < m; k++) {
    const pixel = removed[k];
    if (!Number.isInteger(pixel) || pixel < 0 || pixel >= h * w || variable[pixel] >= 0) {
      throw new InvalidOptionError(
        `noisyLinearImputation: removed pixel ${pixel} is out of range [0, ${h * w}) or repeated`,
      );
    }
    variable[pixel] = k;
  }
  // The matrix as diagonal + lists of (variable, weight) couplings; the right-hand sides per channel.
  const diagonal = new Float64Array(m);
  const couplingStart = new Int32Array(m + 1);
  const couplingVar: number[] = [];
  const couplingWeight: number[] = [];
  const rhs = new Float64Array(m * c);
  for (let k = 0; k < m; k++) {
    const row = Math.floor(removed[k] / w);
    const col = removed[k] % w;
    couplingStart[k] = couplingVar.length;
    for (const [dr, dc, weight] of NEIGHBOURS) {
      const r = row + dr;
      const q = col + dc;
      if (r < 0 || q < 0 || r >= h || q >= w) continue;
      diagonal[k] += weight;
      const neighbour = r * w + q;
      if (variable[neighbour] >= 0) {
        couplingVar.push(variable[neighbour]);
        couplingWeight.push(weight);
      } else {
        for (let ch = 0; ch < c; ch++) rhs[k * c + ch] += weight * image[neighbour * c + ch];
      }
    }
  }
  couplingStart[m] = couplingVar.length;
  const multiply = (v: Float64Array, into: Float64Array): void => {
    for (let k = 0; k < m; k++) {
      let sum = diagonal[k] * v[k];
      for (let e = couplingStart[k]; e < couplingStart[k + 1]; e++) {
        sum -= couplingWeight[e] * v[couplingVar[e]];
      }
      into[k] = sum;
    }
  };
  const b = new Float64Array(m);
  const solution = new Float64Array(m);
  for (let ch = 0; ch < c; ch++) {
    for (let k = 0; k < m; k++) b[k] = rhs[k * c + ch];
    conjugateGradient(multiply, b, solution);
    for (let k = 0; k < m; k++) out[removed[k] * c + ch] = solution[k];
  }
  if (noise > 0) {
    const z = rng.normalArray(m * c);
    for (let k = 0; k < m; k++) {
      for (let ch = 0; ch < c; ch++) out[removed[k] * c + ch] += noise * z[ch * m + k];
    }
  }
  return out;
}

/** Solves `A x = b` for a symmetric positive-definite `A` (given as a product), x overwritten, from 0. */
function conjugateGradient(
  multiply: (v: Float64Array, into: Float64Array) => void,
  b: Float64Array,
  x: Float64Array,
): void {
  const m = b.length;
  x.fill(0);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  const ap = new Float64Array(m);
  const dot = (u: Float64Array, v: Float64Array) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += u[k] * v[k];
    return s;
  };
  const bNorm2 = dot(b, b);
  let rr = bNorm2;
  // In exact arithmetic CG ends in m steps; the margin covers rounding.
  for (let it = 0; it < 4 * m + 10 && rr > TOLERANCE * TOLERANCE * bNorm2; it++) {
    multiply(p, ap);
    const alpha = rr / dot(p, ap);
    for (let k = 0; k < m; k++) {
      x[k] += alpha * p[k];
      r[k] -= alpha * ap[k];
    }
    const next = dot(r, r);
    const beta = next / rr;
    rr = next;
    for (let k = 0; k < m; k++) p[k] = r[k] + beta * p[k];
  }
}
