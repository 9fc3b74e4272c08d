import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import { inputGradientByFma } from './conv-fma-ops';
import { inputGradientSource } from './conv-gradient-geometry';
import { inputGradientByWinograd } from './conv-winograd-ops';
import { finiteFilter } from './conv2d';
import {
  disposeIntermediate,
  originalKernel,
  runOriginal,
  transposeInfo,
} from './original-kernels';
import { planarInputGradient } from './planar-input-gradient';

/**
 * `Conv2DBackpropInput` for wasm: the gradient of `conv2d(x, w)` with respect
 * to `x`, as one XNNPACK `Conv2D` of `dy` (zero-spread by the stride, see
 * {@link inputGradientSource}) with `w` rotated by 180° and its in/out channel
 * axes swapped (`[fh, fw, inC, outC]` → `[fh, fw, outC, inC]`):
 *
 * `dx[n, i, j, c] = Σ_{a,b,o} dy'[n, i + a − top, j + b − left, o] · w[fh−1−a, fw−1−b, c, o]`.
 *
 * About 10× faster than tfjs-backend-wasm's own kernel, and bit-identical to it
 * for stride 1. Stride 1 with few channels runs trustgrad's direct SIMD kernel
 * instead ({@link planarInputGradient}). NCHW data, and a `dy` whose shape is not the forward output's
 * (see {@link dyFitsGeometry}), fall back to the original kernel.
 */
function conv2dBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') {
    return originalKernel('Conv2DBackpropInput').kernelFunc(args as never) as TensorInfo;
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (!dyFitsGeometry(dy, info)) {
    // tf.conv2dTranspose accepts an outputShape smaller than its input implies
    // (dy larger than the forward output); tfjs's kernels then read only the
    // leading rows and columns of dy. Its own kernel keeps those semantics.
    return originalKernel('Conv2DBackpropInput').kernelFunc(args as never) as TensorInfo;
  }
  if (!finiteFilter(backend, filter)) {
    // Both fast paths read zeros beyond dy's border, and a NaN or ±∞ tap times
    // such a zero is NaN where the cpu kernel (which skips those positions)
    // gives a number; tfjs's own kernel loops the way cpu does.
    return originalKernel('Conv2DBackpropInput').kernelFunc(args as never) as TensorInfo;
  }
  return (
    planarInputGradient(backend, dy, filter, info) ??
    inputGradientByWinograd(backend, dy, filter, info) ??
    inputGradientByFma(backend, dy, filter, info) ??
    rotatedFilterInputGradient(backend, dy, filter, info)
  );
}

/**
 * The input gradient as one XNNPACK `Conv2D` of `dy` (zero-spread by the
 * stride) with the filter rotated by 180° and its channel axes swapped; any
 * stride, padding and channel count. Exported for the kernel benchmark.
 */
export function rotatedFilterInputGradient(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const reversed = runOriginal('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const rotated = transposeInfo(backend, reversed, [0, 1, 3, 2]);
  disposeIntermediate(backend, reversed);
  const { source, pad: explicitPad, owned } = inputGradientSource(backend, dy, info);
  const dx = runOriginal(
    'Conv2D',
    backend,
    { x: source, filter: rotated },
    { strides: 1, pad: explicitPad, dilations: 1, dataFormat: 'NHWC' },
  );
  disposeIntermediate(backend, rotated);
  if (owned) disposeIntermediate(backend, source);
  return dx;
}

/** Whether `dy` has exactly the shape of the forward output that `inputShape`, filter, stride and padding give. */
function dyFitsGeometry(dy: TensorInfo, info: backend_util.Conv2DInfo): boolean {
  return dy.shape.length === 4 && dy.shape.every((size, axis) => size === info.outShape[axis]);
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  setupFunc: originalKernel('Conv2DBackpropInput').setupFunc,
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
