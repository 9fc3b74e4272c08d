import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { randomHost, relativeError, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('BatchMatMul on wasm', () => {
  it('matches the cpu kernel for every transpose flag, with batch broadcasting', async () => {
    const rng = new SeededRandom(31);
    for (let trial = 0; trial < 24; trial++) {
      const [transposeA, transposeB] = FLAGS[trial % 4];
      const [m, k, n] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
      const batchA = 1 + rng.int(3);
      const batchB = rng.int(2) === 0 ? 1 : batchA;
      const a = randomHost(rng, [batchA, ...(transposeA ? [k, m] : [m, k])]);
      const b = randomHost(rng, [batchB, ...(transposeB ? [n, k] : [k, n])]);
      const attrs = { transposeA, transposeB } as never;
      const expected = await runKernelOn('cpu', 'BatchMatMul', { a, b }, attrs);
      const actual = await runKernelOn('wasm', 'BatchMatMul', { a, b }, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ a: a.shape, b: b.shape, transposeA, transposeB }),
      ).toBeLessThan(1e-4);
    }
  });
});

describe('_FusedMatMul on wasm', () => {
  it('matches the cpu kernel for every transpose flag with bias and activation', async () => {
    const rng = new SeededRandom(32);
    for (let trial = 0; trial < 16; trial++) {
      const [transposeA, transposeB] = FLAGS[trial % 4];
      const [m, k, n] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
      const a = randomHost(rng, [1, ...(transposeA ? [k, m] : [m, k])]);
      const b = randomHost(rng, [1, ...(transposeB ? [n, k] : [k, n])]);
      const bias = randomHost(rng, [n]);
      const activation = (['linear', 'relu'] as const)[rng.int(2)];
      const attrs = { transposeA, transposeB, activation } as never;
      const expected = await runKernelOn('cpu', '_FusedMatMul', { a, b, bias }, attrs);
      const actual = await runKernelOn('wasm', '_FusedMatMul', { a, b, bias }, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ transposeA, transposeB, activation }),
      ).toBeLessThan(1e-4);
    }
  });
});
