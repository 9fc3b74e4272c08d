// The same computation in the page (wasm, the packages' `browser` entry) and in Node (cpu, their
// Node entry), so browser-page.mjs can compare number for number: Vanilla Gradient of the FMNIST
// CNN (seeded weights) on two seeded images, and the Gini sparsity metric of those maps.
import * as tf from '@tensorflow/tfjs-core';
import { explain } from '@trustgrad/attribution';
import { fmnistCnn, SeededRandom, wasmTrainingKernels } from '@trustgrad/core-tensor';
import { giniSparsity } from '@trustgrad/metrics';

export async function compute() {
  const before = tf.memory().numTensors;
  const model = fmnistCnn({ seed: 11, filters: [4, 8], hiddenUnits: 16 });
  const x = tf.tensor4d(new SeededRandom(5).uniformArray(2 * 28 * 28), [2, 28, 28, 1]);
  const map = explain('vg', model, x);
  const gini = await giniSparsity.evaluate({ explanations: map });
  const result = {
    backend: tf.getBackend(),
    // Kernel names whose registered wasm kernel is trustgrad's, not tfjs's own.
    trustgradKernels: wasmTrainingKernels
      .filter((k) => tf.getKernel(k.kernelName, 'wasm')?.kernelFunc === k.kernelFunc)
      .map((k) => k.kernelName),
    vg: Array.from(await map.data()),
    gini: gini.values,
  };
  tf.dispose([x, map]);
  model.dispose();
  result.numTensorsLeaked = tf.memory().numTensors - before;
  return result;
}
