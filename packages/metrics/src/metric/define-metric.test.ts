import * as tf from '@tensorflow/tfjs-core';
import {
  assertNoLeaks,
  fmnistCnn,
  InvalidOptionError,
  initBackend,
  ShapeError,
  UnknownPluginError,
} from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { vanillaGradientExplainer } from '../model/input-gradient';
import { explainerOf } from '../testing/test-models';
import { builtinMetrics } from './builtin-metrics';
import { defineMetric, evaluateMetric, metricRegistry } from './define-metric';
import {
  EmptyBatchError,
  MissingMetricInputError,
  NonFiniteExplanationError,
} from './metric-errors';
import '../index';

await initBackend({ backend: 'cpu', log: () => {} });

const x = tf.tensor4d([0.1, 0.5, 0.3, 0.9], [1, 2, 2, 1]);
afterAll(() => x.dispose());

describe('defineMetric and the registry', () => {
  it('registers every built-in under its results key and fails on unknown names listing them', () => {
    expect(metricRegistry.names()).toEqual(
      expect.arrayContaining([
        'gini',
        'ris',
        'ros',
        'rrs',
        'cleanAcc',
        'robustAcc',
        'deletionAuc',
        'curvature',
        'advClassRetrieval',
        'explanationConsistency',
        'faithfulnessCorrelation',
        'monotonicity',
        'pixelFlipping',
        'sufficiency',
        'complexity',
        'completeness',
        'modelParameterRandomisation',
        'randomLogit',
        'inputInvariance',
        'monotonicityCorrelation',
      ]),
    );
    expect(builtinMetrics.length).toBe(35);
    expect(() => metricRegistry.get('ginni')).toThrow(UnknownPluginError);
    expect(() => metricRegistry.get('ginni')).toThrow(/known metrics: .*gini/);
  });

  it('runs a user metric through the same runner: mean, CI, option merging', async () => {
    const sumAbove = defineMetric({
      name: 'countAbove',
      description: 'number of attribution entries above a threshold',
      higherIsBetter: false,
      requires: ['explanations'],
      defaults: { threshold: 0.2 },
      compute: (ctx, { threshold }) => ({
        values: tf
          .tidy(() =>
            tf.sum(tf.cast(tf.greater(ctx.explanations!, threshold), 'float32'), [1, 2, 3]),
          )
          .dataSync(),
      }),
    });
    expect(metricRegistry.get('countAbove')).toBe(sumAbove);
    const e = tf.tensor4d([0.1, 0.5, 0.3, 0.9, 0, 0, 0, 1], [2, 2, 2, 1]);
    const r = await evaluateMetric('countAbove', { explanations: e });
    expect(r).toMatchObject({ name: 'countAbove', values: [3, 1], mean: 2, higherIsBetter: false });
    expect(r.ci[0]).toBeLessThanOrEqual(2);
    expect(r.ci[1]).toBeGreaterThanOrEqual(2);
    expect((await sumAbove.evaluate({ explanations: e }, { threshold: 0.6 })).values).toEqual([
      1, 1,
    ]);
    await expect(sumAbove.evaluate({ explanations: e }, { treshold: 1 } as never)).rejects.toThrow(
      /no option "treshold" \(did you mean "threshold"\?\); its options are threshold/,
    );
    metricRegistry.unregister('countAbove');
    e.dispose();
  });

  it('reports missing inputs so a caller can skip, and fails naming them', async () => {
    const ris = metricRegistry.get('ris');
    expect(ris.missingInputs({ x })).toEqual(['model', 'explain']);
    expect(metricRegistry.get('gini').missingInputs({ explain: explainerOf((z) => z) })).toEqual(
      [],
    );
    expect(metricRegistry.get('rrs').missingInputs({ x })).toContain('representation');
    await expect(ris.evaluate({ x })).rejects.toThrow(MissingMetricInputError);
    await expect(ris.evaluate({ x })).rejects.toThrow(/needs "model", "explain"/);
  });

  it('computes explanations from explain when only the explainer is given', async () => {
    const r = await evaluateMetric('gini', { x, explain: explainerOf((z) => tf.mul(z, 0)) });
    expect(r.values).toEqual([0]);
    await assertNoLeaks(
      () => evaluateMetric('gini', { x, explain: explainerOf((z) => tf.square(z)), batchSize: 1 }),
      'gini via explain',
    );
  });
});

