import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Results } from '../src/results/results-types';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'apps/bench/src/cli.ts');
// tsx by file URL: the user's folder has no node_modules to find it in.
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

/** Four plugin modules, one per kind, written as a user would: plain ESM importing the published package names. */
const PLUGINS: Record<string, string> = {
  'attribution.mjs': `
import * as tf from '@tensorflow/tfjs-core';
import { defineAttribution } from '@trustgrad/attribution';
defineAttribution({
  name: 'gradient-sign',
  description: 'sign of the vanilla gradient',
  defaults: {},
  explain: (ctx, x) => tf.sign(ctx.gradient(x)),
});`,
  'metric.mjs': `
import * as tf from '@tensorflow/tfjs-core';
import { defineMetric } from '@trustgrad/metrics';
defineMetric({
  name: 'meanAbsAttribution',
  description: 'mean |attribution| per image (plugin test)',
  higherIsBetter: false,
  requires: ['explanations'],
  defaults: { scale: 1 },
  compute: (ctx, o) => ({ values: tf.tidy(() => tf.mul(tf.mean(tf.abs(ctx.explanations), [1, 2, 3]), o.scale)).dataSync() }),
});`,
  'attack.mjs': `
import * as tf from '@tensorflow/tfjs-core';
import { defineAttack } from '@trustgrad/adversarial-trainer';
defineAttack({
  name: 'sign-noise',
  description: 'one FGSM step plus uniform noise (plugin test)',
  defaults: { steps: 1 },
  perturb: (ctx) => tf.add(ctx.x, tf.mul(ctx.eps, tf.sign(ctx.ascentGradient(ctx.x)))),
});`,
  'model.mjs': `
import * as tfl from '@tensorflow/tfjs-layers';
import { defineModel } from '@trustgrad/core-tensor';
defineModel({
  name: 'tiny-mlp',
  description: 'flatten, dense fc1 of 8, logits (plugin test)',
  defaults: { inputShape: [28, 28, 1], numClasses: 10, seed: 0 },
  build: ({ inputShape, numClasses, seed }) => tfl.sequential({ layers: [
    tfl.layers.flatten({ inputShape, name: 'flatten' }),
    tfl.layers.dense({ units: 8, activation: 'relu', name: 'fc1', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
    tfl.layers.dense({ units: numClasses, name: 'logits', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
  ] }),
});`,
};

describe('plugins from a folder outside the repo [slow]', () => {
  it('an attribution, a metric, an attack and a model plugin show by name in results.json, results.md and report.html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-user-'));
    mkdirSync(join(dir, 'plugins'));
    for (const [file, code] of Object.entries(PLUGINS))
      writeFileSync(join(dir, 'plugins', file), code);
    const config = {
      preset: 'user-plugins',
      dataset: { name: 'synthetic', options: { imageSize: 28, trainSize: 40, testSize: 8 } },
      model: { name: 'tiny-mlp' },
      variants: [
        { training: 'nrat', options: { structure: 'sparse' } },
        { training: 'nrat', options: { structure: 'group-sparse' } },
      ],
      training: { epochs: 1, batchSize: 20 },
      attack: {
        train: { name: 'sign-noise', options: { eps: 0.05 } },
        eval: { name: 'sign-noise', options: { eps: 0.05 } },
      },
      explainers: ['gradient-sign'],
      metrics: ['cleanAcc', 'robustAcc', 'meanAbsAttribution'],
      metricOptions: { meanAbsAttribution: { scale: 2 } },
      evaluation: {
        samples: 8,
        stabilitySamples: 2,
        perturbations: 2,
        heatmapSamples: 1,
        representationLayer: 'fc1',
      },
      plugins: [
        './plugins/attribution.mjs',
        './plugins/metric.mjs',
        './plugins/attack.mjs',
        './plugins/model.mjs',
      ],
    };
    writeFileSync(join(dir, 'experiment.json'), JSON.stringify(config));
    const out = join(dir, 'out');
    // Run from the user's folder: nothing below it knows the workspace's node_modules.
    const run = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        tsx,
        cli,
        'run',
        '--config',
        'experiment.json',
        '--out',
        out,
      ],
      { cwd: dir, env: { ...process.env, CI: 'true' }, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.rows.map((r) => r.label)).toEqual([
      'NRAT [structure=sparse]',
      'NRAT [structure=group-sparse]',
    ]);
    for (const row of results.rows) {
      expect(row.explainer).toBe('gradient-sign');
      expect(row.attack?.train?.name).toBe('sign-noise');
      expect(row.attack?.eval.name).toBe('sign-noise');
      expect(row.objectiveOptions?.structure).toMatch(/^(sparse|group-sparse)$/);
      expect(Number.isFinite(row.metrics.meanAbsAttribution)).toBe(true);
    }
    // sign(·) maps are ±1 or 0, so mean |a| ≤ 1, doubled by the metric option that reached the plugin.
    expect(results.rows[0].metrics.meanAbsAttribution).toBeGreaterThan(1);
    expect(results.metricDefinitions?.meanAbsAttribution.higherIsBetter).toBe(false);
    const savedConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(savedConfig.model.name).toBe('tiny-mlp');
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const name of [
      'NRAT [structure=sparse]',
      'NRAT [structure=group-sparse]',
      'gradient-sign',
      'meanAbsAttribution',
    ]) {
      expect(md).toContain(name);
      expect(html).toContain(name);
    }
    // The plugin attack (training and evaluation) and model show in results.md's setup, not only in the report's config.
    for (const name of ['sign-noise', 'tiny-mlp']) {
      expect(md).toContain(name);
      expect(html).toContain(name);
    }
    expect(md).toMatch(
      /\| NRAT \[structure=sparse\] \| – \| sign-noise \(ε [\d.]+\) \| sign-noise \(ε [\d.]+\) \|/,
    );
    expect(md).toContain('Model tiny-mlp.');
  });

  it('a plugin that cannot load is one error line naming the file, not a stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-user-bad-'));
    writeFileSync(join(dir, 'broken.mjs'), "import 'no-such-package-anywhere';\n");
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ variants: [{ training: 'standard' }], plugins: ['./broken.mjs'] }),
    );
    const run = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        tsx,
        cli,
        'run',
        '--config',
        join(dir, 'c.json'),
        '--out',
        join(dir, 'out'),
      ],
      {
        cwd: root,
        env: { ...process.env, CI: 'true' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: plugin ".*broken\.mjs".* could not be loaded: .*no-such-package-anywhere/m,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
