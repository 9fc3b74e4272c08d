import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { attackSetting } from './attack-settings';
import { smoothingOptions } from './build-model';
import { learningRate, optimizerOf } from './train-variant';
import { labelOfVariant, variantConfig } from './variant-config';

describe('variantConfig: a variant changes its attack and training settings over the run', () => {
  it("the lite preset's ε sweep: each AT+FMS row trains at its own ε, every row is evaluated at the run's", () => {
    const config = loadConfig({ preset: 'fms-fmnist-lite' });
    const rows = config.variants.map((v) => {
      const run = variantConfig(config, v);
      return {
        label: labelOfVariant(v),
        train: attackSetting(run, 'train').options,
        eval: attackSetting(run, 'eval').options,
        lr: run.training.learningRate,
      };
    });
    expect(rows.map((r) => r.label)).toEqual([
      'ST',
      'ST+FMS',
      'AT',
      'AT+FMS [ε=0.1]',
      'AT+FMS [ε=0.01]',
    ]);
    expect(rows.map((r) => r.train.eps)).toEqual([0.1, 0.1, 0.1, 0.1, 0.01]);
    expect(rows.map((r) => r.eval.eps)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    // PGD-40 with steps of ε/10 (SPEC 6), the cleverhans options kept under the variant's ε.
    expect(rows[4].train).toMatchObject({ steps: 40, labels: 'predicted', clip: false });
    expect(rows[4].train.stepSize).toBeCloseTo(0.001, 12);
    expect(rows[0].train.stepSize).toBeCloseTo(0.01, 12);
    expect(rows.map((r) => r.lr)).toEqual([1e-3, 1e-3, 1e-4, 1e-4, 1e-4]);
    // The run's own config is unchanged.
    expect(config.attack.train?.options).toEqual({ labels: 'predicted', clip: false });
  });

  it('a variant naming another attack does not inherit the run attack’s options', () => {
    const config = loadConfig({
      preset: 'fms-fmnist-lite',
      set: ['variants=[{"training":"pgd-at","attack":{"train":{"name":"fgsm"}}}]'],
    });
    const setting = attackSetting(variantConfig(config, config.variants[0]), 'train');
    expect(setting.name).toBe('fgsm');
    expect(setting.options).not.toHaveProperty('labels');
  });

  it("the authors' normalised-input ε: 0.0314 and step 0.00784 times the mean std (≈ 2/255 in pixels)", () => {
    const config = loadConfig({ preset: 'fms-cifar10' });
    const meanStd = (63.0 + 62.1 + 66.7) / 3 / 255;
    const train = attackSetting(variantConfig(config, config.variants[2]), 'train').options;
    expect(train.eps).toBeCloseTo(0.0314 * meanStd, 12);
    expect(train.eps * 255).toBeCloseTo(2.0, 1);
    expect(train.stepSize).toBeCloseTo(0.00784 * meanStd, 12);
    const pixel = loadConfig({
      preset: 'fms-cifar10',
      set: ['attack.epsSpace=pixel', 'attack.eps=0.0313725'],
    });
    expect(attackSetting(pixel, 'eval').options.eps).toBeCloseTo(8 / 255, 6);
    expect(() =>
      attackSetting(
        loadConfig({ preset: 'smoke', set: ['attack.epsSpace=normalised-input'] }),
        'eval',
      ),
    ).toThrow(/needs attack\.inputStd/);
  });

  it("the authors' optimisers and schedules reach the trainer", () => {
    const cifar = loadConfig({ preset: 'fms-cifar10' });
    expect(optimizerOf(cifar)).toEqual({ name: 'sgd', momentum: 0.9, nesterov: true });
    const schedule = learningRate(cifar);
    const at = (step: number) => schedule.rate({ step, stepsPerEpoch: 391, totalSteps: 70000 });
    expect(
      [at(0), at(39999), at(40000), at(49999), at(50000)].map((r) => +r.toPrecision(6)),
    ).toEqual([0.1, 0.1, 0.01, 0.01, 0.001]);
    expect(optimizerOf(loadConfig({ preset: 'fms-imagenette' }))).toEqual({
      name: 'ranger',
      epsilon: 1e-6,
    });
    expect(optimizerOf(loadConfig({ preset: 'smoke' }))).toEqual({ name: 'adam' });
  });

  it("the paper block's options: the authors' placement, its 1×1 init seeded per run seed", () => {
    const config = loadConfig({ preset: 'fms-fmnist-lite' });
    const a = smoothingOptions({ ...config, seed: 0 });
    const b = smoothingOptions({ ...config, seed: 1 });
    expect(a).toMatchObject({ block: 'paper', after: 'pool1', init: 'pytorch-default' });
    expect((a as { seed: number }).seed).not.toBe((b as { seed: number }).seed);
    expect(smoothingOptions(loadConfig({ preset: 'smoke' }))).toEqual({
      after: 'conv1',
      sigma: 1,
      padding: 'reflect',
    });
  });
});
