import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, InvalidOptionError, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelLike } from '../model/model-like';
import { roadAopc } from './road';

await initBackend({ backend: 'cpu', log: () => {} });

// 4×4 images; class 0 while pixel (0, 0) > 0.5, else class 1: logits [x₀₀, 0.5].
const firstPixel: ModelLike = (input) =>
  tf.tidy(() => {
    const p = tf.reshape(tf.slice(input, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1, 1]);
    return tf.concat([p, tf.fill(p.shape as [number, number], 0.5)], 1);
  });
const lonely = Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : 0)); // its neighbours are 0
const crowded = new Array(16).fill(1); // its neighbours are 1
const x = tf.tensor4d([...lonely, ...crowded], [2, 4, 4, 1]);
const y = tf.tensor1d([0, 0], 'int32');
const pointsAt = (pixel: number) =>
  Array.from({ length: 16 }, (_, i) => (i === pixel ? 1 : (0.1 * (16 - i)) / 16));
afterAll(() => tf.dispose([x, y]));

describe('ROAD AOPC MoRF (FMS authors: percentages 1, 6, …, 96, noise 0.01)', () => {
  it('a map that ranks the decisive pixel first: removed from 11% on (⌊16·0.11⌋ = 1), AOPC = 18/21', async () => {
    const explanations = tf.tensor4d([...pointsAt(0), ...pointsAt(0)], [2, 4, 4, 1]);
    const r = await roadAopc.evaluate({ model: firstPixel, x, y, explanations, seed: 1 });
    // Sample 0: imputed from zero neighbours → ≈ 0 → class 1. Sample 1: imputed from ones → ≈ 1, class kept.
    expect(r.values[0]).toBeCloseTo(18 / 21, 12);
    expect(r.values[1]).toBe(0);
    const accuracy = r.extra!.accuracy as number[];
    expect(accuracy.slice(0, 3)).toEqual([1, 1, 0.5]);
    expect(r.extra!.percentages).toHaveLength(20);
    expect(r.higherIsBetter).toBe(true);
    explanations.dispose();
  });

  it('a map that ranks it last never removes it (96% of 16 is 15 pixels): AOPC 0', async () => {
    const explanations = tf.tensor4d(
      [...pointsAt(15), ...pointsAt(15)].map((v, i) => (i % 16 === 0 ? -1 : v)),
      [2, 4, 4, 1],
    );
    const r = await roadAopc.evaluate(
      { model: firstPixel, x, y, explanations, seed: 1 },
      { pixelRelevance: 'signed' },
    );
    expect(r.values).toEqual([0, 0]);
    explanations.dispose();
  });

  it('acc₀ is the accuracy at the first percentage; without y the target is the predicted class', async () => {
    const explanations = tf.tensor4d([...pointsAt(0), ...pointsAt(0)], [2, 4, 4, 1]);
    // Removing the pixel from the first percentage on: c₀ = 0 too, so every term is 0.
    const r = await roadAopc.evaluate(
      { model: firstPixel, x, explanations, seed: 1 },
      { percentages: [10, 50] },
    );
    expect(r.values).toEqual([0, 0]);
    const two = await roadAopc.evaluate(
      { model: firstPixel, x, explanations, seed: 1 },
      { percentages: [0, 10, 50] },
    );
    expect(two.values[0]).toBeCloseTo(2 / 4, 12);
    await assertNoLeaks(
      () =>
        roadAopc.evaluate(
          { model: firstPixel, x, explanations, seed: 1 },
          { percentages: [0, 10] },
        ),
      'roadAopc',
    );
    await expect(
      roadAopc.evaluate({ model: firstPixel, x, explanations }, { percentages: [100] }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    explanations.dispose();
  });
});
