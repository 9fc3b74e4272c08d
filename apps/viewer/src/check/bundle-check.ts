import * as tf from '@tensorflow/tfjs-core';
import { explain } from '@trustgrad/attribution';
import { fmnistCnn, SeededRandom, wasmTrainingKernels } from '@trustgrad/core-tensor';
import { giniSparsity } from '@trustgrad/metrics';
import { insertSmoothing } from '@trustgrad/smoothing-layer';

/** What the page and Node both compute, to compare number for number. */
export interface BundleCheckResult {
  backend: string;
  /** Kernel names whose registered wasm kernel is trustgrad's (not tfjs's own). */
  trustgradKernels: string[];
  logits: number[];
  vg: number[];
  gini: number[];
  lossBefore: number;
  lossAfter: number;
  numTensorsLeaked: number;
}

/**
 * On the active backend: the FMNIST CNN (seeded weights) with a Gaussian
 * smoothing layer after conv1, Vanilla Gradient of two seeded images, the
 * Gini sparsity metric of the maps, and two plain SGD steps on cross-entropy
 * (every gradient kernel of training runs). Same code in the page and in Node.
 */
export async function bundleCheck(): Promise<BundleCheckResult> {
  const before = tf.memory().numTensors;
  const base = fmnistCnn({ seed: 11, filters: [4, 8], hiddenUnits: 16 });
  // insertSmoothing clones every layer with its weights, so the base model can go.
  const model = insertSmoothing(base, { after: 'conv1', sigma: 1 });
  base.dispose();
  const rng = new SeededRandom(5);
  const x = tf.tensor4d(rng.uniformArray(2 * 28 * 28), [2, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10).toFloat() as tf.Tensor2D);
  const logits = tf.tidy(() => model.predict(x) as tf.Tensor);
  const map = explain('vg', model, x);
  const gini = await giniSparsity.evaluate({ explanations: map as tf.Tensor4D });
  const loss = () =>
    tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
  const lossBefore = loss();
  const optimizer = tf.train.sgd(0.1);
  for (let step = 0; step < 2; step++) optimizer.minimize(loss);
  const lossAfter = loss();
  const result: BundleCheckResult = {
    backend: tf.getBackend(),
    trustgradKernels: wasmTrainingKernels
      .filter((k) => tf.getKernel(k.kernelName, 'wasm')?.kernelFunc === k.kernelFunc)
      .map((k) => k.kernelName),
    logits: Array.from(await logits.data()),
    vg: Array.from(await map.data()),
    gini: gini.values,
    lossBefore: (await lossBefore.data())[0],
    lossAfter: (await lossAfter.data())[0],
    numTensorsLeaked: 0,
  };
  tf.dispose([x, y, logits, map, lossBefore, lossAfter]);
  optimizer.dispose();
  model.dispose();
  result.numTensorsLeaked = tf.memory().numTensors - before;
  return result;
}
