import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';

/** Options of {@link structuralSimilarity}, named and defaulted as scikit-image's `structural_similarity`. */
export interface SsimOptions {
  /** Side of the square uniform window (`win_size`), odd, ≤ the image sides. Default 7 (scikit-image). */
  windowSize: number;
  /**
   * `data_range` L: the constants are `C1 = (K1·L)²`, `C2 = (K2·L)²`. Required
   * (scikit-image requires it for float images). The FMS authors use 2 for
   * gradient maps and 1 for maps in [0, 1].
   */
  dataRange: number;
  /** `K1`. Default 0.01. */
  k1: number;
  /** `K2`. Default 0.03. */
  k2: number;
  /** Sample (co)variances, `N/(N − 1)` over the N window pixels (`use_sample_covariance`). Default true. */
  sampleCovariance: boolean;
}

const defaults: Omit<SsimOptions, 'dataRange'> = {
  windowSize: 7,
  k1: 0.01,
  k2: 0.03,
  sampleCovariance: true,
};

/**
 * Mean structural similarity (Wang et al. 2004) of two single-channel images
 * `h × w` (row-major), in float64, exactly as scikit-image's
 * `structural_similarity(a, b, win_size, data_range, gaussian_weights=False)`:
 * for every `s × s` window wholly inside the image (scikit-image filters the
 * whole image, then crops `(s − 1)/2` from each border before averaging, which
 * leaves exactly these windows) with means μ, (sample) variances σ² and
 * covariance σ_ab,
 *
 * `SSIM = (2 μ_a μ_b + C1)(2 σ_ab + C2) / ((μ_a² + μ_b² + C1)(σ_a² + σ_b² + C2))`,
 *
 * averaged over the windows. SSIM(a, a) = 1; two constant images p, q give
 * `(2pq + C1)/(p² + q² + C1)`.
 *
 * @example
 * ssimPlane(mapA, mapB, 28, 28, { windowSize: 5, dataRange: 2 }); // ∈ [−1, 1]
 */
export function ssimPlane(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  h: number,
  w: number,
  options: Partial<SsimOptions> & Pick<SsimOptions, 'dataRange'>,
): number {
  const { windowSize: s, dataRange, k1, k2, sampleCovariance } = checkOptions(options, h, w);
  if (a.length !== h * w || b.length !== h * w) {
    throw new ShapeError(
      `ssimPlane: images of ${a.length} and ${b.length} values, expected ${h}×${w} = ${h * w} each`,
    );
  }
  const np = s * s;
  const covNorm = sampleCovariance ? np / (np - 1) : 1;
  const c1 = (k1 * dataRange) ** 2;
  const c2 = (k2 * dataRange) ** 2;
  // Summed-area tables of a, b, a², b², ab, (h+1)×(w+1), in float64.
  const stride = w + 1;
  const tables = Array.from({ length: 5 }, () => new Float64Array((h + 1) * stride));
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const va = a[r * w + c];
      const vb = b[r * w + c];
      const terms = [va, vb, va * va, vb * vb, va * vb];
      const at = (r + 1) * stride + c + 1;
      for (let t = 0; t < 5; t++) {
        const sat = tables[t];
        sat[at] = terms[t] + sat[at - 1] + sat[at - stride] - sat[at - stride - 1];
      }
    }
  }
  const windowMean = (sat: Float64Array, r: number, c: number): number =>
    (sat[(r + s) * stride + c + s] -
      sat[r * stride + c + s] -
      sat[(r + s) * stride + c] +
      sat[r * stride + c]) /
    np;
  let total = 0;
  for (let r = 0; r + s <= h; r++) {
    for (let c = 0; c + s <= w; c++) {
      const ua = windowMean(tables[0], r, c);
      const ub = windowMean(tables[1], r, c);
      const va = covNorm * (windowMean(tables[2], r, c) - ua * ua);
      const vb = covNorm * (windowMean(tables[3], r, c) - ub * ub);
      const vab = covNorm * (windowMean(tables[4], r, c) - ua * ub);
      total += ((2 * ua * ub + c1) * (2 * vab + c2)) / ((ua * ua + ub * ub + c1) * (va + vb + c2));
    }
  }
  return total / ((h - s + 1) * (w - s + 1));
}

/**
 * SSIM of two 1-D signals, as scikit-image's `structural_similarity` on 1-D
 * arrays (what Quantus' `ssim` similarity passes it: flattened maps): the
 * windows are the `windowSize` consecutive values wholly inside the signal,
 * `N = windowSize`, with the formula of {@link ssimPlane}. When `dataRange` is
 * omitted it is Quantus' `max − min` of both signals together; two equal
 * constant signals (range 0) give 1.
 *
 * @example
 * ssimSignal(flatMapA, flatMapB); // Quantus RandomLogit's similarity, ∈ [−1, 1]
 */
