import { mixSeed, SeededRandom } from '@trustgrad/core-tensor';

/**
 * The datasets use core-tensor's `mixSeed` (the same hash this package had,
 * so subsets and augmentations are unchanged): `(seed, epoch, batch)` gives
 * independent streams that do not depend on the order batches are prepared in.
 */
export { mixSeed };

/** A {@link SeededRandom} for the mixed seed of `seed` and `streams`. */
export function rngFor(seed: number, ...streams: (number | string)[]): SeededRandom {
  return new SeededRandom(mixSeed(seed, ...streams));
}
