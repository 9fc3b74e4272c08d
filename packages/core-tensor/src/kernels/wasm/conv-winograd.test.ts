import { backend_util } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { kernelThreadPoolFactory } from '../../backend/kernel-thread-pool';
import { SeededRandom } from '../../random/seeded-random';
import {
  type ConvFma,
  type ConvFmaExports,
  convFmaCalls,
  linkConvFma,
  runOverImages,
} from './conv-fma';
import {
  setConvWinograd4x4Enabled,
  setConvWinogradEnabled,
  WINOGRAD_HEAD_FLOATS,
} from './conv-winograd-ops';
import {
  expectCloseToReference,
  type HostTensor,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';
import { winogradFilter, winogradFilterGradientBack } from './winograd-filter-transforms';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

type Filter = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

const calls = (kernel: keyof ConvFmaExports) => convFmaCalls()[kernel];

/** 3×3 stride-1 shapes with even outputs, at least 4 tiles: all take Winograd. */
const CASES: Array<{ x: number[]; filter: Filter; pad: Pad }> = [
  { x: [2, 8, 8, 16], filter: [3, 3, 16, 16], pad: 'same' },
  { x: [3, 10, 6, 12], filter: [3, 3, 12, 8], pad: 'same' },
  { x: [2, 10, 10, 8], filter: [3, 3, 8, 16], pad: 'valid' },
  { x: [1, 6, 8, 16], filter: [3, 3, 16, 24], pad: 2 },
  { x: [5, 4, 4, 32], filter: [3, 3, 32, 8], pad: 'same' },
  // Input channels rounded up to 4 (an RGB stem; 6 channels).
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 16], pad: 'same' },
  { x: [3, 6, 6, 6], filter: [3, 3, 6, 8], pad: 'same' },
];

const forwardAttrs = (pad: Pad) => ({ strides: 1, pad, dataFormat: 'NHWC', dilations: 1 }) as never;