export function ssimSignal(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: Partial<SsimOptions> = {},
): number {
  const length = a.length;
  if (b.length !== length) {
    throw new ShapeError(
      `ssimSignal: signals of ${length} and ${b.length} values; they must match`,
    );
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < length; k++) {
    lo = Math.min(lo, a[k], b[k]);
    hi = Math.max(hi, a[k], b[k]);
  }
  const range = options.dataRange ?? hi - lo;
  if (options.dataRange === undefined && range === 0) return 1;
  const {
    windowSize: s,
    dataRange,
    k1,
    k2,
    sampleCovariance,
  } = checkOptions({ ...options, dataRange: range }, length, length);
  const covNorm = sampleCovariance ? s / (s - 1) : 1;
  const c1 = (k1 * dataRange) ** 2;
  const c2 = (k2 * dataRange) ** 2;
  // Prefix sums of a, b, a², b², ab, in float64.
  const sums = Array.from({ length: 5 }, () => new Float64Array(length + 1));
  for (let k = 0; k < length; k++) {
    const va = a[k];
    const vb = b[k];
    const terms = [va, vb, va * va, vb * vb, va * vb];
    for (let t = 0; t < 5; t++) sums[t][k + 1] = sums[t][k] + terms[t];
  }
  const mean = (t: number, k: number) => (sums[t][k + s] - sums[t][k]) / s;
  let total = 0;
  for (let k = 0; k + s <= length; k++) {
    const ua = mean(0, k);
    const ub = mean(1, k);
    const va = covNorm * (mean(2, k) - ua * ua);
    const vb = covNorm * (mean(3, k) - ub * ub);
    const vab = covNorm * (mean(4, k) - ua * ub);
    total += ((2 * ua * ub + c1) * (2 * vab + c2)) / ((ua * ua + ub * ub + c1) * (va + vb + c2));
  }
  return total / (length - s + 1);
}

/**
 * {@link ssimPlane} of every sample of two NHWC batches `[n, h, w, c]`: one
 * value per sample, the mean over its channels (scikit-image's
 * `channel_axis`). Reads the tensors (does not dispose them).
 *
 * @example
 * structuralSimilarity(mapsX, mapsNoisy, { windowSize: 5, dataRange: 2 }); // number[n]
 */
export function structuralSimilarity(
  a: tf.Tensor4D,
  b: tf.Tensor4D,
  options: Partial<SsimOptions> & Pick<SsimOptions, 'dataRange'>,
): number[] {
  if (a.shape.join() !== b.shape.join()) {
    throw new ShapeError(
      `structuralSimilarity: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ; pass maps of one shape`,
    );
  }
  const [n, h, w, c] = a.shape;
  const da = a.dataSync();
  const db = b.dataSync();
  const planeA = new Float64Array(h * w);
  const planeB = new Float64Array(h * w);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let ch = 0; ch < c; ch++) {
      for (let k = 0; k < h * w; k++) {
        planeA[k] = da[(i * h * w + k) * c + ch];
        planeB[k] = db[(i * h * w + k) * c + ch];
      }
      sum += ssimPlane(planeA, planeB, h, w, options);
    }
    out.push(sum / c);
  }
  return out;
}

function checkOptions(
  options: Partial<SsimOptions> & Pick<SsimOptions, 'dataRange'>,
  h: number,
  w: number,
): SsimOptions {
  const known = ['windowSize', 'dataRange', 'k1', 'k2', 'sampleCovariance'];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new InvalidOptionError(
      `SSIM has no option "${unknown[0]}"; its options are: ${known.join(', ')}`,
    );
  }
  const merged = { ...defaults, ...options };
  const { windowSize: s, dataRange, k1, k2 } = merged;
  if (!Number.isInteger(s) || s < 2 || s % 2 === 0 || s > h || s > w) {
    throw new InvalidOptionError(
      `SSIM windowSize must be an odd integer ≥ 3 and ≤ the image sides ${h}×${w}, got ${s}`,
    );
  }
  if (!(dataRange > 0) || !Number.isFinite(dataRange)) {
    throw new InvalidOptionError(
      `SSIM dataRange must be a finite number > 0 (the range of the maps' values), got ${dataRange}`,
    );
  }
  if (!(k1 > 0) || !(k2 > 0))
    throw new InvalidOptionError(`SSIM k1, k2 must be > 0, got ${k1}, ${k2}`);
  return merged;
}
