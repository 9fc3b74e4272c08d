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
import { tinyOverrides } from '../src/config/tiny-overrides';
import { runExperiment } from '../src/run/run-experiment';

const quiet = createProgressRenderer({ mode: 'off' });

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

/** The tiny overrides of `preset`, its dataset pointed at the tiny files written above. */
function tinyPresetOverrides(preset: string): string[] {
  const { dataset } = loadConfig({ preset });
  const data = tinyData[dataset.name];
  if (!data) {
    throw new Error(
      `preset "${preset}" uses dataset "${dataset.name}": add tiny files for it to this test`,
    );
  }
  return tinyOverrides(preset, data);
}

describe('every preset of `bench list` runs at tiny scale [slow]', () => {
  it.each(Object.keys(PRESETS))('%s', async (preset) => {
    const config = loadConfig({ preset, set: tinyPresetOverrides(preset) });
    const out = mkdtempSync(join(root, `${preset}-`));
    const started = Date.now();
    const results = await runExperiment(config, { out, progress: quiet });
    console.log(`preset ${preset}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(results.preset).toBe(preset);
    expect(results.rows).toHaveLength(config.variants.length * config.explainers.length);
    for (const row of results.rows) {
      expect(Object.keys(row.metrics)).toEqual(config.metrics);
      for (const [key, value] of Object.entries(row.metrics)) {
        // An untrained tiny model can leave a metric without a sample (SSIM keeps only copies still
        // classified as their label): then NaN, with the reason in results.json, never a silent gap.
        const reason = row.extra?.[key]?.undefined;
        if (Number.isFinite(value)) expect(reason).toBeUndefined();
        else expect(reason, `${preset} ${row.training} ${key}`).toMatch(/\w/);
      }
    }
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
