import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { INTEGRATION_RULES } from '../integration/integration-rules';
import { linearModel, maxAbsDiff, quadraticModel, randomImages } from '../testing/fixtures';
import { integratedGradients } from './integrated-gradients';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const smallCnn = () => fmnistCnn({ seed: 2, filters: [4, 8], hiddenUnits: 16 });

describe('integratedGradients', () => {
  it.each(INTEGRATION_RULES)('of a linear model is (x − b) ⊙ w exactly (%s)', (rule) => {
    const { model, w } = linearModel(4);
    const x = randomImages([2, 2, 2, 1], 1);
    const baseline = randomImages([2, 2, 1], 9); // one sample, used for every sample
    const attr = explain(integratedGradients, model, x, {
      target: [1, 2],
      rule,
      steps: 5,
      baseline,
    });
    const got = attr.arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    const bs = (baseline.arraySync() as number[][][]).flat(2);
    [1, 2].forEach((t, s) => {
      const expected = xs[s].flat(2).map((v, i) => (v - bs[i]) * w[i][t]);
      expect(maxAbsDiff(got[s].flat(2), expected)).toBeLessThan(1e-6);
    });
    tf.dispose([x, baseline, attr]);
  });

  it('of a quadratic model with a zero baseline is a_t ⊙ x² (the exact integral), for Gauss–Legendre and trapezoid', () => {
    const { model, a } = quadraticModel();
    const x = randomImages([1, 2, 2, 1], 6);
    const xs = (x.arraySync() as number[][][][])[0].flat(2);
    for (const rule of ['gauss-legendre', 'riemann-trapezoid'] as const) {
      const attr = explain(integratedGradients, model, x, { target: 1, rule, steps: 3 });
      expect(
        maxAbsDiff(
          attr.dataSync(),
          xs.map((v, i) => a[i][1] * v * v),
        ),
      ).toBeLessThan(1e-6);
      attr.dispose();
    }
    x.dispose();
  });

  it('gives the same map for any batchSize (steps chunked into batches) and leaks nothing', async () => {
    const model = smallCnn();
    const x = randomImages([3, 28, 28, 1], 3);
    const big = explain(integratedGradients, model, x, { steps: 8, batchSize: 64 });
    const small = explain(integratedGradients, model, x, { steps: 8, batchSize: 2 });
    expect(maxAbsDiff(big.dataSync(), small.dataSync())).toBeLessThan(1e-5);
    const leaked = await countLeakedTensors(() =>
      explainWithInfo(integratedGradients, model, x, { steps: 4, batchSize: 5, baseline: 'blur' }),
    );
    expect(leaked).toBe(0);
    tf.dispose([x, big, small]);
    model.dispose();
  });

  it("supports 'blur', seeded 'uniform' and function baselines", () => {
    const { model } = linearModel(2);
    const x = randomImages([2, 2, 2, 1], 12);
    const a = explain(integratedGradients, model, x, { baseline: 'uniform', seed: 4, steps: 2 });
    const b = explain(integratedGradients, model, x, { baseline: 'uniform', seed: 4, steps: 2 });
    const c = explain(integratedGradients, model, x, { baseline: 'uniform', seed: 5, steps: 2 });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    expect(maxAbsDiff(a.dataSync(), c.dataSync())).toBeGreaterThan(0);
    // A baseline equal to x explains nothing.
    const none = explain(integratedGradients, model, x, {
      baseline: (input: tf.Tensor) => tf.clone(input),
    });
    expect(maxAbsDiff(none.dataSync(), new Float32Array(8))).toBe(0);
    const blurred = explain(integratedGradients, model, x, { baseline: 'blur', blurSigma: 1 });
    expect(blurred.shape).toEqual(x.shape);
    tf.dispose([x, a, b, c, none, blurred]);
  });

  it('rejects a baseline of the wrong shape and a misspelt option', () => {
    const { model } = linearModel();
    const x = randomImages([2, 2, 2, 1]);
    expect(() => explain(integratedGradients, model, x, { baseline: tf.zeros([3, 3, 1]) })).toThrow(
      /baseline has shape \[3, 3, 1\], expected \[2, 2, 2, 1\]/,
    );
    expect(() => explain('ig', model, x, { step: 8 } as never)).toThrow(
      /has no option "step" \(did you mean "steps"\?\); its options are .*steps/,
    );
    x.dispose();
  });
});
