import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../random/seeded-random';
import { linkConvFma } from './conv-fma';
import { winogradFilter, winogradFilterGradientBack } from './winograd-filter-transforms';

/** Byte addresses on a standalone heap: the filter, the kernel's output, the JS reference's, the scratch. */
const [SRC, DST, REF, SCRATCH] = [1 << 16, 1 << 22, 1 << 24, 1 << 26];

describe('winogradFilterTransform (conv-fma)', () => {
  it('equals winogradFilter bit for bit: both tiles, forward and rotated layouts, channels rounded up, odd sizes', () => {
    const memory = new WebAssembly.Memory({ initial: 1200 });
    const conv = linkConvFma(memory, false, () => null);
    if (!conv) throw new Error('conv-fma did not link');
    const heap = new Float32Array(memory.buffer);
    const rng = new SeededRandom(31);
    for (const [C, O] of [
      [16, 16],
      [3, 8],
      [17, 24],
      [64, 64],
      [5, 33],
    ]) {
      // The filter [3, 3, C, O], with edge values: huge, tiny, denormal, ±0.
      const taps = rng.normalArray(9 * C * O);
      [1e30, -3e38, 1e-30, 3e-39, -0, 0].forEach((v, k) => {
        taps[(k * 37) % taps.length] = v;
      });
      heap.set(taps, SRC / 4);
      for (const tile of [2, 4] as const) {
        for (const rotated of [false, true]) {
          // The forward reads g[a, b, c, o]; the input gradient g'[a, b, o, c] = w[2 − a, 2 − b, c, o].
          const [inC, outC, inStride, outStride] = rotated ? [O, C, 1, O] : [C, O, O, 1];
          const targetInC = Math.ceil(inC / 4) * 4;
          const planes = (tile + 2) ** 2;
          const size = planes * targetInC * outC;
          heap.fill(Number.NaN, DST / 4, DST / 4 + size);
          const tap = (a: number, b: number) =>
            SRC / 4 + (rotated ? (2 - a) * 3 + (2 - b) : a * 3 + b) * C * O;
          winogradFilter(heap, heap, REF / 4, inC, outC, tap, inStride, outStride, targetInC, tile);
          conv.kernels.winogradFilterTransform(
            SRC,
            DST,
            SCRATCH,
            inC,
            outC,
            C * O,
            rotated ? 1 : 0,
            inStride,
            outStride,
            targetInC,
            tile,
          );
          const label = JSON.stringify({ C, O, tile, rotated });
          for (let k = 0; k < size; k++) {
            const [got, want] = [heap[DST / 4 + k], heap[REF / 4 + k]];
            if (!Object.is(got, want)) throw new Error(`${label} [${k}]: ${got} vs ${want}`);
          }
          expect(size, label).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('winogradFilterGradientBack (conv-fma)', () => {
  it('equals the JavaScript winogradFilterGradientBack bit for bit: both tiles, partial blocks, rows past C', () => {
    const memory = new WebAssembly.Memory({ initial: 1200 });
    const conv = linkConvFma(memory, false, () => null);
    if (!conv) throw new Error('conv-fma did not link');
    const heap = new Float32Array(memory.buffer);
    const rng = new SeededRandom(32);
    // [C, sourceC, O]: sourceC the rounded-up rows of Ũ (C·O not a multiple of 64 in most).
    for (const [C, sourceC, O] of [
      [16, 16, 16],
      [3, 4, 16],
      [6, 8, 8],
      [64, 64, 64],
      [5, 8, 24],
    ]) {
      for (const tile of [2, 4] as const) {
        const planes = (tile + 2) ** 2;
        const source = rng.normalArray(planes * sourceC * O);
        // Edge values: huge, tiny, denormal, ±0 (and sums that overflow float32).
        [3e38, -3e38, 1e-30, 3e-39, -0, 0].forEach((v, k) => {
          source[(k * 41) % source.length] = v;
        });
        heap.set(source, SRC / 4);
        const size = 9 * C * O;
        heap.fill(Number.NaN, DST / 4, DST / 4 + size + 64);
        winogradFilterGradientBack(heap, SRC / 4, heap, REF / 4, C, O, sourceC, tile);
        conv.kernels.winogradFilterGradientBack(SRC, DST, SCRATCH, C * O, sourceC * O, tile);
        const label = JSON.stringify({ C, sourceC, O, tile });
        for (let k = 0; k < size; k++) {
          const [got, want] = [heap[DST / 4 + k], heap[REF / 4 + k]];
          if (!Object.is(got, want)) throw new Error(`${label} [${k}]: ${got} vs ${want}`);
        }
        // Nothing written past the 9 taps.
        expect(Number.isNaN(heap[DST / 4 + size]), label).toBe(true);
      }
    }
  });
});