describe('Winograd F(2×2, 3×3) convolutions on wasm', () => {
  // Some shapes here have outputs of multiples of 4, which F(4×4, 3×3) would take.
  beforeEach(() => setConvWinograd4x4Enabled(false));
  afterEach(() => setConvWinograd4x4Enabled(true));

  it('run Conv2D like the cpu kernel and are the path taken', async () => {
    const rng = new SeededRandom(41);
    for (const { x, filter, pad } of CASES) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, forwardAttrs(pad));
      const [winograd, direct] = [calls('winogradForward'), calls('convForward')];
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, forwardAttrs(pad));
      const label = JSON.stringify({ x, filter, pad });
      expect(calls('winogradForward'), label).toBe(winograd + 1);
      expect(calls('convForward'), label).toBe(direct);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('fuse a bias and ReLU into FusedConv2D like cpu', async () => {
    const rng = new SeededRandom(42);
    for (const { x, filter, pad } of CASES) {
      for (const activation of ['linear', 'relu'] as const) {
        const inputs = {
          x: randomHost(rng, x),
          filter: randomHost(rng, filter),
          bias: randomHost(rng, [filter[3]]),
        };
        const attrs = { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, activation } as never;
        const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
        const before = calls('winogradForward');
        const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
        const label = JSON.stringify({ x, filter, pad, activation });
        expect(calls('winogradForward'), label).toBe(before + 1);
        expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
      }
    }
  });

  it('compute input gradients like cpu (the forward kernel on dy, filter rotated)', async () => {
    const rng = new SeededRandom(43);
    // dy's channels are the transform's inputs (rounded up to 4): [3,3,16,6] has 6.
    const cases = [
      ...CASES.filter((c) => c.filter[2] % 8 === 0),
      { x: [2, 8, 8, 16], filter: [3, 3, 16, 6] as Filter, pad: 'same' as Pad },
    ];
    for (const { x, filter, pad } of cases) {
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad);
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filter) };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape: x } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const before = calls('winogradForward');
      const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad });
      expect(calls('winogradForward'), label).toBe(before + 1);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('compute filter gradients like cpu, small images grouped into chunks', async () => {
    const rng = new SeededRandom(44);
    const cases = [
      ...CASES,
      { x: [9, 4, 4, 8], filter: [3, 3, 8, 8] as Filter, pad: 'same' as Pad },
    ];
    for (const { x, filter, pad } of cases) {
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad);
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape: filter } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const [winograd, direct] = [calls('winogradFilterGradient'), calls('convFilterGradient')];
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const again = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad });
      expect(calls('winogradFilterGradient'), label).toBe(winograd + 2);
      expect(calls('convFilterGradient'), label).toBe(direct);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
      expect(again.values, `${label}: deterministic`).toEqual(actual.values);
    }
  });

  it('leave odd outputs, other strides and other filter sizes to the direct kernels', async () => {
    const rng = new SeededRandom(45);
    const others: Array<{ x: number[]; filter: Filter; pad: Pad; strides: number }> = [
      { x: [2, 9, 7, 12], filter: [3, 3, 12, 8], pad: 'same', strides: 1 },
      { x: [2, 12, 12, 8], filter: [3, 3, 8, 16], pad: 'same', strides: 2 },
      { x: [1, 12, 12, 8], filter: [5, 5, 8, 16], pad: 'same', strides: 1 },
      // 2×2 outputs: a single tile, too few for the 4-row register tile.
      { x: [2, 4, 4, 8], filter: [3, 3, 8, 8], pad: 'valid', strides: 1 },
      // 2 input channels would waste half the products.
      { x: [2, 8, 8, 2], filter: [3, 3, 2, 8], pad: 'same', strides: 1 },
    ];
    for (const { x, filter, pad, strides } of others) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1 } as never;
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
      const before = calls('winogradForward');
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad, strides });
      expect(calls('winogradForward'), label).toBe(before);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('keep edge values as cpu does: zeros, huge and tiny magnitudes; NaN and ±∞ inputs go to the direct kernel', async () => {
    const rng = new SeededRandom(46);
    const filter = randomHost(rng, [3, 3, 8, 8]);
    const finite = randomHost(rng, [2, 6, 8, 8]);
    [0, -0, 1e30, -1e30, 1e-30, 3e-39].forEach((value, i) => {
      finite.values[i * 37] = value;
    });
    finite.values.fill(0, 200, 260);
    const before = calls('winogradForward');
    const expectedFinite = await runKernelOn(
      'cpu',
      'Conv2D',
      { x: finite, filter },
      forwardAttrs('same'),
    );
    const actualFinite = await runKernelOn(
      'wasm',
      'Conv2D',
      { x: finite, filter },
      forwardAttrs('same'),
    );
    expect(calls('winogradForward')).toBe(before + 1);
    expectCloseToReference(actualFinite, expectedFinite, 1e-5, 'Conv2D with huge and tiny inputs');
    // The specials sit in image 0; image 1 on its own scale checks the ordinary values too.
    const image = (t: HostTensor) => ({
      shape: [1, ...t.shape.slice(1)],
      values: t.values.slice(t.values.length / 2),
    });
    expectCloseToReference(image(actualFinite), image(expectedFinite), 1e-5, 'Conv2D, image 1');

    for (const special of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const x = { shape: finite.shape, values: finite.values.slice() };
      x.values[77] = special;
      const expected = await runKernelOn('cpu', 'Conv2D', { x, filter }, forwardAttrs('same'));
      const direct = calls('convForward');
      const actual = await runKernelOn('wasm', 'Conv2D', { x, filter }, forwardAttrs('same'));
      expect(calls('convForward'), String(special)).toBe(direct + 1);
      expectCloseToReference(actual, expected, 1e-5, `Conv2D with ${special} in the input`);

      const info = backend_util.computeConv2DInfo(
        x.shape as never,
        filter.shape as Filter,
        1,
        1,
        'same',
      );
      const dy = randomHost(rng, info.outShape);
      const attrs = {
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        filterShape: filter.shape,
      } as never;
      setConvWinogradEnabled(false);
      const directGradient = await runKernelOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      setConvWinogradEnabled(true);
      const directCalls = calls('convFilterGradient');
      const gradient = await runKernelOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(calls('convFilterGradient'), `dw with ${special}`).toBe(directCalls + 1);
      expect(gradient.values).toEqual(directGradient.values);
    }
  });
});

/** 3×3 stride-1 shapes whose outputs are multiples of 4 with at least 4 tiles of 4×4: all take F(4×4, 3×3). */
const CASES_4X4: Array<{ x: number[]; filter: Filter; pad: Pad }> = [
  { x: [2, 8, 8, 16], filter: [3, 3, 16, 16], pad: 'same' },
  { x: [3, 16, 8, 12], filter: [3, 3, 12, 8], pad: 'same' },
  { x: [2, 10, 10, 8], filter: [3, 3, 8, 16], pad: 'valid' },
  { x: [1, 6, 10, 16], filter: [3, 3, 16, 24], pad: 2 },
  {
    x: [2, 9, 7, 8],
    filter: [3, 3, 8, 16],
    pad: [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
  },
  { x: [5, 8, 8, 32], filter: [3, 3, 32, 8], pad: 'same' },
  { x: [2, 8, 16, 64], filter: [3, 3, 64, 64], pad: 'same' },
  // Input channels rounded up to 4 (an RGB stem; 6 and 5 channels).
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 16], pad: 'same' },
  { x: [3, 8, 12, 6], filter: [3, 3, 6, 8], pad: 'same' },
  {
    x: [2, 12, 12, 5],
    filter: [3, 3, 5, 8],
    pad: [
      [0, 0],
      [0, 2],
      [1, 1],
      [0, 0],
    ],
  },
];

