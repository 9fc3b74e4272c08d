import * as trainer from '@trustgrad/adversarial-trainer';
import * as attribution from '@trustgrad/attribution';
import * as core from '@trustgrad/core-tensor';
import * as datasets from '@trustgrad/datasets';
import * as metrics from '@trustgrad/metrics';
import * as smoothing from '@trustgrad/smoothing-layer';
import { describe, expect, it } from 'vitest';

describe('error names across the packages', () => {
  it('every exported error class of every package spells its own name (a minifier renames classes)', () => {
    const packages = { core, datasets, smoothing, attribution, metrics, trainer };
    let count = 0;
    for (const [pkg, exports] of Object.entries(packages))
      for (const [exported, value] of Object.entries(exports)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
        const ErrorClass = value as new (...args: unknown[]) => Error;
        expect(new ErrorClass('m', 'm', 0, null).name, `${pkg}: ${exported}`).toBe(exported);
        count++;
      }
    expect(count).toBeGreaterThan(25);
  });
});
