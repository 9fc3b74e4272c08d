import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRobustness, resolveAttack } from '../src/index';
import { tinyMlp } from '../src/testing/tiny-models';

// Regression test for tfjs-backend-wasm's `Sign`, which returned 0 for
// |v| < 1.19e-7: on a confident model the loss gradient is that small, so
// PGD-L∞ never moved the pixels on wasm while it did on cpu (robust accuracy
// of a ×8-logit FMNIST CNN: 0.688 on wasm, 0.188 on cpu). core-tensor now
// registers a wasm `Sign` with cpu's semantics; the attack must agree (with
// tfjs's own wasm Sign this test reads robust accuracy 0.375 on wasm, 0.1875 on cpu).

const SHAPE: [number, number, number] = [8, 8, 1];
const SAMPLES = 48;
/** Logit scale that makes the model confident enough for CE gradients below FLT_EPSILON. */
const LOGIT_SCALE = 60;

/** A tiny MLP whose output layer is scaled ×{@link LOGIT_SCALE}, with inputs labelled by its own predictions. */
function confidentSetup(): { model: tfl.LayersModel; x: tf.Tensor4D; y: tf.Tensor1D } {
  const model = tinyMlp(SHAPE, 16, 4, 3);
  const last = model.layers[model.layers.length - 1];
  last.setWeights(last.getWeights().map((w) => tf.mul(w, LOGIT_SCALE)));
  const rng = new SeededRandom(17);
  const x = tf.tensor4d(rng.uniformArray(SAMPLES * 64), [SAMPLES, ...SHAPE]);
  const y = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor2D, 1).toInt()) as tf.Tensor1D;
  return { model, x, y };
}

async function pgdOn(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  const { model, x, y } = confidentSetup();
  const options = { eps: 0.05, steps: 10, rng: new SeededRandom(4) };
  const report = await evaluateRobustness(model, [{ x, y }], 'pgd-linf', options);
  const xAdv = resolveAttack('pgd-linf').run(model, x, y, {
    eps: 0.05,
    steps: 10,
    rng: new SeededRandom(4),
  });
  const moved = tf.tidy(() => tf.sum(tf.cast(tf.greater(tf.abs(tf.sub(xAdv, x)), 0), 'int32')));
  const result = {
    robust: report.robust.accuracy,
    clean: report.clean.accuracy,
    xAdv: (await xAdv.data()) as Float32Array,
    moved: (await moved.data())[0],
  };
  tf.dispose([x, y, xAdv, moved]);
  model.dispose();
  return result;
}

describe('PGD-L∞ on a confident model', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
  });

  it('has loss gradients below FLT_EPSILON (where the old wasm Sign returned 0)', async () => {
    await tf.setBackend('cpu');
    const { model, x, y } = confidentSetup();
    const gradient = tf.tidy(() => {
      const oneHot = tf.oneHot(y, 4);
      return tf.grad((input: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(oneHot, model.predict(input) as tf.Tensor2D),
      )(x);
    });
    const values = (await gradient.data()) as Float32Array;
    const tiny = values.filter((v) => v !== 0 && Math.abs(v) < 1.19e-7).length;
    expect(tiny / values.length).toBeGreaterThan(0.5);
    tf.dispose([gradient, x, y]);
    model.dispose();
  });

  it('gives the same robust accuracy and adversarial images on wasm as on cpu for a fixed seed', async () => {
    const cpu = await pgdOn('cpu');
    const wasm = await pgdOn('wasm');
    expect(cpu.clean).toBe(1);
    expect(wasm.clean).toBe(1);
    // The attack works on this model (so a stalled one would show) …
    expect(cpu.robust).toBeLessThan(0.5);
    // … and wasm matches cpu.
    expect(wasm.robust).toBe(cpu.robust);
    expect(wasm.moved).toBe(cpu.moved);
    let maxDiff = 0;
    for (let i = 0; i < cpu.xAdv.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(cpu.xAdv[i] - wasm.xAdv[i]));
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
