import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DAttrs,
  Conv2DInputs,
  FusedConv2DAttrs,
  FusedConv2DInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import { forwardByFma } from './conv-fma-ops';
import { forwardByWinograd } from './conv-winograd-ops';
import { originalKernel } from './original-kernels';
import { planarForward } from './planar-forward';

/**
 * `Conv2D` and `FusedConv2D` for wasm: NHWC float32 convolutions without
 * dilation whose output channels are a multiple of 8 run on trustgrad's
 * register-blocked kernels (`conv-fma-ops.ts`; ResNet-20's 3×3 convolutions
 * 2–3× faster than XNNPACK's on 2 threads), with a bias `[O]` and a linear or
 * ReLU activation fused in (3×3 stride-1 filters by Winograd F(2×2, 3×3),
 * `conv-winograd-ops.ts`); everything else, and filters with a NaN or ±∞
 * tap, stays on tfjs-backend-wasm's XNNPACK kernel.
 */
function conv2d(args: {
  inputs: Conv2DInputs | FusedConv2DInputs;
  backend: BackendWasm;
  attrs: Conv2DAttrs | FusedConv2DAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const fused = 'activation' in attrs;
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const bias = ((inputs as FusedConv2DInputs).bias as TensorInfo | undefined) ?? null;
  const prelu = (inputs as FusedConv2DInputs).preluActivationWeights as TensorInfo | undefined;
  const activation = fused ? (attrs as FusedConv2DAttrs).activation : 'linear';
  const original = () =>
    originalKernel(fused ? 'FusedConv2D' : 'Conv2D').kernelFunc(args as never) as TensorInfo;
  if (attrs.dataFormat === 'NCHW' || prelu || (activation !== 'linear' && activation !== 'relu')) {
    return original();
  }
  if (x.shape.length !== 4 || filter.shape.length !== 4 || !finiteFilter(backend, filter)) {
    return original();
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const relu = activation === 'relu';
  return (
    planarForward(backend, x, filter, bias, relu, info) ??
    forwardByWinograd(backend, x, filter, bias, relu, info) ??
    forwardByFma(backend, x, filter, bias, relu, info) ??
    original()
  );
}

/** Whether every filter tap is finite (the padded kernel would turn 0·∞ at the border into NaN). */
export function finiteFilter(backend: BackendWasm, filter: TensorInfo): boolean {
  if (filter.dtype !== 'float32') return true;
  const taps = backend.typedArrayFromHeap(filter) as Float32Array;
  for (let i = 0; i < taps.length; i++) {
    if (!Number.isFinite(taps[i])) return false;
  }
  return true;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const conv2dConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  setupFunc: originalKernel('Conv2D').setupFunc,
  kernelFunc: conv2d as unknown as KernelFunc,
};

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const fusedConv2dConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  setupFunc: originalKernel('FusedConv2D').setupFunc,
  kernelFunc: conv2d as unknown as KernelFunc,
};
