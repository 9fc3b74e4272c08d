import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { runOriginal } from './original-kernels';
import { runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** Float32 values where a threshold-based sign goes wrong: tiny, denormal, signed zeros, NaN, ±∞, huge. */
const EDGE_VALUES = [
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  1.1e-7,
  -1.1e-7,
  1.2e-7,
  1e-40,
  -1e-40,
  1.4e-45,
  -1.4e-45,
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  3e38,
  -3e38,
  1,
  -1,
  0.5,
];

function signsOf(values: Float32Array): number[] {
  return Array.from(values, (v) => (Object.is(v, -0) ? -0 : v));
}

describe('Sign on wasm', () => {
  it('is trustgrad’s replacement, not tfjs-backend-wasm’s own kernel', async () => {
    const { signConfig } = await import('./sign');
    expect(tf.getKernel('Sign', 'wasm')?.kernelFunc).toBe(signConfig.kernelFunc);
  });

  it('equals the cpu kernel bit for bit on edge values (±1 for any non-zero, 0 for ±0 and NaN)', async () => {
    const inputs = { x: { shape: [EDGE_VALUES.length], values: new Float32Array(EDGE_VALUES) } };
    const expected = await runKernelOn('cpu', 'Sign', inputs, {});
    const actual = await runKernelOn('wasm', 'Sign', inputs, {});
    expect(signsOf(actual.values)).toEqual(signsOf(expected.values));
    // The values themselves, so a cpu change would show here too.
    expect(Array.from(actual.values)).toEqual([
      1, -1, 1, -1, 1, -1, 1, 1, -1, 1, -1, 0, 0, 0, 1, -1, 1, -1, 1, -1, 1,
    ]);
    expect(Object.is(actual.values[12], 0)).toBe(true);
  });

  it('equals the cpu kernel on random magnitudes from 1e-45 to 1e38, scalars and empty tensors', async () => {
    const rng = new SeededRandom(5);
    for (const shape of [[], [0], [3, 0, 2], [7], [4, 5, 6], [2, 3, 4, 5]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const magnitude = 10 ** (rng.uniform() * 83 - 45);
        values[i] = rng.int(7) === 0 ? 0 : (rng.int(2) ? 1 : -1) * magnitude;
      }
      const inputs = { x: { shape, values } };
      const expected = await runKernelOn('cpu', 'Sign', inputs, {});
      const actual = await runKernelOn('wasm', 'Sign', inputs, {});
      expect(actual.shape).toEqual(expected.shape);
      expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    }
  });

  it('keeps int32 tensors int32 and exact', async () => {
    await tf.setBackend('wasm');
    const out = tf.sign(tf.tensor1d([5, -3, 0, 2147483647, -2147483648], 'int32'));
    expect(out.dtype).toBe('int32');
    expect(Array.from(await out.data())).toEqual([1, -1, 0, 1, -1]);
    out.dispose();
  });

  it('moves the same pixels as cpu in an FGSM step on a confident model (CE gradient < 1e-7)', async () => {
    // A linear classifier whose logits are scaled so that softmax saturates:
    // the cross-entropy gradient w.r.t. the input is below FLT_EPSILON, where
    // tfjs-backend-wasm's own Sign returned 0 and the pixels never moved.
    const rng = new SeededRandom(9);
    const [batch, pixels, classes] = [4, 64, 10];
    const xHost = rng.uniformArray(batch * pixels);
    const wHost = rng.normalArray(pixels * classes, 0, 1);
    const fgsmOn = async (backend: string) => {
      await tf.setBackend(backend);
      const w = tf.tensor2d(wHost, [pixels, classes]);
      const x = tf.tensor2d(xHost, [batch, pixels]);
      // Label each sample with its own argmax class so the model is confident and right.
      const scaled = tf.tidy(() => tf.matMul(x, w).mul(40));
      const predicted = Array.from(await scaled.argMax(1).data());
      const y = tf.oneHot(tf.tensor1d(predicted, 'int32'), classes);
      const loss = (input: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(y, tf.matMul(input, w).mul(40)) as tf.Scalar;
      const grad = tf.grad(loss)(x);
      const step = tf.sign(grad);
      const gradValues = (await grad.data()) as Float32Array;
      const stepValues = (await step.data()) as Float32Array;
      const oldStep = backend === 'wasm' ? await originalSign(grad) : null;
      tf.dispose([w, x, scaled, y, grad, step]);
      return { gradValues, stepValues, oldStep };
    };
    const cpu = await fgsmOn('cpu');
    const wasm = await fgsmOn('wasm');
    const maxGrad = Math.max(...Array.from(cpu.gradValues, Math.abs));
    expect(maxGrad).toBeGreaterThan(0);
    expect(maxGrad).toBeLessThan(1.19e-7);
    const moved = (step: Float32Array) => step.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    // Every pixel with a non-zero gradient moves (some samples saturate to an exact 0).
    const nonZero = moved(cpu.gradValues);
    expect(nonZero).toBeGreaterThan((batch * pixels) / 2);
    expect(moved(cpu.stepValues)).toBe(nonZero);
    expect(Array.from(wasm.stepValues)).toEqual(Array.from(cpu.stepValues));
    // tfjs-backend-wasm's own kernel leaves every one of these pixels in place.
    expect(moved(wasm.oldStep as Float32Array)).toBe(0);
  });
});

async function originalSign(x: tf.Tensor): Promise<Float32Array> {
  const backend = tf.backend() as never;
  const info = runOriginal('Sign', backend, { x });
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}
