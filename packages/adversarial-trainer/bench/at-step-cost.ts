// Cost of a PGD-7 adversarial training step relative to a standard step
// (FMNIST CNN, batch 64). The bound: ≤ ~8.5× (7 input gradients + 1 train step).
// Usage: tsx bench/at-step-cost.ts [--backend wasm|cpu|tensorflow] [--steps 8] [--json out.json]
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import {
  attackRegistry as attacks,
  createOptimizer,
  objectiveRegistry as objectives,
  trainStep,
} from '../src/index';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const backend = arg('backend', 'wasm') as BackendName;
const steps = Number(arg('steps', '8'));
const batch = Number(arg('batch', '64'));
const choice = await initBackend({ backend, log: () => {} });

const rng = new SeededRandom(0);
const x = rng.uniformTensor([batch, 28, 28, 1]) as tf.Tensor4D;
const y = tf.tensor1d(
  Array.from({ length: batch }, () => rng.int(10)),
  'int32',
);

function timeSteps(objectiveName: string): number {
  const model = fmnistCnn({ seed: 0 });
  const optimizer = createOptimizer({ name: 'momentum', momentum: 0.9 }, 0.01);
  const run = (step: number) =>
    trainStep({
      model,
      optimizer,
      objective: objectives.get(objectiveName),
      objectiveOptions: {},
      attack: attacks.get('pgd-linf'),
      attackOptions: { eps: 0.1, steps: 7 },
      rng,
      x,
      y,
      step,
      epoch: 0,
      weightDecay: 0,
    });
  run(0); // warm-up: kernels compiled, optimiser slots created
  run(1);
  const started = performance.now();
  for (let s = 0; s < steps; s++) run(s + 2);
  const ms = (performance.now() - started) / steps;
  optimizer.dispose();
  model.dispose();
  return ms;
}

const standardMs = timeSteps('standard');
const atMs = timeSteps('pgd-at');
const result = {
  backend: choice.tfjsBackend,
  model: 'fmnistCnn (32, 64, 128)',
  batch,
  steps,
  standardStepMs: +standardMs.toFixed(1),
  pgd7StepMs: +atMs.toFixed(1),
  standardImagesPerSecond: +((1000 * batch) / standardMs).toFixed(1),
  pgd7ImagesPerSecond: +((1000 * batch) / atMs).toFixed(1),
  ratio: +(atMs / standardMs).toFixed(2),
};
console.log(
  `[at-step-cost] ${result.backend}: standard ${result.standardStepMs} ms/step (${result.standardImagesPerSecond} img/s), ` +
    `PGD-7 AT ${result.pgd7StepMs} ms/step (${result.pgd7ImagesPerSecond} img/s), ratio ${result.ratio}× (bound ~8.5×)`,
);
const jsonOut = arg('json', '');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 2));
tf.dispose([x, y]);