/**
 * Random shapes for F(4×4, 3×3): 2–4 × 1–4 tiles of 4×4 (at least 4), 3–64 input
 * channels, 8–32 output channels, explicit paddings of 0–2 rows and columns a side.
 */
function randomCases4x4(rng: SeededRandom, count: number) {
  const cases: Array<{ x: number[]; filter: Filter; pad: Pad }> = [];
  while (cases.length < count) {
    const [tilesH, tilesW] = [2 + rng.int(3), 1 + rng.int(4)];
    if (tilesH * tilesW < 4) continue;
    const [top, bottom, left, right] = [rng.int(3), rng.int(3), rng.int(3), rng.int(3)];
    const C = 3 + rng.int(62);
    const O = 8 * (1 + rng.int(4));
    cases.push({
      x: [1 + rng.int(3), 4 * tilesH + 2 - top - bottom, 4 * tilesW + 2 - left - right, C],
      filter: [3, 3, C, O],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
    });
  }
  return cases;
}

describe('Winograd F(4×4, 3×3) convolutions on wasm', () => {
  const cases = [...CASES_4X4, ...randomCases4x4(new SeededRandom(50), 8)];

  it('run Conv2D like the cpu kernel and are the path taken', async () => {
    const rng = new SeededRandom(51);
    for (const { x, filter, pad } of cases) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, forwardAttrs(pad));
      const before = [calls('winogradForward4x4'), calls('winogradForward'), calls('convForward')];
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, forwardAttrs(pad));
      const label = JSON.stringify({ x, filter, pad });
      expect(
        [calls('winogradForward4x4'), calls('winogradForward'), calls('convForward')],
        label,
      ).toEqual([before[0] + 1, before[1], before[2]]);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('fuse a bias and ReLU into FusedConv2D like cpu', async () => {
    const rng = new SeededRandom(52);
    for (const { x, filter, pad } of cases) {
      for (const activation of ['linear', 'relu'] as const) {
        const inputs = {
          x: randomHost(rng, x),
          filter: randomHost(rng, filter),
          bias: randomHost(rng, [filter[3]]),
        };
        const attrs = { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, activation } as never;
        const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
        const before = calls('winogradForward4x4');
        const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
        const label = JSON.stringify({ x, filter, pad, activation });
        expect(calls('winogradForward4x4'), label).toBe(before + 1);
        expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
      }
    }
  });

  it('compute input gradients like cpu', async () => {
    const rng = new SeededRandom(53);
    // dx's channels are the transform's outputs (a multiple of 8); dy's its inputs, rounded up to 4.
    const gradientCases = [
      ...cases.filter((c) => c.filter[2] % 8 === 0),
      { x: [2, 8, 8, 16], filter: [3, 3, 16, 6] as Filter, pad: 'same' as Pad },
      { x: [1, 12, 8, 16], filter: [3, 3, 16, 5] as Filter, pad: 'same' as Pad },
    ];
    for (const { x, filter, pad } of gradientCases) {
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad as never);
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filter) };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape: x } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const before = [calls('winogradForward4x4'), calls('winogradForward')];
      const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad });
      if (x[1] % 4 === 0 && x[2] % 4 === 0) {
        expect([calls('winogradForward4x4'), calls('winogradForward')], label).toEqual([
          before[0] + 1,
          before[1],
        ]);
      }
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('leave outputs that are not multiples of 4, or of fewer than 4 tiles, to F(2×2, 3×3)', async () => {
    const rng = new SeededRandom(54);
    // At least 128 channel pairs: fewer take the planar input gradient.
    const others: Array<{ x: number[]; filter: Filter; pad: Pad }> = [
      { x: [2, 6, 6, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [2, 8, 6, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [2, 10, 8, 8], filter: [3, 3, 8, 16], pad: 'same' },
      // 4×4 and 4×8 outputs: one or two 4×4 tiles, four or eight 2×2 ones.
      { x: [3, 4, 4, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [1, 4, 8, 16], filter: [3, 3, 16, 8], pad: 'same' },
    ];
    for (const { x, filter, pad } of others) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, forwardAttrs(pad));
      const before = [calls('winogradForward4x4'), calls('winogradForward')];
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, forwardAttrs(pad));
      const label = JSON.stringify({ x, filter, pad });
      expect([calls('winogradForward4x4'), calls('winogradForward')], label).toEqual([
        before[0],
        before[1] + 1,
      ]);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);

      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad as never);
      const gradientInputs = { dy: randomHost(rng, info.outShape), filter: inputs.filter };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape: x } as never;
      const expectedDx = await runKernelOn('cpu', 'Conv2DBackpropInput', gradientInputs, attrs);
      const beforeDx = [calls('winogradForward4x4'), calls('winogradForward')];
      const dx = await runKernelOn('wasm', 'Conv2DBackpropInput', gradientInputs, attrs);
      expect([calls('winogradForward4x4'), calls('winogradForward')], `dx ${label}`).toEqual([
        beforeDx[0],
        beforeDx[1] + 1,
      ]);
      expect(relativeError(dx, expectedDx), `dx ${label}`).toBeLessThan(1e-5);
    }
  });

  /** The filter-gradient paths' call counts: F(4×4, 3×3), F(2×2, 3×3), direct. */
  const gradientPaths = () => [
    calls('winogradFilterGradient4x4'),
    calls('winogradFilterGradient'),
    calls('convFilterGradient'),
  ];

  it('compute filter gradients like cpu, deterministically, in chunks of images', async () => {
    const rng = new SeededRandom(55);
    const gradientCases = [
      ...cases,
      // 128-image batches: 2 and 8 images a chunk, sums over 2048 and 512 tiles.
      { x: [128, 8, 8, 16], filter: [3, 3, 16, 16] as Filter, pad: 'same' as Pad },
      { x: [128, 16, 16, 8], filter: [3, 3, 8, 8] as Filter, pad: 'same' as Pad },
      { x: [9, 8, 8, 8], filter: [3, 3, 8, 8] as Filter, pad: 'same' as Pad },
    ];
    for (const { x, filter, pad } of gradientCases) {
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad as never);
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape: filter } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const before = gradientPaths();
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const again = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad });
      expect(gradientPaths(), label).toEqual([before[0] + 2, before[1], before[2]]);
      expectCloseToReference(actual, expected, 1e-5, label);
      expect(again.values, `${label}: deterministic`).toEqual(actual.values);
    }
  });

  it('take the filter gradients of outputs that are not multiples of 4, or of fewer than 4 tiles, by F(2×2, 3×3)', async () => {
    const rng = new SeededRandom(58);
    const others: Array<{ x: number[]; filter: Filter; pad: Pad }> = [
      { x: [2, 6, 6, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [2, 8, 6, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [2, 10, 8, 8], filter: [3, 3, 8, 16], pad: 'same' },
      { x: [3, 4, 4, 16], filter: [3, 3, 16, 8], pad: 'same' },
      { x: [1, 4, 8, 16], filter: [3, 3, 16, 8], pad: 'same' },
    ];
    for (const { x, filter, pad } of others) {
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, pad as never);
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape: filter } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const before = gradientPaths();
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad });
      expect(gradientPaths(), label).toEqual([before[0], before[1] + 1, before[2]]);
      expectCloseToReference(actual, expected, 1e-5, label);
    }
    // And all of them while F(4×4, 3×3) is off.
    setConvWinograd4x4Enabled(false);
    try {
      const [x, filter] = [[2, 8, 8, 16], [3, 3, 16, 16] as Filter];
      const info = backend_util.computeConv2DInfo(x as never, filter, 1, 1, 'same');
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: filter } as never;
      const before = gradientPaths();
      await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      expect(gradientPaths()).toEqual([before[0], before[1] + 1, before[2]]);
    } finally {
      setConvWinograd4x4Enabled(true);
    }
  });

  it('keep filter-gradient edge values as cpu does; NaN and ±∞ in x or dy go to the direct kernel', async () => {
    const rng = new SeededRandom(59);
    const shape = [2, 8, 8, 8];
    const finite = randomHost(rng, shape);
    [0, -0, 1e15, -1e15, 1e-30, 3e-39, -1e-40].forEach((value, i) => {
      finite.values[i * 37] = value;
    });
    finite.values.fill(0, 200, 300);
    const dyFinite = randomHost(rng, shape);
    dyFinite.values.fill(0, 500, 600);
    const attrs = {
      strides: 1,
      pad: 'same',
      dataFormat: 'NHWC',
      filterShape: [3, 3, 8, 8],
    } as never;
    const inputs = { x: finite, dy: dyFinite };
    const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const before = gradientPaths();
    const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    expect(gradientPaths()).toEqual([before[0] + 1, before[1], before[2]]);
    expectCloseToReference(actual, expected, 1e-5, 'F(4×4) dw with huge and tiny inputs');

    for (const special of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const [input, at] of [
        ['x', 77],
        ['x', 1023],
        ['dy', 0],
        ['dy', 600],
      ] as const) {
        const values = { x: finite.values.slice(), dy: dyFinite.values.slice() };
        values[input][at] = special;
        const host = { x: { shape, values: values.x }, dy: { shape, values: values.dy } };
        setConvWinogradEnabled(false);
        const direct = await runKernelOn('wasm', 'Conv2DBackpropFilter', host, attrs);
        setConvWinogradEnabled(true);
        const paths = gradientPaths();
        const gradient = await runKernelOn('wasm', 'Conv2DBackpropFilter', host, attrs);
        const label = `${special} in ${input} at ${at}`;
        expect(gradientPaths(), label).toEqual([paths[0] + 1, paths[1], paths[2] + 1]);
        expect(gradient.values, label).toEqual(direct.values);
      }
    }
  });

  it('keep edge values as cpu does: zeros, huge and tiny magnitudes; NaN and ±∞ inputs go to the direct kernel', async () => {
    const rng = new SeededRandom(56);
    const filter = randomHost(rng, [3, 3, 8, 8]);
    const finite = randomHost(rng, [2, 8, 8, 8]);
    [0, -0, 1e30, -1e30, 1e-30, 3e-39, -1e-40].forEach((value, i) => {
      finite.values[i * 37] = value;
    });
    finite.values.fill(0, 200, 300);
    const before = calls('winogradForward4x4');
    const attrs = forwardAttrs('same');
    const expectedFinite = await runKernelOn('cpu', 'Conv2D', { x: finite, filter }, attrs);
    const actualFinite = await runKernelOn('wasm', 'Conv2D', { x: finite, filter }, attrs);
    expect(calls('winogradForward4x4')).toBe(before + 1);
    expectCloseToReference(actualFinite, expectedFinite, 1e-5, 'F(4×4) with huge and tiny inputs');
    // The specials sit in image 0; image 1 on its own scale checks the ordinary values too.
    const image = (t: HostTensor) => ({
      shape: [1, ...t.shape.slice(1)],
      values: t.values.slice(t.values.length / 2),
    });
    expectCloseToReference(image(actualFinite), image(expectedFinite), 1e-5, 'F(4×4), image 1');

    // A tiny-only image: denormal inputs and products, no flush to zero beyond cpu's.
    const tiny = { shape: [1, 8, 8, 8], values: finite.values.slice(0, 512).map((v) => v * 1e-36) };
    const expectedTiny = await runKernelOn('cpu', 'Conv2D', { x: tiny, filter }, attrs);
    const actualTiny = await runKernelOn('wasm', 'Conv2D', { x: tiny, filter }, attrs);
    expect(calls('winogradForward4x4')).toBe(before + 2);
    expectCloseToReference(actualTiny, expectedTiny, 1e-3, 'F(4×4) with denormal inputs');

    for (const special of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const at of [77, 511, 1000]) {
        const x = { shape: finite.shape, values: finite.values.slice() };
        x.values[at] = special;
        const expected = await runKernelOn('cpu', 'Conv2D', { x, filter }, attrs);
        const direct = calls('convForward');
        const actual = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs);
        expect(calls('convForward'), `${special} at ${at}`).toBe(direct + 1);
        expectCloseToReference(actual, expected, 1e-5, `F(4×4) with ${special} at ${at}`);
      }
    }
  });
});

