import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../ops/batch-norm-training';
import { SeededRandom } from '../../random/seeded-random';
import { batchNormTrainingWasmConfig } from './batch-norm-training';
import { batchNormTrainingGradWasmConfig } from './batch-norm-training-grad';
import { heapSimd } from './heap-simd';

// The wasm kernels without the SIMD module (an engine without WebAssembly SIMD): their
// JavaScript path must still give the cpu kernel's bits.
vi.mock('./heap-simd', async (original) => ({
  ...(await original<typeof import('./heap-simd')>()),
  heapSimd: () => null,
}));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

async function outputs(
  backend: string,
  name: string,
  inputs: Record<string, Float32Array>,
  shapes: Record<string, number[]>,
) {
  await tf.setBackend(backend);
  const made = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v, shapes[k])]),
  );
  const outs = tf.engine().runKernel(name, made, { epsilon: 1e-3 }) as tf.Tensor[];
  const values = outs.map((t) => Array.from(t.dataSync()));
  tf.dispose([...outs, ...Object.values(made)]);
  return values;
}

describe('TrustgradBatchNormTraining(Grad) on wasm without SIMD', () => {
  it('equal the cpu kernels bit for bit', async () => {
    // The registered kernels are this file's, which see no SIMD module.
    expect(heapSimd(tf.findBackend('wasm') as never)).toBeNull();
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')?.kernelFunc).toBe(
      batchNormTrainingWasmConfig.kernelFunc,
    );
    expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'wasm')?.kernelFunc).toBe(
      batchNormTrainingGradWasmConfig.kernelFunc,
    );
    const rng = new SeededRandom(41);
    for (const shape of [
      [2, 6, 6, 16],
      [3, 5, 5, 6],
    ]) {
      const c = shape[shape.length - 1];
      const n = shape.reduce((a, b) => a * b, 1);
      const shapes = {
        x: shape,
        dy: shape,
        scale: [c],
        offset: [c],
        mean: [c],
        variance: [c],
        dMean: [c],
        dVariance: [c],
      };
      const forward = {
        x: rng.normalArray(n, 1, 2),
        scale: rng.normalArray(c),
        offset: rng.normalArray(c),
      };
      expect(await outputs('wasm', BATCH_NORM_TRAINING, forward, shapes)).toEqual(
        await outputs('cpu', BATCH_NORM_TRAINING, forward, shapes),
      );
      const backward = {
        dy: rng.normalArray(n),
        x: forward.x,
        scale: forward.scale,
        mean: rng.normalArray(c),
        variance: rng.uniformArray(c, 0, 2),
        dMean: rng.normalArray(c),
        dVariance: rng.normalArray(c),
      };
      expect(await outputs('wasm', BATCH_NORM_TRAINING_GRAD, backward, shapes)).toEqual(
        await outputs('cpu', BATCH_NORM_TRAINING_GRAD, backward, shapes),
      );
    }
  });
});
