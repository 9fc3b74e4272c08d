import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertNoLeaks, type BackendName, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxFilter } from '../filter/box-filter';
import { medianFilter } from '../filter/median-filter';
import { authorsWidthRuleSigma } from '../kernel/authors-width-rule';
import type { PaperBlockOptions } from '../options/paper-block-options';
import { gaussianSmooth } from '../smoothing/gaussian-smooth';
import { centralDifferences, maxRelativeError } from '../testing/finite-differences';
import { PaperSmoothingBlock, paperSmoothingBlock } from './paper-smoothing-block';

const dir = mkdtempSync(join(tmpdir(), 'paper-block-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hostData = (shape: number[], seed: number) =>
  Float32Array.from(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)));
/** Distinct values at least 0.05 apart (ranks of normals), so a finite-difference step never reorders a median window. */
const separated = (shape: number[], seed: number) => {
  const raw = hostData(shape, seed);
  const order = Array.from(raw.keys()).sort((a, b) => raw[a] - raw[b]);
  const out = new Float32Array(raw.length);
  order.forEach((k, rank) => {
    out[k] = (rank - raw.length / 2) * 0.05;
  });
  return out;
};
const input = (shape: [number, number, number, number], seed: number) =>
  tf.tensor4d(hostData(shape, seed), shape);

const FILTERS: PaperBlockOptions[] = [
  { filter: 'gaussian' },
  { filter: 'gaussian', sigma: 0.7 },
  { filter: 'mean' },
  { filter: 'median' },
  { filter: 'median', padding: 'reflect' },
];

/** A built block with its 1×1 weights and bias read back. */
function builtBlock(options: PaperBlockOptions, shape: [number, number, number, number]) {
  const block = new PaperSmoothingBlock(options);
  tf.dispose(block.apply(tf.zeros(shape)) as tf.Tensor); // builds
  const [kernel, bias] = block.getWeights();
  return { block, kernel: kernel.dataSync(), bias: bias.dataSync() };
}

