import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { pointingGame } from './pointing-game';
import { relevanceMass } from './relevance-mass-accuracy';
import { relevanceRank } from './relevance-rank-accuracy';

await initBackend({ backend: 'cpu', log: () => {} });

// 4×4 mask: the object is the top-left 2×2 block.
const mask = tf.tensor4d([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 4, 4, 1]);
const at = (entries: Record<number, number>) =>
  tf.tensor4d(
    Array.from({ length: 16 }, (_, i) => entries[i] ?? 0),
    [1, 4, 4, 1],
  );
afterAll(() => mask.dispose());

describe('pointing game', () => {
  it('is 1 for a map peaked inside the mask and 0 for one peaked outside', async () => {
    const inside = at({ 1: 5, 15: 2 });
    const outside = at({ 15: -9, 0: 3 });
    expect((await pointingGame.evaluate({ explanations: inside, mask })).values).toEqual([1]);
    expect((await pointingGame.evaluate({ explanations: outside, mask })).values).toEqual([0]);
    tf.dispose([inside, outside]);
  });

  it('counts a near miss within the tolerance and scores a batch', async () => {
    const near = at({ 10: 1 }); // (2,2) touches (1,1)
    expect(
      (await pointingGame.evaluate({ explanations: near, mask }, { tolerance: 1 })).values,
    ).toEqual([1]);
    expect((await pointingGame.evaluate({ explanations: near, mask })).values).toEqual([0]);
    const batch = tf.concat([at({ 4: 1 }), at({ 3: 1 })]) as tf.Tensor4D;
    const masks = tf.concat([mask, mask]);
    const r = await pointingGame.evaluate({ explanations: batch, mask: masks });
    expect(r.values).toEqual([1, 0]);
    expect(r.mean).toBe(0.5);
    tf.dispose([near, batch, masks]);
  });
});

describe('relevance mass and rank accuracy', () => {
  it('mass: share of |relevance| inside the mask', async () => {
    const e = at({ 0: 1, 15: -3 });
    expect((await relevanceMass.evaluate({ explanations: e, mask })).values[0]).toBeCloseTo(
      0.25,
      6,
    );
    expect(
      (await relevanceMass.evaluate({ explanations: e, mask }, { pixelRelevance: 'positive' }))
        .values[0],
    ).toBeCloseTo(1, 6);
    e.dispose();
  });

  it('rank: share of the top-|mask| pixels inside the mask', async () => {
    const e = at({ 0: 5, 1: 4, 15: 3, 10: 2 });
    expect((await relevanceRank.evaluate({ explanations: e, mask })).values[0]).toBeCloseTo(0.5, 6);
    e.dispose();
  });

  it('constant and zero maps give the documented values', async () => {
    const constant = tf.fill([1, 4, 4, 1], 0.2) as tf.Tensor4D;
    const zero = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect((await relevanceMass.evaluate({ explanations: constant, mask })).values[0]).toBeCloseTo(
      4 / 16,
      6,
    );
    expect((await relevanceMass.evaluate({ explanations: zero, mask })).values[0]).toBe(0);
    // ties in reading order: the first 4 pixels are row 0, of which 2 are inside.
    expect((await relevanceRank.evaluate({ explanations: constant, mask })).values[0]).toBe(0.5);
    expect((await pointingGame.evaluate({ explanations: constant, mask })).values[0]).toBe(1);
    tf.dispose([constant, zero]);
  });

  it('rejects an empty mask and a mask of the wrong size', async () => {
    const e = at({ 0: 1 });
    const empty = tf.zeros([1, 4, 4, 1]);
    const wrong = tf.ones([1, 3, 4, 1]);
    await expect(relevanceMass.evaluate({ explanations: e, mask: empty })).rejects.toThrow(
      /mask of sample 0 is empty/,
    );
    await expect(pointingGame.evaluate({ explanations: e, mask: wrong, x: e })).rejects.toThrow(
      /mask has shape \[1, 3, 4, 1\]/,
    );
    tf.dispose([e, empty, wrong]);
  });
});
