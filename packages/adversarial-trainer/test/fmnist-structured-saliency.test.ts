import * as tf from '@tensorflow/tfjs-core';
import { explain } from '@trustgrad/attribution';
import { fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRobustness, inMemoryBatchSource, train } from '../src/index';
import { hasFashionMnist, readFashionMnist } from '../src/testing/fashion-mnist';

function load(split: 'train' | 't10k', limit: number) {
  const { images, labels, n } = readFashionMnist(split, limit);
  return { x: tf.tensor4d(images, [n, 28, 28, 1]), y: tf.tensor1d(labels, 'int32') };
}

/** Gini index (Chalasani et al. 2020) of |a|: G = 1 − 2 Σ_k (a_(k)/‖a‖₁)(n − k + ½)/n, a sorted ascending. */
function gini(values: Float32Array | number[]): number {
  const a = Array.from(values, Math.abs).sort((p, q) => p - q);
  const n = a.length;
  const l1 = a.reduce((s, v) => s + v, 0);
  if (l1 === 0) return 0;
  return 1 - (2 * a.reduce((s, v, i) => s + (v / l1) * (n - (i + 1) + 0.5), 0)) / n;
}

/** Share of the map's energy Σa² held by the top 10% of its 4×4 patches. */
function groupSparsity(map: Float32Array, size = 28, patch = 4): number {
  const per = size / patch;
  const energy = new Array(per * per).fill(0);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      energy[Math.floor(r / patch) * per + Math.floor(c / patch)] += map[r * size + c] ** 2;
  const total = energy.reduce((s, v) => s + v, 0);
  if (total === 0) return 0;
  const top = Math.ceil(0.1 * energy.length);
  return (
    energy
      .sort((p, q) => q - p)
      .slice(0, top)
      .reduce((s, v) => s + v, 0) / total
  );
}

const EPS = 0.1;

describe.skipIf(!hasFashionMnist())('Fashion-MNIST structured saliency', () => {
  let trainSet: { x: tf.Tensor4D; y: tf.Tensor1D };
  let testSet: { x: tf.Tensor4D; y: tf.Tensor1D };
  const cache = new Map<string, { gini: number; groupSparsity: number; clean: number }>();

  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
    trainSet = load('train', 2000);
    testSet = load('t10k', 100);
  });
  afterAll(() => tf.dispose([trainSet.x, trainSet.y, testSet.x, testSet.y]));

  /** Trains fmnistCnn({filters:[8,16], hiddenUnits:32}) briefly under `objective`; VG map statistics on 100 test images. */
  async function measure(objective: string, objectiveOptions: Record<string, unknown> = {}) {
    const key = `${objective} ${JSON.stringify(objectiveOptions)}`;
    const known = cache.get(key);
    if (known) return known;
    const model = fmnistCnn({ seed: 0, filters: [8, 16], hiddenUnits: 32 });
    await train(model, inMemoryBatchSource({ ...trainSet, batchSize: 50 }), {
      epochs: 3,
      seed: 0,
      objective,
      objectiveOptions,
      attackOptions: { eps: EPS, steps: 5 },
      optimizer: { name: 'adam' },
      learningRate: 0.003,
      progress: 'off',
    });
    const maps = tf.tidy(
      () => tf.abs(explain('vg', model, testSet.x, { batchSize: 100 })).dataSync() as Float32Array,
    );
    const report = await evaluateRobustness(
      model,
      inMemoryBatchSource({ ...testSet, batchSize: 100, shuffle: false }),
      'pgd-linf',
      { eps: EPS, steps: 1 },
    );
    model.dispose();
    let g = 0;
    let s = 0;
    for (let i = 0; i < 100; i++) {
      const m = maps.subarray(i * 784, (i + 1) * 784);
      g += gini(m) / 100;
      s += groupSparsity(m) / 100;
    }
    const result = { gini: g, groupSparsity: s, clean: report.clean.accuracy };
    console.log(
      `[fmnist-saliency] ${key}: gini ${g.toFixed(4)}, group sparsity ${s.toFixed(4)}, clean acc ${result.clean}`,
    );
    cache.set(key, result);
    return result;
  }

  it('gini helper matches known values', () => {
    expect(gini([1, 1, 1, 1])).toBeCloseTo(0, 10);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(1 - 1 / 4, 10);
    expect(groupSparsity(new Float32Array(784).fill(1))).toBeCloseTo(5 / 49, 10);
  });

  it('[slow] nrat with the L∞ attack (structure sparse) gives VG maps with higher Gini than standard', async () => {
    const standard = await measure('standard');
    const sparse = await measure('nrat', { structure: 'sparse' });
    expect(standard.clean).toBeGreaterThan(0.6);
    expect(sparse.clean).toBeGreaterThan(0.5);
    expect(sparse.gini).toBeGreaterThan(standard.gini);
  }, 300_000);

  it('[slow] nrat with the group attack (structure group-sparse) gives VG maps with higher group sparsity than standard', async () => {
    const standard = await measure('standard');
    const grouped = await measure('nrat', { structure: 'group-sparse', patch: 4 });
    // The default group radius ε·k·√c = 0.4 per 4×4 patch is a strong attack: after 120 steps the model
    // is still far from standard accuracy (0.77), and where it lands depends on the float32 trajectory:
    // seeds 0–3 gave 0.24, 0.61, 0.58, 0.33 with fused multiply-adds and 0.42, 0.58, 0.58, 0.34
    // without. So only learning (> 2× chance) is asserted.
    expect(grouped.clean).toBeGreaterThan(0.2);
    expect(grouped.groupSparsity).toBeGreaterThan(standard.groupSparsity);
  }, 300_000);

  it('[slow] scaat raises the Gini of VG maps over standard at similar clean accuracy', async () => {
    const standard = await measure('standard');
    const saliencyGuided = await measure('scaat');
    expect(saliencyGuided.clean).toBeGreaterThan(standard.clean - 0.1);
    expect(saliencyGuided.gini).toBeGreaterThan(standard.gini);
  }, 300_000);
});
