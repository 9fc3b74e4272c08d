import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { countLeakedTensors, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { UnsupportedLayerError } from '../propagation/unsupported-layer-error';
import { maxAbsDiff, randomImages } from '../testing/fixtures';
import { lrp } from './lrp';
import { vanillaGradient } from './vanilla-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

type Matrix = number[][];
const pos = (v: number) => Math.max(v, 0);
const neg = (v: number) => Math.min(v, 0);

/** LRP of a Dense–ReLU chain written out on arrays (Bach et al. 2015), the last layer linear. */
function referenceLrp(
  ws: Matrix[],
  cs: number[][],
  x: number[],
  t: number,
  rule: { epsilon: number } | { alpha: number; beta: number },
): number[] {
  const acts = [x];
  ws.forEach((w, l) => {
    const z = w[0].map((_, k) => acts[l].reduce((s, a, j) => s + a * w[j][k], cs[l][k]));
    acts.push(l < ws.length - 1 ? z.map(pos) : z);
  });
  let r = acts[ws.length].map((v, k) => (k === t ? v : 0));
  for (let l = ws.length - 1; l >= 0; l--) {
    const a = acts[l];
    const w = ws[l];
    const next = a.map(() => 0);
    for (let k = 0; k < w[0].length; k++) {
      if ('epsilon' in rule) {
        const z = a.reduce((s, aj, j) => s + aj * w[j][k], cs[l][k]);
        const den = z + rule.epsilon * (z >= 0 ? 1 : -1);
        a.forEach((aj, j) => {
          next[j] += (aj * w[j][k] * r[k]) / den;
        });
      } else {
        const zp = a.reduce((s, aj, j) => s + pos(aj * w[j][k]), pos(cs[l][k])) + 1e-9;
        const zn = a.reduce((s, aj, j) => s + neg(aj * w[j][k]), neg(cs[l][k])) - 1e-9;
        a.forEach((aj, j) => {
          next[j] +=
            (rule.alpha * pos(aj * w[j][k]) * r[k]) / zp -
            (rule.beta * neg(aj * w[j][k]) * r[k]) / zn;
        });
      }
    }
    r = next;
  }
  return r;
}

function denseChain(seed: number) {
  const rng = new SeededRandom(seed);
  const sizes = [4, 5, 3, 2];
  const ws = sizes
    .slice(1)
    .map((n, l) =>
      Array.from({ length: sizes[l] }, () => Array.from({ length: n }, () => rng.normal())),
    );
  const cs = sizes.slice(1).map((n) => Array.from({ length: n }, () => 0.3 * rng.normal()));
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 5, activation: 'relu' }),
      tfl.layers.dense({ units: 3 }),
      tfl.layers.reLU(),
      tfl.layers.dense({ units: 2 }),
    ],
  });
  model.setWeights(ws.flatMap((w, l) => [tf.tensor2d(w), tf.tensor1d(cs[l])]));
  return { model, ws, cs };
}

describe('lrp', () => {
  it('equals the array reference on a Dense–ReLU chain with biases: ε, α1β0 and α2β1', () => {
    const { model, ws, cs } = denseChain(2);
    const x = tf.tensor2d(Array.from({ length: 3 }, (_, s) => [0.4 + s, -0.3, 0.9 - s, 0.2]));
    const xs = x.arraySync() as Matrix;
    const target = [0, 1, 1];
    for (const rule of [
      { rule: 'epsilon', epsilon: 1e-9 },
      { rule: 'epsilon', epsilon: 0.5 },
      { rule: 'alpha-beta', alpha: 1, beta: 0 },
      { rule: 'alpha-beta', alpha: 2, beta: 1 },
    ] as const) {
      const got = explain(lrp, model, x, { ...rule, target }).arraySync() as Matrix;
      xs.forEach((row, s) => {
        const expected = referenceLrp(ws, cs, row, target[s], rule);
        expect(maxAbsDiff(got[s], expected), JSON.stringify(rule)).toBeLessThan(1e-4);
      });
    }
    x.dispose();
  });

  it('conserves relevance on the bias-free FMNIST CNN (ε → 0 and α1β0): Σ R = f_t(x)', () => {
    const model = fmnistCnn({ seed: 5, filters: [4, 8], hiddenUnits: 16 }); // zero-initialised biases
    const x = randomImages([3, 28, 28, 1], 3);
    for (const options of [{ rule: 'epsilon' as const }, { rule: 'alpha-beta' as const }]) {
      const { attributions, info } = explainWithInfo(lrp, model, x, options);
      const gap = info.conservationGap.dataSync();
      const value = info.outputValue.dataSync();
      gap.forEach((g, i) => {
        expect(Math.abs(g) / Math.abs(value[i])).toBeLessThan(1e-4);
      });
      tf.dispose([attributions, ...Object.values(info)]);
    }
    // A large ε absorbs relevance: conservation no longer holds.
    const { attributions, info } = explainWithInfo(lrp, model, x, { epsilon: 10 });
    expect(Math.abs(info.conservationGap.dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([x, attributions, ...Object.values(info)]);
    model.dispose();
  });

  it('is gradient × input on a bias-free linear model, and does not depend on batchSize', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [3, 3, 1] }),
        tfl.layers.dense({ units: 4, useBias: false }),
      ],
    });
    const x = randomImages([3, 3, 3, 1], 4);
    const got = explain(lrp, model, x, { target: 2, batchSize: 2 });
    const all = explain(lrp, model, x, { target: 2 });
    const expected = tf.mul(explain(vanillaGradient, model, x, { target: 2 }), x);
    expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.dataSync(), all.dataSync())).toBeLessThan(1e-7);
    tf.dispose([x, got, all, expected]);
  });

  it('rejects a residual add, bad αβ and outputs other than logits; leaks nothing', async () => {
    const input = tfl.input({ shape: [4] });
    const h = tfl.layers.dense({ units: 4, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'skip' }).apply([input, h]) as tfl.SymbolicTensor;
    const residual = tfl.model({
      inputs: input,
      outputs: tfl.layers.dense({ units: 2 }).apply(sum) as tfl.SymbolicTensor,
    });
    const x4 = tf.ones([1, 4]);
    expect(() => explain(lrp, residual, x4)).toThrow(UnsupportedLayerError);
    expect(() => explain(lrp, residual, x4)).toThrow(/no rule for layer "skip" \(Add\)/);
    const inner = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
    const nested = tfl.sequential({ layers: [inner, tfl.layers.dense({ units: 2 })] });
    expect(() => explain(lrp, nested, x4)).toThrow(
      /layer "sequential_\d+" \(Sequential\) is a nested model/,
    );
    const { model } = denseChain(1);
    expect(() => explain(lrp, model, x4, { rule: 'alpha-beta', alpha: 2, beta: 0 })).toThrow(
      /α − β = 1/,
    );
    expect(() => explain(lrp, model, x4, { output: 'loss' })).toThrow(/use 'logit'/);
    const cnn = fmnistCnn({ seed: 1, filters: [2, 3], hiddenUnits: 4 });
    const x = randomImages([3, 28, 28, 1]);
    expect(
      await countLeakedTensors(() =>
        explainWithInfo(lrp, cnn, x, { rule: 'alpha-beta', batchSize: 2 }),
      ),
    ).toBe(0);
    tf.dispose([x4, x]);
  });
});
