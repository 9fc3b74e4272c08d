import type { AugmentOptions } from '../preprocess/augment';
import type { Normalization } from '../preprocess/normalize';

/** Options of {@link DataSplit.batches}. */
export interface BatchOptions {
  /** Examples per batch (the last may be smaller unless `dropLast`). */
  readonly batchSize: number;
  /** Visit examples in a seeded random order. Default false (split order). */
  readonly shuffle?: boolean;
  /** Seed of the order and of augmentation. Default 0. */
  readonly seed?: number;
  /** Mixed into the seed, so each epoch gets its own order from one `seed`. Default 0. */
  readonly epoch?: number;
  /** Random crop + flip; `true` for {@link DEFAULT_AUGMENT}. Default off. */
  readonly augment?: boolean | AugmentOptions;
  /** Per-channel standardisation applied after augmentation. Default none (pixels in [0, 1]). */
  readonly normalize?: Normalization;
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Alias of `dropLast` (the PyTorch spelling). */
  readonly drop_last?: boolean;
  /** Batches prepared ahead on the JavaScript side while the consumer works. Default 2. */
  readonly prefetch?: number;
}
