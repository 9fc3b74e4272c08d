import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, InvalidOptionError, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { linearModel } from '../testing/test-models';
import { completeness } from './completeness';

await initBackend({ backend: 'cpu', log: () => {} });

// f(x) = x·w + 0.5, w = [1, 2, 3, 4]; black baseline = min(x) = 0.2 per sample.
const line = linearModel([[1], [2], [3], [4]], [0.5]);
const x = tf.tensor4d([0.9, 0.2, 0.5, 0.7], [1, 2, 2, 1]);
// w ⊙ (x − 0.2) (Integrated Gradients of a linear model from the black baseline): sums to 3.6 = f(x) − f(b).
const complete = tf.tensor4d([0.7, 0, 0.9, 2], [1, 2, 2, 1]);
afterAll(() => {
  line.dispose();
  tf.dispose([x, complete]);
});

describe('completeness (Quantus Completeness)', () => {
  it('passes a complete map without normalisation and reports the gap', async () => {
    const ctx = { model: line.model, x, explanations: complete };
    const r = await completeness.evaluate(ctx, { normalise: false, tolerance: 1e-5 });
    expect(r.values).toEqual([1]);
    expect(Math.abs((r.extra!.gaps as number[])[0])).toBeLessThan(1e-5);
    expect(r.higherIsBetter).toBe(true);
  });

  it('by default (normalise by max|a| = 2, exact equality) the same map fails: gap 3.6/2 − 3.6', async () => {
    const r = await completeness.evaluate({ model: line.model, x, explanations: complete });
    expect(r.values).toEqual([0]);
    expect((r.extra!.gaps as number[])[0]).toBeCloseTo(1.8 - 3.6, 5);
    // Baseline 0: f(x) − f(0) = 5.6, so the gap of the unnormalised map is 3.6 − 5.6.
    const zero = await completeness.evaluate(
      { model: line.model, x, explanations: complete },
      { baseline: 0, normalise: false, tolerance: 1e-5 },
    );
    expect(zero.values).toEqual([0]);
    expect((zero.extra!.gaps as number[])[0]).toBeCloseTo(-2, 5);
    await assertNoLeaks(
      () => completeness.evaluate({ model: line.model, x, explanations: complete }),
      'completeness',
    );
    await expect(
      completeness.evaluate({ model: line.model, x, explanations: complete }, { tolerance: -1 }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
