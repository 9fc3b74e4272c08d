// Throughput of the Quantus-family metrics of issue 20 on the embedded
// backend: metric values (samples scored) per second with each metric's
// default options (Quantus' defaults), Vanilla Gradient maps (computed once,
// outside the timing, except for the metrics that explain again), on the
// FMNIST CNN of the model zoo (random weights: the timing does not depend on
// training) and real Fashion-MNIST test images.
//
//   pnpm --filter @trustgrad/metrics bench:quantus [-- --images 16 --backend wasm --batch 256]
//
// Prints a Markdown row per metric, then one JSON line (for `pnpm bench:perf`).
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { type AnyMetric, metricRegistry, vanillaGradientExplainer } from '../src/index';
import { readFmnistTest } from './fmnist-test-images';

/** Metric names and, where the default would take minutes, the images (of n) and options it is timed with. */
const METRICS: Array<
  [string, { images?: (n: number) => number; options?: Record<string, unknown> }?]
> = [
  ['faithfulnessCorrelation'],
  ['pixelFlipping'],
  ['monotonicity'],
  // 100 uniform draws for each of 784 features: 78 400 forward passes per image by default.
  [
    'monotonicityCorrelation',
    { images: (n) => Math.max(1, Math.floor(n / 16)), options: { nrSamples: 10 } },
  ],
  ['sufficiency'],
  ['modelParameterRandomisation'],
  ['randomLogit'],
  ['complexity'],
  ['completeness'],
  ['inputInvariance'],
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const images = Number(arg('images', '16'));
  const batchSize = Number(arg('batch', '256'));
  const backend = arg('backend', 'wasm') as BackendName;
  const choice = await initBackend({ backend, log: () => {} });
  const model = fmnistCnn({ seed: 0 });
  const explain = vanillaGradientExplainer(model);
  const { x, source } = readFmnistTest(images);
  const explanations = explain(x) as tf.Tensor4D;
  const n = x.shape[0];
  const warm = readFmnistTest(1).x;
  const warmMaps = explain(warm) as tf.Tensor4D;
  const rows: Record<string, unknown> = {};
  for (const [name, setting = {}] of METRICS) {
    const metric: AnyMetric = metricRegistry.get(name);
    const options = setting.options ?? {};
    const m = Math.min(n, setting.images?.(n) ?? n);
    const xs = tf.slice(x, 0, m) as tf.Tensor4D;
    const maps = tf.slice(explanations, 0, m) as tf.Tensor4D;
    // Warm-up on one image (kernel compilation, first allocations), not timed.
    await metric.evaluate({ model, x: warm, explanations: warmMaps, explain, batchSize }, options);
    const tensorsBefore = tf.memory().numTensors;
    const start = performance.now();
    const result = await metric.evaluate(
      { model, x: xs, explanations: maps, explain, batchSize, seed: 0 },
      options,
    );
    const seconds = (performance.now() - start) / 1000;
    const leakedTensors = tf.memory().numTensors - tensorsBefore;
    tf.dispose([xs, maps]);
    const row = {
      images: m,
      ...(setting.options ? { options } : {}),
      valuesPerSecond: Number((m / seconds).toPrecision(4)),
      seconds: Number(seconds.toFixed(2)),
      mean: Number(result.mean.toPrecision(4)),
      leakedTensors,
    };
    rows[name] = row;
    console.log(
      `| ${name}${setting.options ? ` ${JSON.stringify(options)}` : ''} | ${choice.tfjsBackend} | ${m} images | ${row.valuesPerSecond} values/s | mean ${row.mean} |`,
    );
  }
  console.log(
    JSON.stringify({
      benchmark: 'quantus-metrics-throughput',
      backend: choice.tfjsBackend,
      model: 'fmnistCnn (random weights, seed 0)',
      explainer: 'vanilla gradient (target logit)',
      images: n,
      imageSource: source,
      batchSize,
      metrics: rows,
    }),
  );
  tf.dispose([x, explanations, warm, warmMaps]);
  model.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
