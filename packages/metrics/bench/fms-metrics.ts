// The canonical stabilities and the FMS authors' metrics on a briefly trained
// FMNIST CNN (zoo fmnistCnn, filters [8, 16], 32 hidden, Adam 1e-3, --epochs on
// --train images), Vanilla Gradient, correctly classified test images only.
// Prints: the per-sample factor between ROS with the absolute logit change
// (now) and with the relative one (before), RIS(1e-3·VG)/RIS(VG) under the
// exact-zero rule and under the old |v| < 1e-6 clamp, Quantus-protocol ROS
// (5 copies) with log10 of the mean, roadAopc and ssim with their timings.
//
//   pnpm --filter @trustgrad/metrics exec tsx --conditions=source bench/fms-metrics.ts [--train 6000 --epochs 2 --images 100]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type BackendName, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import {
  correctlyClassified,
  type Explainer,
  evaluateMetric,
  evaluateRelativeStabilities,
  gaussianPerturbation,
  vanillaGradientExplainer,
} from '../src/index';
import type { ResolvedMetricContext } from '../src/metric/metric-context';
import { rowNorm } from '../src/norms/row-norm';
import { measurePerturbed } from '../src/perturbation/perturbed-batches';
import { readFmnist } from './fmnist-test-images';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The relative change with the former stabiliser: every |v| < s divides by ±s. */
function clampedRelativeChange(a: tf.Tensor, b: tf.Tensor, s: number): tf.Tensor {
  return tf.tidy(() => {
    const magnitude = tf.maximum(tf.abs(a), s);
    return tf.div(tf.sub(a, b), tf.where(tf.less(a, 0), tf.neg(magnitude), magnitude));
  });
}

/** Per-sample max over same-class copies of the former formulas (clamp stabiliser; ROS over the relative logit change). */
async function formerStabilities(
  ctx: ResolvedMetricContext,
  perturbations: number,
): Promise<{ ris: number[]; ros: number[] }> {
  const rows = await measurePerturbed(ctx, perturbations, gaussianPerturbation(0.05), (g) =>
    tf.tidy(() => {
      const num = rowNorm(clampedRelativeChange(g.exRep, g.ep, 1e-6), 2);
      const ris = tf.div(
        num,
        tf.maximum(rowNorm(clampedRelativeChange(g.xRep, g.xp, 1e-6), 2), 1e-6),
      );
      const ros = tf.div(
        num,
        tf.maximum(rowNorm(clampedRelativeChange(g.logitsRep, g.logitsP, 1e-6), 2), 1e-6),
      );
      return tf.stack([ris, ros]) as tf.Tensor2D;
    }),
  );
  const n = ctx.x!.shape[0];
  const best = (r: Float32Array) =>
    Array.from({ length: n }, (_, i) => {
      let m = Number.NEGATIVE_INFINITY;
      for (let j = i * perturbations; j < (i + 1) * perturbations; j++) {
        if (rows.sameClass[j] && r[j] > m) m = r[j];
      }
      return m;
    });
  return { ris: best(rows.rows[0]), ros: best(rows.rows[1]) };
}

/** Mean over the finite entries (the former code gave −∞ for a sample without a same-class copy). */
const mean = (v: number[]) => {
  const f = v.filter(Number.isFinite);
  return f.reduce((a, b) => a + b, 0) / f.length;
};

const quantiles = (v: number[]) => {
  const s = [...v].filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `min ${s[0].toPrecision(3)}, median ${q(0.5).toPrecision(3)}, max ${s[s.length - 1].toPrecision(3)}`;
};

