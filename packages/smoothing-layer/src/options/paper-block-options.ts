import { InvalidOptionError } from '@trustgrad/core-tensor';
import { SMOOTHING_PADDINGS, type SmoothingPadding } from './smoothing-options';

/** The filter inside the paper's block: the Gaussian (the method) and the authors' two ablations. */
export type PaperBlockFilter = 'gaussian' | 'mean' | 'median';

/** Every {@link PaperBlockFilter}. */
export const PAPER_BLOCK_FILTERS: readonly PaperBlockFilter[] = ['gaussian', 'mean', 'median'];

/** σ of the block's Gaussian: pixels, or the authors' rule from the feature map's width. */
export type PaperBlockSigma = number | 'authors-width-rule';

/**
 * How the learned 1×1 convolution starts, both as the authors' PyTorch code leaves it:
 * - `'pytorch-default'`: `nn.Conv2d`'s own init, kaiming-uniform with a = √5, i.e. weight
 *   and bias ~ U(−1/√C, 1/√C) for C input channels (their LeNet-5 keeps it);
 * - `'he-normal-fan-out'`: weight ~ N(0, 2/C) (`kaiming_normal_(mode='fan_out',
 *   nonlinearity='relu')`, which their WideResNet and ResNet-18 apply to every conv,
 *   the block's included), bias still U(−1/√C, 1/√C).
 */
export type PaperBlockInit = 'pytorch-default' | 'he-normal-fan-out';

/** Every {@link PaperBlockInit}. */
export const PAPER_BLOCK_INITS: readonly PaperBlockInit[] = [
  'pytorch-default',
  'he-normal-fan-out',
];

/** Options of the paper's residual smoothing block `y = x + Conv1×1(filter(x))` (SPEC 2.1). */
export interface PaperBlockOptions {
  /** The filter. Default `'gaussian'`. */
  filter?: PaperBlockFilter;
  /** Odd window side. Default 3 (the authors' `ksize=3`). */
  kernelSize?: number;
  /**
   * σ of the Gaussian filter in pixels, or `'authors-width-rule'`
   * (`σ = 0.3·((W − 1)·0.5 − 1) + 0.8`, see {@link authorsWidthRuleSigma}). Default the rule.
   * Only for `filter: 'gaussian'`.
   */
  sigma?: PaperBlockSigma;
  /**
   * Border handling. Default as kornia, which the authors call: `'reflect'` for the
   * Gaussian and mean filters, `'same'` (zeros) for the median (`median_blur` zero-pads).
   */
  padding?: SmoothingPadding;
  /** Initialisation of the 1×1 convolution. Default `'pytorch-default'`. */
  init?: PaperBlockInit;
  /** Seed of that initialisation. Default 0. */
  seed?: number;
}

/** {@link PaperBlockOptions} with every default filled in and checked. */
export interface ResolvedPaperBlockOptions {
  filter: PaperBlockFilter;
  kernelSize: number;
  sigma: PaperBlockSigma | null;
  padding: SmoothingPadding;
  init: PaperBlockInit;
  seed: number;
}

/** The defaults of {@link PaperBlockOptions}, in one place (padding depends on the filter). */
export const PAPER_BLOCK_DEFAULTS = {
  filter: 'gaussian',
  kernelSize: 3,
  sigma: 'authors-width-rule',
  init: 'pytorch-default',
  seed: 0,
} as const;

/**
 * Fills in the defaults and rejects values the block cannot use, with an
 * {@link InvalidOptionError} saying what was given and what is accepted.
 * `sigma` resolves to null for the mean and median filters (they have none).
 */
export function resolvePaperBlockOptions(
  options: PaperBlockOptions = {},
): ResolvedPaperBlockOptions {
  const filter = options.filter ?? PAPER_BLOCK_DEFAULTS.filter;
  if (!PAPER_BLOCK_FILTERS.includes(filter)) {
    throw new InvalidOptionError(
      `paper block filter "${String(filter)}" is unknown; use one of ${PAPER_BLOCK_FILTERS.join(', ')}`,
    );
  }
  const kernelSize = options.kernelSize ?? PAPER_BLOCK_DEFAULTS.kernelSize;
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new InvalidOptionError(
      `paper block kernelSize must be an odd integer ≥ 1, got ${String(kernelSize)}; the authors use 3`,
    );
  }
  let sigma: PaperBlockSigma | null = null;
  if (filter === 'gaussian') {
    sigma = options.sigma ?? PAPER_BLOCK_DEFAULTS.sigma;
    if (
      sigma !== 'authors-width-rule' &&
      (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0)
    ) {
      throw new InvalidOptionError(
        `paper block sigma must be a finite number ≥ 0 (pixels) or 'authors-width-rule', got ${String(sigma)}`,
      );
    }
  } else if (options.sigma !== undefined) {
    throw new InvalidOptionError(
      `paper block sigma applies to filter 'gaussian' only, got sigma ${String(options.sigma)} with filter '${filter}'; drop sigma`,
    );
  }
  const padding = options.padding ?? (filter === 'median' ? 'same' : 'reflect');
  if (!SMOOTHING_PADDINGS.includes(padding)) {
    throw new InvalidOptionError(
      `paper block padding "${String(padding)}" is unknown; use one of ${SMOOTHING_PADDINGS.join(', ')}`,
    );
  }
  const init = options.init ?? PAPER_BLOCK_DEFAULTS.init;
  if (!PAPER_BLOCK_INITS.includes(init)) {
    throw new InvalidOptionError(
      `paper block init "${String(init)}" is unknown; use one of ${PAPER_BLOCK_INITS.join(', ')}`,
    );
  }
  const seed = options.seed ?? PAPER_BLOCK_DEFAULTS.seed;
  if (!Number.isInteger(seed)) {
    throw new InvalidOptionError(`paper block seed must be an integer, got ${String(seed)}`);
  }
  return { filter, kernelSize, sigma, padding, init, seed };
}
