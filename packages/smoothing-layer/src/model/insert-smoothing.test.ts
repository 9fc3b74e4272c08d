import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  assertNoLeaks,
  cifarResNet,
  fmnistCnn,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerNotFoundError } from '../errors/layer-not-found-error';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { PaperSmoothingBlock } from '../layer/paper-smoothing-block';
import { smoothFeatureMap } from '../smoothing/smooth-feature-map';
import { insertSmoothing } from './insert-smoothing';

const dir = mkdtempSync(join(tmpdir(), 'insert-smoothing-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const images = (shape: number[], seed: number) =>
  tf.tensor(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape);

function predictBoth(a: tfl.LayersModel, b: tfl.LayersModel, x: tf.Tensor): [number[], number[]] {
  const [ya, yb] = [a.predict(x), b.predict(x)] as tf.Tensor[];
  const out: [number[], number[]] = [Array.from(ya.dataSync()), Array.from(yb.dataSync())];
  tf.dispose([ya, yb]);
  return out;
}

function expectClose(a: number[], b: number[], tolerance: number) {
  expect(a.length).toBe(b.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  expect(worst).toBeLessThan(tolerance);
}

describe('insertSmoothing on the FMNIST CNN (sequential)', () => {
  let original: tfl.LayersModel;
  let x: tf.Tensor;
  beforeAll(() => {
    original = fmnistCnn({ seed: 1 });
    x = images([2, 28, 28, 1], 1);
  });

  it('puts the block right after the named layer', () => {
    const smoothed = insertSmoothing(original, { after: 'conv1', sigma: 1 });
    expect(smoothed.layers.map((l) => l.name)).toEqual([
      'conv1_input',
      'conv1',
      'conv1_smoothing',
      'pool1',
      'conv2',
      'pool2',
      'flatten',
      'fc1',
      'logits',
    ]);
    expect(smoothed.getLayer('conv1_smoothing')).toBeInstanceOf(GaussianSmoothing);
    expect(smoothed.countParams()).toBe(original.countParams());
    smoothed.dispose();
  });

  it('with σ → 0 gives the original outputs (weights copied)', () => {
    for (const options of [{ sigma: 0 }, { sigma: 1e-3, kernelSize: 5 }]) {
      const smoothed = insertSmoothing(original, { after: 'conv1', ...options });
      const [a, b] = predictBoth(original, smoothed, x);
      expectClose(b, a, 1e-5);
      smoothed.dispose();
    }
  });

  it('with σ = 1 equals conv1 → smoothFeatureMap → the rest of the original', () => {
    const smoothed = insertSmoothing(original, { after: 0, sigma: 1, padding: 'replicate' });
    const expected = tf.tidy(() => {
      let h = original.getLayer('conv1').apply(x) as tf.Tensor;
      h = smoothFeatureMap(h as tf.Tensor4D, { sigma: 1, padding: 'replicate' });
      for (const name of ['pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'logits']) {
        h = original.getLayer(name).apply(h) as tf.Tensor;
      }
      return h;
    });
    const [a, b] = predictBoth(original, smoothed, x);
    expectClose(b, Array.from(expected.dataSync()), 1e-4);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
    expected.dispose();
    smoothed.dispose();
  });

  it('leaves the original untouched and independent of the copy', () => {
    const before = predictBoth(original, original, x)[0];
    const smoothed = insertSmoothing(original, { after: 'pool1', sigma: 0.5 });
    smoothed.setWeights(smoothed.getWeights().map((w) => tf.zerosLike(w)));
    expect(predictBoth(original, original, x)[0]).toEqual(before);
    expect(original.layers.map((l) => l.name)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'flatten',
      'fc1',
      'logits',
    ]);
    smoothed.dispose();
  });

  it('names the available layers when `after` is unknown or not a feature map', () => {
    expect(() => insertSmoothing(original, { after: 'conv3' })).toThrow(LayerNotFoundError);
    expect(() => insertSmoothing(original, { after: 'conv3' })).toThrow(
      /no layer named "conv3". Its layers: 0 conv1, 1 pool1, 2 conv2, 3 pool2, 4 flatten, 5 fc1, 6 logits/,
    );
    expect(() => insertSmoothing(original, { after: 7 })).toThrow(
      /no layer at index 7; give an index 0..6/,
    );
    expect(() => insertSmoothing(original, { after: 'fc1' })).toThrow(
      /"fc1" outputs shape \[null, 128\].*with one: conv1, pool1, conv2, pool2/,
    );
    expect(() => insertSmoothing(original, { after: 'conv1', name: 'pool1' })).toThrow(
      /already has a layer named "pool1"/,
    );
    expect(() => insertSmoothing(original, { after: 'conv1', sigm: 2 } as never)).toThrow(
      InvalidOptionError,
    );
    expect(() => insertSmoothing(original, { after: 'conv1', sigm: 2 } as never)).toThrow(
      /insertSmoothing\(\) with the gaussian block has no option "sigm" \(did you mean "sigma"\?\); its options are after, block, kernelSize, name, padding, sigma, trainableSigma/,
    );
  });

  it("block: 'paper' inserts the authors' residual block, with its options, after the same layer", () => {
    const smoothed = insertSmoothing(original, { after: 'pool1', block: 'paper', filter: 'mean' });
    const block = smoothed.getLayer('pool1_smoothing');
    expect(block).toBeInstanceOf(PaperSmoothingBlock);
    expect(block.getConfig()).toMatchObject({ filter: 'mean', kernelSize: 3, padding: 'reflect' });
    // the block's own 1×1 convolution: C² + C weights on pool1's 32 channels
    expect(smoothed.countParams()).toBe(original.countParams() + 32 * 32 + 32);
    const expected = tf.tidy(() => {
      let h = original.getLayer('conv1').apply(x) as tf.Tensor;
      h = original.getLayer('pool1').apply(h) as tf.Tensor;
      h = block.apply(h) as tf.Tensor;
      for (const name of ['conv2', 'pool2', 'flatten', 'fc1', 'logits']) {
        h = original.getLayer(name).apply(h) as tf.Tensor;
      }
      return h;
    });
    expectClose(predictBoth(original, smoothed, x)[1], Array.from(expected.dataSync()), 1e-4);
    expected.dispose();
    smoothed.dispose();
  });

  it('rejects an unknown block kind and options the chosen block does not have', () => {
    expect(() =>
      insertSmoothing(original, { after: 'pool1', block: 'bilateral' as 'paper' }),
    ).toThrow(/block "bilateral" is unknown; use one of gaussian, paper/);
    expect(() =>
      insertSmoothing(original, { after: 'pool1', filter: 'mean' } as unknown as {
        after: string;
      }),
    ).toThrow(/insertSmoothing\(\) with the gaussian block has no option "filter"/);
    expect(() =>
      insertSmoothing(original, {
        after: 'pool1',
        block: 'paper',
        trainableSigma: true,
      } as unknown as { after: string; block: 'paper' }),
    ).toThrow(
      /insertSmoothing\(\) with the paper block has no option "trainableSigma".*its options are .*filter, init, kernelSize/,
    );
    expect(() =>
      insertSmoothing(original, { after: 'pool1', sigmaa: 1 } as { after: string }),
    ).toThrow(/"sigmaa"/);
  });

  it('leaks no tensors', async () => {
    await assertNoLeaks(() => {
      const smoothed = insertSmoothing(original, {
        after: 'conv2',
        sigma: 1,
        trainableSigma: true,
      });
      smoothed.dispose();
    }, 'insertSmoothing + dispose');
  });
});

describe('insertSmoothing on the CIFAR ResNet (functional, residual branches)', () => {
  let original: tfl.LayersModel;
  let x: tf.Tensor;
  beforeAll(() => {
    original = cifarResNet({ depth: 8, width: 4, seed: 2 });
    x = images([2, 32, 32, 3], 2);
  });

  it('feeds the smoothed map to every consumer of the layer (conv branch and shortcut)', () => {
    const smoothed = insertSmoothing(original, { after: 'stem_out', sigma: 1 });
    const block = smoothed.getLayer('stem_out_smoothing');
    const consumers = block.outboundNodes.map((node) => node.outboundLayer.name).sort();
    expect(consumers).toEqual(['stage1_block1_a_conv', 'stage1_block1_add']);
    expect(smoothed.getLayer('stem_out').outboundNodes.map((n) => n.outboundLayer.name)).toEqual([
      'stem_out_smoothing',
    ]);
    smoothed.dispose();
  });

  it('with σ → 0 gives the original outputs; with σ = 1 it changes them', () => {
    const identity = insertSmoothing(original, { after: 'stage1_block1_out', sigma: 0 });
    const [a, b] = predictBoth(original, identity, x);
    expectClose(b, a, 1e-5);
    const smoothed = insertSmoothing(original, { after: 'stage1_block1_out', sigma: 1 });
    const [, c] = predictBoth(original, smoothed, x);
    expect(Math.max(...a.map((v, i) => Math.abs(v - c[i])))).toBeGreaterThan(1e-4);
    identity.dispose();
    smoothed.dispose();
  });

  it('the smoothed model round-trips through save("file://…") / tf.loadLayersModel with identical outputs', async () => {
    const smoothed = insertSmoothing(original, {
      after: 'stem_out',
      sigma: 0.8,
      trainableSigma: true,
      padding: 'replicate',
    });
    const folder = join(dir, 'resnet8-smoothed');
    await smoothed.save(`file://${folder}`);
    const loaded = await tfl.loadLayersModel(`file://${folder}`);
    expect(loaded.layers.map((l) => l.name)).toEqual(smoothed.layers.map((l) => l.name));
    expect(loaded.getLayer('stem_out_smoothing').getConfig()).toEqual(
      smoothed.getLayer('stem_out_smoothing').getConfig(),
    );
    const [a, b] = predictBoth(smoothed, loaded, x);
    expect(b).toEqual(a);
    smoothed.dispose();
    loaded.dispose();
  });

  it('[slow] trains: one SGD step moves the weights and the learned σ', async () => {
    const smoothed = insertSmoothing(original, {
      after: 'stem_out',
      sigma: 1,
      trainableSigma: true,
    });
    smoothed.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
    const layer = smoothed.getLayer('stem_out_smoothing') as GaussianSmoothing;
    const stem = () =>
      Array.from(smoothed.getLayer('stem_conv').getWeights()[0].dataSync().slice(0, 8));
    const stemBefore = stem();
    const labels = tf.tensor1d([3, 7]);
    await smoothed.fit(x, labels, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(layer.currentSigma()).not.toBeCloseTo(1, 6);
    expect(stem()).not.toEqual(stemBefore);
    labels.dispose();
    smoothed.dispose();
  });
});
