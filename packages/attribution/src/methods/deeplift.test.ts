import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countLeakedTensors, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { UnsupportedLayerError } from '../propagation/unsupported-layer-error';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { deepLift } from './deeplift';
import { deepLiftShap } from './deeplift-shap';
import { vanillaGradient } from './vanilla-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** Largest |gap| / max(|Δf|, 1e-3) over the batch. */
function relativeGap(info: { completenessGap: tf.Tensor; outputDifference: tf.Tensor }): number {
  const gap = info.completenessGap.dataSync();
  const diff = info.outputDifference.dataSync();
  return Math.max(...Array.from(gap, (g, i) => Math.abs(g) / Math.max(Math.abs(diff[i]), 1e-3)));
}

/** A small residual CNN: conv → relu → [conv + 1×1 skip] → relu → maxpool → dense. */
function residualCnn(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const input = tfl.input({ shape: [8, 8, 2] });
  const c1 = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(1),
    })
    .apply(input) as tfl.SymbolicTensor;
  const c2 = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(2) })
    .apply(c1) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([c1, c2]) as tfl.SymbolicTensor;
  const act = tfl.layers.reLU().apply(sum) as tfl.SymbolicTensor;
  const pooled = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(act) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(pooled) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 3, kernelInitializer: init(3), biasInitializer: 'ones' })
    .apply(flat) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe('deeplift', () => {
  it('sums to f(x) − f(b) per sample on the FMNIST CNN (zero and uniform baselines), for any batchSize', () => {
    const model = fmnistCnn({ seed: 4, filters: [4, 8], hiddenUnits: 16 });
    const x = randomImages([3, 28, 28, 1], 2);
    for (const baseline of ['zero', 'uniform'] as const) {
      const { attributions, info } = explainWithInfo(deepLift, model, x, { baseline, seed: 1 });
      expect(relativeGap(info)).toBeLessThan(1e-4);
      expect(Math.max(...info.outputDifference.dataSync().map(Math.abs))).toBeGreaterThan(1e-3);
      const chunked = explain(deepLift, model, x, { baseline, seed: 1, batchSize: 2 });
      expect(maxAbsDiff(chunked.dataSync(), attributions.dataSync())).toBeLessThan(1e-6);
      tf.dispose([attributions, chunked, ...Object.values(info)]);
    }
    x.dispose();
    model.dispose();
  });

  it('sums to f(x) − f(b) through a residual add, and differs from gradient × (x − b) there', () => {
    const model = residualCnn();
    const x = randomImages([2, 8, 8, 2], 3);
    // A zero baseline of a bias-free ReLU net makes DeepLIFT gradient × input; a uniform one does not.
    const baseline = randomImages([8, 8, 2], 9);
    const { attributions, info } = explainWithInfo(deepLift, model, x, {
      target: [0, 2],
      baseline,
    });
    expect(relativeGap(info)).toBeLessThan(1e-4);
    const gxi = tf.tidy(() =>
      tf.mul(explain(vanillaGradient, model, x, { target: [0, 2] }), tf.sub(x, baseline)),
    );
    expect(maxAbsDiff(gxi.dataSync(), attributions.dataSync())).toBeGreaterThan(1e-4);
    tf.dispose([x, baseline, attributions, gxi, ...Object.values(info)]);
  });

  it('on a linear model is w_t ⊙ (x − b)', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: [2, 2, 1] }), tfl.layers.dense({ units: 3 })],
    });
    const x = randomImages([2, 2, 2, 1], 4);
    const baseline = randomImages([2, 2, 1], 5);
    const attr = explain(deepLift, model, x, { target: 1, baseline });
    const w = (model.layers[1].getWeights()[0].arraySync() as number[][]).map((r) => r[1]);
    const expected = tf.mul(tf.sub(x, baseline), tf.reshape(tf.tensor1d(w), [1, 2, 2, 1]));
    expect(maxAbsDiff(attr.dataSync(), expected.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, baseline, attr, expected]);
  });

  it('uses the Rescale multiplier Δrelu/Δz at a ReLU (hand-computed one-hidden-layer net)', () => {
    const rng = new SeededRandom(3);
    const w1 = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const c1 = Array.from({ length: 4 }, () => rng.normal());
    const w2 = Array.from({ length: 4 }, () => [rng.normal(), rng.normal()]);
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    model.setWeights([tf.tensor2d(w1), tf.tensor1d(c1), tf.tensor2d(w2), tf.tensor1d([0.3, -0.1])]);
    const xs = [0.5, -1.2, 0.8];
    const bs = [-0.4, 0.6, 0.1];
    const attr = explain(deepLift, model, tf.tensor2d([xs]), {
      target: 0,
      baseline: tf.tensor1d(bs),
    }).dataSync();
    const z = (v: number[]) => c1.map((c, j) => v.reduce((a, vi, i) => a + vi * w1[i][j], c));
    const [zx, zb] = [z(xs), z(bs)];
    const m = zx.map((_, j) => (Math.max(zx[j], 0) - Math.max(zb[j], 0)) / (zx[j] - zb[j]));
    const expected = xs.map(
      (xi, i) => w1[i].reduce((a, wij, j) => a + wij * m[j] * w2[j][0], 0) * (xi - bs[i]),
    );
    expect(maxAbsDiff(attr, expected)).toBeLessThan(1e-5);
  });

  it("routes max-pool differences through the argmaxes of x and b (Captum's rule)", () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.maxPooling2d({ inputShape: [2, 2, 1], poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2, useBias: false, kernelInitializer: 'ones' }),
      ],
    });
    const run = (xs: number[], bs: number[]) =>
      Array.from(
        explain(deepLift, model, tf.tensor4d(xs, [1, 2, 2, 1]), {
          target: 0,
          baseline: tf.tensor3d(bs, [2, 2, 1]),
        }).dataSync(),
      );
    // max x = 5 at 1, max b = 4 at 0: x's argmax gets 5 − 4, b's argmax max(5,4) − 5 = 0.
    expect(run([1, 5, 3, 2], [4, 0, 0, 0])).toEqual([0, 1, 0, 0]);
    // max x = 2 at 1, max b = 3 at 2: x's argmax gets 3 − 3 = 0, b's argmax 2 − 3 = −1.
    const second = run([1, 2, 0, 0], [0, 0, 3, 0]);
    expect(maxAbsDiff(second, [0, 0, -1, 0])).toBeLessThan(1e-6);
  });

  it('fails clearly on unsupported layers, activations, outputs and function models; restores the model; leaks nothing', async () => {
    const tanhNet = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'tanh', name: 'hidden' })],
    });
    const x3 = tf.ones([1, 3]);
    expect(() => explain(deepLift, tanhNet, x3)).toThrow(UnsupportedLayerError);
    expect(() => explain(deepLift, tanhNet, x3)).toThrow(/"tanh" activation of layer "hidden"/);
    const lnNet = tfl.sequential({
      layers: [
        tfl.layers.layerNormalization({ inputShape: [3], name: 'ln' }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    expect(() => explain(deepLift, lnNet, x3)).toThrow(
      /no rule for layer "ln" \(LayerNormalization\)/,
    );
    const { model: fn } = linearModel();
    const x4 = randomImages([1, 2, 2, 1]);
    expect(() => explain(deepLift, fn, x4)).toThrow(/needs a tfl.LayersModel/);
    const cnn = fmnistCnn({ seed: 1, filters: [2, 3], hiddenUnits: 4 });
    const x = randomImages([2, 28, 28, 1], 6);
    expect(() => explain(deepLift, cnn, x, { output: 'prob' })).toThrow(/explains logits/);
    const before = explain(vanillaGradient, cnn, x).dataSync();
    expect(
      await countLeakedTensors(() => explainWithInfo(deepLift, cnn, x, { batchSize: 2 })),
    ).toBe(0);
    expect(maxAbsDiff(explain(vanillaGradient, cnn, x).dataSync(), before)).toBe(0);
    expect(Object.hasOwn(cnn.getLayer('pool1'), 'call')).toBe(false);
    tf.dispose([x3, x4, x]);
  });

  it('deeplift-shap is the mean DeepLIFT map over the baselines and sums to f(x) − mean f(b_i)', async () => {
    const model = fmnistCnn({ seed: 9, inputShape: [12, 12, 1], filters: [3, 4], hiddenUnits: 8 });
    const x = randomImages([3, 12, 12, 1], 7);
    const pool = randomImages([4, 12, 12, 1], 8);
    const { attributions, info } = explainWithInfo(deepLiftShap, model, x, {
      baselines: pool,
      batchSize: 5,
    });
    expect(relativeGap(info)).toBeLessThan(1e-4);
    const target = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
    const each = tf.tidy(() =>
      tf.mean(
        tf.stack(tf.unstack(pool).map((b) => explain(deepLift, model, x, { baseline: b, target }))),
        0,
      ),
    );
    expect(maxAbsDiff(attributions.dataSync(), each.dataSync())).toBeLessThan(1e-6);
    expect(
      await countLeakedTensors(() =>
        explainWithInfo(deepLiftShap, model, x, { baselines: pool, batchSize: 3 }),
      ),
    ).toBe(0);
    expect(() => explain(deepLiftShap, model, x)).toThrow(/needs baselines, a distribution tensor/);
    tf.dispose([x, pool, target, each, attributions, ...Object.values(info)]);
    model.dispose();
  });
});