describe('PaperSmoothingBlock', () => {
  it("the authors' width rule: σ = 0.3·((W − 1)·0.5 − 1) + 0.8, 2.15 for W = 12", () => {
    expect(authorsWidthRuleSigma(12)).toBeCloseTo(2.15, 12);
    expect(authorsWidthRuleSigma(32)).toBeCloseTo(5.15, 12);
    expect(authorsWidthRuleSigma(56)).toBeCloseTo(8.75, 12);
    const block = new PaperSmoothingBlock();
    expect(block.sigmaForWidth(12)).toBeCloseTo(2.15, 12);
    expect(new PaperSmoothingBlock({ sigma: 0.7 }).sigmaForWidth(12)).toBe(0.7);
    expect(new PaperSmoothingBlock({ filter: 'mean' }).sigmaForWidth(12)).toBeNull();
  });

  it('defaults: 3×3 Gaussian, σ by the width rule, reflect; median zero-pads as kornia; PyTorch init', () => {
    expect(new PaperSmoothingBlock().getConfig()).toMatchObject({
      filter: 'gaussian',
      kernelSize: 3,
      sigma: 'authors-width-rule',
      padding: 'reflect',
      init: 'pytorch-default',
      seed: 0,
    });
    expect(new PaperSmoothingBlock({ filter: 'mean' }).getConfig()).toMatchObject({
      padding: 'reflect',
    });
    const median = new PaperSmoothingBlock({ filter: 'median' }).getConfig();
    expect(median).toMatchObject({ padding: 'same' });
    expect(median).not.toHaveProperty('sigma');
    expect(PaperSmoothingBlock.className).toBe('PaperSmoothingBlock');
  });

  it('rejects bad options with the accepted values', () => {
    expect(() => new PaperSmoothingBlock({ filter: 'bilateral' as 'mean' })).toThrow(
      /gaussian, mean, median/,
    );
    expect(() => new PaperSmoothingBlock({ filter: 'mean', sigma: 1 })).toThrow(/gaussian' only/);
    expect(() => new PaperSmoothingBlock({ kernelSize: 4 })).toThrow(/odd integer/);
    expect(() => new PaperSmoothingBlock({ sigma: -1 })).toThrow(/authors-width-rule/);
    expect(() => new PaperSmoothingBlock({ init: 'xavier' as 'pytorch-default' })).toThrow(
      /pytorch-default, he-normal-fan-out/,
    );
    expect(() =>
      tfl.sequential({ layers: [new PaperSmoothingBlock({ inputShape: [1, 6, 4] })] }),
    ).toThrow(/reflect padding by 1.*1×6/);
  });

  it('computes x + W ⋆ filter(x) + b, with the width-rule σ for the Gaussian', () => {
    const shape: [number, number, number, number] = [2, 12, 12, 6];
    const x = input(shape, 1);
    for (const options of FILTERS) {
      const { block, kernel, bias } = builtBlock(options, shape);
      const y = block.apply(x) as tf.Tensor;
      const filtered =
        options.filter === 'mean'
          ? boxFilter(x, 3, 'reflect')
          : options.filter === 'median'
            ? medianFilter(x, 3, options.padding ?? 'same')
            : gaussianSmooth(x, (options.sigma as number | undefined) ?? 2.15, 3, 'reflect');
      // the 1×1 convolution by hand: y[p, o] = x[p, o] + Σ_c f[p, c]·W[c, o] + b[o]
      const f = filtered.dataSync();
      const xs = x.dataSync();
      const expected = new Float64Array(xs.length);
      for (let p = 0; p < xs.length / 6; p++) {
        for (let o = 0; o < 6; o++) {
          let s = xs[p * 6 + o] + bias[o];
          for (let c = 0; c < 6; c++) s += f[p * 6 + c] * kernel[c * 6 + o];
          expected[p * 6 + o] = s;
        }
      }
      expect(y.shape).toEqual(shape);
      expect(maxRelativeError(y.dataSync(), expected), JSON.stringify(options)).toBeLessThan(1e-5);
      expect(block.countParams()).toBe(6 * 6 + 6);
      tf.dispose([y, filtered]);
      block.dispose();
    }
    x.dispose();
  });

  it('a constant map c goes to c + c·Σ_c W[c, o] + b[o] (the filters keep constants; reflect)', () => {
    const shape: [number, number, number, number] = [1, 12, 12, 6];
    const c = tf.fill(shape, 0.8) as tf.Tensor4D;
    for (const options of [
      { filter: 'gaussian' },
      { filter: 'mean' },
      { filter: 'median', padding: 'reflect' },
    ] as PaperBlockOptions[]) {
      const { block, kernel, bias } = builtBlock(options, shape);
      const y = (block.apply(c) as tf.Tensor).dataSync();
      for (let o = 0; o < 6; o++) {
        let column = 0;
        for (let ch = 0; ch < 6; ch++) column += kernel[ch * 6 + o];
        const expected = 0.8 + 0.8 * column + bias[o];
        for (let p = 0; p < 144; p++) expect(y[p * 6 + o]).toBeCloseTo(expected, 5);
      }
      block.dispose();
    }
    c.dispose();
  });

  it('input and 1×1-weight gradients match central finite differences, every filter', () => {
    const shape: [number, number, number, number] = [1, 5, 6, 3];
    const values = separated(shape, 2);
    const target = tf.tensor4d(hostData(shape, 3), shape);
    for (const options of FILTERS) {
      const block = paperSmoothingBlock(options);
      const x = tf.tensor4d(values, shape);
      block.apply(x);
      const loss = (v: tf.Tensor) =>
        tf.sum(tf.mul(target, tf.square(block.apply(v) as tf.Tensor))) as tf.Scalar;
      const what = JSON.stringify(options);
      // input
      const gx = tf.grad(loss)(x);
      const lossAtX = (v: Float32Array) => tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
      const fdX = centralDifferences(lossAtX, values, 1e-3);
      expect(maxRelativeError(gx.dataSync(), fdX), `${what} input`).toBeLessThan(2e-2);
      // kernel [1, 1, 3, 3] and bias [3]
      const [kernelVar, biasVar] = block.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads, value } = tf.variableGrads(() => loss(x), [kernelVar, biasVar]);
      for (const [i, v] of [kernelVar, biasVar].entries()) {
        const start = Float32Array.from(v.dataSync());
        const lossAtW = (w: Float32Array) => {
          v.assign(tf.tensor(w, v.shape));
          return tf.tidy(() => loss(x)).dataSync()[0];
        };
        const fd = centralDifferences(lossAtW, start, 1e-2);
        v.assign(tf.tensor(start, v.shape));
        expect(maxRelativeError(grads[v.name].dataSync(), fd), `${what} weight ${i}`).toBeLessThan(
          5e-3,
        );
      }
      tf.dispose([x, gx, value, ...Object.values(grads)]);
      block.dispose();
    }
    target.dispose();
  });

  it("initialises the 1×1 convolution as PyTorch: U(±1/√C), or the authors' N(0, 2/C) for WRN/ResNet", () => {
    const shape: [number, number, number, number] = [1, 4, 4, 64];
    const stats = (v: ArrayLike<number>) => {
      const a = Array.from(v);
      const mean = a.reduce((s, t) => s + t, 0) / a.length;
      const sd = Math.sqrt(a.reduce((s, t) => s + (t - mean) ** 2, 0) / a.length);
      return { max: Math.max(...a.map(Math.abs)), sd };
    };
    const uniform = builtBlock({}, shape);
    const u = stats(uniform.kernel);
    expect(u.max).toBeLessThanOrEqual(1 / 8);
    expect(u.max).toBeGreaterThan(0.99 / 8);
    expect(u.sd).toBeCloseTo(1 / 8 / Math.sqrt(3), 2); // sd of U(−a, a) is a/√3
    expect(stats(uniform.bias).max).toBeLessThanOrEqual(1 / 8);
    const normal = builtBlock({ init: 'he-normal-fan-out' }, shape);
    expect(stats(normal.kernel).sd / Math.sqrt(2 / 64)).toBeGreaterThan(0.95);
    expect(stats(normal.kernel).sd / Math.sqrt(2 / 64)).toBeLessThan(1.05);
    expect(stats(normal.kernel).max).toBeGreaterThan(2.5 * Math.sqrt(2 / 64)); // not truncated
    const again = builtBlock({}, shape);
    const other = builtBlock({ seed: 1 }, shape);
    expect(Array.from(again.kernel)).toEqual(Array.from(uniform.kernel));
    expect(Array.from(other.kernel)).not.toEqual(Array.from(uniform.kernel));
    [uniform, normal, again, other].forEach((b) => b.block.dispose());
  });

  it('save("file://…") and tf.loadLayersModel keep the block, its config, weights and outputs', async () => {
    for (const options of FILTERS) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            name: 'conv',
            inputShape: [12, 12, 1],
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
          }),
          new PaperSmoothingBlock({ name: 'block', ...options, seed: 5 }),
          tfl.layers.flatten({ name: 'flatten' }),
          tfl.layers.dense({
            name: 'out',
            units: 3,
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
          }),
        ],
      });
      const folder = join(dir, `model-${FILTERS.indexOf(options)}`);
      await model.save(`file://${folder}`);
      const loaded = await tfl.loadLayersModel(`file://${folder}`);
      const layer = loaded.getLayer('block');
      expect(layer).toBeInstanceOf(PaperSmoothingBlock);
      expect(layer.getConfig()).toEqual(model.getLayer('block').getConfig());
      const x = input([2, 12, 12, 1], 4);
      const [a, b] = [model.predict(x), loaded.predict(x)] as tf.Tensor[];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    }
  });

  it('leaks no tensors when applied or differentiated', async () => {
    const x = input([2, 8, 8, 3], 6);
    for (const options of FILTERS) {
      const block = new PaperSmoothingBlock(options);
      tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(block.apply(v) as tf.Tensor))(x)); // builds, fills caches
      await assertNoLeaks(() => block.apply(x), `${options.filter} forward`);
      await assertNoLeaks(
        () => tf.grad((v: tf.Tensor) => tf.sum(block.apply(v) as tf.Tensor))(x),
        `${options.filter} backward`,
      );
      block.dispose();
    }
    x.dispose();
  });

  it('wasm and cpu agree: forward, input gradient and 1×1-weight gradient, every filter', async () => {
    const shape: [number, number, number, number] = [2, 12, 12, 6];
    const run = async (backend: BackendName) => {
      await initBackend({ backend, log: () => {} });
      const x = tf.tensor4d(hostData(shape, 7), shape);
      const w = tf.tensor4d(hostData(shape, 8), shape);
      const out: Float32Array[] = [];
      for (const options of FILTERS) {
        const block = new PaperSmoothingBlock(options);
        const loss = (v: tf.Tensor) => tf.sum(tf.mul(w, tf.square(block.apply(v) as tf.Tensor)));
        const y = block.apply(x) as tf.Tensor;
        const gx = tf.grad(loss)(x);
        const kernel = block.trainableWeights[0].read() as tf.Variable;
        const { grads, value } = tf.variableGrads(() => loss(x) as tf.Scalar, [kernel]);
        out.push(...[y, gx, grads[kernel.name]].map((t) => Float32Array.from(t.dataSync())));
        tf.dispose([y, gx, value, ...Object.values(grads)]);
        block.dispose();
      }
      tf.dispose([x, w]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    await initBackend({ backend: 'cpu', log: () => {} });
    cpu.forEach((c, i) => expect(maxRelativeError(wasm[i], c), `array ${i}`).toBeLessThan(1e-4));
  });
});
