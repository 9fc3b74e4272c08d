import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapSimdCalls } from './heap-simd';
import { setPlanarForwardEnabled } from './planar-forward';
import {
  expectCloseToReference,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

type Pad = 'same' | 'valid' | number;
const planarCalls = () =>
  heapSimdCalls().planarCorrelate +
  heapSimdCalls().planarCorrelate3q +
  heapSimdCalls().planarCorrelate3r;
const attrs = (pad: Pad) => ({ strides: 1, pad, dataFormat: 'NHWC', dilations: 1 }) as never;

describe('Conv2D of one input channel on wasm, planar SIMD path', () => {
  it('matches the cpu kernel on LeNet-5 conv1 and other filters and pads, and is the path taken', async () => {
    const rng = new SeededRandom(91);
    const cases: Array<{ x: number[]; filter: [number, number, number, number]; pad: Pad }> = [
      { x: [4, 28, 28, 1], filter: [5, 5, 1, 6], pad: 'valid' },
      { x: [3, 28, 28, 1], filter: [3, 3, 1, 8], pad: 'same' },
      { x: [2, 9, 7, 1], filter: [2, 4, 1, 5], pad: 1 },
      { x: [1, 6, 10, 1], filter: [3, 3, 1, 1], pad: 'same' },
      { x: [2, 5, 5, 1], filter: [5, 5, 1, 3], pad: 2 },
    ];
    for (const { x, filter, pad } of cases) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs(pad));
      const before = planarCalls();
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs(pad));
      const label = JSON.stringify({ x, filter, pad });
      expect(planarCalls(), label).toBe(before + 1);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('keeps zeros, huge and tiny magnitudes, NaN and ±∞ of the input as cpu does', async () => {
    const rng = new SeededRandom(92);
    const x = randomHost(rng, [2, 12, 12, 1]);
    [0, -0, 1e30, -1e30, 1e-30, 3e-39, Number.NaN, Number.POSITIVE_INFINITY].forEach((v, i) => {
      x.values[i * 29] = v;
    });
    const filter = randomHost(rng, [3, 3, 1, 6]);
    const expected = await runKernelOn('cpu', 'Conv2D', { x, filter }, attrs('valid'));
    const actual = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs('valid'));
    expectCloseToReference(actual, expected, 1e-5, 'planar Conv2D with special inputs');
  });

  it('leaves fused bias or ReLU, strides, more input channels and more than 8 outputs to the other paths', async () => {
    const rng = new SeededRandom(93);
    const x = randomHost(rng, [2, 10, 10, 1]);
    const filter = randomHost(rng, [3, 3, 1, 8]);
    const before = planarCalls();
    const fusedAttrs = {
      strides: 1,
      pad: 'same',
      dataFormat: 'NHWC',
      dilations: 1,
      activation: 'relu',
    } as never;
    const bias = randomHost(rng, [8]);
    const expectedFused = await runKernelOn('cpu', 'FusedConv2D', { x, filter, bias }, fusedAttrs);
    const fused = await runKernelOn('wasm', 'FusedConv2D', { x, filter, bias }, fusedAttrs);
    expect(relativeError(fused, expectedFused)).toBeLessThan(1e-5);
    const strided = { strides: 2, pad: 'same', dataFormat: 'NHWC', dilations: 1 } as never;
    await runKernelOn('wasm', 'Conv2D', { x, filter }, strided);
    const x2 = randomHost(rng, [2, 10, 10, 2]);
    await runKernelOn(
      'wasm',
      'Conv2D',
      { x: x2, filter: randomHost(rng, [3, 3, 2, 8]) },
      attrs('same'),
    );
    await runKernelOn(
      'wasm',
      'Conv2D',
      { x, filter: randomHost(rng, [3, 3, 1, 16]) },
      attrs('same'),
    );
    expect(planarCalls()).toBe(before);
    // And the switch turns the path off.
    setPlanarForwardEnabled(false);
    await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs('same'));
    setPlanarForwardEnabled(true);
    expect(planarCalls()).toBe(before);
  });
});
