import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  assertNoLeaks,
  InvalidOptionError,
  initBackend,
  mixSeed,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { vanillaGradientExplainer } from '../model/input-gradient';
import { ssimSignal } from '../similarity/ssim';
import { spearman } from '../statistics/correlation';
import { explainerOf, linearModel } from '../testing/test-models';
import { modelParameterRandomisation } from './model-parameter-randomisation';
import { randomLogit } from './random-logit';

await initBackend({ backend: 'cpu', log: () => {} });

/** A dense net on 2×4×1 inputs: flatten → dense(5, relu) → dense(3), seeded. */
function denseNet(layers: number[]): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: [2, 4, 1] }));
  layers.forEach((units, k) =>
    model.add(
      tfl.layers.dense({
        name: `dense${k + 1}`,
        units,
        activation: k < layers.length - 1 ? 'relu' : 'linear',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 + k }),
        biasInitializer: tfl.initializers.randomNormal({ seed: 11 + k }),
      }),
    ),
  );
  return model;
}

const weightsOf = (model: tfl.LayersModel) =>
  model.getWeights().map((w) => Array.from(w.dataSync()));
const x = tf.tensor4d(
  Array.from({ length: 24 }, (_, k) => 0.5 + 0.4 * Math.sin(k * 1.3)),
  [3, 2, 4, 1],
);
const y = tf.tensor1d([0, 1, 2], 'int32');
afterAll(() => tf.dispose([x, y]));

