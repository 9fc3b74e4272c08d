import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd';
import { planarCorrelation } from './planar-correlation';

let enabled = true;

/**
 * The most output channels the planar forward takes. Side by side (min of 30 calls):
 * LeNet-5's conv1 `[32,28,28,1]·[5,5,1,6]` 0.32 ms against XNNPACK's 0.55; the FMNIST
 * CNN's conv1 `[64,28,28,1]·[3,3,1,32]` 3.3 ms against 1.2 (XNNPACK's GEMM blocks over
 * 32 outputs well).
 */
export const PLANAR_FORWARD_MAX_OUTPUTS = 8;

/** Turns the planar forward off or back on (on by default): for side-by-side benchmarks against XNNPACK. */
export function setPlanarForwardEnabled(on: boolean): void {
  enabled = on;
}

/**
 * `Conv2D` of a one-channel input (stride 1, no dilation, no bias or
 * activation) by the planar SIMD correlation (`planar-correlation.ts`): `x`
 * as one zero-bordered plane per image (the padding), the filter's taps
 * `K[o, 0, a, b] = w[a, b, 0, o]`. XNNPACK runs LeNet-5's conv1
 * (`[32,28,28,1]·[5,5,1,6]`) at ~10% of the FMA peak: its GEMM has one input
 * channel to block over. Returns null (the caller runs another path) unless
 * float32, one input channel, `outC ≤` {@link PLANAR_FORWARD_MAX_OUTPUTS}, stride and dilation 1, pads ≥ 0,
 * and the SIMD module is linked; the caller hands finite filters only (a NaN
 * tap times a border zero would be NaN where cpu skips the border).
 */
export function planarForward(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { inChannels, outChannels, outHeight, outWidth, padInfo } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const fits =
    enabled &&
    bias === null &&
    !relu &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    inChannels === 1 &&
    outChannels <= PLANAR_FORWARD_MAX_OUTPUTS &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    padInfo.top >= 0 &&
    padInfo.left >= 0;
  if (!fits) return null;
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  return planarCorrelation(backend, kernels, x, {
    outH: outHeight,
    outW: outWidth,
    outC: outChannels,
    fh,
    fw,
    top: padInfo.top,
    left: padInfo.left,
    filter,
    // K[o, c, a, b] = w[a, b, c, o]
    tapIndex: (o, c, a, b) => ((a * fw + b) * inChannels + c) * outChannels + o,
  });
}
