import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { giniIndex, giniSparsity } from './gini-sparsity';
import { groupSparsity, topPatchEnergyShare } from './group-sparsity';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const gini = (rows: number[][]) => Array.from(giniIndex(tf.tensor2d(rows)).dataSync());

describe('giniIndex', () => {
  it('is 0 for a uniform vector and 1 − 1/n for a one-hot vector', () => {
    const [uniform, oneHot, zero] = gini([
      [0.5, 0.5, 0.5, 0.5, 0.5],
      [0, 0, 7, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(uniform).toBeCloseTo(0, 6);
    expect(oneHot).toBeCloseTo(1 - 1 / 5, 6);
    expect(zero).toBe(0);
  });

  it('matches hand computations on small vectors (signs ignored)', () => {
    // [1,2,3,4]: 1 − 2·(1·3.5 + 2·2.5 + 3·1.5 + 4·0.5)/(10·4) = 0.25
    // [−3,0,1,0] → |a| sorted [0,0,1,3]: 1 − 2·(1·1.5 + 3·0.5)/(4·4) = 0.625
    const [a, b] = gini([
      [4, 1, 3, 2],
      [-3, 0, 1, 0],
    ]);
    expect(a).toBeCloseTo(0.25, 6);
    expect(b).toBeCloseTo(0.625, 6);
  });

  it('evaluates per sample over h·w·c with a mean and CI, without leaks', async () => {
    const explanations = tf.tensor4d([1, 1, 1, 1, 0, 0, 0, 5], [2, 2, 1, 2]);
    const result = await giniSparsity.evaluate({ explanations });
    expect(result.values[0]).toBeCloseTo(0, 6);
    expect(result.values[1]).toBeCloseTo(0.75, 6);
    expect(result.mean).toBeCloseTo(0.375, 6);
    expect(result.higherIsBetter).toBe(true);
    await assertNoLeaks(() => giniSparsity.evaluate({ explanations }), 'gini');
    explanations.dispose();
  });
});

describe('groupSparsity', () => {
  // 4×4 map, 2×2 patches: energies TL 4 (four 1s), TR 4 (one 2), BL 1, BR 0; total 9.
  const map = [1, 1, 0, 2, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];

  it('gives the hand-computed share of energy in the top patches', () => {
    const e = tf.tensor4d(map, [1, 4, 4, 1]);
    expect(topPatchEnergyShare(e, 2, 0.25).dataSync()[0]).toBeCloseTo(4 / 9, 6);
    expect(topPatchEnergyShare(e, 2, 0.5).dataSync()[0]).toBeCloseTo(8 / 9, 6);
    e.dispose();
  });

  it('gives ⌈q·G⌉/G for a constant and for an all-zero map', async () => {
    const constant = tf.fill([1, 4, 4, 1], 0.3) as tf.Tensor4D;
    const zero = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(
      (
        await groupSparsity.evaluate(
          { explanations: constant },
          { patchSize: 2, topFraction: 0.25 },
        )
      ).values[0],
    ).toBeCloseTo(0.25, 6);
    expect(
      (await groupSparsity.evaluate({ explanations: zero }, { patchSize: 2, topFraction: 0.25 }))
        .values[0],
    ).toBeCloseTo(0.25, 6);
    tf.dispose([constant, zero]);
  });
});
