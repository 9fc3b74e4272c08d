import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../../ops/batch-norm-training';
import {
  batchMoments,
  batchNormTrainingOnArrays,
  channelMomentSums,
  channelPeriod,
  momentShift,
  normalizeFactors,
  perChannelSums,
  repeatPerChannel,
  tileRows,
} from '../cpu/batch-norm-training-arrays';
import { heapScratch } from './heap-scratch';
import { heapAddress, heapSimd } from './heap-simd';
import { disposeIntermediate } from './original-kernels';

/**
 * {@link BATCH_NORM_TRAINING} for wasm: `x`, `scale`, `offset` → `[y, mean, variance]`
 * in two passes over the heap, trustgrad's SIMD `channelMomentSums` (the
 * shifted float64 sums per channel) then `channelNormalize`, with the
 * per-channel steps between them in JavaScript
 * (`cpu/batch-norm-training-arrays.ts`, whose loops the cpu kernel runs: the
 * results are the same bits). tfjs's path costs `Mean`, `SquaredDifference`,
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
  const scratch = kernels ? heapScratch(backend, 4 * period, 2 * period) : null;
  // Views are taken after every makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [xv, meanv, variancev] = [view(x), view(mean), view(variance)];
  if (!kernels || !scratch) {
    const params = { scale: view(scale), offset: view(offset), epsilon };
    batchNormTrainingOnArrays(xv, params, view(y), meanv, variancev);
    return [y, mean, variance];
  }
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  const shift = momentShift(xv, channels);
  const [shiftPattern, meanPattern, factorPattern, offsetPattern] = scratch.floats;
  repeatPerChannel(shift, shiftPattern);
  const [sums, squares] = perChannelSums(
    xv.length,
    channels,
    (_, rows) =>
      kernels.channelMomentSums(
        at(x),
        scratch.floatAddress(0),
        scratch.doubleAddress,
        rows,
        period,
        tileRows(period),
      ),
    (acc, start, rows) => channelMomentSums(xv.subarray(start), shift, acc, rows, channels),
    scratch.doubles,
  );
  batchMoments(sums, squares, shift, xv.length / channels, meanv, variancev);
  repeatPerChannel(meanv, meanPattern);
  repeatPerChannel(normalizeFactors(variancev, view(scale), epsilon), factorPattern);
  repeatPerChannel(view(offset), offsetPattern);
  kernels.channelNormalize(
    at(x),
    scratch.floatAddress(1),
    scratch.floatAddress(2),
    scratch.floatAddress(3),
    at(y),
    xv.length,
    period,
  );
  disposeIntermediate(backend, scratch.info);
  return [y, mean, variance];
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const batchNormTrainingWasmConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: batchNormTrainingWasm as unknown as KernelFunc,
};
