import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, quadraticModel, randomImages } from '../testing/fixtures';
import { noiseTunnel } from './noise-tunnel';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('noise-tunnel', () => {
  it('with stdevs 0 returns the wrapped map (IG, Grad-CAM) for each sample’s own target; vargrad is 0', () => {
    const model = fmnistCnn({ seed: 5, inputShape: [8, 8, 1], filters: [3, 4], hiddenUnits: 6 });
    const x = randomImages([2, 8, 8, 1], 6);
    for (const [method, methodOptions] of [
      ['ig', { steps: 4 }],
      ['gradcam', {}],
    ] as const) {
      const direct = explain(method, model, x, { ...methodOptions, target: [3, 7] });
      const tunnel = explain(noiseTunnel, model, x, {
        method,
        methodOptions,
        stdevs: 0,
        samples: 3,
        target: [3, 7],
      });
      const variance = explain(noiseTunnel, model, x, {
        method,
        methodOptions,
        stdevs: 0,
        samples: 3,
        ntType: 'vargrad',
        target: [3, 7],
      });
      expect(maxAbsDiff(tunnel.dataSync(), direct.dataSync())).toBeLessThan(1e-5);
      expect(Math.max(...variance.dataSync())).toBeLessThan(1e-8);
      tf.dispose([direct, tunnel, variance]);
    }
    tf.dispose(x);
    model.dispose();
  });

  it('of IG on a linear model: mean (x + ε) ⊙ w, vargrad w²σ², smoothgrad_sq = vargrad + mean²', () => {
    const { model, w } = linearModel(7);
    const x = randomImages([1, 2, 2, 1], 8);
    const sigma = 0.3;
    const n = 3000;
    const opts = {
      method: 'ig',
      methodOptions: { steps: 2 },
      samples: n,
      stdevs: sigma,
      target: 2,
    };
    const mean = explain(noiseTunnel, model, x, { ...opts, batchSize: 400 }).dataSync();
    const variance = explain(noiseTunnel, model, x, { ...opts, ntType: 'vargrad' }).dataSync();
    const squares = explain(noiseTunnel, model, x, { ...opts, ntType: 'smoothgrad_sq' }).dataSync();
    const xs = x.dataSync();
    for (let i = 0; i < 4; i++) {
      const sd = Math.abs(w[i][2]) * sigma;
      expect(Math.abs(mean[i] - xs[i] * w[i][2])).toBeLessThan((4 * sd) / Math.sqrt(n) + 1e-6);
      expect(Math.abs(variance[i] - sd * sd) / (sd * sd)).toBeLessThan(0.12);
      expect(squares[i]).toBeCloseTo(variance[i] + mean[i] ** 2, 5);
    }
    x.dispose();
  });

  it('of VG on a quadratic model is SmoothGrad: mean 2a ⊙ x; seeded and independent of batchSize', () => {
    const { model, a } = quadraticModel();
    const x = tf.tensor4d([0.2, 0.9, 0.5, 0.1], [1, 2, 2, 1]);
    const n = 2000;
    const sg = explain(noiseTunnel, model, x, {
      samples: n,
      stdevs: 0.2,
      target: 0,
      batchSize: 300,
    });
    const xs = x.dataSync();
    sg.dataSync().forEach((v, i) => {
      const sd = 2 * Math.abs(a[i][0]) * 0.2;
      expect(Math.abs(v - 2 * a[i][0] * xs[i])).toBeLessThan((4 * sd) / Math.sqrt(n) + 1e-6);
    });
    const three = randomImages([3, 2, 2, 1], 1);
    const p = explain(noiseTunnel, model, three, {
      samples: 9,
      stdevs: 0.1,
      seed: 2,
      batchSize: 64,
    });
    const q = explain(noiseTunnel, model, three, {
      samples: 9,
      stdevs: 0.1,
      seed: 2,
      batchSize: 4,
    });
    const r = explain(noiseTunnel, model, three, { samples: 9, stdevs: 0.1, seed: 3 });
    expect(maxAbsDiff(p.dataSync(), q.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(p.dataSync(), r.dataSync())).toBeGreaterThan(1e-4);
    tf.dispose([x, sg, three, p, q, r]);
  });

  it('rejects a bad ntType, options that belong to the tunnel, a misspelt inner option; leaks nothing', async () => {
    const { model } = linearModel();
    const x = randomImages([2, 2, 2, 1]);
    expect(() => explain(noiseTunnel, model, x, { ntType: 'smooth' as never })).toThrow(
      /ntType "smooth" is unknown; use one of smoothgrad, smoothgrad_sq, vargrad/,
    );
    expect(() =>
      explain(noiseTunnel, model, x, { method: 'ig', methodOptions: { target: 1 } }),
    ).toThrow(/methodOptions.target is not allowed/);
    expect(() =>
      explain(noiseTunnel, model, x, { method: 'ig', methodOptions: { step: 3 } }),
    ).toThrow(/did you mean "steps"/);
    expect(() => explain(noiseTunnel, model, x, { method: 'nope' })).toThrow(/nope/);
    expect(
      await countLeakedTensors(() =>
        explain(noiseTunnel, model, x, {
          method: 'ig',
          methodOptions: { steps: 3 },
          samples: 5,
          batchSize: 4,
        }),
      ),
    ).toBe(0);
    x.dispose();
  });
});
