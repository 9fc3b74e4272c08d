import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  fmnistCnn,
  initBackend,
  LayerNotFoundError,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { regionImages } from '../testing/region-model';
import { gradCam } from './grad-cam';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** Grad-CAM computed the long way: a feature sub-model, then the head layers applied by hand. */
function referenceGradCam(
  model: tfl.LayersModel,
  x: tf.Tensor,
  layerName: string,
  target: number[],
): tf.Tensor {
  return tf.tidy(() => {
    const names = model.layers.map((l) => l.name);
    const at = names.indexOf(layerName);
    const features = tfl
      .model({ inputs: model.inputs, outputs: model.getLayer(layerName).output })
      .predict(x) as tf.Tensor;
    const head = (a: tf.Tensor) =>
      model.layers.slice(at + 1).reduce((h, layer) => layer.apply(h) as tf.Tensor, a);
    const dA = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(head(a), tf.oneHot(target, 10))))(features);
    const alpha = tf.mean(dA, [1, 2], true);
    const cam = tf.relu(tf.sum(tf.mul(alpha, features), 3, true)) as tf.Tensor4D;
    return tf.image.resizeBilinear(cam, [x.shape[1] as number, x.shape[2] as number], false, true);
  });
}

/**
 * A CNN whose class depends on one region by construction: `features` is a
 * bright-spot detector (3×3 mean − 0.35, ReLU: zero on the [0, 0.3] noise), and
 * logit c sums the detector over quadrant c only.
 */
function regionModel(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      name: 'features',
      inputShape: [16, 16, 1],
      filters: 1,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 4 }));
  const kernel = tf.fill([3, 3, 1, 1], 1 / 9);
  const readout = tf.buffer([256, 4]);
  for (let i = 0; i < 16; i++)
    for (let j = 0; j < 16; j++) readout.set(1, i * 16 + j, (i >= 8 ? 2 : 0) + (j >= 8 ? 1 : 0));
  model.setWeights([kernel, tf.tensor1d([-0.35]), readout.toTensor(), tf.zeros([4])]);
  return model;
}

describe('gradCam', () => {
  it('lights the region the class depends on (synthetic ground truth)', () => {
    const model = regionModel();
    const { x, labels, masks } = regionImages(12, 3, true);
    const predicted = tf.argMax(model.predict(x) as tf.Tensor, 1).arraySync() as number[];
    expect(predicted).toEqual(labels); // the model decides by the square's quadrant
    const cam = explain(gradCam, model, x); // default target: the predicted class
    const inside = tf.sum(tf.reshape(tf.mul(cam, masks), [12, -1]), 1).arraySync() as number[];
    const total = tf.sum(tf.reshape(cam, [12, -1]), 1).arraySync() as number[];
    for (let s = 0; s < 12; s++) {
      expect(total[s]).toBeGreaterThan(0);
      expect(inside[s] / total[s]).toBeGreaterThan(0.9);
    }
    tf.dispose([x, masks, cam]);
  });

  it('equals Grad-CAM computed with an explicit feature sub-model and head, for conv2 (default) and conv1', () => {
    const model = fmnistCnn({ seed: 4, filters: [4, 8], hiddenUnits: 16 });
    const x = randomImages([3, 28, 28, 1], 4);
    const target = [1, 5, 9];
    for (const layer of [undefined, 'conv1']) {
      const got = explain(gradCam, model, x, { target, layer });
      const expected = referenceGradCam(model, x, layer ?? 'conv2', target);
      expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      expect(tf.max(expected).dataSync()[0]).toBeGreaterThan(0); // not a vacuous all-zero comparison
      tf.dispose([got, expected]);
    }
    x.dispose();
    model.dispose();
  });

  it('works through a functional graph with a skip connection around the layer, and chunks by batchSize', () => {
    const input = tfl.input({ shape: [8, 8, 2] });
    const conv = tfl.layers
      .conv2d({
        name: 'feat',
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      })
      .apply(input) as tfl.SymbolicTensor;
    const skip = tfl.layers
      .conv2d({
        name: 'skip',
        filters: 3,
        kernelSize: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      })
      .apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([conv, skip]) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(sum) as tfl.SymbolicTensor;
    const logits = tfl.layers
      .dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })
      .apply(pooled) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: logits });
    const x = randomImages([3, 8, 8, 2], 1);
    const a = explain(gradCam, model, x, { layer: 'feat', target: 0, batchSize: 1 });
    const b = explain(gradCam, model, x, { layer: 'feat', target: 0 });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
    // Linear head after the add: ∂z_0/∂A is the constant w_0/64, so α_k = w_{k0}/64.
    const w = (model.layers[model.layers.length - 1].getWeights()[0].arraySync() as number[][]).map(
      (r) => r[0],
    );
    const features = tfl.model({ inputs: input, outputs: conv }).predict(x) as tf.Tensor;
    const expected = tf.relu(tf.sum(tf.mul(features, tf.tensor1d(w.map((v) => v / 64))), 3, true));
    const got = tf.slice(a, [0, 0, 0, 0], [-1, -1, -1, 1]);
    expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-6);
    expect(Object.hasOwn(model.getLayer('feat'), 'call')).toBe(false); // the patch was removed
    tf.dispose([x, a, b, features, expected, got]);
  });

  it('fails clearly on a function model and on an unknown layer, and leaks nothing', async () => {
    const { model } = linearModel();
    const x4 = randomImages([1, 2, 2, 1]);
    expect(() => explain(gradCam, model, x4)).toThrow(/needs a tfl.LayersModel/);
    const cnn = fmnistCnn({ seed: 1, filters: [2, 2], hiddenUnits: 4 });
    const x = randomImages([2, 28, 28, 1]);
    expect(() => explain(gradCam, cnn, x, { layer: 'conv9' })).toThrow(LayerNotFoundError);
    expect(() => explain(gradCam, cnn, x, { layer: 'conv9' })).toThrow(
      /no layer named "conv9". Its layers: 0 conv1, 1 pool1, 2 conv2/,
    );
    expect(await countLeakedTensors(() => explain(gradCam, cnn, x, { batchSize: 1 }))).toBe(0);
    tf.dispose([x, x4]);
  });
});
