import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  EmptyBatchError,
  InvalidOptionError,
  initBackend,
  NonFiniteInputError,
  ShapeError,
} from '@trustgrad/core-tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attributionRegistry, defineAttribution, explain, explainWithInfo } from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

afterEach(() => {
  attributionRegistry.unregister('gradient-sign');
  attributionRegistry.unregister('broken');
});

describe('explain and the attribution registry', () => {
  it('lists the built-ins', () => {
    expect(attributionRegistry.names()).toEqual([
      'deconvolution',
      'deeplift',
      'deeplift-shap',
      'feature-ablation',
      'gradcam',
      'gradient-shap',
      'gradient-x-input',
      'guided-backprop',
      'guided-gradcam',
      'ig',
      'kernel-shap',
      'lrp',
      'lse',
      'noise-tunnel',
      'occlusion',
      'shapley-value-sampling',
      'smoothgrad',
      'smoothgrad-squared',
      'vargrad',
      'vg',
    ]);
  });

  it('runs a user plugin by name with its defaults, options and extras', () => {
    const gradientSign = defineAttribution({
      name: 'gradient-sign',
      description: 'sign of the gradient, times a scale',
      defaults: { scale: 1 },
      explain: (ctx, x, { scale }) => ({
        attributions: tf.mul(tf.sign(ctx.gradient(x)), scale),
        info: { value: ctx.quantity(x) },
      }),
    });
    const { model, w, c } = linearModel(2);
    const x = randomImages([2, 2, 2, 1], 3);
    const attr = explain('gradient-sign', model, x, { target: 1, scale: 2 });
    expect(
      maxAbsDiff(
        attr.dataSync(),
        [...w, ...w].map((r) => 2 * Math.sign(r[1])),
      ),
    ).toBe(0);
    const { info } = explainWithInfo(gradientSign, model, x, { target: 1 });
    const xs = x.arraySync() as number[][][][];
    const expected = xs.map((s) => s.flat(2).reduce((acc, v, i) => acc + v * w[i][1], c[1]));
    expect(maxAbsDiff(info.value.dataSync(), expected)).toBeLessThan(1e-5);
    expect(() => defineAttribution(gradientSign)).toThrow(/already registered/);
    defineAttribution(gradientSign, { replace: true });
    expect(defineAttribution({ ...gradientSign, name: 'unlisted' }, { register: false }).name).toBe(
      'unlisted',
    );
    expect(attributionRegistry.has('unlisted')).toBe(false);
    tf.dispose([x, attr, info.value]);
  });

  it('fails clearly: unknown method (listing the known), unknown option, bad target, wrong output shape', () => {
    const { model } = linearModel();
    const x = randomImages([2, 2, 2, 1]);
    expect(() => explain('integrated-gradients', model, x)).toThrow(
      /unknown attribution method "integrated-gradients"; known attribution methods: .*gradcam, .*ig, .*vg/,
    );
    expect(() => explain('smoothgrad-squard', model, x)).toThrow(
      /\(did you mean "smoothgrad-squared"\?\)/,
    );
    expect(() => explain('smoothgrad', model, x, { sigma: 0.1 } as never)).toThrow(
      /has no option "sigma".*noiseLevel/,
    );
    expect(() => explain('ig', model, x, { stpes: 8 } as never)).toThrow(
      /attribution method "ig" has no option "stpes" \(did you mean "steps"\?\)/,
    );
    expect(() => explain('vg', model, x, { target: 3 })).toThrow(
      /target\[0\] = 3 is not a class.*\[0, 2\]/,
    );
    expect(() => explain('vg', model, x, { target: [0] })).toThrow(/1 classes for a batch of 2/);
    expect(() => explain('vg', model, x, { output: 'logits' as never })).toThrow(/output "logits"/);
    expect(() => explain('vg', model, tf.zeros([4]))).toThrow(/batch tensor/);
    defineAttribution({
      name: 'broken',
      description: 'sums the batch away (returns the wrong shape)',
      defaults: {},
      explain: (_ctx, x) => tf.sum(x, 0),
    });
    expect(() => explain('broken', model, x)).toThrow(
      /"broken" returned shape \[2, 2, 1\] for input \[2, 2, 2, 1\]/,
    );
    x.dispose();
  });

  it('accepts a predict() object and a function alike', () => {
    const { model } = linearModel(4);
    const x = randomImages([2, 2, 2, 1], 8);
    const a = explain('vg', model, x);
    const b = explain('vg', { predict: model }, x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, a, b]);
  });

  it('rejects NaN/Inf input, an empty batch and a wrong rank or channel count with typed errors', () => {
    const { model } = linearModel();
    const nan = tf.tensor4d([0, Number.NaN, 0.5, 0.2], [1, 2, 2, 1]);
    const inf = tf.tensor4d([0, Number.POSITIVE_INFINITY, 0.5, 0.2], [1, 2, 2, 1]);
    expect(() => explain('vg', model, nan)).toThrow(NonFiniteInputError);
    expect(() => explain('ig', model, inf)).toThrow(/explain\(\): x holds 1 NaN\/±Infinity value/);
    const empty = tf.zeros([0, 2, 2, 1]);
    expect(() => explain('vg', model, empty)).toThrow(EmptyBatchError);
    expect(() => explain('smoothgrad', model, empty)).toThrow(/empty batch/);
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
    });
    const rgb = tf.zeros([2, 4, 4, 3]);
    expect(() => explain('vg', cnn, rgb)).toThrow(ShapeError);
    expect(() => explain('vg', cnn, rgb)).toThrow(/takes \[batch, 4, 4, 1\].*channels/);
    const rank3 = tf.zeros([2, 4, 4]);
    expect(() => explain('vg', cnn, rank3)).toThrow(/takes \[batch, 4, 4, 1\].*NHWC/);
    const ok = tf.zeros([1, 4, 4, 1]);
    const attr = explain('vg', cnn, ok);
    expect(attr.shape).toEqual([1, 4, 4, 1]);
    expect(() => explain('vg', cnn, ok, { batchsize: 2 } as never)).toThrow(InvalidOptionError);
    tf.dispose([nan, inf, empty, rgb, rank3, ok, attr]);
    cnn.dispose();
  });
});
