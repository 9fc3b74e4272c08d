/**
 * Derives one 32-bit seed from a base seed and any number of stream labels, so
 * every consumer of randomness (a layer's initialiser, an epoch's shuffle, a
 * metric's noise) gets its own independent stream from the run's one seed.
 *
 * Each part goes through the MurmurHash3 32-bit finaliser (`fmix32`) and is
 * folded into the state with a multiply–xorshift step; strings are first
 * hashed with FNV-1a. Unlike `seed + 1` or `seed * 31 + k`, nearby inputs give
 * unrelated outputs, and `(seed, a, b)` never collides with `(seed + 1, a, b)`
 * by construction. Order matters: `mixSeed(s, 1, 2) !== mixSeed(s, 2, 1)`.
 * Numbers are floored and taken modulo 2³²; the result is in `[0, 2³²)`.
 *
 * @example
 * new SeededRandom(mixSeed(seed, 'epoch', epoch));   // one stream per epoch
 * glorotUniform({ seed: mixSeed(seed, 'layer', i) }); // one stream per layer
 */
export function mixSeed(seed: number, ...streams: (number | string)[]): number {
  let h = 0x9e3779b9;
  for (const part of [seed, ...streams]) {
    let k = typeof part === 'string' ? fnv1a(part) : Math.floor(part) >>> 0;
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x27d4eb2d) + 0x165667b1;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** 32-bit FNV-1a of the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
