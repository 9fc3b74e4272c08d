import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../../ops/batch-norm-training';
import {
  addChunkPartials,
  batchMoments,
  batchNormTrainingOnArrays,
  channelMomentSums,
  channelPeriod,
  chunkCount,
  chunkRows,
  momentShift,
  normalizeFactors,
  perChannelSums,
  repeatPerChannel,
  tileRows,
} from '../cpu/batch-norm-training-arrays';
import { heapScratch } from './heap-scratch';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, runOverChunks, runOverElements } from './heap-simd-threads';
import { disposeIntermediate } from './original-kernels';

/**
 * {@link BATCH_NORM_TRAINING} for wasm: `x`, `scale`, `offset` → `[y, mean, variance]`
 * in two passes over the heap, trustgrad's SIMD `channelMomentSums` (the
 * shifted float64 sums per channel) then `channelNormalize`, with the
 * per-channel steps between them in JavaScript
 * (`cpu/batch-norm-training-arrays.ts`, whose loops the cpu kernel runs: the
 * results are the same bits). Both passes split over the kernel thread pool
 * where there is one (`heap-simd-threads.ts`): the sums by fixed chunks of
 * rows, each into its own partial, added in chunk order (the same bits for any
 * thread count), the normalize pass by ranges of rows. tfjs's path costs `Mean`, `SquaredDifference`,
 * `Mean` and tfjs-backend-wasm's scalar `FusedBatchNorm` (~10 ms on
 * `[128,32,32,16]` alone). Without the SIMD module the cpu kernel's loops run
 * on heap views.
 */
function batchNormTrainingWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, scale, offset } = inputs;
  const epsilon = attrs.epsilon as number;
  const channels = x.shape[x.shape.length - 1];
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([channels], 'float32');
  const variance = backend.makeOutput([channels], 'float32');
  const kernels = heapSimd(backend);
  const period = channelPeriod(channels);
  const rows = Math.floor(size(x) / period);
  const chunks = chunkCount(rows, period);
  const scratch = kernels ? heapScratch(backend, 4 * period, 2 * period * chunks) : null;
  // Views are taken after every makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [xv, meanv, variancev] = [view(x), view(mean), view(variance)];
  if (!kernels || !scratch) {
    const params = { scale: view(scale), offset: view(offset), epsilon };
    batchNormTrainingOnArrays(xv, params, view(y), meanv, variancev);
    return [y, mean, variance];
  }
  const threads = heapSimdThreads(backend);
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  const shift = momentShift(xv, channels);
  const [shiftPattern, meanPattern, factorPattern, offsetPattern] = scratch.floats;
  repeatPerChannel(shift, shiftPattern);
  const [sums, squares] = perChannelSums(
    xv.length,
    channels,
    (acc) => {
      const args = (c0: number, c1: number) => [
        at(x),
        scratch.floatAddress(0),
        scratch.doubleAddress,
        c0,
        c1,
        rows,
        period,
        tileRows(period),
        chunkRows(period),
      ];
      runOverChunks(kernels, threads, 'channelMomentChunks', chunks, xv.length, args);
      addChunkPartials(scratch.doubles, chunks, period, acc);
    },
    (acc, start, tailRows) => channelMomentSums(xv.subarray(start), shift, acc, tailRows, channels),
  );
  batchMoments(sums, squares, shift, xv.length / channels, meanv, variancev);
  repeatPerChannel(meanv, meanPattern);
  repeatPerChannel(normalizeFactors(variancev, view(scale), epsilon), factorPattern);
  repeatPerChannel(view(offset), offsetPattern);
  runOverElements(kernels, threads, 'channelNormalize', xv.length, period, (k0, k1) => [
    at(x),
    scratch.floatAddress(1),
    scratch.floatAddress(2),
    scratch.floatAddress(3),
    at(y),
    k0,
    k1,
    period,
  ]);
  disposeIntermediate(backend, scratch.info);
  return [y, mean, variance];
}

const size = (t: TensorInfo) => t.shape.reduce((p, d) => p * d, 1);

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const batchNormTrainingWasmConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: batchNormTrainingWasm as unknown as KernelFunc,
};
