import { InvalidOptionError, SeededRandom } from '@trustgrad/core-tensor';

/** Options of {@link bootstrapMeanCi}. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
}

/** Mean and percentile-bootstrap confidence interval of a sample. */
export interface MeanWithCi {
  mean: number;
  ci: [number, number];
}

/**
 * Mean of `values` with a percentile-bootstrap confidence interval: draw
 * `resamples` samples of size n with replacement (seeded), take each one's mean,
 * report the `(1−level)/2` and `(1+level)/2` quantiles (linear interpolation).
 * One value gives the degenerate interval `[v, v]`.
 *
 * @example bootstrapMeanCi([0.1, 0.4, 0.3], { seed: 0 }); // { mean: 0.2667, ci: [0.1, 0.4] }
 */
export function bootstrapMeanCi(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): MeanWithCi {
  const { resamples = 1000, level = 0.95, seed = 0 } = options;
  const n = values.length;
  if (n === 0) {
    throw new InvalidOptionError('bootstrapMeanCi needs at least one value, got an empty array');
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new InvalidOptionError(`resamples must be a positive integer, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new InvalidOptionError(
      `level must be in (0, 1), got ${level} (use 0.95 for a 95% interval)`,
    );
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new InvalidOptionError(
        `bootstrapMeanCi: value ${i} is ${v}; every value must be finite`,
      );
    }
    total += v;
  }
  const mean = total / n;
  if (n === 1) return { mean, ci: [mean, mean] };
  const rng = new SeededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)];
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { mean, ci: [quantile(means, alpha), quantile(means, 1 - alpha)] };
}

/** Quantile `q` of an ascending-sorted array (linear interpolation between order statistics). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}