describe('Winograd filter transforms', () => {
  /** The 1-D F(2, 3) identity on every row and column: G g Gᵀ followed by the 2-D output map. */
  it('give a 2×2 tile of a 3×3 correlation through Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A', () => {
    const rng = new SeededRandom(47);
    const g = Float32Array.from(rng.normalArray(9));
    const d = Array.from(rng.normalArray(16));
    const U = new Float32Array(16);
    winogradFilter(g, U, 0, 1, 1, (a, b) => 3 * a + b, 0, 0);
    const BT = [
      [1, 0, -1, 0],
      [0, 1, 1, 0],
      [0, -1, 1, 0],
      [0, 1, 0, -1],
    ];
    const AT = [
      [1, 1, 1, 0],
      [0, 1, -1, -1],
    ];
    const V = (i: number, j: number) => {
      let sum = 0;
      for (let k = 0; k < 4; k++)
        for (let l = 0; l < 4; l++) sum += BT[i][k] * d[4 * k + l] * BT[j][l];
      return sum;
    };
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 2; x++) {
        let winograd = 0;
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) winograd += AT[y][i] * U[4 * i + j] * V(i, j) * AT[x][j];
        let direct = 0;
        for (let a = 0; a < 3; a++)
          for (let b = 0; b < 3; b++) direct += d[4 * (y + a) + x + b] * g[3 * a + b];
        expect(winograd).toBeCloseTo(direct, 5);
      }
    }
  });

  it('transform a filter of ones for F(4×4, 3×3) into the outer product of G·1 with itself', () => {
    // G [1 1 1]ᵀ = [¼, −½, −⅙, 7/24, ⅛, 1], by hand from G's rows.
    const column = [1 / 4, -1 / 2, -1 / 6, 7 / 24, 1 / 8, 1];
    const U = new Float32Array(36);
    winogradFilter(new Float32Array(9).fill(1), U, 0, 1, 1, (a, b) => 3 * a + b, 0, 0, 1, 4);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) expect(U[6 * i + j]).toBe(Math.fround(column[i] * column[j]));
    }
  });

  it('give a 4×4 tile of a 3×3 correlation through F(4×4, 3×3)', () => {
    const rng = new SeededRandom(57);
    // Two filters, [1, 2] channels: the planes must be laid out [36, inC, outC].
    const g = Float32Array.from(rng.normalArray(18));
    const d = Array.from(rng.normalArray(36));
    const U = new Float32Array(72);
    winogradFilter(g, U, 0, 1, 2, (a, b) => 2 * (3 * a + b), 0, 1, 1, 4);
    const BT = [
      [4, 0, -5, 0, 1, 0],
      [0, -4, -4, 1, 1, 0],
      [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ];
    const AT = [
      [1, 1, 1, 1, 1, 0],
      [0, 1, -1, 2, -2, 0],
      [0, 1, 1, 4, 4, 0],
      [0, 1, -1, 8, -8, 1],
    ];
    const V = (i: number, j: number) => {
      let sum = 0;
      for (let k = 0; k < 6; k++)
        for (let l = 0; l < 6; l++) sum += BT[i][k] * d[6 * k + l] * BT[j][l];
      return sum;
    };
    for (let o = 0; o < 2; o++) {
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < 4; x++) {
          let winograd = 0;
          for (let i = 0; i < 6; i++)
            for (let j = 0; j < 6; j++)
              winograd += AT[y][i] * U[2 * (6 * i + j) + o] * V(i, j) * AT[x][j];
          let direct = 0;
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 3; b++) direct += d[6 * (y + a) + x + b] * g[2 * (3 * a + b) + o];
          expect(winograd).toBeCloseTo(direct, 4);
        }
      }
    }
  });

  it('take Ũ = (A dY Aᵀ) ⊙ (Bᵀ d B) back to the filter gradient through Gᵀ · G', () => {
    const rng = new SeededRandom(48);
    const d = Array.from(rng.normalArray(16));
    const dy = Array.from(rng.normalArray(4));
    const BT = [
      [1, 0, -1, 0],
      [0, 1, 1, 0],
      [0, -1, 1, 0],
      [0, 1, 0, -1],
    ];
    const A = [
      [1, 0],
      [1, 1],
      [1, -1],
      [0, -1],
    ];
    const U = new Float32Array(16);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let v = 0;
        for (let k = 0; k < 4; k++)
          for (let l = 0; l < 4; l++) v += BT[i][k] * d[4 * k + l] * BT[j][l];
        let z = 0;
        for (let k = 0; k < 2; k++)
          for (let l = 0; l < 2; l++) z += A[i][k] * dy[2 * k + l] * A[j][l];
        U[4 * i + j] = v * z;
      }
    }
    const dw = new Float32Array(9);
    winogradFilterGradientBack(U, 0, dw, 0, 1, 1);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let direct = 0;
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 2; x++) direct += d[4 * (y + a) + x + b] * dy[2 * y + x];
        expect(dw[3 * a + b]).toBeCloseTo(direct, 5);
      }
    }
  });
});

