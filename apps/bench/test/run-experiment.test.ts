import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createProgressRenderer } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { EXPLAINER_NAMES, METRIC_KEYS } from '../src/config/schema';
import type { Results } from '../src/results/results-types';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

describe('runExperiment [slow]', () => {
  it('writes the results folder of SPEC 4.1 and reuses trained variants on a rerun', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    const config = loadConfig({ preset: 'smoke' });
    const results = await runExperiment(config, { out, progress: quiet });

    for (const file of [
      'results.json',
      'results.csv',
      'results.md',
      'report.html',
      'config.json',
      'heatmaps/index.json',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(json).toMatchObject({ preset: 'smoke', dataset: 'fashion-mnist', seed: 0 });
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(json.backend);
    expect(json.rows).toHaveLength(config.variants.length * config.explainers.length);
    for (const row of json.rows) {
      expect(['standard', 'pgd-at']).toContain(row.training);
      expect(EXPLAINER_NAMES as readonly string[]).toContain(row.explainer);
      expect(Object.keys(row.metrics).sort()).toEqual([...config.metrics].sort());
      for (const key of Object.keys(row.metrics))
        expect(METRIC_KEYS as readonly string[]).toContain(key);
      for (const value of Object.values(row.metrics)) expect(Number.isFinite(value)).toBe(true);
      expect(row.metrics.gini).toBeGreaterThan(0);
      expect(row.metrics.gini).toBeLessThan(1);
      expect(row.metrics.cleanAcc).toBeGreaterThanOrEqual(0);
      expect(row.metrics.cleanAcc).toBeLessThanOrEqual(1);
    }
    // Model metrics are the model's, identical on each explainer row of a variant.
    expect(json.rows[0].metrics.cleanAcc).toBe(json.rows[1].metrics.cleanAcc);
    // Training curves: one point per epoch per variant, with held-out clean and robust accuracy.
    const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8'));
    expect(Object.keys(curves)).toEqual(['ST', 'AT+FMS']);
    for (const curve of Object.values(curves) as Record<string, number>[][]) {
      expect(curve).toHaveLength(config.training.epochs);
      expect(curve[0].cleanAccuracy).toBeGreaterThanOrEqual(0);
      expect(curve[0].robustAccuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(curve[0].loss)).toBe(true);
    }
    const index = JSON.parse(readFileSync(join(out, 'heatmaps', 'index.json'), 'utf8'));
    expect(index.entries).toHaveLength(json.rows.length);
    for (const entry of index.entries)
      for (const file of entry.files) expect(existsSync(join(out, file))).toBe(true);

    const tensorsBefore = tf.memory().numTensors;
    const again = await runExperiment(config, { out, progress: quiet });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8'));
    expect(again.rows).toEqual(results.rows);
    // The cached variants report the training time of the run that trained them.
    expect(timings['train ST']).toBeGreaterThan(0);
  });
});
