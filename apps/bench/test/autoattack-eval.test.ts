import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createProgressRenderer, initBackend } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config';
import { attackSetting } from '../src/run/attack-settings';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

function config(
  evalAttack: { name: string; options?: Record<string, unknown> },
  eps: number | null = 0.02,
) {
  return validateConfig({
    preset: `robust-acc-${evalAttack.name}`,
    dataset: { name: 'fashion-mnist', trainLimit: 512, testLimit: 32 },
    model: { name: 'fmnist-cnn', options: { filters: [4, 8], hiddenUnits: 16 } },
    variants: [{ training: 'standard' }],
    training: { epochs: 1, batchSize: 32 },
    attack: { ...(eps === null ? {} : { eps }), trainSteps: 1, evalSteps: 5, eval: evalAttack },
    explainers: ['vg'],
    metrics: ['cleanAcc', 'robustAcc'],
    evaluation: {
      samples: 32,
      stabilitySamples: 2,
      perturbations: 2,
      heatmapSamples: 1,
      batchSize: 32,
    },
  });
}

describe('robustAcc measured by AutoAttack by name [slow]', () => {
  it('APGD, Square and AutoAttack take no PGD step size and the dataset ε', () => {
    for (const name of ['apgd-ce', 'apgd-t', 'square', 'autoattack']) {
      const setting = attackSetting(config({ name }), 'eval');
      expect(setting.options).toEqual({ eps: 0.02, steps: 5 });
    }
    expect(attackSetting(config({ name: 'pgd-linf' }), 'eval').options.stepSize).toBeCloseTo(
      (2.5 * 0.02) / 5,
    );
    const l2 = config({ name: 'autoattack', options: { norm: 'l2' } }, null);
    // An L2 AutoAttack does not inherit the dataset's L∞ radius.
    expect(() => attackSetting(l2, 'eval')).toThrow(/needs its radius/);
  });

  it('a config with attack.eval = { name: "autoattack" } runs, and its robust accuracy is at most PGD’s', async () => {
    await initBackend({ log: () => {} });
    const tensors = tf.memory().numTensors;
    const run = async (evalAttack: { name: string; options?: Record<string, unknown> }) => {
      const results = await runExperiment(config(evalAttack), {
        out: mkdtempSync(join(tmpdir(), `bench-${evalAttack.name}-`)),
        progress: quiet,
      });
      const [row] = results.rows;
      expect(row.attack?.eval.name).toBe(evalAttack.name);
      return row.metrics;
    };
    const pgd = await run({ name: 'pgd-linf' });
    const auto = await run({ name: 'autoattack', options: { queries: 20 } });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(auto.cleanAcc).toBe(pgd.cleanAcc);
    expect(Number.isFinite(auto.robustAcc)).toBe(true);
    expect(auto.robustAcc).toBeLessThanOrEqual(pgd.robustAcc);
    console.log(
      `clean ${pgd.cleanAcc} robustAcc: pgd-linf ${pgd.robustAcc}, autoattack ${auto.robustAcc}`,
    );
  });
});
