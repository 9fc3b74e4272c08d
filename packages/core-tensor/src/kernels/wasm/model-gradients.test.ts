import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { cifarResNet } from '../../zoo/cifar-resnet';
import { fmnistCnn } from '../../zoo/fmnist-cnn';
import { imagenetteResNet18 } from '../../zoo/imagenette-resnet18';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** A fixed 3×3 Gaussian as a depthwise filter `[3, 3, channels, 1]`: the smoothing layer's kernel. */
function gaussianFilter(channels: number): tf.Tensor4D {
  const taps = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);
  const values: number[] = [];
  for (const tap of taps) for (let c = 0; c < channels; c++) values.push(tap);
  return tf.tensor4d(values, [3, 3, channels, 1]);
}

/** Mirror-pads by 1 and smooths every channel with the fixed Gaussian (SPEC's smoothing block). */
function smooth(x: tf.Tensor4D): tf.Tensor4D {
  const padded = tf.mirrorPad(
    x,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    'reflect',
  );
  return tf.depthwiseConv2d(padded, gaussianFilter(x.shape[3]), 1, 'valid');
}

interface GradientSnapshot {
  weights: Record<string, Float32Array>;
  input: Float32Array;
  loss: number;
}

/**
 * Loss `Σ logits · w` (a fixed random weighting, so every logit matters) of
 * `model` in training mode (BatchNorm uses batch statistics); returns its
 * gradient with respect to every trainable weight and to the input.
 */
async function gradients(
  backend: string,
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  logitWeights: tf.Tensor,
  smoothInput: boolean,
): Promise<GradientSnapshot> {
  await tf.setBackend(backend);
  const forward = (input: tf.Tensor4D) => {
    const logits = model.apply(smoothInput ? smooth(input) : input, {
      training: true,
    }) as tf.Tensor;
    return tf.sum(tf.mul(logits, logitWeights)) as tf.Scalar;
  };
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(() => forward(x));
  const inputGrad = tf.grad((input: tf.Tensor) => forward(input as tf.Tensor4D))(x);
  const snapshot: GradientSnapshot = {
    weights: Object.fromEntries(
      await Promise.all(
        Object.entries(grads).map(async ([name, g]) => [name, (await g.data()) as Float32Array]),
      ),
    ),
    input: (await inputGrad.data()) as Float32Array,
    loss: (await value.data())[0],
  };
  tf.dispose([value, inputGrad, ...Object.values(grads)]);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  return snapshot;
}

function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / (scale || 1);
}

async function expectWasmMatchesCpu(
  model: tfl.LayersModel,
  inputShape: number[],
  smoothInput: boolean,
) {
  const rng = new SeededRandom(7);
  const x = tf.tensor4d(
    rng.normalArray(inputShape.reduce((a, b) => a * b, 1)),
    inputShape as never,
  );
  const logitWeights = tf.tensor(rng.normalArray(inputShape[0] * 10), [inputShape[0], 10]);
  const cpu = await gradients('cpu', model, x, logitWeights, smoothInput);
  const wasm = await gradients('wasm', model, x, logitWeights, smoothInput);
  expect(Object.keys(wasm.weights).sort()).toEqual(Object.keys(cpu.weights).sort());
  expect(Object.keys(cpu.weights).length).toBe(model.trainableWeights.length);
  for (const [name, expected] of Object.entries(cpu.weights)) {
    expect(relativeDifference(wasm.weights[name], expected), name).toBeLessThan(1e-4);
  }
  expect(relativeDifference(wasm.input, cpu.input), 'input gradient').toBeLessThan(1e-4);
  expect(Math.abs(wasm.loss - cpu.loss) / Math.max(1, Math.abs(cpu.loss))).toBeLessThan(1e-4);
  tf.dispose([x, logitWeights]);
}

describe('whole-model gradients on wasm match cpu', () => {
  for (const smoothInput of [false, true]) {
    const variant = smoothInput ? ' behind a mirror-padded Gaussian depthwise smoothing' : '';
    it(`fmnistCnn${variant}`, async () => {
      const model = fmnistCnn({ seed: 1, filters: [8, 16], hiddenUnits: 32 });
      await expectWasmMatchesCpu(model, [2, 28, 28, 1], smoothInput);
      model.dispose();
    });

    it(`cifarResNet depth 8 width 4 (BatchNorm in training mode)${variant}`, async () => {
      const model = cifarResNet({ depth: 8, width: 4, seed: 2 });
      await expectWasmMatchesCpu(model, [2, 32, 32, 3], smoothInput);
      model.dispose();
    });

    it(`imagenetteResNet18 64×64 width 4${variant}`, async () => {
      const model = imagenetteResNet18({ inputShape: [64, 64, 3], width: 4, seed: 3 });
      await expectWasmMatchesCpu(model, [1, 64, 64, 3], smoothInput);
      model.dispose();
    });
  }

  it('a trainable strided depthwise layer with channel multiplier 2', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.depthwiseConv2d({
          inputShape: [12, 12, 3],
          kernelSize: 3,
          depthMultiplier: 2,
          strides: 2,
          padding: 'same',
          depthwiseInitializer: tfl.initializers.glorotUniform({ seed: 5 }),
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({
          units: 10,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }),
        }),
      ],
    });
    await expectWasmMatchesCpu(model, [2, 12, 12, 3], false);
    model.dispose();
  });
});
