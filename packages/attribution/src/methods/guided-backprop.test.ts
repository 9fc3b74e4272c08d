import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countLeakedTensors, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { withReluOverride } from '../layers/override-relu';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { deconvolution, guidedBackprop } from './guided-backprop';
import { guidedGradCam } from './guided-grad-cam';
import { guidedRelu } from './guided-relu';
import { vanillaGradient } from './vanilla-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

type Matrix = number[][];
const rng = new SeededRandom(11);
const randomMatrix = (rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));

/**
 * x[3] → Dense(4, relu) → Dense(4) → ReLU layer → Dense(3) → Activation('relu') → Dense(2):
 * three ReLUs, each made a different way in tfjs-layers.
 */
function handNet() {
  const w = [randomMatrix(3, 4), randomMatrix(4, 4), randomMatrix(4, 3), randomMatrix(3, 2)];
  const c = [randomMatrix(1, 4)[0], randomMatrix(1, 4)[0], randomMatrix(1, 3)[0], [0.1, -0.1]];
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 4 }));
  model.add(tfl.layers.reLU());
  model.add(tfl.layers.dense({ units: 3 }));
  model.add(tfl.layers.activation({ activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 2 }));
  model.setWeights(w.flatMap((m, i) => [tf.tensor2d(m), tf.tensor1d(c[i])]));
  return { model, w, c };
}

/** The input gradient of logit t written out, with `rule(dy, z)` as each ReLU's backward pass. */
function handGradient(
  net: { w: Matrix[]; c: number[][] },
  x: number[],
  t: number,
  rule: (dy: number, z: number) => number,
): number[] {
  const zs: number[][] = [];
  let h = x;
  for (let l = 0; l < 3; l++) {
    const z = net.w[l][0].map((_, j) => h.reduce((a, v, i) => a + v * net.w[l][i][j], net.c[l][j]));
    zs.push(z);
    h = z.map((v) => Math.max(v, 0));
  }
  let g = net.w[3].map((row) => row[t]); // ∂logit_t/∂h3
  for (let l = 2; l >= 0; l--) {
    const through = g.map((dy, j) => rule(dy, zs[l][j]));
    g = net.w[l].map((row) => row.reduce((a, wij, j) => a + wij * through[j], 0));
  }
  return g;
}

const vanillaRule = (dy: number, z: number) => (z > 0 ? dy : 0);
const guidedRule = (dy: number, z: number) => (z > 0 ? Math.max(dy, 0) : 0);
const deconvRule = (dy: number) => Math.max(dy, 0);

describe('guided-backprop and deconvolution', () => {
  it('equal the hand-computed modified-ReLU gradients of a three-ReLU net (Dense, ReLU and Activation layers)', () => {
    const net = handNet();
    const x = tf.tensor2d(randomMatrix(4, 3));
    const xs = x.arraySync() as number[][];
    const target = [0, 1, 1, 0];
    const got = {
      vanilla: explain(vanillaGradient, net.model, x, { target }).arraySync() as Matrix,
      guided: explain(guidedBackprop, net.model, x, { target }).arraySync() as Matrix,
      deconv: explain(deconvolution, net.model, x, { target }).arraySync() as Matrix,
    };
    let differs = 0;
    xs.forEach((row, s) => {
      const guided = handGradient(net, row, target[s], guidedRule);
      expect(
        maxAbsDiff(got.vanilla[s], handGradient(net, row, target[s], vanillaRule)),
      ).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.guided[s], guided)).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.deconv[s], handGradient(net, row, target[s], deconvRule))).toBeLessThan(
        1e-5,
      );
      differs += maxAbsDiff(guided, got.vanilla[s]) > 1e-3 ? 1 : 0;
    });
    expect(differs).toBeGreaterThan(0); // the rules really differ on this net
    x.dispose();
  });

  it('restores every ReLU after the call, also when the wrapped call throws; VG is unchanged', async () => {
    const model = fmnistCnn({ seed: 3, filters: [3, 4], hiddenUnits: 8 });
    const x = randomImages([2, 28, 28, 1], 4);
    const before = explain(vanillaGradient, model, x).dataSync();
    const guided = explain(guidedBackprop, model, x).dataSync();
    expect(maxAbsDiff(before, guided)).toBeGreaterThan(1e-4);
    expect(() =>
      withReluOverride(
        model,
        (z) => guidedRelu(z),
        () => {
          throw new Error('inside');
        },
      ),
    ).toThrow('inside');
    expect(
      withReluOverride(
        model,
        (z) => guidedRelu(z),
        () => 0,
      ).replaced,
    ).toBe(3); // conv1, conv2, fc1
    for (const name of ['conv1', 'conv2', 'fc1']) {
      const layer = model.getLayer(name) as unknown as { activation: { getClassName(): string } };
      expect(layer.activation.getClassName()).toBe('relu');
    }
    expect(maxAbsDiff(explain(vanillaGradient, model, x).dataSync(), before)).toBe(0);
    expect(
      await countLeakedTensors(() => explain(guidedBackprop, model, x, { batchSize: 1 })),
    ).toBe(0);
    x.dispose();
    model.dispose();
  });

  it('reject a model without layers', () => {
    const { model } = linearModel();
    const x = randomImages([1, 2, 2, 1]);
    expect(() => explain(guidedBackprop, model, x)).toThrow(
      /guided-backprop needs a tfl.LayersModel/,
    );
    x.dispose();
  });
});

describe('guided-gradcam', () => {
  it('is Guided Backprop times the nearest-upsampled Grad-CAM of the layer (explicit sub-model reference)', async () => {
    const model = fmnistCnn({ seed: 8, filters: [4, 6], hiddenUnits: 12 });
    const x = randomImages([3, 28, 28, 1], 5);
    const target = [2, 4, 9];
    const got = explain(guidedGradCam, model, x, { target, batchSize: 2 });
    const expected = tf.tidy(() => {
      const features = tfl
        .model({ inputs: model.inputs, outputs: model.getLayer('conv2').output })
        .predict(x) as tf.Tensor;
      const head = (a: tf.Tensor) =>
        model.layers.slice(3).reduce((h, layer) => layer.apply(h) as tf.Tensor, a);
      const dA = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(head(a), tf.oneHot(target, 10))))(
        features,
      );
      const cam = tf.relu(
        tf.sum(tf.mul(tf.mean(dA, [1, 2], true), features), 3, true),
      ) as tf.Tensor4D;
      // conv2 is 14×14: nearest upsampling to 28×28 repeats each value in a 2×2 block.
      const up = tf.reshape(
        tf.tile(tf.reshape(cam, [3, 14, 1, 14, 1, 1]), [1, 1, 2, 1, 2, 1]),
        [3, 28, 28, 1],
      );
      return tf.mul(explain(guidedBackprop, model, x, { target }), up);
    });
    expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0);
    const bilinear = explain(guidedGradCam, model, x, { target, interpolation: 'bilinear' });
    const product = tf.mul(
      explain(guidedBackprop, model, x, { target }),
      explain('gradcam', model, x, { target }),
    );
    expect(maxAbsDiff(bilinear.dataSync(), product.dataSync())).toBeLessThan(1e-5);
    expect(await countLeakedTensors(() => explain(guidedGradCam, model, x, { batchSize: 2 }))).toBe(
      0,
    );
    expect(() => explain(guidedGradCam, model, x, { layer: 'fc1' })).toThrow(/4-D feature map/);
    tf.dispose([x, got, expected, bilinear, product]);
    model.dispose();
  });
});
