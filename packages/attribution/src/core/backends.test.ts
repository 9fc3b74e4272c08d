import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { explain, explainLayer, explainWithInfo } from '../index';
import { maxAbsDiff, randomImages } from '../testing/fixtures';

/** Every built-in on the same model and input, as plain arrays. */
function allMaps(): Record<string, Float32Array> {
  const model = fmnistCnn({ seed: 9, filters: [4, 8], hiddenUnits: 16 });
  const x = randomImages([2, 28, 28, 1], 6);
  const out: Record<string, Float32Array> = {};
  const cases: Array<[string, Record<string, unknown>]> = [
    ['vg', {}],
    ['gradient-x-input', {}],
    ['ig', { steps: 8 }],
    ['smoothgrad', { samples: 4 }],
    ['smoothgrad-squared', { samples: 4 }],
    ['vargrad', { samples: 4 }],
    ['gradcam', {}],
    ['lse', { samples: 4, iterations: 30 }],
    ['occlusion', { window: [7, 7], strides: 7 }],
    ['feature-ablation', { patchSize: [14, 14] }],
    ['shapley-value-sampling', { patchSize: [14, 14], samples: 2 }],
    ['kernel-shap', { patchSize: [14, 14], samples: 6 }],
    ['gradient-shap', { samples: 4, stdevs: 0.05 }],
    ['noise-tunnel', { method: 'ig', methodOptions: { steps: 2 }, samples: 2, stdevs: 0.05 }],
    ['guided-backprop', {}],
    ['deconvolution', {}],
    ['guided-gradcam', {}],
    ['deeplift', { baseline: 'uniform' }],
    ['lrp', {}],
    ['lrp', { rule: 'alpha-beta', alpha: 2, beta: 1 }],
  ];
  for (const [name, options] of cases) {
    const t = explain(name, model, x, { target: [2, 5], ...options });
    out[name in out ? `${name} ${JSON.stringify(options)}` : name] = t.dataSync() as Float32Array;
    t.dispose();
  }
  const layerIg = explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 4, target: [2, 5] });
  out['layer-ig'] = layerIg.attributions.dataSync() as Float32Array;
  tf.dispose([layerIg.attributions, ...Object.values(layerIg.info)]);
  const { attributions, info } = explainWithInfo('ig', model, x, {
    steps: 8,
    target: [2, 5],
  });
  out.completenessGap = info.completenessGap.dataSync() as Float32Array;
  out.outputDifference = info.outputDifference.dataSync() as Float32Array;
  tf.dispose([attributions, info.completenessGap, info.outputDifference, x]);
  model.dispose();
  return out;
}

describe('backends', () => {
  it('gives the same numbers on wasm and cpu for every built-in, without leaks', async () => {
    const results: Partial<Record<BackendName, Record<string, Float32Array>>> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend({ backend, log: () => {} });
      const before = tf.memory().numTensors;
      results[backend] = allMaps();
      expect(tf.memory().numTensors).toBe(before);
    }
    const cpu = results.cpu as Record<string, Float32Array>;
    const wasm = results.wasm as Record<string, Float32Array>;
    for (const name of Object.keys(cpu)) {
      // The gap is a difference of near-equal numbers: compare it at the scale of f(x) − f(b).
      const reference = name === 'completenessGap' ? cpu.outputDifference : cpu[name];
      const scale = Math.max(1e-6, ...Array.from(reference, Math.abs));
      expect(maxAbsDiff(cpu[name], wasm[name]) / scale, name).toBeLessThan(1e-3);
    }
    await initBackend({ backend: 'cpu', log: () => {} });
  });
});
