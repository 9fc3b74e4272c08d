import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { SMOOTHING_PADDINGS } from '../options/smoothing-options';
import { centralDifferences, maxRelativeError } from '../testing/finite-differences';
import { gaussianSmooth } from './gaussian-smooth';

const shape: [number, number, number, number] = [2, 9, 7, 3];
const size = shape.reduce((a, b) => a * b, 1);
const values = Float32Array.from(new SeededRandom(11).normalArray(size));
const weights = Float32Array.from(new SeededRandom(12).normalArray(size));

/** Runs `fn` on `backend` and returns its results as plain arrays. */
async function on(backend: BackendName, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend, log: () => {} });
  const outputs = fn();
  const arrays = outputs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outputs);
  return arrays;
}

/** y = smooth(x), ∂Σ w·y²/∂x, and for a trainable layer ∂Σ w·y²/∂ log σ. */
function smoothAndGradients(padding: (typeof SMOOTHING_PADDINGS)[number]): tf.Tensor[] {
  const x = tf.tensor4d(values, shape);
  const w = tf.tensor4d(weights, shape);
  const loss = (v: tf.Tensor) =>
    tf.sum(tf.mul(w, tf.square(gaussianSmooth(v as tf.Tensor4D, 1.2, 5, padding))));
  const y = gaussianSmooth(x, 1.2, 5, padding);
  const dx = tf.grad(loss)(x);
  const layer = new GaussianSmoothing({ sigma: 1.2, padding, trainableSigma: true });
  layer.apply(x);
  const logSigma = layer.trainableWeights[0].read() as tf.Variable;
  const { grads, value } = tf.variableGrads(
    () => tf.sum(tf.mul(w, tf.square(layer.apply(x) as tf.Tensor))) as tf.Scalar,
    [logSigma],
  );
  const dLogSigma = grads[logSigma.name];
  tf.dispose([x, w, value]);
  layer.dispose();
  return [y, dx, dLogSigma];
}

describe('wasm and cpu agree', () => {
  it('forward, input gradient and log σ gradient, for every padding', async () => {
    for (const padding of SMOOTHING_PADDINGS) {
      const cpu = await on('cpu', () => smoothAndGradients(padding));
      const wasm = await on('wasm', () => smoothAndGradients(padding));
      expect(maxRelativeError(wasm[0], cpu[0]), `${padding} forward`).toBeLessThan(1e-5);
      expect(maxRelativeError(wasm[1], cpu[1]), `${padding} input gradient`).toBeLessThan(1e-4);
      expect(maxRelativeError(wasm[2], cpu[2]), `${padding} log σ gradient`).toBeLessThan(1e-4);
    }
  });

  it('the wasm input gradient matches central finite differences', async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
    const w = tf.tensor4d(weights, shape);
    const loss = (v: tf.Tensor) =>
      tf.sum(tf.mul(w, tf.square(gaussianSmooth(v as tf.Tensor4D, 0.8, 3, 'reflect'))));
    const x = tf.tensor4d(values, shape);
    const g = tf.grad(loss)(x);
    const lossAt = (v: Float32Array) => tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
    const coordinates = Array.from({ length: 40 }, (_, k) => (k * 37) % size);
    const fd = centralDifferences(lossAt, values, 1e-2, coordinates);
    const analytic = coordinates.map((k) => g.dataSync()[k]);
    expect(maxRelativeError(analytic, fd)).toBeLessThan(3e-3);
    tf.dispose([w, x, g]);
  });
});
