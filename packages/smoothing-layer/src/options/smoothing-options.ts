import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defaultKernelSize } from '../kernel/gaussian-kernel';

/** How the feature map is extended beyond its border before smoothing. */
export type SmoothingPadding = 'reflect' | 'same' | 'replicate';

/** Every {@link SmoothingPadding}, in the order the docs list them. */
export const SMOOTHING_PADDINGS: readonly SmoothingPadding[] = ['reflect', 'same', 'replicate'];

/** Options of the Gaussian feature-map smoothing (SPEC 2.1). */
export interface SmoothingOptions {
  /** Standard deviation of the Gaussian in pixels, ≥ 0 (0 is the identity). Default 1. */
  sigma?: number;
  /** Odd number of taps per axis. Default `2·ceil(2σ)+1`. */
  kernelSize?: number;
  /**
   * Border handling: `'reflect'` mirrors without repeating the edge (`dcb|abcd|cba`, default),
   * `'same'` pads with zeros, `'replicate'` repeats the edge value (`aaa|abcd|ddd`).
   */
  padding?: SmoothingPadding;
  /** Learn σ (through `log σ`, so it stays positive). Default false: the paper's block is fixed. */
  trainableSigma?: boolean;
}

/** {@link SmoothingOptions} with every default filled in and checked. */
export interface ResolvedSmoothingOptions {
  sigma: number;
  kernelSize: number;
  padding: SmoothingPadding;
  trainableSigma: boolean;
}

/** The defaults of {@link SmoothingOptions}, in one place. */
export const SMOOTHING_DEFAULTS = { sigma: 1, padding: 'reflect', trainableSigma: false } as const;

/**
 * Every {@link SmoothingOptions} key with its default (`kernelSize` has none:
 * it follows σ), for core-tensor's `resolveOptions`, which rejects unknown keys.
 */
export const SMOOTHING_OPTION_DEFAULTS: Readonly<SmoothingOptions> = Object.freeze({
  ...SMOOTHING_DEFAULTS,
  kernelSize: undefined,
});

/**
 * Fills in the defaults and rejects values the block cannot use, with an
 * {@link InvalidOptionError} saying what was given and what is accepted.
 */
export function resolveSmoothingOptions(options: SmoothingOptions = {}): ResolvedSmoothingOptions {
  const sigma = options.sigma ?? SMOOTHING_DEFAULTS.sigma;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) {
    throw new InvalidOptionError(
      `smoothing sigma must be a finite number ≥ 0 (pixels), got ${String(sigma)}`,
    );
  }
  const trainableSigma = options.trainableSigma ?? SMOOTHING_DEFAULTS.trainableSigma;
  if (trainableSigma && sigma === 0) {
    throw new InvalidOptionError(
      'trainableSigma learns log σ, so the initial sigma must be > 0; give e.g. sigma: 0.5, or trainableSigma: false for the identity',
    );
  }
  const kernelSize = options.kernelSize ?? defaultKernelSize(sigma);
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new InvalidOptionError(
      `smoothing kernelSize must be an odd integer ≥ 1, got ${String(kernelSize)}; leave it out for 2·ceil(2σ)+1`,
    );
  }
  const padding = options.padding ?? SMOOTHING_DEFAULTS.padding;
  if (!SMOOTHING_PADDINGS.includes(padding)) {
    throw new InvalidOptionError(
      `smoothing padding "${String(padding)}" is unknown; use one of ${SMOOTHING_PADDINGS.join(', ')}`,
    );
  }
  return { sigma, kernelSize, padding, trainableSigma };
}
