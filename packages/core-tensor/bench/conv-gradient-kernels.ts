/**
 * Per-call time and GFLOP/s of the two `Conv2DBackpropInput` paths on wasm —
 * trustgrad's direct SIMD kernel (`planarInputGradient`, one thread) and the
 * rotated-filter XNNPACK conv (the backend's threads) — on LeNet-5's and the
 * FMNIST CNN's input-gradient shapes, side by side in one process (blocks of
 * calls alternate between the two, so both see the same machine load); then
 * the same for `Conv2DBackpropFilter`: the planar SIMD kernel
 * (`filterGradientByPlanes`) against the other paths (im2col, XNNPACK), on
 * those shapes and ResNet-20's.
 *
 *   npx tsx bench/conv-gradient-kernels.ts [--calls N]
 */
import { readFileSync } from 'node:fs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index';
import {
  filterGradientByPlanes,
  filterGradientWithoutPlanes,
} from '../src/kernels/wasm/conv2d-backprop-filter';
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

/** Filter-gradient shapes: the above plus ResNet-20's three stages (batch 128). */
const FILTER_SHAPES: typeof SHAPES = [
  ...SHAPES,
  { label: 'ResNet-20 stem', x: [128, 32, 32, 3], f: [3, 3, 3, 16], pad: 'same' },
  { label: 'ResNet-20 stage 1', x: [128, 32, 32, 16], f: [3, 3, 16, 16], pad: 'same' },
  { label: 'ResNet-20 stage 2', x: [128, 16, 16, 32], f: [3, 3, 32, 32], pad: 'same' },
  { label: 'ResNet-20 stage 3', x: [128, 8, 8, 64], f: [3, 3, 64, 64], pad: 'same' },
];

/**
 * Median ms of each path, blocks of consecutive calls per path alternating:
 * calls interleaved one by one would let XNNPACK's thread pool fall asleep
 * between its calls and charge it the wake-up (3× its in-model time).
 */
function timePaths(
  backend: BackendWasm,
  label: string,
  calls: number,
  paths: Record<'direct' | 'xnnpack', () => tf.TensorInfo | null>,
): { direct: number; xnnpack: number } {
  const times = { direct: [] as number[], xnnpack: [] as number[] };
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
  return { direct: median(times.direct), xnnpack: median(times.xnnpack) };
}

const tensorInfo = (t: tf.Tensor) =>
  ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as tf.TensorInfo;

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
    const { direct: d, xnnpack: xn } = timePaths(backend, label, calls, paths);
    // 2 FLOPs per multiply-add of the useful work: |dy| · fh·fw·inC.
    const flops = 2 * info.outShape.reduce((a, b) => a * b, 1) * f[0] * f[1] * f[2];
    console.log(
      `| ${label} [${x}]·[${f}] ${pad} | [${info.outShape}] | ${d.toFixed(3)} | ${(flops / d / 1e6).toFixed(2)} | ${xn.toFixed(3)} | ${(flops / xn / 1e6).toFixed(2)} | ${(xn / d).toFixed(2)}× |`,
    );
    tf.dispose([dy, filter]);
  }
  console.log('\nConv2DBackpropFilter: planar SIMD kernel (one thread) against the other paths');
  console.log('| shape | planar ms | GFLOP/s | other ms | GFLOP/s | speed-up |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const { label, x, f, pad } of FILTER_SHAPES) {
    const filterShape = f as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(x, filterShape, 1, 1, pad);
    const input = tf.randomNormal(x, 0, 1, 'float32', 3);
    const dy = tf.randomNormal(info.outShape, 0, 1, 'float32', 4);
    const [xInfo, dyInfo] = [tensorInfo(input), tensorInfo(dy)];
    const { direct: d, xnnpack: other } = timePaths(backend, label, calls, {
      direct: () => filterGradientByPlanes(backend, xInfo, dyInfo, info, Number.POSITIVE_INFINITY),
      xnnpack: () => filterGradientWithoutPlanes(backend, xInfo, dyInfo, info),
    });
    const flops = 2 * info.outShape.reduce((a, b) => a * b, 1) * f[0] * f[1] * f[2];
    console.log(
      `| ${label} [${x}]·[${f}] ${pad} | ${d.toFixed(3)} | ${(flops / d / 1e6).toFixed(2)} | ${other.toFixed(3)} | ${(flops / other / 1e6).toFixed(2)} | ${(other / d).toFixed(2)}× |`,
    );
    tf.dispose([input, dy]);
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
