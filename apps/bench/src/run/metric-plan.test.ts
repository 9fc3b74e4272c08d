import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { backgroundAttack } from '@trustgrad/adversarial-trainer';
import { initBackend, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import { type BackgroundAttack, metricRegistry } from '@trustgrad/metrics';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { attackSetting } from './attack-settings';
import { metricOptions, metricPlan } from './metric-plan';
import { validateRegisteredNames } from './validate-names';

describe('metricPlan and metricOptions', () => {
  it('reads where a metric runs from what it requires', () => {
    const plan = (name: string) => metricPlan(metricRegistry.get(name));
    expect(plan('cleanAcc')).toEqual({ perModel: true, costly: false });
    expect(plan('hessianEigenvalue')).toEqual({ perModel: true, costly: true });
    expect(plan('gini')).toEqual({ perModel: false, costly: false });
    expect(plan('relevanceRank')).toEqual({ perModel: false, costly: false });
    expect(plan('avgSensitivity')).toEqual({ perModel: false, costly: true });
    expect(plan('localLipschitz')).toEqual({ perModel: false, costly: true });
  });

  it("explanation consistency scores with the EC objective's background attack at the evaluation ε and steps", async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const cifar = loadConfig({ preset: 'cifar10' });
    const ec = metricRegistry.get('explanationConsistency');
    const options = metricOptions(cifar, ec, [0, 1]);
    expect(Object.keys(options)).toEqual(['attack']);
    const injected = options.attack as BackgroundAttack;
    const { eps, steps, stepSize } = attackSetting(cifar, 'eval').options;
    expect(eps).toBeCloseTo(8 / 255, 15);
    const expected = backgroundAttack({
      eps,
      steps,
      stepSize,
      range: [0, 1],
      rng: new SeededRandom(mixSeed(cifar.seed, 'explanation-consistency')),
    });
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [4, 4, 1] }),
        tfl.layers.dense({
          units: 3,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });
    const x = new SeededRandom(1).uniformTensor([2, 4, 4, 1], 0, 1) as tf.Tensor4D;
    const target = tf.tensor1d([0, 2], 'int32');
    const background = tf.tensor4d(
      Array.from({ length: 32 }, (_, i) => i % 2),
      [2, 4, 4, 1],
    );
    const a = (await injected(model, x, target, background)) as tf.Tensor4D;
    const b = (await expected(model, x, target, background)) as tf.Tensor4D;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const moved = Array.from(tf.sub(a, x).dataSync());
    expect(moved.some((d, i) => i % 2 === 1 && d !== 0)).toBe(true);
    expect(moved.every((d, i) => (i % 2 === 0 ? d === 0 : Math.abs(d) <= eps + 1e-6))).toBe(true);
    tf.dispose([x, target, background, a, b]);
    model.dispose();
  });

  it('metricOptions win over run-wide defaults; a config cannot replace the EC attack', () => {
    const cifar = loadConfig({ preset: 'cifar10' });
    expect(metricOptions(cifar, metricRegistry.get('ris'), [0, 1])).toEqual({
      perturbations: cifar.evaluation.perturbations,
    });
    expect(metricOptions(cifar, metricRegistry.get('gini'), [0, 1])).toEqual({});
    const tuned = loadConfig({
      preset: 'cifar10',
      set: [
        'metricOptions={"ris":{"perturbations":7,"sigma":0.1},"explanationConsistency":{"quantile":0.3}}',
      ],
    });
    expect(metricOptions(tuned, metricRegistry.get('ris'), [0, 1])).toEqual({
      perturbations: 7,
      sigma: 0.1,
    });
    expect(
      metricOptions(tuned, metricRegistry.get('explanationConsistency'), [0, 1]).quantile,
    ).toBe(0.3);
    const withAttack = loadConfig({
      preset: 'cifar10',
      set: [
        'metrics=["explanationConsistency"]',
        'metricOptions={"explanationConsistency":{"attack":"pgd"}}',
      ],
    });
    expect(() => validateRegisteredNames(withAttack)).toThrow(/attack\.eps/);
  });
});
