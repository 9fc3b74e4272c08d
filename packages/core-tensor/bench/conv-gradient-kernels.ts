/**
 * Per-call time and GFLOP/s of the two `Conv2DBackpropInput` paths on wasm —
 * trustgrad's direct SIMD kernel (`planarInputGradient`, one thread) and the
 * rotated-filter XNNPACK conv (the backend's threads) — on LeNet-5's and the
 * FMNIST CNN's input-gradient shapes, side by side in one process (blocks of
 * calls alternate between the two, so both see the same machine load).
 *
 *   npx tsx bench/conv-gradient-kernels.ts [--calls N]
 */
import { readFileSync } from 'node:fs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index';
import { rotatedFilterInputGradient } from '../src/kernels/wasm/conv2d-backprop-input';
import { disposeIntermediate } from '../src/kernels/wasm/original-kernels';
import { planarInputGradient } from '../src/kernels/wasm/planar-input-gradient';

const SHAPES: Array<{
  label: string;
  x: [number, number, number, number];
  f: number[];
  pad: 'valid' | 'same';
}> = [
  { label: 'LeNet-5 conv1', x: [32, 28, 28, 1], f: [5, 5, 1, 6], pad: 'valid' },
  { label: 'LeNet-5 conv2', x: [32, 12, 12, 6], f: [5, 5, 6, 16], pad: 'valid' },
  { label: 'FMNIST CNN conv1', x: [64, 28, 28, 1], f: [3, 3, 1, 32], pad: 'same' },
  { label: '3×3, 4→8 same', x: [32, 28, 28, 4], f: [3, 3, 4, 8], pad: 'same' },
  { label: '3×3, 4→16 same', x: [32, 14, 14, 4], f: [3, 3, 4, 16], pad: 'same' },
  // Above the default channel-product limit: where XNNPACK's GEMM catches up.
  { label: '3×3, 8→16 same', x: [32, 14, 14, 8], f: [3, 3, 8, 16], pad: 'same' },
  { label: '3×3, 16→16 same', x: [32, 14, 14, 16], f: [3, 3, 16, 16], pad: 'same' },
  { label: '5×5, 16→32 same', x: [32, 14, 14, 16], f: [5, 5, 16, 32], pad: 'same' },
  { label: 'FMNIST CNN conv2', x: [64, 14, 14, 32], f: [3, 3, 32, 64], pad: 'same' },
];

async function main() {
  const argv = process.argv.slice(2);
  const calls = argv.includes('--calls') ? Number(argv[argv.indexOf('--calls') + 1]) : 40;
  const choice = await initBackend({ backend: 'wasm', log: () => {} });
  const backend = tf.backend() as BackendWasm;
  console.log(`wasm, ${choice.wasmThreads?.count ?? 1} XNNPACK thread(s); load ${loadavg()}`);
  console.log('| shape | dy | direct ms | GFLOP/s | XNNPACK ms | GFLOP/s | speed-up |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const { label, x, f, pad } of SHAPES) {
    const info = backend_util.computeConv2DInfo(
      x,
      f as [number, number, number, number],
      1,
      1,
      pad,
    );
    const dy = tf.randomNormal(info.outShape, 0, 1, 'float32', 1);
    const filter = tf.randomNormal(f, 0, 1, 'float32', 2);
    const dyInfo = { dataId: dy.dataId, shape: dy.shape, dtype: dy.dtype } as tf.TensorInfo;
    const fInfo = {
      dataId: filter.dataId,
      shape: filter.shape,
      dtype: filter.dtype,
    } as tf.TensorInfo;
    const paths = {
      direct: () => planarInputGradient(backend, dyInfo, fInfo, info, Number.POSITIVE_INFINITY),
      xnnpack: () => rotatedFilterInputGradient(backend, dyInfo, fInfo, info),
    };
    const times = { direct: [] as number[], xnnpack: [] as number[] };
    // Blocks of consecutive calls per path, the blocks alternating: calls
    // interleaved one by one would let XNNPACK's thread pool fall asleep
    // between its calls and charge it the wake-up (3× its in-model time).
    const block = Math.max(1, Math.ceil(calls / 4));
    for (let round = 0; round < 4; round++) {
      for (const name of ['direct', 'xnnpack'] as const) {
        for (let i = 0; i < block + 2; i++) {
          const start = performance.now();
          const out = paths[name]();
          const ms = performance.now() - start;
          if (!out) throw new Error(`${label}: the direct kernel declined this shape`);
          disposeIntermediate(backend, out);
          if (i >= 2) times[name].push(ms);
        }
      }
    }
    // 2 FLOPs per multiply-add of the useful work: |dy| · fh·fw·inC.
    const flops = 2 * info.outShape.reduce((a, b) => a * b, 1) * f[0] * f[1] * f[2];
    const [d, xn] = [median(times.direct), median(times.xnnpack)];
    console.log(
      `| ${label} [${x}]·[${f}] ${pad} | [${info.outShape}] | ${d.toFixed(3)} | ${(flops / d / 1e6).toFixed(2)} | ${xn.toFixed(3)} | ${(flops / xn / 1e6).toFixed(2)} | ${(xn / d).toFixed(2)}× |`,
    );
    tf.dispose([dy, filter]);
  }
  console.log(`load after: ${loadavg()}`);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'n/a';
  }
}

await main();
