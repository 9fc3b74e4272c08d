import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createProgressRenderer, initBackend } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

describe('a dataset with ground-truth masks [slow]', () => {
  it('runs the default metrics, the costly ones on the stability subset, and the localisation metrics on all images', async () => {
    const config = validateConfig({
      preset: 'synthetic-masks',
      dataset: { name: 'synthetic', trainLimit: 64, testLimit: 12 },
      model: { name: 'fmnist-cnn', options: { filters: [4, 8], hiddenUnits: 16 } },
      variants: [{ training: 'standard' }],
      training: { epochs: 1, batchSize: 32 },
      attack: { trainSteps: 1, evalSteps: 2 },
      explainers: ['vg'],
      metrics: [
        'avgSensitivity',
        'localLipschitz',
        'groupSparsity',
        'relevanceRank',
        'hessianEigenvalue',
        'cleanAcc',
        'robustAcc',
        'gini',
        'ris',
        'ros',
        'rrs',
        'maxSensitivity',
        'pointingGame',
        'relevanceMass',
      ],
      metricOptions: { hessianEigenvalue: { iterations: 2 }, avgSensitivity: { samples: 2 } },
      evaluation: {
        samples: 12,
        stabilitySamples: 3,
        perturbations: 3,
        heatmapSamples: 1,
        batchSize: 12,
      },
    });
    await initBackend({ log: () => {} });
    const tensors = tf.memory().numTensors;
    const results = await runExperiment(config, {
      out: mkdtempSync(join(tmpdir(), 'bench-masks-')),
      progress: quiet,
    });
    expect(tf.memory().numTensors).toBe(tensors);
    const [row] = results.rows;
    expect(Object.keys(row.metrics)).toEqual(config.metrics);
    for (const value of Object.values(row.metrics)) expect(Number.isFinite(value)).toBe(true);
    expect(row.metrics.relevanceRank).toBeGreaterThanOrEqual(0);
    expect(row.metrics.groupSparsity).toBeLessThanOrEqual(1);
    expect(row.metrics.pointingGame).toBeGreaterThanOrEqual(0);
    expect(row.metrics.pointingGame).toBeLessThanOrEqual(1);
    expect(row.metrics.relevanceMass).toBeGreaterThan(0);
    expect(row.metrics.relevanceMass).toBeLessThan(1);
    // The pointing game is a per-image hit (0 or 1): its mean over 12 images is a multiple of 1/12.
    expect(
      Math.abs(row.metrics.pointingGame * 12 - Math.round(row.metrics.pointingGame * 12)),
    ).toBeLessThan(1e-9);
  });
});
