import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../ops/batch-norm-training';
import { SeededRandom } from '../../random/seeded-random';
import { channelPeriod, chunkRows, tileRows } from '../cpu/batch-norm-training-arrays';
import { batchNormTrainingWasmConfig } from './batch-norm-training';
import { batchNormTrainingGradWasmConfig } from './batch-norm-training-grad';
import { heapSimdCalls } from './heap-simd';
import { expectIdenticalHost, type HostTensor, randomHost } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** Runs a multi-output kernel on `backend`, returns every output as host data, checks no buffer was left behind. */
async function runAllOutputs(
  backend: string,
  name: string,
  inputs: Record<string, HostTensor>,
  attrs: tf.NamedAttrMap,
): Promise<HostTensor[]> {
  await tf.setBackend(backend);
  const before = tf.backend().numDataIds();
  const made = Object.fromEntries(
    Object.entries(inputs).map(([k, h]) => [k, tf.tensor(h.values, h.shape, 'float32')]),
  );
  const outs = tf.engine().runKernel(name, made, attrs) as tf.Tensor[];
  const result = await Promise.all(
    outs.map(async (t) => ({ shape: t.shape, values: (await t.data()) as Float32Array })),
  );
  tf.dispose([...outs, ...Object.values(made)]);
  expect(tf.backend().numDataIds() - before, `${name} on ${backend} kept buffers`).toBe(0);
  return result;
}

const EDGE = [0, -0, 1e-30, -1e-40, 3e38, -3e38, Number.NaN, Infinity, -Infinity];

/**
 * Shapes that exercise every branch: C a multiple of 4 or not (lanes repeated to lcm(C, 4)),
 * a tail of n mod lcm(C, 4) floats, several tiles and chunks of the sum passes, batch 1, rank 2.
 */
const SHAPES = [
  [2, 12, 12, 16], // 288 rows: two tiles of 256
  [1, 9, 9, 64], // 81 rows: two tiles of 64
  [3, 5, 5, 6], // L = 12, 75 rows of 6: a tail of one row
  [5, 3], // L = 12: one row of 12, a tail of one row of 3
  [1, 1, 1, 5], // a single sample
  [4, 7, 7, 1], // L = 4
  [2, 4, 4, 32],
  [64, 10],
  [5, 32, 32, 16], // 5120 rows: two chunks of 4096 (16 tiles), the last one short
  [9, 16, 16, 64], // 2304 rows: three chunks of 1024
];

describe('TrustgradBatchNormTraining(Grad) on wasm', () => {
  it('are trustgrad’s SIMD kernels', () => {
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')?.kernelFunc).toBe(
      batchNormTrainingWasmConfig.kernelFunc,
    );
    expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'wasm')?.kernelFunc).toBe(
      batchNormTrainingGradWasmConfig.kernelFunc,
    );
    expect(tileRows(channelPeriod(16))).toBe(256);
    expect(tileRows(channelPeriod(64))).toBe(64);
    expect(chunkRows(channelPeriod(16))).toBe(4096);
  });

  it('forward equals the cpu kernel bit for bit (y, mean, variance), edge values and ε included', async () => {
    const rng = new SeededRandom(31);
    const calls = heapSimdCalls();
    for (const shape of SHAPES) {
      for (const edges of [false, true]) {
        const channels = shape[shape.length - 1];
        const x = randomHost(rng, shape);
        for (let i = 0; i < x.values.length; i++) x.values[i] = 3 * x.values[i] + 1;
        if (edges) {
          // One edge value per channel at most, so most channels keep finite statistics.
          for (let c = 0; c < channels; c += 2)
            x.values[c + channels * rng.int(x.values.length / channels)] =
              EDGE[rng.int(EDGE.length)];
        }
        const scale = randomHost(rng, [channels]);
        const offset = randomHost(rng, [channels]);
        for (const epsilon of [1e-3, 1e-5]) {
          const inputs = { x, scale, offset };
          const expected = await runAllOutputs('cpu', BATCH_NORM_TRAINING, inputs, { epsilon });
          const actual = await runAllOutputs('wasm', BATCH_NORM_TRAINING, inputs, { epsilon });
          ['y', 'mean', 'variance'].forEach((name, i) =>
            expectIdenticalHost(
              actual[i],
              expected[i],
              `${name} ${JSON.stringify({ shape, edges })}`,
            ),
          );
        }
      }
    }
    const after = heapSimdCalls();
    expect(after.channelMomentChunks - calls.channelMomentChunks).toBe(4 * SHAPES.length);
    expect(after.channelNormalize - calls.channelNormalize).toBe(4 * SHAPES.length);
  });

  it('backward equals the cpu kernel bit for bit (dx, dScale, dOffset), with gradients reaching mean and variance', async () => {
    const rng = new SeededRandom(32);
    const calls = heapSimdCalls();
    for (const shape of SHAPES) {
      for (const edges of [false, true]) {
        const channels = shape[shape.length - 1];
        const dy = randomHost(rng, shape);
        const x = randomHost(rng, shape);
        if (edges) {
          for (let c = 0; c < channels; c += 3) dy.values[c] = EDGE[rng.int(EDGE.length)];
          x.values[x.values.length - 1] = Number.NaN;
        }
        const per = () => randomHost(rng, [channels]);
        const variance = per();
        for (let c = 0; c < channels; c++) variance.values[c] = Math.abs(variance.values[c]);
        variance.values[0] = 0;
        const inputs = {
          dy,
          x,
          scale: per(),
          mean: per(),
          variance,
          dMean: per(),
          dVariance: per(),
        };
        const attrs = { epsilon: 1e-3 };
        const expected = await runAllOutputs('cpu', BATCH_NORM_TRAINING_GRAD, inputs, attrs);
        const actual = await runAllOutputs('wasm', BATCH_NORM_TRAINING_GRAD, inputs, attrs);
        ['dx', 'dScale', 'dOffset'].forEach((name, i) =>
          expectIdenticalHost(
            actual[i],
            expected[i],
            `${name} ${JSON.stringify({ shape, edges })}`,
          ),
        );
      }
    }
    const after = heapSimdCalls();
    expect(after.channelGradientChunks - calls.channelGradientChunks).toBe(2 * SHAPES.length);
    expect(after.channelNormalizeGradient - calls.channelNormalizeGradient).toBe(2 * SHAPES.length);
  });
});
