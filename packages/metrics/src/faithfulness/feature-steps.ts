import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Fails unless `featuresInStep` is a positive integer ≤ `size`. */
export function checkFeaturesInStep(featuresInStep: number, size: number): void {
  if (!Number.isInteger(featuresInStep) || featuresInStep < 1 || featuresInStep > size) {
    throw new InvalidOptionError(
      `featuresInStep must be an integer in [1, ${size}] (the features of one sample), got ${featuresInStep}`,
    );
  }
}

/**
 * Feature indices of one flattened attribution ordered by value, descending
 * (`order: 'descending'`, Quantus' `argsort(-a)`) or ascending
 * (`argsort(a)`), of `|a|` when `abs`. Ties keep index order (numpy's default
 * sort is not stable, so Quantus leaves their order unspecified).
 */
export function orderFeatures(
  a: ArrayLike<number>,
  order: 'descending' | 'ascending',
  abs: boolean,
): Int32Array {
  const key = Float64Array.from(a, (v) => (abs ? Math.abs(v) : v));
  const sign = order === 'descending' ? 1 : -1;
  const idx = Array.from({ length: key.length }, (_, i) => i);
  idx.sort((i, j) => sign * (key[j] - key[i]) || i - j);
  return Int32Array.from(idx);
}