async function main(): Promise<void> {
  const trainCount = Number(arg('train', '6000'));
  const epochs = Number(arg('epochs', '2'));
  const images = Number(arg('images', '100'));
  const perturbations = Number(arg('perturbations', '20'));
  const backend = arg('backend', 'wasm') as BackendName;
  const choice = await initBackend({ backend, log: () => {} });
  const model = fmnistCnn({ filters: [8, 16], hiddenUnits: 32, seed: 0 });
  const train = readFmnist('train', trainCount);
  let t = performance.now();
  // fmnistCnn outputs logits: train through a softmax head sharing its weights.
  const probs = tfl.model({
    inputs: model.inputs,
    outputs: tfl.layers.softmax().apply(model.outputs[0]) as tfl.SymbolicTensor,
  });
  probs.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  await probs.fit(train.x, tf.cast(train.y, 'float32'), { epochs, batchSize: 32, verbose: 0 });
  const trainS = (performance.now() - t) / 1000;
  const test = readFmnist('t10k', images);
  const vg = vanillaGradientExplainer(model);
  const kept = await correctlyClassified({ model, x: test.x, y: test.y, explain: vg, seed: 0 });
  console.log(
    `[bench] backend ${choice.tfjsBackend}; trained ${epochs} epoch(s) on ${trainCount} images in ${trainS.toFixed(0)} s; ` +
      `${kept.index.length}/${images} test images correctly classified`,
  );
  const ctx = { ...kept.ctx, seed: 0, batchSize: 256 };

  t = performance.now();
  const now = await evaluateRelativeStabilities(ctx, { perturbations, sigma: 0.05 }, [
    'ris',
    'ros',
  ]);
  const { ris: risBefore, ros: rosBefore } = await formerStabilities(
    {
      ...ctx,
      dataRange: [0, 1],
      rng: new SeededRandom(0),
    },
    perturbations,
  );
  const factor = now.ros.values.map(
    (v, k) => v / rosBefore[(now.ros.extra!.sampleIndex as number[])[k]],
  );
  console.log(`ROS now / ROS before (same copies, per sample): ${quantiles(factor)}`);
  console.log(
    `  mean ROS now ${now.ros.mean.toPrecision(4)}, before ${mean(rosBefore).toPrecision(4)}`,
  );
  const risFactor = now.ris.values.map(
    (v, k) => v / risBefore[(now.ris.extra!.sampleIndex as number[])[k]],
  );
  console.log(
    `RIS now / RIS before: ${quantiles(risFactor)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );

  const scaled: Explainer = (z, target) =>
    tf.tidy(() => tf.mul(vg(z, target) as tf.Tensor4D, 1e-3) as tf.Tensor4D);
  const nowScaled = await evaluateRelativeStabilities(
    { ...ctx, explain: scaled },
    { perturbations, sigma: 0.05 },
    ['ris'],
  );
  const beforeScaled = await formerStabilities(
    {
      ...ctx,
      explain: scaled,
      dataRange: [0, 1],
      rng: new SeededRandom(0),
    },
    perturbations,
  );
  console.log(
    `RIS(1e-3·VG)/RIS(VG): now ${(nowScaled.ris.mean / now.ris.mean).toFixed(4)}, before ${(mean(beforeScaled.ris) / mean(risBefore)).toFixed(4)}`,
  );

  t = performance.now();
  const quantus = await evaluateMetric('ros', ctx, {
    protocol: 'quantus',
    perturbations: 5,
    meanOverBatchesOf: 32,
  });
  console.log(
    `Quantus-protocol ROS (5 copies): ${quantus.values.length} valued, ${(quantus.extra!.nanSamples as number[]).length} NaN; ` +
      `mean ${quantus.mean.toPrecision(4)}, log10Mean ${(quantus.extra!.log10Mean as number).toFixed(3)}, ` +
      `log10MeanOverBatches(32) ${(quantus.extra!.log10MeanOverBatches as number).toFixed(3)} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );

  t = performance.now();
  const road = await evaluateMetric('roadAopc', ctx);
  console.log(
    `roadAopc ${road.mean.toFixed(4)} [${road.ci.map((c) => c.toFixed(4)).join(', ')}], accuracy curve ${(road.extra!.accuracy as number[]).map((a) => a.toFixed(2)).join(' ')} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  t = performance.now();
  const ssim = await evaluateMetric('ssim', ctx);
  const bySigma = ssim.extra!.bySigma as { sigma: number; mean: number; count: number }[];
  console.log(
    `ssim ${ssim.mean.toFixed(4)}; by σ ${bySigma.map((b) => `${b.sigma}: ${b.mean.toFixed(4)} (${b.count})`).join(', ')} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  kept.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
