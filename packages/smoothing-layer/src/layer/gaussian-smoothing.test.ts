import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertNoLeaks, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smoothFeatureMap } from '../smoothing/smooth-feature-map';
import { GaussianSmoothing, gaussianSmoothing } from './gaussian-smoothing';

const dir = mkdtempSync(join(tmpdir(), 'smoothing-layer-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyModel(args: ConstructorParameters<typeof GaussianSmoothing>[0]): tfl.LayersModel {
  return tfl.sequential({
    name: 'tiny',
    layers: [
      tfl.layers.conv2d({
        name: 'conv',
        inputShape: [8, 8, 1],
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      new GaussianSmoothing({ name: 'smooth', ...args }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({
        name: 'out',
        units: 2,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
}

const input = (seed: number, shape = [2, 8, 8, 1]) =>
  tf.tensor(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape);

describe('GaussianSmoothing layer', () => {
  it('keeps the shape and computes smoothFeatureMap', () => {
    const layer = gaussianSmoothing({ sigma: 1.2, padding: 'replicate' });
    const x = input(1, [2, 9, 7, 3]);
    const y = layer.apply(x) as tf.Tensor;
    const expected = smoothFeatureMap(x as tf.Tensor4D, { sigma: 1.2, padding: 'replicate' });
    expect(y.shape).toEqual([2, 9, 7, 3]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(layer.computeOutputShape([null, 9, 7, 3])).toEqual([null, 9, 7, 3]);
    expect(layer.countParams()).toBe(0);
    tf.dispose([x, y, expected]);
  });

  it('resolves defaults into its config (sigma 1, kernelSize 5, reflect, fixed)', () => {
    const config = new GaussianSmoothing().getConfig();
    expect(config).toMatchObject({
      sigma: 1,
      kernelSize: 5,
      padding: 'reflect',
      trainableSigma: false,
    });
    expect(GaussianSmoothing.className).toBe('GaussianSmoothing');
  });

  it('rejects a non-4-D input and a map too small for reflect padding', () => {
    expect(() => tfl.sequential({ layers: [new GaussianSmoothing({ inputShape: [10] })] })).toThrow(
      /\[batch, height, width, channels\]/,
    );
    expect(() =>
      tfl.sequential({ layers: [new GaussianSmoothing({ inputShape: [2, 8, 2], sigma: 1 })] }),
    ).toThrow(/reflect padding by 2.*2×8/);
    expect(() => new GaussianSmoothing({ sigma: 0, trainableSigma: true })).toThrow(
      /initial sigma must be > 0/,
    );
  });

  it('save("file://…") and tf.loadLayersModel round-trip the layer, its config and outputs', async () => {
    for (const args of [
      { sigma: 1.5, padding: 'replicate' as const },
      { sigma: 0.8, trainableSigma: true },
    ]) {
      const model = tinyModel(args);
      const folder = join(dir, `tiny-${args.sigma}`);
      await model.save(`file://${folder}`);
      const loaded = await tfl.loadLayersModel(`file://${folder}`);
      const layer = loaded.getLayer('smooth');
      expect(layer).toBeInstanceOf(GaussianSmoothing);
      expect(layer.getConfig()).toEqual(model.getLayer('smooth').getConfig());
      const x = input(2);
      const [a, b] = [model.predict(x), loaded.predict(x)] as tf.Tensor[];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    }
  });

  it('trainable σ: one weight log_sigma, its gradient matches finite differences', () => {
    const layer = new GaussianSmoothing({ sigma: 0.9, kernelSize: 5, trainableSigma: true });
    const x = input(3, [1, 6, 6, 2]);
    const w = input(4, [1, 6, 6, 2]);
    layer.apply(x); // builds
    expect(layer.trainableWeights.map((v) => v.originalName)).toEqual([`${layer.name}/log_sigma`]);
    const logSigma = layer.trainableWeights[0].read() as tf.Variable;
    const loss = () => tf.sum(tf.mul(w, layer.apply(x) as tf.Tensor)) as tf.Scalar;
    const { grads, value } = tf.variableGrads(loss, [logSigma]);
    const g = grads[logSigma.name].dataSync()[0];
    const at = (v: number) => {
      layer.setWeights([tf.scalar(v)]);
      return tf.tidy(loss).dataSync()[0];
    };
    const eps = 1e-2;
    const base = Math.log(0.9);
    const fd = (at(base + eps) - at(base - eps)) / (2 * eps);
    layer.setWeights([tf.scalar(base)]);
    expect(Math.abs(g)).toBeGreaterThan(1e-3);
    expect(Math.abs(g - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    expect(layer.currentSigma()).toBeCloseTo(0.9, 5);
    tf.dispose([x, w, value, ...Object.values(grads)]);
  });

  it('trainable σ moves when the model is fitted towards a smoother target', async () => {
    const model = tfl.sequential({
      layers: [
        new GaussianSmoothing({
          name: 'smooth',
          inputShape: [8, 8, 1],
          sigma: 0.5,
          trainableSigma: true,
        }),
      ],
    });
    const x = input(5);
    const target = smoothFeatureMap(x as tf.Tensor4D, { sigma: 1.2, kernelSize: 5 });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await model.fit(x, target, { epochs: 40, verbose: 0, batchSize: 2 });
    const learned = (model.getLayer('smooth') as GaussianSmoothing).currentSigma();
    expect(learned).toBeGreaterThan(0.9);
    expect(learned).toBeLessThan(1.5);
    tf.dispose([x, target]);
    model.dispose();
  });

  it('leaks no tensors when applied or differentiated', async () => {
    const fixed = new GaussianSmoothing({ sigma: 1 });
    const trainable = new GaussianSmoothing({ sigma: 1, trainableSigma: true });
    const x = input(6, [2, 8, 8, 3]);
    fixed.apply(x);
    trainable.apply(x);
    for (const layer of [fixed, trainable]) {
      await assertNoLeaks(() => layer.apply(x), `${layer.name} forward`);
      await assertNoLeaks(
        () => tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v) as tf.Tensor))(x),
        `${layer.name} backward`,
      );
    }
    x.dispose();
  });
});