describe('Winograd F(4×4, 3×3) filter-gradient back transform', () => {
  it('takes Ũ of ones to Gᵀ 1 1ᵀ G: zero but for the last tap', () => {
    // G's column sums by hand: ¼ − ⅙ − ⅙ + 1/24 + 1/24 = 0, −⅙ + ⅙ + 1/12 − 1/12 = 0,
    // −⅙ − ⅙ + ⅙ + ⅙ + 1 = 1.
    const dw = new Float32Array(9);
    winogradFilterGradientBack(new Float32Array(36).fill(1), 0, dw, 0, 1, 1, 1, 4);
    // float64 leaves ¼ − ⅓ + 1/12 a few ulps off zero.
    [0, 0, 0, 0, 0, 0, 0, 0, 1].forEach((value, t) => {
      expect(Math.abs(dw[t] - value), `tap ${t}`).toBeLessThan(1e-15);
    });
  });

  it('takes Ũ = (A dY Aᵀ) ⊙ (Bᵀ d B) of a 4×4 tile back to its filter gradient', () => {
    const rng = new SeededRandom(60);
    // Two filters, [1, 2] channels: Ũ laid out [36, inC, outC], dw [3, 3, inC, outC].
    const d = Array.from(rng.normalArray(36));
    const dy = [Array.from(rng.normalArray(16)), Array.from(rng.normalArray(16))];
    const BT = [
      [4, 0, -5, 0, 1, 0],
      [0, -4, -4, 1, 1, 0],
      [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ];
    const AT = [
      [1, 1, 1, 1, 1, 0],
      [0, 1, -1, 2, -2, 0],
      [0, 1, 1, 4, 4, 0],
      [0, 1, -1, 8, -8, 1],
    ];
    const U = new Float32Array(72);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let v = 0;
        for (let k = 0; k < 6; k++)
          for (let l = 0; l < 6; l++) v += BT[i][k] * d[6 * k + l] * BT[j][l];
        for (let o = 0; o < 2; o++) {
          let z = 0;
          for (let k = 0; k < 4; k++)
            for (let l = 0; l < 4; l++) z += AT[k][i] * dy[o][4 * k + l] * AT[l][j];
          U[2 * (6 * i + j) + o] = v * z;
        }
      }
    }
    const dw = new Float32Array(18);
    winogradFilterGradientBack(U, 0, dw, 0, 1, 2, 1, 4);
    for (let o = 0; o < 2; o++) {
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          let direct = 0;
          for (let y = 0; y < 4; y++)
            for (let x = 0; x < 4; x++) direct += d[6 * (y + a) + x + b] * dy[o][4 * y + x];
          expect(dw[2 * (3 * a + b) + o]).toBeCloseTo(direct, 3);
        }
      }
    }
  });
});

