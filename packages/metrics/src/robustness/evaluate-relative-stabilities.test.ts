import * as tf from '@tensorflow/tfjs-core';
import { fmnistCnn, InvalidOptionError, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import '../metric/builtin-metrics';
import { evaluateMetric } from '../metric/define-metric';
import { MissingMetricInputError } from '../metric/metric-errors';
import { vanillaGradientExplainer } from '../model/input-gradient';
import type { Explainer } from '../model/model-like';
import { evaluateRelativeStabilities } from './evaluate-relative-stabilities';

await initBackend({ backend: 'cpu', log: () => {} });

const model = fmnistCnn({ filters: [4, 8], hiddenUnits: 16, seed: 3 });
const x = tf.tensor4d(
  new SeededRandom(7).normalArray(5 * 28 * 28).map((v) => 0.5 + 0.2 * v),
  [5, 28, 28, 1],
);
const vg = vanillaGradientExplainer(model);
afterAll(() => {
  x.dispose();
  model.dispose();
});

/** The VG explainer, counting its calls and the samples it explains. */
function counting(): { explain: Explainer; calls: () => number; samples: () => number } {
  let calls = 0;
  let samples = 0;
  return {
    explain: (input, target) => {
      calls++;
      samples += input.shape[0];
      return vg(input, target);
    },
    calls: () => calls,
    samples: () => samples,
  };
}

// batchSize 12 with 5 perturbations: groups of 2 samples, so 3 groups for 5 samples.
const options = { perturbations: 5, sigma: 0.1 };
const base = { model, x, representation: 'fc1', seed: 11, batchSize: 12 };

describe('evaluateRelativeStabilities', () => {
  it('gives exactly the three evaluateMetric results with a third of the explainer calls', async () => {
    const separate = counting();
    const ctxSeparate = { ...base, explain: separate.explain };
    const expected = {
      ris: await evaluateMetric('ris', ctxSeparate, options),
      ros: await evaluateMetric('ros', ctxSeparate, options),
      rrs: await evaluateMetric('rrs', ctxSeparate, options),
    };
    const shared = counting();
    const got = await evaluateRelativeStabilities({ ...base, explain: shared.explain }, options);
    expect(got).toStrictEqual(expected);
    // Three distinct metrics, not one copied three times.
    expect(got.ris.values).not.toEqual(got.ros.values);
    expect(got.rrs.values).not.toEqual(got.ros.values);
    expect(got.ris.extra!.log10).toBeDefined();
    // One pass: per group one call on the originals and one on their copies.
    expect(shared.calls()).toBe(2 * 3);
    expect(shared.samples()).toBe(5 * (1 + options.perturbations));
    expect(separate.calls()).toBe(3 * shared.calls());
    expect(separate.samples()).toBe(3 * shared.samples());
  });

  it('a subset of the kinds matches too, and is seeded (same seed, same bits)', async () => {
    const ctx = { model, x, explain: vg, seed: 5 };
    const a = await evaluateRelativeStabilities(ctx, { perturbations: 3 }, ['ros', 'ris']);
    expect(Object.keys(a).sort()).toEqual(['ris', 'ros']);
    expect(a.ris).toStrictEqual(await evaluateMetric('ris', ctx, { perturbations: 3 }));
    expect(a.ros).toStrictEqual(await evaluateMetric('ros', ctx, { perturbations: 3 }));
    const b = await evaluateRelativeStabilities(ctx, { perturbations: 3 }, ['ros', 'ris']);
    expect(b).toStrictEqual(a);
    const other = await evaluateRelativeStabilities({ ...ctx, seed: 6 }, { perturbations: 3 }, [
      'ris',
    ]);
    expect(other.ris.values).not.toEqual(a.ris.values);
  });

  it('the Quantus protocol in one pass is bit-identical to separate evaluations too', async () => {
    const ctx = { ...base, explain: vg };
    const quantus = { protocol: 'quantus' as const, perturbations: 5, meanOverBatchesOf: 2 };
    const got = await evaluateRelativeStabilities(ctx, quantus);
    for (const name of ['ris', 'ros', 'rrs'] as const) {
      expect(got[name]).toStrictEqual(await evaluateMetric(name, ctx, quantus));
      expect(got[name].extra!.nanSamples).toEqual(got[name].extra!.skipped);
      expect(typeof got[name].extra!.log10MeanOverBatches).toBe('number');
    }
  });

  it('leaves no tensors behind', async () => {
    const ctx = { ...base, explain: vg };
    await evaluateRelativeStabilities(ctx, options); // warm-up (layer weights, kernels)
    const before = tf.memory().numTensors;
    await evaluateRelativeStabilities(ctx, options);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails before any work as evaluateMetric does: rrs without representation, bad names, options', async () => {
    const tracker = counting();
    const ctx = { model, x, explain: tracker.explain };
    const expected = await evaluateMetric('rrs', ctx).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(MissingMetricInputError);
    const got = await evaluateRelativeStabilities(ctx, options).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(MissingMetricInputError);
    expect((got as Error).message).toBe((expected as Error).message);
    expect(tracker.calls()).toBe(0);
    await expect(
      evaluateRelativeStabilities(ctx, {}, ['ris', 'lis' as 'ris']),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(evaluateRelativeStabilities(ctx, {}, [])).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    await expect(evaluateRelativeStabilities(ctx, { sigmaa: 1 } as never, ['ris'])).rejects.toThrow(
      /has no option "sigmaa"/,
    );
    expect(tracker.calls()).toBe(0);
  });
});
