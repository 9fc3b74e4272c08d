// RIS + ROS + RRS: three separate `evaluateMetric` calls against one
// `evaluateRelativeStabilities` pass on the same images, explainer and seed.
// Vanilla Gradient on the FMNIST CNN of the model zoo (random weights, seed 0),
// Fashion-MNIST test images, representation layer fc1. Checks the results are
// bit-identical and prints the median time of each over `--rounds` alternating runs.
//
//   pnpm --filter @trustgrad/metrics bench:stabilities [-- --images 20 --perturbations 20 --backend wasm]
import { isDeepStrictEqual } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import {
  evaluateMetric,
  evaluateRelativeStabilities,
  vanillaGradientExplainer,
} from '../src/index';
import { readFmnistTest } from './fmnist-test-images';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const images = Number(arg('images', '20'));
  const perturbations = Number(arg('perturbations', '20'));
  const rounds = Number(arg('rounds', '3'));
  const backend = arg('backend', 'wasm') as BackendName;
  const choice = await initBackend({ backend, log: () => {} });
  const model = fmnistCnn({ seed: 0 });
  const { x, source } = readFmnistTest(images);
  let explainCalls = 0;
  const vg = vanillaGradientExplainer(model);
  const ctx = {
    model,
    x,
    representation: 'fc1',
    seed: 0,
    explain: (input: tf.Tensor4D, target?: tf.Tensor1D) => {
      explainCalls++;
      return vg(input, target);
    },
  };
  const options = { perturbations };

  const separately = async () => ({
    ris: await evaluateMetric('ris', ctx, options),
    ros: await evaluateMetric('ros', ctx, options),
    rrs: await evaluateMetric('rrs', ctx, options),
  });
  const together = () => evaluateRelativeStabilities(ctx, options);
  await together(); // warm-up: kernels, layer weights

  const tSeparate: number[] = [];
  const tShared: number[] = [];
  const callsSeparate: number[] = [];
  const callsShared: number[] = [];
  let identical = true;
  const tensorsBefore = tf.memory().numTensors;
  for (let r = 0; r < rounds; r++) {
    explainCalls = 0;
    let start = performance.now();
    const a = await separately();
    tSeparate.push(performance.now() - start);
    callsSeparate.push(explainCalls);
    explainCalls = 0;
    start = performance.now();
    const b = await together();
    tShared.push(performance.now() - start);
    callsShared.push(explainCalls);
    identical &&= isDeepStrictEqual(a, b);
  }
  const record = {
    benchmark: 'relative-stabilities-shared',
    backend: choice.tfjsBackend,
    model: 'fmnistCnn (random weights, seed 0)',
    explainer: 'vanilla gradient (target logit)',
    images: x.shape[0],
    imageSource: source,
    perturbations,
    rounds,
    separateMs: Math.round(median(tSeparate)),
    sharedMs: Math.round(median(tShared)),
    speedup: Number((median(tSeparate) / median(tShared)).toFixed(2)),
    explainCallsSeparate: callsSeparate[0],
    explainCallsShared: callsShared[0],
    bitIdentical: identical,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  };
  console.log(JSON.stringify(record));
  x.dispose();
  model.dispose();
  if (!identical)
    throw new Error('shared-pass results differ from the separate evaluateMetric calls');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
