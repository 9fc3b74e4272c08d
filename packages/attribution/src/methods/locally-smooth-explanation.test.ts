import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { noiseSigma, noisyCopies } from '../noise/noisy-gradients';
import { maxAbsDiff, randomImages } from '../testing/fixtures';
import { locallySmoothExplanation } from './locally-smooth-explanation';
import { vanillaGradient } from './vanilla-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const smallCnn = () => fmnistCnn({ seed: 8, filters: [4, 8], hiddenUnits: 16 });

describe('LSE (locally smooth explanation)', () => {
  it('with λ = 0 and one copy equals the closed-form solution G + d (r − ⟨d, G⟩)/(γ + ‖d‖²)', () => {
    const model = smallCnn();
    const x = randomImages([2, 28, 28, 1], 3);
    const gamma = 0.5;
    const opts = {
      samples: 1,
      lambda: 0,
      gamma,
      seed: 4,
      noiseLevel: 0.1,
      iterations: 300,
    } as const;
    const m = explain(locallySmoothExplanation, model, x, opts);
    // The same noisy copy, its loss and its loss gradient, computed independently.
    const sigma = noiseSigma(x, 0.1);
    const copy = noisyCopies(x, 1, sigma, new SeededRandom(4));
    const targets = tf.argMax(model.predict(x) as tf.Tensor, 1);
    const loss = (z: tf.Tensor) =>
      tf.neg(
        tf.sum(
          tf.mul(
            tf.logSoftmax(model.predict(z) as tf.Tensor2D),
            tf.oneHot(targets as tf.Tensor1D, 10),
          ),
          1,
        ),
      );
    const g = explain(vanillaGradient, model, copy, {
      output: 'loss',
      target: targets as tf.Tensor1D,
    });
    const r = tf.sub(loss(copy), loss(x));
    const d = tf.reshape(tf.sub(copy, x), [2, -1]);
    const G = tf.reshape(g, [2, -1]);
    const coef = tf.div(tf.sub(r, tf.sum(tf.mul(d, G), 1)), tf.add(gamma, tf.sum(tf.square(d), 1)));
    const expected = tf.add(G, tf.mul(d, tf.expandDims(coef, 1)));
    const scale = tf.max(tf.abs(expected)).dataSync()[0];
    expect(maxAbsDiff(m.dataSync(), expected.dataSync()) / scale).toBeLessThan(1e-3);
    // The fit term matters: the answer is not just the gradient.
    expect(maxAbsDiff(expected.dataSync(), G.dataSync()) / scale).toBeGreaterThan(1e-3);
    tf.dispose([x, m, sigma, copy, targets, g, r, d, G, coef, expected]);
    model.dispose();
  });

  it('goes to exactly zero for λ ≥ λ_max and gets sparser as λ grows', () => {
    const model = smallCnn();
    const x = randomImages([2, 28, 28, 1], 4);
    const zeros = (lambda: number) => {
      const m = explain(locallySmoothExplanation, model, x, {
        lambda,
        samples: 8,
        iterations: 100,
      });
      const count = tf.sum(tf.cast(tf.equal(m, 0), 'float32')).dataSync()[0];
      m.dispose();
      return count;
    };
    const total = 2 * 28 * 28;
    expect(zeros(1)).toBe(total);
    expect(zeros(5)).toBe(total);
    const few = zeros(0.01);
    const many = zeros(0.3);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThan(total);
    const absolute = explain(locallySmoothExplanation, model, x, {
      lambda: 1e6,
      lambdaScale: 'absolute',
      samples: 4,
    });
    expect(tf.max(tf.abs(absolute)).dataSync()[0]).toBe(0);
    tf.dispose([x, absolute]);
    model.dispose();
  });

  it('is seeded, leaks nothing and checks its options', async () => {
    const model = smallCnn();
    const x = randomImages([1, 28, 28, 1], 5);
    const a = explain(locallySmoothExplanation, model, x, { samples: 4, iterations: 20 });
    const b = explain(locallySmoothExplanation, model, x, { samples: 4, iterations: 20 });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    expect(
      await countLeakedTensors(() =>
        explainWithInfo(locallySmoothExplanation, model, x, {
          samples: 3,
          iterations: 5,
          batchSize: 2,
        }),
      ),
    ).toBe(0);
    expect(() => explain(locallySmoothExplanation, model, x, { lambda: -1 })).toThrow(
      /lambda must be ≥ 0/,
    );
    expect(() => explain(locallySmoothExplanation, model, x, { samples: 0 })).toThrow(
      /samples must be a positive integer/,
    );
    tf.dispose([x, a, b]);
    model.dispose();
  });
});
