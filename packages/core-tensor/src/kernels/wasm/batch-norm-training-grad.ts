import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING_GRAD } from '../../ops/batch-norm-training';
import {
  addChunkPartials,
  batchNormTrainingGradOnArrays,
  channelGradientSums,
  channelPeriod,
  chunkCount,
  chunkRows,
  gradientCoefficients,
  perChannelSums,
  repeatPerChannel,
  tileRows,
} from '../cpu/batch-norm-training-arrays';
import { heapScratch } from './heap-scratch';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, runOverChunks, runOverElements } from './heap-simd-threads';
import { disposeIntermediate } from './original-kernels';

/**
 * {@link BATCH_NORM_TRAINING_GRAD} for wasm: `dy`, `x`, `scale`, `mean`,
 * `variance`, `dMean`, `dVariance` → `[dx, dScale, dOffset]` in two passes
 * over the heap, trustgrad's SIMD `channelGradientSums` (`Σdy`, `Σdy·(x − μ)`
 * per channel, float64) then `channelNormalizeGradient` (`dx`), the
 * per-channel coefficients between them in JavaScript
 * (`cpu/batch-norm-training-arrays.ts`, as the cpu kernel: the same bits).
 * Autodiff of tfjs's `moments` → `batchNorm` takes some 15 full-size
 * `Multiply`, `Add`, `Sub`, `Sum`, `Tile` … calls here. Both passes split over
 * the kernel thread pool where there is one, as the forward's
 * (`batch-norm-training.ts`). Without the SIMD
 * module the cpu kernel's loops run on heap views.
 */
function batchNormTrainingGradWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, x } = inputs;
  const epsilon = attrs.epsilon as number;
  const channels = x.shape[x.shape.length - 1];
  const dx = backend.makeOutput(x.shape, 'float32');
  const dScale = backend.makeOutput([channels], 'float32');
  const dOffset = backend.makeOutput([channels], 'float32');
  const kernels = heapSimd(backend);
  const period = channelPeriod(channels);
  const rows = Math.floor(x.shape.reduce((p, d) => p * d, 1) / period);
  const chunks = chunkCount(rows, period);
  const scratch = kernels ? heapScratch(backend, 4 * period, 2 * period * chunks) : null;
  // Views are taken after every makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [dyv, xv, mean] = [view(dy), view(x), view(inputs.mean)];
  const perChannel = {
    mean,
    variance: view(inputs.variance),
    scale: view(inputs.scale),
    dMean: view(inputs.dMean),
    dVariance: view(inputs.dVariance),
    epsilon,
  };
  if (!kernels || !scratch) {
    const grads = batchNormTrainingGradOnArrays(dyv, xv, perChannel, view(dx));
    view(dScale).set(grads.dScale);
    view(dOffset).set(grads.dOffset);
    return [dx, dScale, dOffset];
  }
  const threads = heapSimdThreads(backend);
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  const [meanPattern, dyFactorPattern, xFactorPattern, shiftPattern] = scratch.floats;
  repeatPerChannel(mean, meanPattern);
  const [sumDy, sumDyCentered] = perChannelSums(
    xv.length,
    channels,
    (acc) => {
      const args = (c0: number, c1: number) => [
        at(dy),
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
      runOverChunks(kernels, threads, 'channelGradientChunks', chunks, xv.length, args);
      addChunkPartials(scratch.doubles, chunks, period, acc);
    },
    (acc, start, tailRows) =>
      channelGradientSums(dyv.subarray(start), xv.subarray(start), mean, acc, tailRows, channels),
  );
  const k = gradientCoefficients(
    sumDy,
    sumDyCentered,
    perChannel.variance,
    perChannel.scale,
    perChannel.dMean,
    perChannel.dVariance,
    epsilon,
    xv.length / channels,
  );
  repeatPerChannel(k.dyFactor, dyFactorPattern);
  repeatPerChannel(k.xFactor, xFactorPattern);
  repeatPerChannel(k.shift, shiftPattern);
  runOverElements(kernels, threads, 'channelNormalizeGradient', xv.length, period, (k0, k1) => [
    at(dy),
    at(x),
    scratch.floatAddress(1),
    scratch.floatAddress(0),
    scratch.floatAddress(2),
    scratch.floatAddress(3),
    at(dx),
    k0,
    k1,
    period,
  ]);
  view(dScale).set(k.dScale);
  view(dOffset).set(k.dOffset);
  disposeIntermediate(backend, scratch.info);
  return [dx, dScale, dOffset];
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const batchNormTrainingGradWasmConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: batchNormTrainingGradWasm as unknown as KernelFunc,
};
