/**
 * How much the smoothing block adds to one training step of the FMNIST CNN
 * (SPEC 2.1's speed target: at most 10% on the embedded backend).
 *
 * Times an Adam step (forward, softmax cross-entropy, backward, update) of
 * `fmnistCnn()` with and without a GaussianSmoothing block after `conv1`,
 * alternating the two so machine noise hits both alike, and prints the medians
 * and the overhead (the median of the paired step ratios). Run from packages/smoothing-layer:
 *
 *   npx tsx --conditions=source bench/smoothing-overhead.ts [--backend wasm|cpu] [--batch 64] [--steps 41] [--sigma 1] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type BackendName, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { insertSmoothing } from '../src/index';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    batch: { type: 'string', default: '64' },
    steps: { type: 'string', default: '41' },
    sigma: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const backend = args.backend as BackendName;
const batch = Number(args.batch);
const steps = Number(args.steps);
const sigma = Number(args.sigma);

await initBackend({ backend, log: () => {} });
const rng = new SeededRandom(0);
const x = tf.tensor4d(Float32Array.from(rng.normalArray(batch * 28 * 28)), [batch, 28, 28, 1]);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: batch }, () => rng.int(10)),
    'int32',
  ),
  10,
);

const plain = fmnistCnn({ seed: 0 });
const smoothed = insertSmoothing(plain, { after: 'conv1', sigma });
const variants: Array<{
  name: string;
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  ms: number[];
}> = [
  { name: 'fmnistCnn', model: plain, optimizer: tf.train.adam(1e-3), ms: [] },
  {
    name: `fmnistCnn + smoothing(σ=${sigma}) after conv1`,
    model: smoothed,
    optimizer: tf.train.adam(1e-3),
    ms: [],
  },
];

function step(model: tfl.LayersModel, optimizer: tf.Optimizer): number {
  const start = performance.now();
  const cost = optimizer.minimize(
    () =>
      tf.losses.softmaxCrossEntropy(
        labels,
        model.apply(x, { training: true }) as tf.Tensor,
      ) as tf.Scalar,
    true,
  );
  cost?.dataSync();
  cost?.dispose();
  return performance.now() - start;
}

for (const v of variants) for (let warm = 0; warm < 2; warm++) step(v.model, v.optimizer);
for (let s = 0; s < steps; s++) for (const v of variants) v.ms.push(step(v.model, v.optimizer));

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const [base, withBlock] = variants.map((v) => median(v.ms));
// Each step of one model runs right after one of the other: the median of
// these paired ratios cancels the slow drifts of a shared machine that the
// ratio of two medians keeps.
const pairedRatios = variants[0].ms.map((plainMs, s) => variants[1].ms[s] / plainMs);
const overheadPercent = (median(pairedRatios) - 1) * 100;
const overheadOfMediansPercent = ((withBlock - base) / base) * 100;
for (const v of variants) {
  console.log(
    `${v.name.padEnd(44)} ${median(v.ms).toFixed(1).padStart(8)} ms/step  ${((batch / median(v.ms)) * 1000).toFixed(0).padStart(6)} img/s`,
  );
}
console.log(
  `smoothing overhead on ${backend}, batch ${batch}: ${overheadPercent.toFixed(1)}% (median of ${steps} paired step ratios; ratio of medians ${overheadOfMediansPercent.toFixed(1)}%; target ≤ 10%)`,
);
if (args.json) {
  writeFileSync(
    args.json,
    JSON.stringify(
      {
        backend,
        batch,
        steps,
        sigma,
        baseMsPerStep: base,
        smoothedMsPerStep: withBlock,
        overheadPercent,
        overheadOfMediansPercent,
      },
      null,
      2,
    ),
  );
}
tf.dispose([x, labels]);
