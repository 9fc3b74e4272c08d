/**
 * Maps/s of the perturbation, propagation and layer methods on the FMNIST CNN
 * (fmnistCnn, default size), one method after the other on the embedded
 * backend (wasm by default), with the settings listed in `SETTINGS`.
 *
 *   tsx --conditions=source packages/attribution/bench/methods-throughput.ts [--backend wasm] [--batch 16] [--runs 2] [--only occlusion,lrp] [--json out.json]
 *
 * Each method: one warm-up call, then `--runs` timed calls on the same batch
 * of `--batch` uniform images (target = predicted class, batchSize 64); the
 * map is reduced on the device before it is read. The last stdout line is
 * the JSON record.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { explainLayer, explainWithInfo } from '../src/index';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const backend = option('backend', 'wasm') as BackendName;
const batch = Number(option('batch', '16'));
const runs = Number(option('runs', '2'));
const only = option('only', '');

/** What each measured call computes: method, whether it is a layer method, its options. */
const SETTINGS: Record<
  string,
  { method: string; layer?: boolean; options: Record<string, unknown> }
> = {
  // References: the plain gradient and IG-32, in the same run.
  vg: { method: 'vg', options: {} },
  'ig-32': { method: 'ig', options: { steps: 32 } },
  occlusion: { method: 'occlusion', options: { window: [4, 4], strides: 2 } },
  'feature-ablation': { method: 'feature-ablation', options: { patchSize: [4, 4] } },
  'shapley-value-sampling': {
    method: 'shapley-value-sampling',
    options: { patchSize: [7, 7], samples: 4 },
  },
  'kernel-shap': { method: 'kernel-shap', options: { patchSize: [7, 7], samples: 64 } },
  'gradient-shap': { method: 'gradient-shap', options: { samples: 20, stdevs: 0.1 } },
  'noise-tunnel(ig-16)': {
    method: 'noise-tunnel',
    options: { method: 'ig', methodOptions: { steps: 16 }, samples: 5, stdevs: 0.1 },
  },
  'guided-backprop': { method: 'guided-backprop', options: {} },
  deconvolution: { method: 'deconvolution', options: {} },
  'guided-gradcam': { method: 'guided-gradcam', options: {} },
  deeplift: { method: 'deeplift', options: {} },
  'deeplift-shap(8 baselines)': { method: 'deeplift-shap', options: {} },
  'lrp-epsilon': { method: 'lrp', options: { rule: 'epsilon' } },
  'lrp-alpha2-beta1': { method: 'lrp', options: { rule: 'alpha-beta', alpha: 2, beta: 1 } },
  'layer-gradient(conv2)': { method: 'layer-gradient', layer: true, options: { layer: 'conv2' } },
  'layer-ig(conv2, 32)': {
    method: 'layer-ig',
    layer: true,
    options: { layer: 'conv2', steps: 32 },
  },
};

const choice = await initBackend({ backend, log: () => {} });
const model = fmnistCnn({ seed: 0 });
const x = new SeededRandom(0).uniformTensor([batch, 28, 28, 1]);
// GradientSHAP draws its baselines from a distribution: 32 other uniform images.
const pool = new SeededRandom(1).uniformTensor([32, 28, 28, 1]);
const pool8 = tf.slice(pool, 0, 8); // DeepLIFT SHAP uses every baseline: 8 of them
const results: Record<string, { mapsPerSecond: number; secondsPerBatch: number }> = {};

for (const [label, setting] of Object.entries(SETTINGS)) {
  if (only && !only.split(',').includes(label) && !only.split(',').includes(setting.method))
    continue;
  const options = {
    ...setting.options,
    ...(setting.method === 'gradient-shap' ? { baselines: pool } : {}),
    ...(setting.method === 'deeplift-shap' ? { baselines: pool8 } : {}),
    batchSize: 64,
  };
  const run = () => {
    const { attributions, info } = setting.layer
      ? explainLayer(setting.method, model, x, options as never)
      : explainWithInfo(setting.method, model, x, options);
    tf.tidy(() => tf.sum(attributions).dataSync());
    tf.dispose([attributions, ...Object.values(info)]);
  };
  run();
  const start = performance.now();
  for (let r = 0; r < runs; r++) run();
  const seconds = (performance.now() - start) / 1000;
  results[label] = { mapsPerSecond: (batch * runs) / seconds, secondsPerBatch: seconds / runs };
  console.log(
    `${label.padEnd(24)} ${results[label].mapsPerSecond.toFixed(1).padStart(8)} maps/s  (${JSON.stringify(setting.options)})`,
  );
}
tf.dispose([x, pool, pool8]);
model.dispose();

const record = {
  metric: 'attribution_methods_maps_per_s',
  model: 'fmnistCnn',
  batch,
  runs,
  backend: choice.tfjsBackend,
  settings: Object.fromEntries(Object.entries(SETTINGS).map(([k, v]) => [k, v.options])),
  methods: results,
};
const jsonPath = option('json', '');
if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(record, null, 2)}\n`);
console.log(JSON.stringify(record));
