import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgressRenderer } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
// The datasets package's test writers of the official formats (IDX, CIFAR-10 binary, ImageNette folders of JPEGs).
import {
  writeCifarFolder,
  writeFashionMnist,
  writeImagenette,
} from '../../../packages/datasets/src/testing/fixtures';
import { loadConfig } from '../src/config/load-config';
import { PRESETS } from '../src/config/presets';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

/** Model options that make each built-in model tiny (a few hundred weights, not millions). */
const TINY_MODELS: Record<string, Record<string, unknown>> = {
  'fmnist-cnn': { filters: [2, 4], hiddenUnits: 8 },
  'cifar-resnet': { depth: 8, width: 2 },
  'imagenette-resnet18': { width: 2 },
};

let root: string;
/** Per dataset: the `--set` overrides pointing it at tiny files in its official format. */
const tinyData: Record<string, string[]> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bench-presets-'));
  writeFashionMnist(join(root, 'fmnist'), { train: 60, test: 20, gzip: true });
  const cifar = writeCifarFolder(join(root, 'cifar'), 10);
  await writeImagenette(join(root, 'imagenette'), 2);
  tinyData['fashion-mnist'] = [`dataset.path=${join(root, 'fmnist')}`];
  tinyData.cifar10 = [`dataset.path=${cifar}`];
  tinyData.imagenette = [
    `dataset.path=${join(root, 'imagenette')}`,
    'dataset.options.imageSize=64',
    `dataset.options.cacheDir=${join(root, 'imagenette-cache')}`,
  ];
  tinyData.synthetic = ['dataset.options.trainSize=40', 'dataset.options.testSize=10'];
});

/** The `--set` overrides that shrink a preset to seconds while keeping every variant, explainer and metric. */
function tinyOverrides(preset: string): string[] {
  const { dataset, model } = loadConfig({ preset });
  const data = tinyData[dataset.name];
  const modelOptions = TINY_MODELS[model.name];
  if (!data || !modelOptions) {
    throw new Error(
      `preset "${preset}" uses dataset "${dataset.name}" / model "${model.name}": add tiny settings for them to this test`,
    );
  }
  return [
    ...data,
    'dataset.trainLimit=40',
    'dataset.testLimit=10',
    `model.options=${JSON.stringify(modelOptions)}`,
    'training.epochs=1',
    'training.batchSize=20',
    'attack.trainSteps=1',
    'attack.evalSteps=1',
    'explainerOptions.ig.steps=2',
    'evaluation.samples=6',
    'evaluation.stabilitySamples=2',
    'evaluation.perturbations=2',
    'evaluation.heatmapSamples=1',
    'evaluation.batchSize=6',
  ];
}

describe('every preset of `bench list` runs at tiny scale [slow]', () => {
  it.each(Object.keys(PRESETS))('%s', async (preset) => {
    const config = loadConfig({ preset, set: tinyOverrides(preset) });
    const out = mkdtempSync(join(root, `${preset}-`));
    const started = Date.now();
    const results = await runExperiment(config, { out, progress: quiet });
    console.log(`preset ${preset}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(results.preset).toBe(preset);
    expect(results.rows).toHaveLength(config.variants.length * config.explainers.length);
    for (const row of results.rows) {
      expect(Object.keys(row.metrics)).toEqual(config.metrics);
      for (const [key, value] of Object.entries(row.metrics))
        expect(Number.isFinite(value), `${preset} ${row.training} ${key}`).toBe(true);
    }
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
