import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { BATCH_NORM_TRAINING, batchNormTraining } from '../ops/batch-norm-training';
import { MOVING_AVERAGE_UPDATE } from '../ops/moving-average-update';
import { SeededRandom } from '../random/seeded-random';
import { cifarResNet } from '../zoo/cifar-resnet';
import { type BatchNormalizationArgs, FusedBatchNormalization } from './fused-batch-normalization';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** Frees a layer's variables (`Layer.dispose` refuses a layer never applied to a symbolic input). */
function disposeLayer(layer: tfl.layers.Layer): void {
  for (const w of layer.weights) w.dispose();
}

/** A fused layer and tfjs's own with the same config and the same (random) γ, β and moving statistics. */
function layerPair(rng: SeededRandom, shape: number[], args: BatchNormalizationArgs = {}) {
  const channels = shape[shape.length - 1];
  const fused = new FusedBatchNormalization(args);
  const reference = tfl.layers.batchNormalization(args);
  fused.build(shape);
  reference.build(shape);
  const weights = reference.weights.map((w) => {
    const positive = w.name.includes('variance');
    return positive
      ? rng.uniformTensor([channels], 0.5, 2)
      : rng.normalTensor([channels], w.name.includes('gamma') ? 1 : 0, 0.5);
  });
  fused.setWeights(weights);
  reference.setWeights(weights);
  tf.dispose(weights);
  return { fused, reference };
}

/** One training step's outputs of `layer` on `x`: y, moving stats after it, and the gradients of Σ y·w w.r.t. x, γ, β. */
function trainingStep(layer: tfl.layers.Layer, x: tf.Tensor, w: tf.Tensor) {
  const input = tf.variable(x);
  const params = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  let y: tf.Tensor | undefined;
  const { grads } = tf.variableGrads(() => {
    const out = layer.apply(input, { training: true }) as tf.Tensor;
    y = tf.keep(out.clone());
    return tf.sum(tf.mul(out, w)) as tf.Scalar;
  }, [input, ...params]);
  const result = {
    y: y as tf.Tensor,
    dx: grads[input.name],
    dGamma: grads[params[0].name],
    dBeta: grads[params[1].name],
    movingMean: layer.getWeights()[2].clone(),
    movingVariance: layer.getWeights()[3].clone(),
  };
  input.dispose();
  return result;
}

/**
 * Max |a − b| over the finite entries divided by max(|b|, `floor`), after
 * checking NaN and ±∞ sit in the same places with the same signs.
 */
function mismatch(actual: tf.Tensor, expected: tf.Tensor, floor = 0): number {
  const a = actual.dataSync();
  const b = expected.dataSync();
  expect(actual.shape).toEqual(expected.shape);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(a[i])) {
      expect(
        Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])),
        `entry ${i}`,
      ).toBe(true);
      continue;
    }
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * Training-mode BatchNorm and the gradients of Σ y·dy in float64 from the textbook formulas:
 * μ, σ² per channel, y = γ·x̂ + β, dx = γ·s·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
 */
function float64BatchNorm(
  x: Float32Array,
  channels: number,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  dy: Float32Array,
  epsilon: number,
) {
  const count = x.length / channels;
  const out = {
    mean: new Float64Array(channels),
    variance: new Float64Array(channels),
    y: new Float64Array(x.length),
    dx: new Float64Array(x.length),
    dGamma: new Float64Array(channels),
    dBeta: new Float64Array(channels),
  };
  for (let c = 0; c < channels; c++) {
    let [mean, variance, meanDy, meanDyXhat] = [0, 0, 0, 0];
    for (let i = c; i < x.length; i += channels) mean += x[i] / count;
    for (let i = c; i < x.length; i += channels) variance += (x[i] - mean) ** 2 / count;
    out.mean[c] = mean;
    out.variance[c] = variance;
    const s = 1 / Math.sqrt(variance + epsilon);
    for (let i = c; i < x.length; i += channels) {
      const xhat = (x[i] - mean) * s;
      out.y[i] = gamma[c] * xhat + beta[c];
      meanDy += dy[i] / count;
      meanDyXhat += (dy[i] * xhat) / count;
    }
    for (let i = c; i < x.length; i += channels) {
      const xhat = (x[i] - mean) * s;
      out.dx[i] = gamma[c] * s * (dy[i] - meanDy - xhat * meanDyXhat);
    }
    out.dGamma[c] = meanDyXhat * count;
    out.dBeta[c] = meanDy * count;
  }
  return out;
}

