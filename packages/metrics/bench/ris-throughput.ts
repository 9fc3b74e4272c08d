// RIS throughput on the embedded backend: relative input stability with 50
// Gaussian perturbations per sample, Vanilla Gradient (∂ target logit / ∂x via
// tf.grad) on the FMNIST CNN of the model zoo (random weights: the timing does
// not depend on training), on real Fashion-MNIST test images read from the IDX
// files. Times N images (default 100) and extrapolates to 1000; `--images 1000`
// measures the full 1000.
//
//   pnpm --filter @trustgrad/metrics bench:ris [-- --images 1000 --backend wasm --batch 256]
//
// Prints one JSON line (for `pnpm bench:perf` to fold in) after a Markdown row.
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { relativeInputStability, vanillaGradientExplainer } from '../src/index';
import { readFmnistTest } from './fmnist-test-images';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const images = Number(arg('images', '100'));
  const batchSize = Number(arg('batch', '256'));
  const backend = arg('backend', 'wasm') as BackendName;
  const perturbations = 50;
  const choice = await initBackend({ backend, log: () => {} });
  const model = fmnistCnn({ seed: 0 });
  const explain = vanillaGradientExplainer(model);

  const warm = readFmnistTest(2);
  await relativeInputStability.evaluate(
    { model, x: warm.x, explain, batchSize },
    { perturbations: 5 },
  );
  warm.x.dispose();

  const { x, source } = readFmnistTest(images);
  const tensorsBefore = tf.memory().numTensors;
  const start = performance.now();
  const result = await relativeInputStability.evaluate(
    { model, x, explain, batchSize, seed: 0 },
    { perturbations },
  );
  const seconds = (performance.now() - start) / 1000;
  const leaked = tf.memory().numTensors - tensorsBefore;
  const n = x.shape[0];
  const perImageMs = (seconds * 1000) / n;
  const record = {
    benchmark: 'ris-throughput',
    backend: choice.tfjsBackend,
    model: 'fmnistCnn (random weights, seed 0)',
    explainer: 'vanilla gradient (target logit)',
    images: n,
    imageSource: source,
    perturbations,
    batchSize,
    seconds: Number(seconds.toFixed(2)),
    msPerImage: Number(perImageMs.toFixed(1)),
    imagesPerSecond: Number((n / seconds).toFixed(2)),
    seconds1000: Number(perImageMs.toFixed(1)), // ms per image × 1000 images ÷ 1000 ms per s
    measured1000: n >= 1000,
    risMean: result.mean,
    log10RisMean: (result.extra!.log10 as { mean: number }).mean,
    skippedSamples: (result.extra!.skipped as number[]).length,
    leakedTensors: leaked,
  };
  console.log(
    `| RIS (50 perturbations, VG, FMNIST CNN) | ${record.backend} | ${n} images | ${record.msPerImage} ms/image | ` +
      `${record.seconds1000} s per 1000 images${record.measured1000 ? '' : ' (extrapolated)'} |`,
  );
  console.log(JSON.stringify(record));
  x.dispose();
  model.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
