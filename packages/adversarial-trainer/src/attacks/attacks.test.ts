import * as tf from '@tensorflow/tfjs-core';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
  UnknownPluginError,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import { maxAbs } from '../testing/attack-fixtures';
import { tinyMlp } from '../testing/tiny-models';
import { attackRegistry as attacks } from './attack';
import './registry';

const shape: [number, number, number] = [6, 6, 1];
const batch = 8;

function data(seed = 1) {
  const rng = new SeededRandom(seed);
  const x = rng.uniformTensor([batch, ...shape], 0, 1) as tf.Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: batch }, () => rng.int(4)),
    'int32',
  );
  return { x, y };
}

function meanLoss(model: ReturnType<typeof tinyMlp>, x: tf.Tensor, y: tf.Tensor1D): number {
  return tf.tidy(
    () => tf.mean(crossEntropyPerSample(model.predict(x) as tf.Tensor2D, y)).dataSync()[0],
  );
}

describe('attacks', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it.each(['pgd-linf', 'fgsm', 'pgd-l2'])(
    '%s stays inside the ε-ball and the data range and raises the loss',
    (name) => {
      const model = tinyMlp(shape);
      const { x, y } = data();
      const eps = name === 'pgd-l2' ? 1.0 : 0.1;
      const xAdv = attacks.get(name).run(model, x, y, {
        eps,
        steps: 10,
        randomStart: name !== 'fgsm',
        rng: new SeededRandom(3),
      });
      expect(xAdv.shape).toEqual(x.shape);
      const delta = tf.sub(xAdv, x);
      if (name === 'pgd-l2') {
        const norms = tf.sqrt(tf.sum(tf.square(delta), [1, 2, 3])).arraySync() as number[];
        for (const n of norms) expect(n).toBeLessThanOrEqual(eps * (1 + 1e-5));
      } else {
        expect(maxAbs(delta)).toBeLessThanOrEqual(eps + 1e-6);
      }
      expect(tf.min(xAdv).dataSync()[0]).toBeGreaterThanOrEqual(0);
      expect(tf.max(xAdv).dataSync()[0]).toBeLessThanOrEqual(1);
      expect(maxAbs(delta)).toBeGreaterThan(0);
      expect(meanLoss(model, xAdv, y)).toBeGreaterThan(meanLoss(model, x, y) + 0.05);
      tf.dispose([x, y, xAdv, delta]);
    },
  );

  it('fgsm without random start is exactly clip(x + ε·sign(∇ₓ CE))', () => {
    const model = tinyMlp(shape);
    const { x, y } = data();
    const expected = tf.tidy(() => {
      const g = tf.grad((xi: tf.Tensor) =>
        tf.sum(crossEntropyPerSample(model.predict(xi) as tf.Tensor2D, y)),
      )(x);
      return tf.clipByValue(tf.add(x, tf.mul(0.05, tf.sign(g))), 0, 1);
    });
    const xAdv = attacks.get('fgsm').run(model, x, y, { eps: 0.05 });
    expect(maxAbs(tf.sub(xAdv, expected))).toBeLessThan(1e-6);
    tf.dispose([x, y, xAdv, expected]);
  });

  it('targeted PGD moves predictions to the target and lowers its loss', () => {
    const model = tinyMlp(shape);
    const { x, y } = data();
    const target = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 4),
      'int32',
    );
    const xAdv = attacks
      .get('pgd-linf')
      .run(model, x, y, { eps: 0.5, steps: 40, targeted: true, target, rng: new SeededRandom(0) });
    expect(meanLoss(model, xAdv, target)).toBeLessThan(meanLoss(model, x, target));
    const hitsBefore = tf
      .sum(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, 1), target), 'int32'))
      .dataSync()[0];
    const hitsAfter = tf
      .sum(tf.cast(tf.equal(tf.argMax(model.predict(xAdv) as tf.Tensor, 1), target), 'int32'))
      .dataSync()[0];
    expect(hitsAfter).toBeGreaterThan(hitsBefore);
    expect(hitsAfter).toBeGreaterThanOrEqual(batch - 1);
    tf.dispose([x, y, target, xAdv]);
  });

  it('masked PGD changes only pixels where the mask is 1, and per-sample ε bounds each sample', () => {
    const model = tinyMlp(shape);
    const { x, y } = data();
    const maskValues = new Float32Array(batch * 36).map((_, i) => (i % 36 < 18 ? 1 : 0));
    const mask = tf.tensor4d(maskValues, [batch, 6, 6, 1]);
    const eps = tf.tensor1d(Array.from({ length: batch }, (_, i) => 0.02 * (i + 1)));
    const xAdv = attacks
      .get('masked-pgd')
      .run(model, x, y, { eps, steps: 5, mask, rng: new SeededRandom(1) });
    const delta = tf.sub(xAdv, x);
    expect(maxAbs(tf.mul(delta, tf.sub(1, mask)))).toBe(0);
    const perSample = tf.max(tf.abs(delta), [1, 2, 3]).arraySync() as number[];
    perSample.forEach((m, i) => expect(m).toBeLessThanOrEqual(0.02 * (i + 1) + 1e-6));
    expect(Math.max(...perSample)).toBeGreaterThan(0.1);
    tf.dispose([x, y, mask, eps, xAdv, delta]);
  });

  it('step weights of 0 freeze pixels; missing mask / target fail clearly', () => {
    const model = tinyMlp(shape);
    const { x, y } = data();
    const w = tf.concat([tf.zeros([batch, 3, 6, 1]), tf.ones([batch, 3, 6, 1])], 1) as tf.Tensor4D;
    const xAdv = attacks
      .get('pgd-linf')
      .run(model, x, y, { eps: 0.1, steps: 3, randomStart: false, stepWeights: w });
    expect(maxAbs(tf.slice(tf.sub(xAdv, x), [0, 0, 0, 0], [batch, 3, 6, 1]))).toBe(0);
    expect(() => attacks.get('masked-pgd').run(model, x, y, { eps: 0.1 })).toThrow(
      /opts\.mask is required/,
    );
    expect(() => attacks.get('pgd-linf').run(model, x, y, { eps: 0.1, targeted: true })).toThrow(
      InvalidOptionError,
    );
    expect(() => attacks.get('pgd-linf').run(model, x, y, { eps: -1 })).toThrow(/eps must be/);
    expect(() =>
      attacks.get('pgd-linf').run(model, x, y, { eps: 0.1, stepsize: 0.01 } as never),
    ).toThrow(/attack "pgd-linf" has no option "stepsize" \(did you mean "stepSize"\?\)/);
    expect(() => attacks.get('pgd-group').run(model, x, y, { eps: 0.1, pach: 2 } as never)).toThrow(
      /did you mean "patch"/,
    );
    expect(() => attacks.get('pgd-inf')).toThrow(UnknownPluginError);
    expect(() => attacks.get('pgd-inf')).toThrow(
      /fgsm, masked-pgd, pgd-group, pgd-l2, pgd-linf, pixel-budget-pgd, prox-regularised/,
    );
    tf.dispose([x, y, w, xAdv]);
  });

  it('is deterministic under a seed and leaks no tensors', async () => {
    const model = tinyMlp(shape);
    const { x, y } = data();
    const a = attacks.get('pgd-l2').run(model, x, y, { eps: 1, rng: new SeededRandom(9) });
    const b = attacks.get('pgd-l2').run(model, x, y, { eps: 1, rng: new SeededRandom(9) });
    expect(maxAbs(tf.sub(a, b))).toBe(0);
    for (const name of attacks.names()) {
      const mask = tf.ones([batch, 6, 6, 1]);
      const leaked = await countLeakedTensors(() =>
        attacks.get(name).run(model, x, y, {
          eps: 0.1,
          steps: 2,
          mask,
          // Each attack takes only its own extra options (misspelt or foreign ones fail).
          ...(name === 'pixel-budget-pgd' ? { budget: mask } : {}),
          ...(name === 'autoattack' ? { queries: 2 } : {}),
        }),
      );
      mask.dispose();
      expect(leaked, name).toBe(0);
    }
    tf.dispose([x, y, a, b]);
  });
});