describe('Winograd kernels and kernel threads', () => {
  // 6 images of 8×8 padded to 10×10, 8 → 8 channels: 16 tiles of 2×2 or 4 of 4×4 an image.
  // Each part's scratch opens with the check sum and the F(4×4) input transform's staging.
  const HEAD = WINOGRAD_HEAD_FLOATS;
  const dims = { N: 6, H: 8, Hp: 10, C: 8, O: 8 };
  const paddedFloats = dims.Hp * dims.Hp * dims.C;
  const at = { P: 1024, U: 1024 + 4 * dims.N * 64 * dims.C, Y: 65536, scratch: 131072 };
  const outputs = dims.N * 64 * dims.O;

  const kernels = [
    { kernel: 'winogradForward', size: 2, planes: 16 },
    { kernel: 'winogradForward4x4', size: 4, planes: 36 },
  ] as const;

  for (const { kernel, size, planes } of kernels) {
    const tilesSide = dims.H / size;
    const tiles = tilesSide * tilesSide;
    /** The arguments of one range of images, `chunk` of them at a time through the scratch. */
    const forwardArgs = (chunk: number) => (n0: number, n1: number, part: number) => {
      const [sFloats, vFloats] = [chunk * paddedFloats + 4, planes * (chunk * tiles * dims.C + 16)];
      const mFloats = planes * (chunk * tiles * dims.O + 16);
      const base = at.scratch + 4 * part * (HEAD + sFloats + vFloats + mFloats);
      const s = base + 4 * HEAD;
      return [
        ...[at.P, at.U, 0, at.Y, n0, n1, dims.H, dims.H, dims.C, 1, 1, dims.Hp, dims.Hp],
        ...[tilesSide, tilesSide, dims.O, 0, 64 * dims.O * 4, 8 * dims.O * 4, dims.O * 4, chunk],
        ...[s, s + 4 * sFloats, s + 4 * (sFloats + vFloats), base],
      ];
    };

    it(`${kernel}: give the same bits whichever threads claim the images, in chunks or not`, () => {
      const memory = new WebAssembly.Memory({ initial: 8, maximum: 16, shared: true });
      const heap = new Float32Array(memory.buffer);
      const rng = new SeededRandom(49);
      heap.set(rng.normalArray(dims.N * dims.H * dims.H * dims.C), at.P / 4);
      heap.set(rng.normalArray(planes * dims.C * dims.O), at.U / 4);
      const single = linkConvFma(memory, true, () => null);
      if (!single) throw new Error('conv-fma did not link');
      const run = (conv: typeof single, chunk: number) => {
        heap.fill(0, at.Y / 4, at.Y / 4 + outputs);
        const parts = runOverImages(
          conv,
          kernel,
          dims.N,
          Number.MAX_SAFE_INTEGER,
          forwardArgs(chunk),
        );
        return { parts, y: heap.slice(at.Y / 4, at.Y / 4 + outputs) };
      };
      const alone = run(single, 1);
      expect(alone.parts).toBe(1);
      expect(alone.y.some((v) => v !== 0)).toBe(true);
      // 6 images in chunks of 4: one full chunk and one of 2.
      expect(run(single, 4).y).toEqual(alone.y);
      const pooled = linkConvFma(memory, true, kernelThreadPoolFactory(1));
      if (!pooled?.threads) throw new Error('no pool thread');
      for (const chunk of [1, 4]) {
        const split = run(pooled, chunk);
        expect(split.parts).toBe(2);
        expect(split.y, `chunk ${chunk}`).toEqual(alone.y);
      }
    });
  }

  it('winogradFilterGradient4x4: sums fixed image ranges, whichever thread runs them', () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 16, shared: true });
    const heap = new Float32Array(memory.buffer);
    const rng = new SeededRandom(61);
    const { N, H, Hp, C, O } = dims;
    heap.set(rng.normalArray(N * H * H * C), at.P / 4);
    const dyAt = at.U;
    heap.set(rng.normalArray(N * H * H * O), dyAt / 4);
    const tiles = 4;
    const planes = 36 * C * O;
    const [sFloats, vFloats, zFloats] = [
      2 * paddedFloats + 4,
      2 * tiles * (36 * C + 16),
      2 * tiles * (36 * O + 16),
    ];
    const partFloats = HEAD + planes + sFloats + vFloats + zFloats;
    const base = (part: number) => at.scratch + 4 * part * partFloats;
    const args = (n0: number, n1: number, part: number) => {
      const b = base(part);
      const sumsAt = b + 4 * HEAD;
      return [
        ...[at.P, dyAt, sumsAt, n0, n1, H, H, C, 1, 1, Hp, Hp, 2, 2, O, 2],
        ...[sumsAt + 4 * planes, sumsAt + 4 * (planes + sFloats)],
        ...[sumsAt + 4 * (planes + sFloats + vFloats), b],
      ];
    };
    const sums = (part: number) =>
      heap.slice(base(part) / 4 + HEAD, base(part) / 4 + HEAD + planes);
    const run = (conv: ConvFma, ranges?: Array<[number, number]>) => {
      heap.fill(0, at.scratch / 4, at.scratch / 4 + 2 * partFloats);
      const seen: Array<[number, number]> = [];
      const parts = runOverImages(
        conv,
        'winogradFilterGradient4x4',
        N,
        Number.MAX_SAFE_INTEGER,
        (n0, n1, part) => {
          const [from, to] = ranges ? ranges[part] : [n0, n1];
          seen.push([from, to]);
          return args(from, to, part);
        },
      );
      return { parts, seen, sums: [sums(0), sums(1)] };
    };
    const single = linkConvFma(memory, true, () => null);
    const pooled = linkConvFma(memory, true, kernelThreadPoolFactory(1));
    if (!single || !pooled?.threads) throw new Error('conv-fma did not link, or no pool thread');
    const split = run(pooled);
    expect(split.parts).toBe(2);
    expect(split.sums[0].some((v) => v !== 0)).toBe(true);
    expect(run(pooled).sums).toEqual(split.sums);
    // Each range's sums on the calling thread alone: the same bits as the pool's.
    const ranges = [...split.seen].sort((a, b) => a[0] - b[0]);
    for (const [part, range] of ranges.entries()) {
      const alone = run(single, [range]);
      expect(alone.sums[0], `images ${range}`).toEqual(split.sums[part]);
    }
  });
});