/** Max |a − b| over max |b|. */
function relativeToLargest(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let [diff, size] = [0, 0];
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    size = Math.max(size, Math.abs(expected[i]));
  }
  return diff / size;
}

type StepResult = ReturnType<typeof trainingStep>;

/**
 * Every output of a step within `tolerance`. dx = γ·s·(dy − mean(dy) − x̂·mean(dy·x̂)) is
 * measured against `dxScale`, the size of its terms (γ·s·|dy|), as their rounding is on
 * either side: the terms cancel, |dx| itself can be far smaller (batch 1: dx = 0).
 */
function expectClose(
  actual: StepResult,
  expected: StepResult,
  label: string,
  dxScale: number,
  tolerance: number,
) {
  for (const key of Object.keys(expected) as (keyof StepResult)[]) {
    const error = mismatch(actual[key], expected[key], key === 'dx' ? dxScale : 0);
    expect(error, `${label}: ${key}`).toBeLessThanOrEqual(tolerance);
  }
}

function compareOnCpu(
  rng: SeededRandom,
  shape: number[],
  fill: (values: Float32Array, channels: number) => void = () => {},
  args: BatchNormalizationArgs = {},
  tolerance = 1e-5,
) {
  const channels = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  const values = rng.normalArray(size, 0.3, 2);
  fill(values, channels);
  const { fused, reference } = layerPair(rng, shape, args);
  const x = tf.tensor(values, shape);
  const w = rng.normalTensor(shape);
  const expected = trainingStep(reference, x, w);
  const actual = trainingStep(fused, x, w);
  // γ·s·|dy| bounds each of dx's three terms, s = 1/√(σ² + ε) of the batch.
  const gamma = Math.max(...reference.getWeights()[0].dataSync().map(Math.abs));
  const batchVariance = tf.tidy(
    () =>
      tf.moments(
        x,
        shape.slice(0, -1).map((_, i) => i),
      ).variance,
  );
  const s = Math.max(
    ...Array.from(
      batchVariance.dataSync(),
      (v) => 1 / Math.sqrt(v + (args.epsilon ?? 1e-3)),
    ).filter(Number.isFinite),
  );
  batchVariance.dispose();
  const dy = Math.max(...(w.dataSync() as Float32Array).map(Math.abs));
  expectClose(actual, expected, JSON.stringify({ shape, args }), gamma * s * dy, tolerance);
  tf.dispose([x, w, ...Object.values(expected), ...Object.values(actual)]);
  disposeLayer(fused);
  disposeLayer(reference);
}

