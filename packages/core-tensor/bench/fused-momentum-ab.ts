/**
 * A/B of the fused per-variable updates on the CIFAR ResNet-20 training step
 * (batch 128, wasm, built as `cifar-resnet20-step.ts` builds it), in one
 * process, windows alternating so both see the same machine load:
 *
 * - before: `tf.train.momentum(0.01, 0.9)` (4 kernels per variable) and the
 *   moving statistics by tfjs-layers' 3 ops each (the fused kernel unregistered);
 * - after: `FusedMomentumOptimizer` and `movingAverageUpdate` (one kernel each).
 *
 * Prints the median ms per step of each and the kernel calls per step (tf.profile).
 *
 *   npx tsx bench/fused-momentum-ab.ts [--rounds N] [--steps N]
 */
import * as tf from '@tensorflow/tfjs-core';
import { cifarResNet, FusedMomentumOptimizer, initBackend } from '../src/index';
import { MOVING_AVERAGE_UPDATE } from '../src/ops/moving-average-update';

const BATCH = 128;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

async function main() {
  const argv = process.argv.slice(2);
  const rounds = option(argv, '--rounds', 4);
  const perWindow = option(argv, '--steps', 3);
  await initBackend({ backend: 'wasm', log: () => {} });
  const movingAverageKernel = tf.getKernel(MOVING_AVERAGE_UPDATE, 'wasm');
  if (!movingAverageKernel) throw new Error('the moving-average kernel is not registered');
  const fusedMovingAverage = (on: boolean) => {
    const registered = tf.getKernel(MOVING_AVERAGE_UPDATE, 'wasm') !== undefined;
    if (on && !registered) tf.registerKernel(movingAverageKernel);
    if (!on && registered) tf.unregisterKernel(MOVING_AVERAGE_UPDATE, 'wasm');
  };
  const model = cifarResNet({ seed: 0 });
  const x = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 1);
  const oneHot = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D, 10);
  const variants = [
    { name: 'before', optimizer: tf.train.momentum(0.01, 0.9), fused: false },
    { name: 'after', optimizer: new FusedMomentumOptimizer(0.01, 0.9), fused: true },
  ];
  const step = (v: (typeof variants)[number]) => {
    fusedMovingAverage(v.fused);
    return v.optimizer.minimize(
      () =>
        tf.losses.softmaxCrossEntropy(
          oneHot,
          model.apply(x, { training: true }) as tf.Tensor,
        ) as tf.Scalar,
      true,
    ) as tf.Scalar;
  };
  const kernels: Record<string, number> = {};
  for (const v of variants) {
    step(v).dispose(); // makes the accumulations
    const info = await tf.profile(() => step(v).dispose());
    kernels[v.name] = info.kernels.length;
  }
  const times: Record<string, number[]> = { before: [], after: [] };
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      for (let i = 0; i < perWindow; i++) {
        const start = performance.now();
        const loss = step(v);
        loss.dataSync();
        loss.dispose();
        times[v.name].push(performance.now() - start);
      }
    }
  }
  for (const v of variants) {
    const t = times[v.name];
    console.log(
      `${v.name.padEnd(6)} median ${median(t).toFixed(1)} ms/step (min ${Math.min(...t).toFixed(1)}, ${t.length} steps), ${kernels[v.name]} kernel calls/step`,
    );
  }
  console.log(
    `saved ${(median(times.before) - median(times.after)).toFixed(1)} ms/step, ${kernels.before - kernels.after} kernel calls/step`,
  );
}

void main();
