import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  assertNoLeaks,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { vanillaGradientExplainer } from '../model/input-gradient';
import type { Explainer } from '../model/model-like';
import { inputInvariance } from './input-invariance';

await initBackend({ backend: 'cpu', log: () => {} });

/** conv(3×3, 3 filters, relu) → flatten → dense(3), weights drawn from a fixed seed. */
function net(padding: 'valid' | 'same'): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [5, 5, 1],
      filters: 3,
      kernelSize: 3,
      padding,
      activation: 'relu',
    }),
  );
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 3 }));
  const rng = new SeededRandom(3);
  const drawn = model.getWeights().map((w) => rng.normalTensor(w.shape, 0.1, 0.5));
  model.setWeights(drawn);
  tf.dispose(drawn);
  return model;
}

const x = tf.tensor4d(
  Array.from({ length: 50 }, (_, k) => 0.5 + 0.45 * Math.sin(2.1 * k)),
  [2, 5, 5, 1],
);
afterAll(() => x.dispose());
const inputTimesGradient = (model: tfl.LayersModel): Explainer => {
  const vg = vanillaGradientExplainer(model);
  return async (input, target) => {
    const g = await vg(input, target);
    const out = tf.mul(g, input) as tf.Tensor4D;
    g.dispose();
    return out;
  };
};

describe('inputInvariance (Kindermans et al. 2019; Quantus InputInvariance)', () => {
  it('the shifted model computes the same logits, so the gradient is invariant; input × gradient is not', async () => {
    const model = net('valid');
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const logits = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(logits)).dataSync()[0]).toBeGreaterThan(0.1); // a live network
    logits.dispose();
    const vg = await inputInvariance.evaluate({
      model,
      x,
      explain: vanillaGradientExplainer(model),
    });
    expect(vg.values).toEqual([1, 1]);
    for (const d of vg.extra!.maxAbsDifference as number[]) expect(d).toBeLessThan(1e-5);
    const ixg = await inputInvariance.evaluate({ model, x, explain: inputTimesGradient(model) });
    expect(ixg.values).toEqual([0, 0]);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(vg.higherIsBetter).toBe(true);
    await assertNoLeaks(
      () => inputInvariance.evaluate({ model, x, explain: vanillaGradientExplainer(model) }),
      'inputInvariance',
    );
    model.dispose();
  });

  it('with no shift every method is invariant; a Dense first layer works too', async () => {
    const model = net('valid');
    const none = await inputInvariance.evaluate(
      { model, x, explain: inputTimesGradient(model) },
      { inputShift: 0 },
    );
    expect(none.values).toEqual([1, 1]);
    const dense = tfl.sequential();
    dense.add(tfl.layers.flatten({ inputShape: [5, 5, 1] }));
    dense.add(tfl.layers.dense({ units: 4, activation: 'relu', biasInitializer: 'ones' }));
    dense.add(tfl.layers.dense({ units: 2, kernelInitializer: 'ones' }));
    const r = await inputInvariance.evaluate(
      { model: dense, x, explain: vanillaGradientExplainer(dense) },
      { inputShift: 0.7 },
    );
    expect(r.values).toEqual([1, 1]);
    const ixg = await inputInvariance.evaluate(
      { model: dense, x, explain: inputTimesGradient(dense) },
      { inputShift: 0.7 },
    );
    expect(ixg.values).toEqual([0, 0]);
    tf.dispose([model, dense].flatMap((m) => m.getWeights()));
  });

  it('restores the bias when explaining fails; rejects a model it cannot shift', async () => {
    const model = net('same');
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    let calls = 0;
    const failing: Explainer = (input, target) => {
      if (++calls === 2) throw new Error('explainer broke');
      return vanillaGradientExplainer(model)(input, target);
    };
    await expect(inputInvariance.evaluate({ model, x, explain: failing })).rejects.toThrow(
      'explainer broke',
    );
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    const noBias = tfl.sequential();
    noBias.add(tfl.layers.flatten({ inputShape: [5, 5, 1] }));
    noBias.add(tfl.layers.dense({ units: 2, useBias: false }));
    await expect(
      inputInvariance.evaluate({ model: noBias, x, explain: vanillaGradientExplainer(noBias) }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    model.dispose();
    noBias.dispose();
  });
});
