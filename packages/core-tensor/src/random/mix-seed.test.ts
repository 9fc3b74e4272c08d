import { describe, expect, it } from 'vitest';
import { mixSeed } from './mix-seed';

describe('mixSeed', () => {
  it('is a deterministic 32-bit hash of the seed and its streams, order-sensitive', () => {
    expect(mixSeed(0, 'layer', 1)).toBe(mixSeed(0, 'layer', 1));
    expect(mixSeed(7, 1, 2)).not.toBe(mixSeed(7, 2, 1));
    expect(mixSeed(0, 'epoch')).not.toBe(mixSeed(0, 'batch'));
    const v = mixSeed(123, 'x', 4);
    expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });

  it('does not collide where seed + k would: (s, k+1) vs (s+1, k)', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 40; s++) for (let k = 0; k < 40; k++) seen.add(mixSeed(s, k));
    expect(seen.size).toBe(1600);
  });

  it('spreads nearby seeds: about half the bits differ between seed and seed + 1', () => {
    let flipped = 0;
    for (let s = 0; s < 200; s++) {
      let d = (mixSeed(s) ^ mixSeed(s + 1)) >>> 0;
      while (d) {
        flipped += d & 1;
        d >>>= 1;
      }
    }
    const mean = flipped / 200;
    expect(mean).toBeGreaterThan(13);
    expect(mean).toBeLessThan(19);
  });

  it('keeps the values of the datasets mixer it replaces, so dataset subsets are unchanged', () => {
    // Values of the former datasets/src/core/seed.ts mixSeed, computed with that code.
    expect(mixSeed(0, 1, 2)).toBe(1921599022);
    expect(mixSeed(5)).toBe(3281640741);
    expect(mixSeed(3, 17, 4)).toBe(52508894);
  });
});