describe('modelParameterRandomisation (Adebayo et al. 2018; Quantus MPRT)', () => {
  it('one linear layer: its gradient map is the target column of W, randomised by the row permutation', async () => {
    const model = denseNet([3]);
    const W = model.getWeights()[0].arraySync() as number[][]; // [8, 3]
    const perm = new SeededRandom(mixSeed(5, 'mprt', 'dense1')).permutation(8);
    const r = await modelParameterRandomisation.evaluate({
      model,
      x,
      y,
      explain: vanillaGradientExplainer(model),
      seed: 5,
    });
    for (let i = 0; i < 3; i++) {
      const column = W.map((row) => Math.abs(row[i]));
      const permuted = Array.from(perm, (p) => Math.abs(W[p][i]));
      expect(r.values[i]).toBeCloseTo(spearman(column, permuted), 6);
    }
    expect(r.extra!.layers).toEqual(['dense1']);
    expect(r.higherIsBetter).toBe(false);
    model.dispose();
  });

  it('cascades top-down over every weighted layer, is seeded, and restores the weights', async () => {
    const model = denseNet([5, 3]);
    const before = weightsOf(model);
    const ctx = { model, x, y, explain: vanillaGradientExplainer(model), seed: 1 };
    const a = await modelParameterRandomisation.evaluate(ctx);
    expect(weightsOf(model)).toEqual(before);
    expect(a.extra!.layers).toEqual(['dense2', 'dense1']);
    const sims = a.extra!.similarities as number[][];
    expect(sims).toHaveLength(2);
    for (let i = 0; i < 3; i++) expect(a.values[i]).toBeCloseTo((sims[0][i] + sims[1][i]) / 2, 12);
    const last = await modelParameterRandomisation.evaluate(ctx, { summary: 'last' });
    expect(last.values).toEqual(sims[1]);
    const again = await modelParameterRandomisation.evaluate({ ...ctx, batchSize: 2 });
    expect(again.values).toEqual(a.values);
    const other = await modelParameterRandomisation.evaluate({ ...ctx, seed: 2 });
    expect(other.values).not.toEqual(a.values);
    const independent = await modelParameterRandomisation.evaluate(ctx, {
      layerOrder: 'independent',
    });
    // Independent goes input-up; dense2 randomised alone is the cascade's first step (same permutation).
    expect(independent.extra!.layers).toEqual(['dense1', 'dense2']);
    expect((independent.extra!.similarities as number[][])[1]).toEqual(sims[0]);
    expect((independent.extra!.similarities as number[][])[0]).not.toEqual(sims[1]);
    expect(weightsOf(model)).toEqual(before);
    await assertNoLeaks(
      () => modelParameterRandomisation.evaluate(ctx),
      'modelParameterRandomisation',
    );
    model.dispose();
  });

  it('a map that ignores the model (x itself) passes through unchanged: similarity 1', async () => {
    const model = denseNet([5, 3]);
    const r = await modelParameterRandomisation.evaluate({
      model,
      x,
      explain: explainerOf((input) => tf.clone(input)),
    });
    for (const v of r.values) expect(v).toBeCloseTo(1, 12);
    model.dispose();
  });

  it('restores the weights when the explainer fails mid-way; needs a LayersModel', async () => {
    const model = denseNet([5, 3]);
    const before = weightsOf(model);
    let calls = 0;
    const failing = (input: tf.Tensor4D) => {
      if (++calls === 3) throw new Error('explainer broke');
      return vanillaGradientExplainer(model)(input);
    };
    await expect(
      modelParameterRandomisation.evaluate({ model, x, explain: failing }),
    ).rejects.toThrow('explainer broke');
    expect(weightsOf(model)).toEqual(before);
    // An unknown similarity fails before anything is explained.
    calls = 0;
    await expect(
      modelParameterRandomisation.evaluate(
        { model, x, explain: failing },
        { similarity: 'cosine' as never },
      ),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    expect(calls).toBe(0);
    const line = linearModel([[1], [2], [3], [4], [5], [6], [7], [8]]);
    await expect(
      modelParameterRandomisation.evaluate({
        model: line.model,
        x,
        explain: explainerOf((i) => tf.clone(i)),
      }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    line.dispose();
    model.dispose();
  });
});

describe('randomLogit (Sixt et al. 2020; Quantus RandomLogit)', () => {
  // Linear 3-class model on 2×4×1: the gradient map for class k is column k of W.
  const W = Array.from({ length: 8 }, (_, r) => [Math.sin(r + 1), Math.cos(3 * r), (r % 3) - 1]);
  const line = linearModel(W);
  afterAll(() => line.dispose());
  const ctx = { model: line.model, x, y, explain: vanillaGradientExplainer(line.model), seed: 4 };
  const column = (k: number) => {
    const c = W.map((row) => row[k]);
    const peak = Math.max(...c.map(Math.abs));
    return c.map((v) => v / peak);
  };

  it('compares the map of the label with the map of a drawn other class (SSIM of max-normalised flat maps)', async () => {
    const r = await randomLogit.evaluate(ctx);
    const off = r.extra!.offClasses as number[];
    off.forEach((o, i) => {
      expect(o).not.toBe(i);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(3);
      expect(r.values[i]).toBeCloseTo(ssimSignal(column(i), column(o)), 5);
    });
    const rho = await randomLogit.evaluate(ctx, { similarity: 'spearman' });
    off.forEach((o, i) => expect(rho.values[i]).toBeCloseTo(spearman(column(i), column(o)), 6));
    expect(r.higherIsBetter).toBe(false);
  });

  it('draws other classes from the seed, uniformly over the rest; a class-blind map scores 1', async () => {
    const draws = new Map<number, number>();
    for (let seed = 0; seed < 60; seed++) {
      const r = await randomLogit.evaluate({ ...ctx, seed }, { similarity: 'pearson' });
      const o = (r.extra!.offClasses as number[])[0];
      draws.set(o, (draws.get(o) ?? 0) + 1);
    }
    expect([...draws.keys()].sort()).toEqual([1, 2]);
    expect(Math.min(...draws.values())).toBeGreaterThan(15);
    const a = await randomLogit.evaluate(ctx);
    const b = await randomLogit.evaluate({ ...ctx, batchSize: 1 });
    expect(b.values).toEqual(a.values);
    const blind = await randomLogit.evaluate({ ...ctx, explain: explainerOf((i) => tf.mul(i, 2)) });
    for (const v of blind.values) expect(v).toBeCloseTo(1, 12);
    await assertNoLeaks(() => randomLogit.evaluate(ctx), 'randomLogit');
  });
});
