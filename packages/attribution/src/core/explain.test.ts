import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  attributionMethods,
  defineAttribution,
  explain,
  explainWithInfo,
  listAttributions,
  registerAttribution,
} from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

afterEach(() => {
  attributionMethods.unregister('gradient-sign');
  attributionMethods.unregister('broken');
});

describe('explain and the attribution registry', () => {
  it('lists the built-ins', () => {
    expect(listAttributions()).toEqual([
      'grad-cam',
      'gradient-x-input',
      'integrated-gradients',
      'lse',
      'smoothgrad',
      'smoothgrad-squared',
      'vanilla-gradient',
      'vargrad',
    ]);
  });

  it('runs a user plugin by name with its defaults, options and extras', () => {
    const gradientSign = defineAttribution({
      name: 'gradient-sign',
      describe: 'sign of the gradient, times a scale',
      defaults: { scale: 1 },
      explain: (ctx, x, { scale }) => ({
        attributions: tf.mul(tf.sign(ctx.gradient(x)), scale),
        info: { value: ctx.quantity(x) },
      }),
    });
    registerAttribution(gradientSign);
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
    expect(() => registerAttribution(gradientSign)).toThrow(/already registered/);
    tf.dispose([x, attr, info.value]);
  });

  it('fails clearly: unknown method (listing the known), unknown option, bad target, wrong output shape', () => {
    const { model } = linearModel();
    const x = randomImages([2, 2, 2, 1]);
    expect(() => explain('integrated-gradient', model, x)).toThrow(
      /unknown attribution method "integrated-gradient"; known attribution methods: grad-cam, .*integrated-gradients/,
    );
    expect(() => explain('smoothgrad', model, x, { sigma: 0.1 } as never)).toThrow(
      /has no option "sigma".*noiseLevel/,
    );
    expect(() => explain('vanilla-gradient', model, x, { target: 3 })).toThrow(
      /target\[0\] = 3 is not a class.*\[0, 2\]/,
    );
    expect(() => explain('vanilla-gradient', model, x, { target: [0] })).toThrow(
      /1 classes for a batch of 2/,
    );
    expect(() => explain('vanilla-gradient', model, x, { output: 'logits' as never })).toThrow(
      /output "logits"/,
    );
    expect(() => explain('vanilla-gradient', model, tf.zeros([4]))).toThrow(/batch tensor/);
    registerAttribution(
      defineAttribution({
        name: 'broken',
        describe: '',
        defaults: {},
        explain: (_ctx, x) => tf.sum(x, 0),
      }),
    );
    expect(() => explain('broken', model, x)).toThrow(
      /"broken" returned shape \[2, 2, 1\] for input \[2, 2, 2, 1\]/,
    );
    x.dispose();
  });

  it('accepts a predict() object and a function alike', () => {
    const { model } = linearModel(4);
    const x = randomImages([2, 2, 2, 1], 8);
    const a = explain('vanilla-gradient', model, x);
    const b = explain('vanilla-gradient', { predict: model }, x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, a, b]);
  });
});