describe('FusedBatchNormalization against tfjs’s BatchNormalization (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes the fused kernel in training mode', async () => {
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'cpu')).toBeDefined();
    const rng = new SeededRandom(1);
    const { fused, reference } = layerPair(rng, [2, 3, 3, 4]);
    const x = rng.normalTensor([2, 3, 3, 4]);
    const info = await tf.profile(() =>
      (fused.apply(x, { training: true }) as tf.Tensor).dispose(),
    );
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain(BATCH_NORM_TRAINING);
    expect(names).not.toContain('FusedBatchNorm');
    // Both moving statistics in one call, no Sub, Multiply, Sub per statistic.
    expect(names.filter((n) => n === MOVING_AVERAGE_UPDATE)).toHaveLength(1);
    expect(names).not.toContain('Sub');
    x.dispose();
    disposeLayer(fused);
    disposeLayer(reference);
  });

  it('forward, moving statistics and gradients w.r.t. x, γ, β match on random shapes (C not a multiple of 4, batch 1, ranks 2–4)', () => {
    const rng = new SeededRandom(7);
    for (const shape of [
      [4, 5, 6, 3],
      [1, 1, 1, 5],
      [1, 4, 4, 6],
      [3, 7],
      [2, 5, 6],
      [2, 3, 3, 16],
      [5, 2, 2, 1],
      [3, 9, 9, 12],
      [1, 9],
    ]) {
      compareOnCpu(rng, shape);
    }
  });

  it('with momentum, ε and initializers as the zoo’s WideResNet uses them', () => {
    const rng = new SeededRandom(8);
    compareOnCpu(rng, [4, 6, 6, 10], () => {}, { momentum: 0.9, epsilon: 1e-5 });
    compareOnCpu(rng, [4, 6, 6, 8], () => {}, { momentum: 0.5, epsilon: 0.1, axis: 3 });
  });

  it('edge values: zeros, a constant channel (variance 0), huge and tiny magnitudes, NaN as the reference', () => {
    const rng = new SeededRandom(9);
    const shape = [3, 4, 4, 6];
    compareOnCpu(rng, shape, (v) => v.fill(0));
    compareOnCpu(rng, shape, (v, c) => {
      for (let i = 2; i < v.length; i += c) v[i] = 7.25;
    });
    // 1e9, not more: beyond σ ≈ 1e12 tfjs's float32 backward underflows (its −½·s³ < 1e-38
    // drops the path through the variance; see the float64 check below).
    compareOnCpu(rng, shape, (v) => {
      for (let i = 0; i < v.length; i++) v[i] *= 1e9;
    });
    // (x − μ)² overflows float32: variance +∞ in both, y = β.
    compareOnCpu(rng, shape, (v) => {
      for (let i = 0; i < v.length; i++) v[i] *= 1e30;
    });
    compareOnCpu(rng, shape, (v) => {
      for (let i = 0; i < v.length; i++) v[i] *= 1e-20;
    });
    // A mean far from 0 relative to the spread: the one-pass variance must not cancel. 1e-4, not
    // 1e-5: the float32 batch mean at 1e4 is off by up to ½ ulp = 5e-4 (σ ≈ 2), and tfjs's autodiff
    // carries that into dx as 2·(μ − μ₃₂)·∂L/∂σ² (its Σ(x − μ₃₂) ≠ 0), a term exact arithmetic
    // and the fused kernel do not have; the float64 test above checks the statistics there.
    compareOnCpu(
      rng,
      shape,
      (v) => {
        for (let i = 0; i < v.length; i++) v[i] = 1e4 + v[i];
      },
      {},
      1e-4,
    );
    compareOnCpu(rng, shape, (v, c) => {
      v[4 * c + 1] = Number.NaN;
    });
    compareOnCpu(rng, shape, (v, c) => {
      v[0] = Number.NaN; // the first sample of channel 0: the one-pass shift
      v[3 * c + 5] = Number.POSITIVE_INFINITY;
    });
  });

  it('match float64 arithmetic where tfjs’s float32 composition cannot (σ = 1e15; means 10⁴ σ from 0)', () => {
    const rng = new SeededRandom(16);
    const shape = [6, 5, 5, 4];
    const size = shape.reduce((a, b) => a * b, 1);
    // Every output, where the float32 batch mean represents μ well (|μ|/σ small).
    for (const [std, mean] of [
      [1e15, 0],
      [1e-3, 1e-2],
      [1, 0],
    ]) {
      const values = rng.normalArray(size, mean, std);
      const { fused, reference } = layerPair(rng, shape);
      const x = tf.tensor(values, shape);
      const w = rng.normalTensor(shape);
      const step = trainingStep(fused, x, w);
      const [gamma, beta] = reference.getWeights().map((t) => t.dataSync());
      const exact = float64BatchNorm(values, 4, gamma, beta, w.dataSync() as Float32Array, 1e-3);
      for (const key of ['y', 'dx', 'dGamma', 'dBeta'] as const) {
        const error = relativeToLargest(step[key].dataSync(), exact[key]);
        expect(error, `${key} at σ ${std}, μ ${mean}`).toBeLessThan(1e-5);
      }
      tf.dispose([x, w, ...Object.values(step)]);
      disposeLayer(fused);
      disposeLayer(reference);
    }
    // The statistics alone where |μ|/σ is large: no cancellation in the one-pass variance.
    for (const [std, mean] of [
      [1, 1e4],
      [1e-3, 10],
      [1e13, 1e17],
    ]) {
      const values = rng.normalArray(size, mean, std);
      const exact = float64BatchNorm(values, 4, [1, 1, 1, 1], [0, 0, 0, 0], values, 1e-3);
      const x = tf.tensor(values, shape);
      const got = batchNormTraining(x);
      expect(relativeToLargest(got.mean.dataSync(), exact.mean), `μ ${mean}`).toBeLessThan(1e-7);
      expect(
        relativeToLargest(got.variance.dataSync(), exact.variance),
        `σ² at μ ${mean}`,
      ).toBeLessThan(1e-6);
      tf.dispose([x, got.y, got.mean, got.variance]);
    }
  });

  it('center: false and scale: false train (tfjs 4.22 throws there) as γ = 1, β = 0', () => {
    const rng = new SeededRandom(10);
    const x = rng.normalTensor([2, 3, 3, 5]);
    const plain = new FusedBatchNormalization({ center: false, scale: false });
    const y = plain.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const expected = tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3);
    expect(mismatch(y, expected)).toBeLessThan(1e-5);
    tf.dispose([x, y, mean, variance, expected]);
    disposeLayer(plain);
  });

  it('inference mode is tfjs’s own call, bit for bit', () => {
    const rng = new SeededRandom(11);
    const { fused, reference } = layerPair(rng, [2, 4, 4, 6]);
    const x = rng.normalTensor([2, 4, 4, 6]);
    for (const kwargs of [{}, { training: false }]) {
      const a = fused.apply(x, kwargs) as tf.Tensor;
      const b = reference.apply(x, kwargs) as tf.Tensor;
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    }
    x.dispose();
    disposeLayer(fused);
    disposeLayer(reference);
  });
});

