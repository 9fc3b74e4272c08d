import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgressRenderer } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

describe('seeds: [0, 1, 2] [slow]', () => {
  it('runs every variant per seed and reports means over seeds with a CI over seeds', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-seeds-'));
    const config = loadConfig({
      preset: 'smoke',
      set: [
        'seeds=[0,1,2]',
        'dataset.trainLimit=64',
        'explainers=["vg"]',
        'metrics=["cleanAcc","gini","ris"]',
        'evaluation.samples=16',
        'evaluation.stabilitySamples=4',
      ],
    });
    const results = await runExperiment(config, { out, progress: quiet });
    expect(results.seeds).toEqual([0, 1, 2]);
    expect(results.rows).toHaveLength(config.variants.length);
    for (const row of results.rows) {
      for (const key of ['cleanAcc', 'gini', 'ris']) {
        const values = row.seedValues![key];
        expect(values).toHaveLength(3);
        expect(row.metrics[key]).toBeCloseTo((values[0] + values[1] + values[2]) / 3, 12);
        const [lo, hi] = row.seedCi![key];
        expect(lo).toBeLessThanOrEqual(row.metrics[key]);
        expect(hi).toBeGreaterThanOrEqual(row.metrics[key]);
      }
      // Different seeds train different weights: the Gini means differ.
      expect(new Set(row.seedValues!.gini).size).toBe(3);
    }
    const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8'));
    expect(Object.keys(timings)).toContain('train ST seed 2');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('class="ci seed-ci"');
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('seeds 0, 1, 2');
  });
});