describe('bad input', () => {
  it('rejects NaN or infinite explanations, given or returned by the explainer', async () => {
    const nan = tf.tensor4d([0.1, Number.NaN, 0.3, 0.9], [1, 2, 2, 1]);
    await expect(evaluateMetric('gini', { explanations: nan })).rejects.toThrow(
      NonFiniteExplanationError,
    );
    await expect(evaluateMetric('gini', { explanations: nan })).rejects.toThrow(
      /1 NaN or infinite value/,
    );
    const inf = explainerOf((z) => tf.div(z, 0));
    await expect(evaluateMetric('gini', { x, explain: inf })).rejects.toThrow(
      NonFiniteExplanationError,
    );
    const model = (input: tf.Tensor4D) => tf.reshape(input, [input.shape[0], -1]);
    await expect(evaluateMetric('ris', { x, model, explain: inf })).rejects.toThrow(
      NonFiniteExplanationError,
    );
    nan.dispose();
  });

  it('rejects shape mismatches and empty batches', async () => {
    const wrong = tf.zeros([1, 2, 3, 1]) as tf.Tensor4D;
    await expect(evaluateMetric('gini', { x, explanations: wrong })).rejects.toThrow(ShapeError);
    await expect(evaluateMetric('gini', { x, explanations: wrong })).rejects.toThrow(
      /shape \[1, 2, 3, 1\] but the inputs have shape \[1, 2, 2, 1\]/,
    );
    const empty = tf.zeros([0, 2, 2, 1]) as tf.Tensor4D;
    await expect(evaluateMetric('gini', { explanations: empty })).rejects.toThrow(EmptyBatchError);
    await expect(
      evaluateMetric('cleanAcc', { x: empty, y: tf.tensor1d([], 'int32'), model: (i) => i }),
    ).rejects.toThrow(EmptyBatchError);
    const labels = tf.tensor1d([0, 1], 'int32');
    await expect(
      evaluateMetric('cleanAcc', { x, y: labels, model: (i) => tf.reshape(i, [1, -1]) }),
    ).rejects.toThrow(/y has 2 labels but x has 1 samples/);
    const rank3 = tf.zeros([2, 2, 1]);
    await expect(evaluateMetric('gini', { explanations: rank3 as never })).rejects.toThrow(
      /rank 3/,
    );
    tf.dispose([wrong, empty, labels, rank3]);
  });

  it('rejects bad options with what was expected', async () => {
    const model = (input: tf.Tensor4D) => tf.reshape(input, [input.shape[0], -1]);
    const explain = explainerOf((z) => tf.square(z));
    await expect(evaluateMetric('ris', { x, model, explain }, { p: 0.5 })).rejects.toThrow(
      InvalidOptionError,
    );
    await expect(
      evaluateMetric('ris', { x, model, explain }, { perturbations: 0 }),
    ).rejects.toThrow(/positive integer/);
    await expect(evaluateMetric('gini', { x, explain, dataRange: [1, 0] })).rejects.toThrow(
      /max > min/,
    );
  });
});

describe('on a real model', () => {
  it('RIS and ROS of VG on the FMNIST CNN run batched, are seeded and leak nothing', async () => {
    const model = fmnistCnn({ seed: 0, filters: [4, 8], hiddenUnits: 16 });
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ctx = { model, x: images, explain: vanillaGradientExplainer(model), batchSize: 64 };
    const a = await evaluateMetric('ris', ctx, { perturbations: 10 });
    expect(a.values.length + (a.extra!.skipped as number[]).length).toBe(3);
    expect(await evaluateMetric('ris', ctx, { perturbations: 10 })).toEqual(a);
    await assertNoLeaks(() => evaluateMetric('ros', ctx, { perturbations: 10 }), 'ros on cnn');
    await assertNoLeaks(
      () => evaluateMetric('rrs', { ...ctx, representation: 'fc1' }, { perturbations: 10 }),
      'rrs on cnn',
    );
    images.dispose();
    model.dispose();
  });
});
