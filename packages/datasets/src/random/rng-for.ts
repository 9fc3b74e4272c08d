import { mixSeed, SeededRandom } from '@trustgrad/core-tensor';

/**
 * A {@link SeededRandom} for core-tensor's `mixSeed(seed, ...streams)`:
 * `(seed, epoch, batch)` gives independent streams that do not depend on the
 * order batches are prepared in.
 */
export function rngFor(seed: number, ...streams: (number | string)[]): SeededRandom {
  return new SeededRandom(mixSeed(seed, ...streams));
}
