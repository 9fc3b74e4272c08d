import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  fmnistCnn,
  initBackend,
  LayerNotFoundError,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { explainLayer } from './explain-layer';
import { layerAttributionRegistry } from './layer-attribution-method';
import { layerGradient, layerGradientXActivation } from './layer-gradient';
import { layerIntegratedGradients } from './layer-integrated-gradients';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const smallCnn = () => fmnistCnn({ seed: 6, filters: [4, 8], hiddenUnits: 16 });

/** The output of `name` and the model head after it, from an explicit sub-model. */
function split(model: tfl.LayersModel, name: string) {
  const at = model.layers.findIndex((l) => l.name === name);
  const features = tfl.model({ inputs: model.inputs, outputs: model.getLayer(name).output });
  const head = (a: tf.Tensor) =>
    model.layers.slice(at + 1).reduce((h, layer) => layer.apply(h) as tf.Tensor, a);
  return { features: (x: tf.Tensor) => features.predict(x) as tf.Tensor, head };
}

describe('layer attribution', () => {
  it('layer-gradient and layer-gradient-x-activation equal ∂f_t/∂A of an explicit head, for conv2 and fc1', () => {
    const model = smallCnn();
    const x = randomImages([3, 28, 28, 1], 1);
    const target = [0, 4, 8];
    for (const layer of ['conv2', 'fc1']) {
      const { features, head } = split(model, layer);
      const a = features(x);
      const expected = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(head(u), tf.oneHot(target, 10))))(a);
      const grad = explainLayer(layerGradient, model, x, { layer, target, batchSize: 2 });
      const gxa = explainLayer('layer-gradient-x-activation', model, x, { layer, target });
      expect(grad.attributions.shape).toEqual(a.shape);
      expect(maxAbsDiff(grad.attributions.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      const product = tf.mul(a, expected);
      expect(maxAbsDiff(gxa.attributions.dataSync(), product.dataSync())).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0);
      tf.dispose([a, expected, grad.attributions, gxa.attributions, product]);
    }
    x.dispose();
    model.dispose();
  });

  it('layer-ig under a linear head is (A(x) − A(b)) ⊙ w_t exactly, and complete', () => {
    const model = smallCnn();
    const x = randomImages([2, 28, 28, 1], 2);
    const baseline = randomImages([28, 28, 1], 3);
    const { attributions, info } = explainLayer(layerIntegratedGradients, model, x, {
      layer: 'fc1',
      target: 3,
      baseline,
      steps: 3,
    });
    const { features } = split(model, 'fc1');
    const w = tf.slice(model.getLayer('logits').getWeights()[0], [0, 3], [-1, 1]);
    const expected = tf.mul(
      tf.sub(features(x), features(tf.expandDims(baseline, 0))),
      tf.reshape(w, [1, -1]),
    );
    expect(maxAbsDiff(attributions.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(info.completenessGap.dataSync(), [0, 0])).toBeLessThan(1e-4);
    tf.dispose([x, baseline, w, expected, attributions, ...Object.values(info)]);
    model.dispose();
  });

  it('layer-ig at conv1 sums to f(x) − f(b) up to the quadrature error, which shrinks with steps', () => {
    const model = smallCnn();
    const x = randomImages([2, 28, 28, 1], 4);
    const gap = (steps: number) => {
      const { attributions, info } = explainLayer(layerIntegratedGradients, model, x, {
        layer: 'conv1',
        steps,
        rule: 'riemann-middle',
        // A zero baseline of this bias-free ReLU net makes f linear along the path (exact for any steps).
        baseline: 'uniform',
      });
      const g = info.completenessGap.dataSync();
      const d = info.outputDifference.dataSync();
      tf.dispose([attributions, ...Object.values(info)]);
      // Relative to the batch's largest |Δf|: one sample's Δf is near 0 here.
      const scale = Math.max(...Array.from(d, Math.abs));
      return Math.max(...Array.from(g, Math.abs)) / scale;
    };
    const coarse = gap(2);
    const fine = gap(256);
    expect(fine).toBeLessThan(0.005);
    expect(fine).toBeLessThan(coarse);
    x.dispose();
    model.dispose();
  });

  it('is chunked by batchSize without changing the map, registered by name, and leaks nothing', async () => {
    const model = smallCnn();
    const x = randomImages([3, 28, 28, 1], 5);
    const a = explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 4, batchSize: 64 });
    const b = explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 4, batchSize: 2 });
    expect(maxAbsDiff(a.attributions.dataSync(), b.attributions.dataSync())).toBeLessThan(1e-5);
    expect(layerAttributionRegistry.names()).toEqual([
      'layer-gradient',
      'layer-gradient-x-activation',
      'layer-ig',
    ]);
    expect(
      await countLeakedTensors(() =>
        explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 3, batchSize: 4 }),
      ),
    ).toBe(0);
    for (const method of ['layer-gradient', 'layer-gradient-x-activation']) {
      expect(
        await countLeakedTensors(() =>
          explainLayer(method, model, x, { layer: 'fc1', batchSize: 2 }),
        ),
      ).toBe(0);
    }
    expect(() => explainLayer(layerGradient, model, x, {})).toThrow(/needs \{ layer: '<name>' \}/);
    expect(() => explainLayer(layerGradient, model, x, { layer: 'conv7' })).toThrow(
      LayerNotFoundError,
    );
    const { model: fn } = linearModel();
    const x4 = randomImages([1, 2, 2, 1]);
    expect(() => explainLayer(layerGradientXActivation, fn, x4, { layer: 'a' })).toThrow(
      /needs a tfl.LayersModel/,
    );
    tf.dispose([
      x,
      x4,
      a.attributions,
      b.attributions,
      ...Object.values(a.info),
      ...Object.values(b.info),
    ]);
    model.dispose();
  });
});
