import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import { inputGradientSource } from './conv-gradient-geometry';
import { disposeIntermediate, reshapeInfo, runOriginal } from './original-kernels';

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm (tfjs-backend-wasm ships none):
 * the gradient of `depthwiseConv2d(x, w)` (`w` `[fh, fw, c, m]`) with respect
 * to `x`,
 *
 * `dx[n, i, j, c] = Σ_{k<m} Σ_{a,b} dy'[n, i + a·d − top, j + b·d − left, c·m + k] · w[fh−1−a, fw−1−b, c, k]`,
 *
 * as one XNNPACK depthwise conv of the stride-spread `dy` (`c·m` channels,
 * multiplier 1) with the 180°-rotated filter, then a sum over the `m`
 * multiplier channels of each input channel.
 */
function depthwiseConv2dBackpropInput(args: {
  inputs: DepthwiseConv2dNativeBackpropInputInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const [fh, fw, channels, multiplier] = filter.shape;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const reversed = runOriginal('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const rotated = reshapeInfo(backend, reversed, [fh, fw, channels * multiplier, 1]);
  const { source, pad: explicitPad, owned } = inputGradientSource(backend, dy, info);
  const perOutputChannel = runOriginal(
    'DepthwiseConv2dNative',
    backend,
    { x: source, filter: rotated },
    {
      strides: 1,
      pad: explicitPad,
      dilations: [info.dilationHeight, info.dilationWidth],
      dataFormat: 'NHWC',
    },
  );
  disposeIntermediate(backend, reversed, rotated);
  if (owned) disposeIntermediate(backend, source);
  if (multiplier === 1) return perOutputChannel;
  const [batch, inH, inW] = info.inShape;
  const grouped = reshapeInfo(backend, perOutputChannel, [batch, inH, inW, channels, multiplier]);
  const dx = runOriginal('Sum', backend, { x: grouped }, { axis: [4], keepDims: false });
  disposeIntermediate(backend, perOutputChannel, grouped);
  return dx;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as KernelFunc,
};
