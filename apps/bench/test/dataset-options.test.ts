import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgressRenderer, ShapeError } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../src/config/load-config';
import type { ExperimentConfigInput } from '../src/config/schema';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

const tiny = (over: Partial<ExperimentConfigInput>): ExperimentConfigInput => ({
  preset: 'dataset-options',
  dataset: { name: 'synthetic', options: { imageSize: 40, trainSize: 40, testSize: 8 } },
  model: { name: 'fmnist-cnn', options: { filters: [2, 4], hiddenUnits: 8 } },
  variants: [{ training: 'standard' }],
  training: { epochs: 1, batchSize: 20 },
  explainers: ['vg'],
  metrics: ['cleanAcc', 'gini'],
  evaluation: { samples: 8, stabilitySamples: 2, perturbations: 2, heatmapSamples: 1 },
  ...over,
});

describe('dataset options reach the dataset, and the model must fit the data [slow]', () => {
  it('the imagenette preset asks the data for the 128 px its model takes', () => {
    const config = loadConfig({ preset: 'imagenette' });
    expect(config.dataset.options).toMatchObject({ imageSize: 128 });
    expect(config.model.options.inputShape).toBeUndefined();
  });

  it('passes the plugin options and classes, sizing the model from the data', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-dataset-options-'));
    const config = validateConfig(
      tiny({
        dataset: {
          name: 'synthetic',
          classes: ['disc', 'ring'],
          remapLabels: true,
          options: { imageSize: 40, trainSize: 60, testSize: 20 },
        },
      }),
    );
    await runExperiment(config, { out, progress: quiet });
    const [variant] = readdirSync(join(out, 'checkpoints'));
    const model = JSON.parse(
      readFileSync(join(out, 'checkpoints', variant, 'final', 'model.json'), 'utf8'),
    );
    const layers = model.modelTopology.config.layers;
    expect(layers[0].config.batch_input_shape).toEqual([null, 40, 40, 1]);
    expect(layers.at(-1).config.units).toBe(2);
    const index = JSON.parse(readFileSync(join(out, 'heatmaps', 'index.json'), 'utf8'));
    expect(['disc', 'ring']).toContain(index.labels[0]);
  });

  it('a model declaring another input shape than the data fails before any training', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-dataset-mismatch-'));
    const config = validateConfig(
      tiny({ model: { name: 'fmnist-cnn', options: { inputShape: [32, 32, 1] } } }),
    );
    const error = await runExperiment(config, { out, progress: quiet }).catch((e) => e);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(
      /model "fmnist-cnn" takes \[32, 32, 1\] images but dataset "synthetic" gives \[40, 40, 1\].*dataset\.options\.imageSize/,
    );
    expect(readdirSync(out)).not.toContain('checkpoints');
  });
});