describe('FusedBatchNormalization on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('equals the cpu backend’s fused layer bit for bit (forward, moving statistics, gradients)', async () => {
    const rng = new SeededRandom(12);
    for (const shape of [
      [4, 8, 8, 16],
      [3, 5, 5, 6],
      [2, 3, 3, 3],
      [1, 2, 2, 64],
    ]) {
      const channels = shape[shape.length - 1];
      const values = rng.normalArray(
        shape.reduce((a, b) => a * b, 1),
        0.5,
        3,
      );
      values[channels + 1] = 0;
      const weights = [
        rng.normalArray(channels, 1, 0.5),
        rng.normalArray(channels),
        rng.normalArray(channels),
        rng.uniformArray(channels, 0.5, 2),
      ];
      const wValues = rng.normalArray(values.length);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const layer = new FusedBatchNormalization({});
        layer.build(shape);
        layer.setWeights(weights.map((v) => tf.tensor1d(v)));
        const x = tf.tensor(values, shape);
        const w = tf.tensor(wValues, shape);
        const step = trainingStep(layer, x, w);
        const out = Object.fromEntries(
          Object.entries(step).map(([k, t]) => [k, Array.from(t.dataSync())]),
        );
        tf.dispose([x, w, ...Object.values(step)]);
        disposeLayer(layer);
        return out;
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      expect(wasm).toEqual(cpu);
    }
  });

  it('a CIFAR ResNet training step keeps no tensor, and trains', () => {
    const model = cifarResNet({ depth: 8, width: 4, seed: 1 });
    const optimizer = tf.train.momentum(0.01, 0.9);
    const rng = new SeededRandom(13);
    const x = rng.uniformTensor([4, 32, 32, 3]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
    const step = () =>
      optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            labels,
            model.apply(x, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        true,
      ) as tf.Scalar;
    step().dispose(); // the optimizer makes its slots on the first step
    const before = tf.memory().numTensors;
    const loss = step();
    const value = loss.dataSync()[0];
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(value)).toBe(true);
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  });

  it('batchNormTraining alone leaks nothing under a gradient either', () => {
    const rng = new SeededRandom(14);
    const x = rng.normalTensor([2, 4, 4, 8]);
    const before = tf.memory().numTensors;
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.square(batchNormTraining(input).y)))(x);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('a zoo model saves as plain tfjs (class_name BatchNormalization) and loads as the fused class', async () => {
    const model = cifarResNet({ depth: 8, width: 4, seed: 2 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(artifacts?.modelTopology);
    const bnLayers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(bnLayers.length).toBeGreaterThan(0);
    expect(bnLayers.every((l) => l instanceof FusedBatchNormalization)).toBe(true);
    expect(topology.match(/"class_name":"BatchNormalization"/g)?.length).toBe(bnLayers.length);
    // The config is tfjs's: the same keys a plain tfjs BatchNormalization writes.
    expect(Object.keys(bnLayers[0].getConfig()).sort()).toEqual(
      Object.keys(tfl.layers.batchNormalization({}).getConfig()).sort(),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const loadedBn = loaded.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(loadedBn.every((l) => l instanceof FusedBatchNormalization)).toBe(true);
    const x = new SeededRandom(15).uniformTensor([2, 32, 32, 3]);
    for (const training of [false, true]) {
      const a = model.apply(x, { training }) as tf.Tensor;
      const b = loaded.apply(x, { training }) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
    }
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});
