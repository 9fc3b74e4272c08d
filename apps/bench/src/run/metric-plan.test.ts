import { metricRegistry } from '@trustgrad/metrics';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { metricOptions, metricPlan } from './metric-plan';

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

  it('explanation consistency attacks with the evaluation ε, and metricOptions win over run-wide defaults', () => {
    const cifar = loadConfig({ preset: 'cifar10' });
    const ec = metricRegistry.get('explanationConsistency');
    expect(metricOptions(cifar, ec, 8 / 255, [0, 1])).toEqual({ epsilon: 8 / 255 });
    expect(metricOptions(cifar, ec, 8 / 255, [0, 2]).epsilon).toBeCloseTo(4 / 255, 15);
    expect(metricOptions(cifar, metricRegistry.get('ris'), 8 / 255, [0, 1])).toEqual({
      perturbations: cifar.evaluation.perturbations,
    });
    expect(metricOptions(cifar, metricRegistry.get('gini'), 8 / 255, [0, 1])).toEqual({});
    const tuned = loadConfig({
      preset: 'cifar10',
      set: [
        'metricOptions={"ris":{"perturbations":7,"sigma":0.1},"explanationConsistency":{"epsilon":0.01}}',
      ],
    });
    expect(metricOptions(tuned, metricRegistry.get('ris'), 8 / 255, [0, 1])).toEqual({
      perturbations: 7,
      sigma: 0.1,
    });
    expect(metricOptions(tuned, ec, 8 / 255, [0, 1])).toEqual({ epsilon: 0.01 });
  });
});
