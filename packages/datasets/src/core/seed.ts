import { SeededRandom } from '@trustgrad/core-tensor';

/**
 * Mixes integers into one 32-bit seed (a MurmurHash3-style finaliser per part),
 * so `(seed, epoch, batch)` gives independent streams that do not depend on
 * the order in which batches are prepared.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.floor(part) >>> 0;
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x27d4eb2d) + 0x165667b1;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** A {@link SeededRandom} for the mixed seed of `parts`. */
export function rngFor(...parts: number[]): SeededRandom {
  return new SeededRandom(mixSeed(...parts));
}
