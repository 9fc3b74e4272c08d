import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backend_util } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { kernelThreadPoolFactory } from '../../backend/kernel-thread-pool';
import { SeededRandom } from '../../random/seeded-random';
import { type ConvFmaExports, convFmaCalls, linkConvFma, runOverImages } from './conv-fma';
import { setConvWinogradEnabled } from './conv-winograd-ops';
import {
  expectCloseToReference,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

type Filter = [number, number, number, number];
type Pad = 'same' | 'valid' | number;

/** Shapes the register-blocked kernels take (forward from 4 input channels; filter gradient channels rounded up to 4 from 3), output channels a multiple of 8, at least 4 output columns. */
const FORWARD_CASES: Array<{ x: number[]; filter: Filter; strides: number; pad: Pad }> = [
  { x: [2, 8, 8, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [3, 9, 7, 12], filter: [3, 3, 12, 8], strides: 1, pad: 'same' },
  { x: [1, 12, 10, 9], filter: [5, 5, 9, 24], strides: 1, pad: 'valid' },
  { x: [2, 11, 13, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 8], filter: [1, 1, 8, 8], strides: 2, pad: 'valid' },
  { x: [1, 6, 6, 10], filter: [2, 4, 10, 16], strides: 1, pad: 2 },
  { x: [4, 5, 4, 32], filter: [3, 3, 32, 8], strides: 1, pad: 'same' },
];

function calls(kernel: keyof ConvFmaExports): number {
  return convFmaCalls()[kernel];
}

describe('register-blocked convolutions on wasm (conv-fma)', () => {
  // The direct kernels' own paths: 3×3 stride-1 shapes would otherwise go to Winograd
  // (conv-winograd.test.ts).
  beforeAll(() => setConvWinogradEnabled(false));
  afterAll(() => setConvWinogradEnabled(true));

  it('run Conv2D like the cpu kernel on shapes they take, and are the path taken', async () => {
    const rng = new SeededRandom(21);
    for (const { x, filter, strides, pad } of FORWARD_CASES) {
      const inputs = { x: randomHost(rng, x), filter: randomHost(rng, filter) };
      const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1 } as never;
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
      const before = calls('convForward');
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
      const label = JSON.stringify({ x, filter, strides, pad });
      expect(calls('convForward'), label).toBe(before + 1);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('fuse a bias and ReLU into FusedConv2D like tf.fused.conv2d on cpu', async () => {
    const rng = new SeededRandom(22);
    for (const { x, filter, strides, pad } of FORWARD_CASES) {
      for (const activation of ['linear', 'relu'] as const) {
        const inputs = {
          x: randomHost(rng, x),
          filter: randomHost(rng, filter),
          bias: randomHost(rng, [filter[3]]),
        };
        const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, activation } as never;
        const expected = await runKernelOn('cpu', 'FusedConv2D', inputs, attrs);
        const before = calls('convForward');
        const actual = await runKernelOn('wasm', 'FusedConv2D', inputs, attrs);
        const label = JSON.stringify({ x, filter, strides, pad, activation });
        expect(calls('convForward'), label).toBe(before + 1);
        expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
      }
    }
  });

  it('compute filter gradients like the cpu kernel (channels a multiple of 4, strides 1 and 2)', async () => {
    const rng = new SeededRandom(23);
    for (const { x, filter, strides, pad } of FORWARD_CASES.filter((c) => c.filter[2] % 4 === 0)) {
      const info = backend_util.computeConv2DInfo(x as never, filter, strides, 1, pad);
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      const attrs = { strides, pad, dataFormat: 'NHWC', filterShape: filter } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const before = calls('convFilterGradient');
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({ x, filter, strides, pad });
      expect(calls('convFilterGradient'), label).toBe(before + 1);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('compute filter gradients of 3–7 input channels with the channels rounded up to 4 (LeNet-5 conv2), edge values kept', async () => {
    const rng = new SeededRandom(29);
    const cases: Array<{ x: number[]; filter: Filter; strides: number; pad: Pad }> = [
      { x: [4, 12, 12, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
      { x: [2, 9, 7, 3], filter: [3, 3, 3, 8], strides: 2, pad: 'same' },
      { x: [2, 8, 9, 5], filter: [4, 2, 5, 16], strides: 1, pad: 1 },
      { x: [3, 6, 6, 7], filter: [3, 3, 7, 8], strides: 1, pad: 'valid' },
    ];
    for (const [k, { x, filter, strides, pad }] of cases.entries()) {
      const info = backend_util.computeConv2DInfo(x as never, filter, strides, 1, pad);
      const inputs = { x: randomHost(rng, x), dy: randomHost(rng, info.outShape) };
      if (k === 0) {
        // Valid padding: a non-finite input reaches exactly the sums cpu's reaches.
        [0, -0, 1e30, -1e-30, 3e-39, Number.NaN, Number.POSITIVE_INFINITY].forEach((v, i) => {
          inputs.x.values[i * 101 + 5] = v;
        });
        inputs.dy.values[77] = 1e30;
      }
      const attrs = { strides, pad, dataFormat: 'NHWC', filterShape: filter } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const before = calls('convFilterGradient');
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({ x, filter, strides, pad });
      expect(calls('convFilterGradient'), label).toBe(before + 1);
      expectCloseToReference(actual, expected, 1e-5, label);
    }
  });

  it('compute input gradients like the cpu kernel (strides 1–3 phase by phase, input channels a multiple of 8, more channels than the planar path takes)', async () => {
    const rng = new SeededRandom(24);
    const cases: Array<{ x: number[]; filter: Filter; pad: Pad; strides?: number }> = [
      { x: [2, 16, 16, 16], filter: [3, 3, 16, 32], pad: 'same', strides: 2 },
      { x: [2, 17, 15, 8], filter: [3, 3, 8, 16], pad: 'same', strides: 2 },
      { x: [2, 16, 16, 16], filter: [1, 1, 16, 32], pad: 'valid', strides: 2 },
      { x: [1, 20, 14, 8], filter: [5, 5, 8, 16], pad: 'valid', strides: 3 },
      { x: [2, 12, 12, 8], filter: [4, 4, 8, 16], pad: 1, strides: 2 },
      { x: [2, 8, 8, 16], filter: [3, 3, 16, 16], pad: 'same' },
      { x: [3, 9, 7, 8], filter: [3, 3, 8, 16], pad: 'same' },
      { x: [1, 12, 10, 24], filter: [5, 5, 24, 8], pad: 'valid' },
      { x: [2, 6, 6, 16], filter: [2, 4, 16, 8], pad: 1 },
    ];
    for (const { x, filter, pad, strides = 1 } of cases) {
      const info = backend_util.computeConv2DInfo(x as never, filter, strides, 1, pad);
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filter) };
      const attrs = { strides, pad, dataFormat: 'NHWC', inputShape: x } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const before = calls('convForward');
      const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      const label = JSON.stringify({ x, filter, pad, strides });
      // One call per phase that has taps: s² for filters at least s wide, fewer for 1×1 at stride 2.
      const phases = Math.min(strides, filter[0]) * Math.min(strides, filter[1]);
      expect(calls('convForward'), label).toBe(before + phases);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
    }
  });

  it('keep edge values as cpu does: zeros, huge and tiny magnitudes, NaN and ±∞ in the input', async () => {
    const rng = new SeededRandom(25);
    const x = randomHost(rng, [2, 6, 7, 8]);
    const specials = [0, -0, 1e30, -1e30, 1e-30, 3e-39, Number.NaN, Number.POSITIVE_INFINITY];
    specials.forEach((value, i) => {
      x.values[i * 37] = value;
    });
    x.values.fill(0, 200, 260);
    const filter = randomHost(rng, [3, 3, 8, 8]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 } as never;
    const expected = await runKernelOn('cpu', 'Conv2D', { x, filter }, attrs);
    const actual = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs);
    expectCloseToReference(actual, expected, 1e-5, 'Conv2D with special inputs');
  });

  it('leave filters with a NaN or ±∞ tap to XNNPACK, which skips the border as cpu does', async () => {
    const rng = new SeededRandom(26);
    const x = randomHost(rng, [1, 5, 6, 8]);
    const filter = randomHost(rng, [3, 3, 8, 8]);
    filter.values[0] = Number.NaN;
    filter.values[100] = Number.NEGATIVE_INFINITY;
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 } as never;
    const expected = await runKernelOn('cpu', 'Conv2D', { x, filter }, attrs);
    const before = calls('convForward');
    const actual = await runKernelOn('wasm', 'Conv2D', { x, filter }, attrs);
    expect(calls('convForward')).toBe(before);
    expectCloseToReference(actual, expected, 1e-5, 'Conv2D with a non-finite filter');
  });

  it('run forward convolutions from 4 input channels (LeNet-5 conv2) and leave fewer to XNNPACK', async () => {
    const rng = new SeededRandom(28);
    for (const [channels, taken] of [
      [6, true],
      [4, true],
      [3, false],
    ] as const) {
      const inputs = {
        x: randomHost(rng, [2, 12, 12, channels]),
        filter: randomHost(rng, [5, 5, channels, 16]),
      };
      const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 } as never;
      const expected = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
      const before = calls('convForward');
      const actual = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
      expect(calls('convForward'), `${channels} channels`).toBe(before + (taken ? 1 : 0));
      expect(relativeError(actual, expected), `${channels} channels`).toBeLessThan(1e-5);
    }
  });

  it('pad images into rounded-up channels with zeros in the extra ones (1–7 channels)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const conv = linkConvFma(memory, false, () => null);
    if (!conv) throw new Error('conv-fma did not link');
    const heap = new Float32Array(memory.buffer);
    const rng = new SeededRandom(30);
    for (const C of [1, 3, 5, 6, 7]) {
      const [N, H, W, top, left, Hp, Wp] = [2, 3, 4, 1, 2, 6, 7];
      const Cp = Math.ceil(C / 4) * 4;
      const X = 1024;
      const P = 8192;
      // The source is followed by values the copy must not carry over, the target by garbage to clear.
      heap.fill(Number.NaN, X / 4, X / 4 + N * H * W * C + 8);
      heap.set(rng.normalArray(N * H * W * C), X / 4);
      heap.fill(7, P / 4, P / 4 + N * Hp * Wp * Cp);
      conv.kernels.padImages(X, P, 0, N, H, W, C, Cp, Hp, Wp, top, left);
      for (let n = 0; n < N; n++)
        for (let i = 0; i < Hp; i++)
          for (let j = 0; j < Wp; j++)
            for (let c = 0; c < Cp; c++) {
              const [r, q] = [i - top, j - left];
              const inside = r >= 0 && r < H && q >= 0 && q < W && c < C;
              const want = inside ? heap[X / 4 + ((n * H + r) * W + q) * C + c] : 0;
              expect(
                heap[P / 4 + ((n * Hp + i) * Wp + j) * Cp + c],
                `C ${C} at ${[n, i, j, c]}`,
              ).toBe(want);
            }
    }
  });

  it('fuse multiply-adds in Node once initBackend ran (relaxed SIMD enabled)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(linkConvFma(memory, true)?.fused).toBe(true);
  });
});

/** A JS reference of the forward kernel on a standalone heap. */
function referenceForward(
  heap: Float32Array,
  at: { P: number; W: number; Y: number },
  dims: { N: number; H: number; C: number; O: number; k: number },
): Float32Array {
  const { N, H, C, O, k } = dims;
  const out = H - k + 1;
  const y = new Float32Array(N * out * out * O);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < out; i++)
      for (let j = 0; j < out; j++)
        for (let o = 0; o < O; o++) {
          let sum = 0;
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++)
              for (let c = 0; c < C; c++)
                sum +=
                  heap[at.P / 4 + ((n * H + i + a) * H + j + b) * C + c] *
                  heap[at.W / 4 + ((a * k + b) * C + c) * O + o];
          y[((n * out + i) * out + j) * O + o] = sum;
        }
  return y;
}

