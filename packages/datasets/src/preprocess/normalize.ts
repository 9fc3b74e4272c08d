import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * Per-channel standardisation `x' = (x − mean[c]) / std[c]`, applied to each
 * batch after augmentation. A single number applies to every channel.
 */
export interface Normalization {
  readonly mean: number | readonly number[];
  readonly std: number | readonly number[];
}

/** Checks `normalization` against `channels` and returns per-channel arrays. */
export function resolveNormalization(
  normalization: Normalization,
  channels: number,
): { mean: Float32Array; std: Float32Array } {
  const expand = (value: number | readonly number[], what: string): Float32Array => {
    const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : [...value];
    if (values.length !== channels) {
      throw new InvalidOptionError(
        `normalize.${what} has ${values.length} values, expected one per channel (${channels})`,
      );
    }
    if (values.some((v) => !Number.isFinite(v)))
      throw new InvalidOptionError(`normalize.${what} must hold finite numbers, got [${values}]`);
    return Float32Array.from(values);
  };
  const mean = expand(normalization.mean, 'mean');
  const std = expand(normalization.std, 'std');
  if (std.some((s) => s <= 0))
    throw new InvalidOptionError(`normalize.std must be > 0 for every channel, got [${[...std]}]`);
  return { mean, std };
}

/** Standardises NHWC `images` in place. */
export function normalizeInPlace(
  images: Float32Array,
  channels: number,
  mean: Float32Array,
  std: Float32Array,
): void {
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    images[i] = (images[i] - mean[c]) / std[c];
  }
}
