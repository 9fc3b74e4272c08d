/**
 * The PGD-L∞ update on LeNet-5's batch `[32, 28, 28, 1]`: core-tensor's fused
 * `pgdLinfStep` (one kernel) against the eight-op composition it replaces,
 * on wasm, in alternating blocks of calls in one process.
 *
 *   npx tsx bench/pgd-step.ts [--calls N]
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { composedPgdLinfStep, initBackend, pgdLinfStep } from '../src/index';

const argv = process.argv.slice(2);
const calls = argv.includes('--calls') ? Number(argv[argv.indexOf('--calls') + 1]) : 200;
await initBackend({ backend: 'wasm', log: () => {} });
const shape = [32, 28, 28, 1];
const x = tf.randomUniform(shape, 0, 1, 'float32', 1);
const xAdv = tf.randomUniform(shape, 0, 1, 'float32', 2);
const g = tf.randomNormal(shape, 0, 1, 'float32', 3);
const [alpha, eps] = [tf.fill([32], 0.01) as tf.Tensor1D, tf.fill([32], 0.1) as tf.Tensor1D];
const paths = {
  fused: () => pgdLinfStep(xAdv, g, x, { stepSize: alpha, epsilon: eps, range: [0, 1] }),
  composed: () => composedPgdLinfStep(xAdv, g, x, alpha, eps, [0, 1]),
};
const times = { fused: [] as number[], composed: [] as number[] };
const block = Math.ceil(calls / 4);
for (let round = 0; round < 4; round++) {
  for (const name of ['fused', 'composed'] as const) {
    for (let i = 0; i < block + 5; i++) {
      const start = performance.now();
      const out = paths[name]();
      const ms = performance.now() - start;
      out.dispose();
      if (i >= 5) times[name].push(ms);
    }
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(
  `PGD-L∞ update [${shape}], wasm: fused ${median(times.fused).toFixed(3)} ms, eight ops ${median(times.composed).toFixed(3)} ms (${(median(times.composed) / median(times.fused)).toFixed(1)}×); load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
tf.dispose([x, xAdv, g, alpha, eps]);