describe('conv-fma builds and kernel threads', () => {
  const dims = { N: 6, H: 9, C: 5, O: 16, k: 3 };
  const out = dims.H - dims.k + 1;
  const at = { P: 1024, W: 1024 + 8192, Y: 1024 + 16384 };

  function fill(memory: WebAssembly.Memory): Float32Array {
    const heap = new Float32Array(memory.buffer);
    const rng = new SeededRandom(27);
    heap.set(rng.normalArray(dims.N * dims.H * dims.H * dims.C), at.P / 4);
    heap.set(rng.normalArray(dims.k * dims.k * dims.C * dims.O), at.W / 4);
    return heap;
  }

  const forwardArgs = (n0: number, n1: number) => [
    at.P,
    at.W,
    0,
    at.Y,
    n0,
    n1,
    dims.H,
    dims.H,
    dims.C,
    out,
    out,
    dims.O,
    dims.k,
    dims.k,
    1,
    1,
    0,
    out * out * dims.O * 4,
    out * dims.O * 4,
    dims.O * 4,
  ];

  it('agree with a JavaScript reference in all four builds (FMA or mul+add, shared heap or not)', () => {
    for (const fused of [true, false]) {
      for (const shared of [true, false]) {
        const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared });
        const heap = fill(memory);
        const conv = linkConvFma(memory, fused);
        expect(conv, JSON.stringify({ fused, shared })).not.toBeNull();
        conv?.kernels.convForward(
          ...(forwardArgs(0, dims.N) as Parameters<ConvFmaExports['convForward']>),
        );
        const expected = referenceForward(heap, at, dims);
        const actual = heap.subarray(at.Y / 4, at.Y / 4 + expected.length);
        let maxDiff = 0;
        for (let i = 0; i < expected.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
        expect(maxDiff, JSON.stringify({ fused, shared })).toBeLessThan(1e-4);
      }
    }
  });

  it('split images over a pool thread with the same result, bit for bit', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared: true });
    const heap = fill(memory);
    const single = linkConvFma(memory, true, () => null);
    if (!single) throw new Error('conv-fma did not link');
    expect(runOverImages(single, 'convForward', dims.N, Number.MAX_SAFE_INTEGER, forwardArgs)).toBe(
      1,
    );
    const alone = heap.slice(at.Y / 4, at.Y / 4 + dims.N * out * out * dims.O);
    heap.fill(0, at.Y / 4, at.Y / 4 + alone.length);
    const pooled = linkConvFma(memory, true, kernelThreadPoolFactory(1));
    if (!pooled?.threads) throw new Error('no pool thread');
    expect(runOverImages(pooled, 'convForward', dims.N, Number.MAX_SAFE_INTEGER, forwardArgs)).toBe(
      2,
    );
    expect(heap.slice(at.Y / 4, at.Y / 4 + alone.length)).toEqual(alone);
    // Below the threading threshold the calling thread runs alone.
    expect(runOverImages(pooled, 'convForward', dims.N, 1000, forwardArgs)).toBe(1);
  });

  it('report a trap on a pool thread as an error on the calling thread', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared: true });
    const pooled = linkConvFma(memory, true, kernelThreadPoolFactory(1));
    // An output address past the heap's end: the pool thread's instance traps.
    const args = forwardArgs(0, 1);
    args[3] = 1 << 30;
    const join = pooled?.threads?.start('convForward', [args]);
    expect(join).toBeDefined();
    expect(() => join?.()).toThrow(/convForward trapped/);
  });

  it('are assembled from the current generator (scripts/assemble-conv-fma.mjs --check)', () => {
    const script = join(
      dirname(fileURLToPath(import.meta.url)),
      '../../../scripts/assemble-conv-fma.mjs',
    );
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toMatch(
      /up to date/,
    );
  });
});
