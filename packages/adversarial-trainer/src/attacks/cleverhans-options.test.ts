import * as tf from '@tensorflow/tfjs-core';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import { maxAbs } from '../testing/attack-fixtures';
import { tinyMlp } from '../testing/tiny-models';
import { attackRegistry as attacks } from './attack';
import './registry';

const shape: [number, number, number] = [6, 6, 1];
const batch = 8;

/**
 * cleverhans' `projected_gradient_descent` written out on its own (the FMS
 * authors' FMNIST attack): `y = argmax f(x)` once when `predicted`, start
 * `x + U(−ε, ε)`, then `x ← x + Π_ε(x + α·sign(∇) − x₀)`, clipped to [0, 1]
 * only when `clip`.
 */
function referencePgd(
  model: ReturnType<typeof tinyMlp>,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  o: {
    eps: number;
    steps: number;
    stepSize: number;
    predicted: boolean;
    clip: boolean;
    seed: number;
  },
): tf.Tensor4D {
  return tf.tidy(() => {
    const labels = o.predicted ? (tf.argMax(model.predict(x) as tf.Tensor2D, 1) as tf.Tensor1D) : y;
    const grad = tf.grad((xi: tf.Tensor) =>
      tf.sum(crossEntropyPerSample(model.predict(xi) as tf.Tensor2D, labels)),
    );
    const clip = (t: tf.Tensor) => (o.clip ? tf.clipByValue(t, 0, 1) : t);
    let xAdv = clip(
      tf.add(x, tf.mul(new SeededRandom(o.seed).uniformTensor(x.shape, -1, 1), o.eps)),
    );
    for (let k = 0; k < o.steps; k++) {
      const stepped = tf.add(xAdv, tf.mul(o.stepSize, tf.sign(grad(xAdv))));
      xAdv = clip(tf.add(x, tf.clipByValue(tf.sub(stepped, x), -o.eps, o.eps)));
    }
    return xAdv as tf.Tensor4D;
  });
}

describe("pgd-linf's cleverhans options (labels, clip)", () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it.each([
    { predicted: true, clip: false },
    { predicted: false, clip: false },
    { predicted: true, clip: true },
  ])('matches a hand-written cleverhans PGD: %o', ({ predicted, clip }) => {
    const model = tinyMlp(shape);
    const rng = new SeededRandom(1);
    // Pixels at the ends of the range, so the clip decides where the iterate may go.
    const x = tf.tidy(() => tf.round(rng.uniformTensor([batch, ...shape], 0, 1))) as tf.Tensor4D;
    // Labels that disagree with the predictions, so 'true' and 'predicted' attack different losses.
    const y = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 4),
      'int32',
    );
    const o = { eps: 0.3, steps: 5, stepSize: 0.03 };
    const ours = attacks.get('pgd-linf').run(model, x, y, {
      ...o,
      labels: predicted ? 'predicted' : 'true',
      clip,
      rng: new SeededRandom(7),
    });
    const expected = referencePgd(model, x, y, { ...o, predicted, clip, seed: 7 });
    expect(maxAbs(tf.sub(ours, expected))).toBeLessThan(1e-6);
    const outside = tf.tidy(
      () =>
        tf
          .sum(tf.cast(tf.logicalOr(tf.less(ours, 0), tf.greater(ours, 1)), 'float32'))
          .dataSync()[0],
    );
    if (clip) expect(outside).toBe(0);
    // Unclipped, pixels at 0 and 1 are pushed past the range (still within ε of x).
    else expect(outside).toBeGreaterThan(0);
    expect(maxAbs(tf.sub(ours, x))).toBeLessThanOrEqual(o.eps + 1e-6);
    tf.dispose([x, y, ours, expected]);
  });

  it("'predicted' and 'true' differ where labels and predictions differ, and the defaults are the canonical ones", () => {
    const model = tinyMlp(shape);
    const rng = new SeededRandom(2);
    const x = rng.uniformTensor([batch, ...shape], 0, 1) as tf.Tensor4D;
    const predictedY = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor2D, 1)) as tf.Tensor1D;
    const wrongY = tf.tidy(() => tf.cast(tf.mod(tf.add(predictedY, 1), 4), 'int32')) as tf.Tensor1D;
    const run = (extra: object, y: tf.Tensor1D) =>
      attacks
        .get('pgd-linf')
        .run(model, x, y, { eps: 0.1, steps: 3, rng: new SeededRandom(3), ...extra });
    const onPredicted = run({ labels: 'predicted' }, wrongY);
    const onTrueWrong = run({}, wrongY);
    const onTruePredicted = run({ labels: 'true', clip: true }, predictedY);
    // Attacking the model's own predictions ignores y: it equals attacking y = argmax f(x).
    expect(maxAbs(tf.sub(onPredicted, onTruePredicted))).toBeLessThan(1e-6);
    expect(maxAbs(tf.sub(onPredicted, onTrueWrong))).toBeGreaterThan(1e-3);
    tf.dispose([x, predictedY, wrongY, onPredicted, onTrueWrong, onTruePredicted]);
  });

  it('rejects wrong values and leaks no tensors', async () => {
    const model = tinyMlp(shape);
    const x = tf.zeros([2, ...shape]) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1], 'int32');
    const pgd = attacks.get('pgd-linf');
    expect(() => pgd.run(model, x, y, { eps: 0.1, labels: 'model' as never })).toThrow(
      InvalidOptionError,
    );
    expect(() => pgd.run(model, x, y, { eps: 0.1, clip: 'no' as never })).toThrow(/clip must be/);
    const leaked = await countLeakedTensors(() => {
      tf.dispose(pgd.run(model, x, y, { eps: 0.1, steps: 2, labels: 'predicted', clip: false }));
    });
    expect(leaked).toBe(0);
    tf.dispose([x, y]);
  });
});
