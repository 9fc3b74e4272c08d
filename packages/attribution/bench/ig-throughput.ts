/**
 * IG-32 maps/s on the FMNIST CNN at batch 64, trustgrad on the embedded backend
 * (wasm by default) side by side with the same IG in PyTorch (plain autograd,
 * bench/torch_ig.py) in the same run, and their ratio.
 *
 *   tsx --conditions=source packages/attribution/bench/ig-throughput.ts [--backend wasm] [--runs 3] [--chunk 64] [--json out.json]
 *
 * Both sides: zero baseline, Gauss–Legendre, 32 steps, target = predicted class,
 * path points in chunks of `--chunk` images, completeness gap included, timed
 * after one warm-up run. The last stdout line is the JSON record.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { explainWithInfo, integratedGradients } from '../src/index';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const backend = option('backend', 'wasm') as BackendName;
const runs = Number(option('runs', '3'));
const chunk = Number(option('chunk', '64')); // 64 is fastest on wasm (256: ~4x slower)
const batch = 64;
const steps = 32;

function measureTrustgrad(): {
  mapsPerSecond: number;
  secondsPerBatch: number;
  meanRelativeGap: number;
} {
  const model = fmnistCnn({ seed: 0 });
  const x = new SeededRandom(0).uniformTensor([batch, 28, 28, 1]);
  const run = () => {
    const { attributions, info } = explainWithInfo(integratedGradients, model, x, {
      steps,
      rule: 'gauss-legendre',
      baseline: 'zero',
      batchSize: chunk,
    });
    // Reduce on the device before reading: the first read of a big wasm tensor is slow.
    const relative = tf.tidy(
      () =>
        tf
          .mean(
            tf.div(tf.abs(info.completenessGap), tf.maximum(tf.abs(info.outputDifference), 1e-6)),
          )
          .dataSync()[0],
    );
    tf.sum(attributions).dataSync();
    tf.dispose([attributions, info.completenessGap, info.outputDifference]);
    return relative;
  };
  run(); // warm-up: kernel setup, wasm memory growth
  const start = performance.now();
  let gap = 0;
  for (let r = 0; r < runs; r++) gap = run();
  const seconds = (performance.now() - start) / 1000;
  x.dispose();
  model.dispose();
  return {
    mapsPerSecond: (batch * runs) / seconds,
    secondsPerBatch: seconds / runs,
    meanRelativeGap: gap,
  };
}

function measureTorch():
  | { maps_per_s: number; seconds_per_batch: number; threads: number; torch: string }
  | { error: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_ig.py');
  const python = process.env.TRUSTGRAD_PYTHON ?? '/usr/bin/python3';
  const out = spawnSync(
    python,
    [
      script,
      '--batch',
      `${batch}`,
      '--steps',
      `${steps}`,
      '--chunk',
      `${chunk}`,
      '--runs',
      `${runs}`,
    ],
    { encoding: 'utf8' },
  );
  if (out.status !== 0)
    return {
      error: (out.stderr || out.error?.message || 'python failed').trim().split('\n').pop() ?? '',
    };
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}');
}

const choice = await initBackend({ backend, log: () => {} });
const ours = measureTrustgrad();
const torch = measureTorch();
const ratio = 'maps_per_s' in torch ? ours.mapsPerSecond / torch.maps_per_s : null;
console.log(
  `IG-${steps} FMNIST CNN batch ${batch} (chunk ${chunk}): trustgrad/${choice.tfjsBackend} ${ours.mapsPerSecond.toFixed(1)} maps/s ` +
    `(mean |gap|/|Δf| ${ours.meanRelativeGap.toExponential(2)})`,
);
console.log(
  'maps_per_s' in torch
    ? `IG-${steps} FMNIST CNN batch ${batch} (chunk ${chunk}): PyTorch ${torch.torch} (${torch.threads} thread${torch.threads === 1 ? '' : 's'}) ${torch.maps_per_s.toFixed(1)} maps/s`
    : `PyTorch: not measured (${torch.error})`,
);
if (ratio !== null) console.log(`ratio trustgrad / PyTorch: ${ratio.toFixed(2)}x (target ≥ 1.0x)`);
const record = {
  metric: `ig${steps}_maps_per_s`,
  model: 'fmnistCnn',
  batch,
  steps,
  chunk,
  backend: choice.tfjsBackend,
  trustgrad: ours,
  pytorch: torch,
  ratio,
};
const jsonPath = option('json', '');
if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(record, null, 2)}\n`);
console.log(JSON.stringify(record));
