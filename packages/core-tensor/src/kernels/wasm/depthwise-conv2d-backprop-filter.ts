import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import { filterGradientConvolution } from './conv-gradient-geometry';
import { disposeIntermediate, reshapeInfo, runOriginal, transposeInfo } from './original-kernels';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm (tfjs-backend-wasm ships
 * none): the gradient of `depthwiseConv2d(x, w)` with respect to `w` `[fh, fw, c, m]`,
 *
 * `dw[a, b, c, k] = Σ_{n,i,j} x[n, i·s + a·d − top, j·s + b·d − left, c] · dy[n, i, j, c·m + k]`,
 *
 * as one XNNPACK depthwise conv in which every (image, channel) pair is a
 * channel: input `x` as `[1, inH, inW, batch·c]`, filter `dy` as
 * `[outH, outW, batch·c, m]`, stride = forward dilation, dilation = forward
 * stride; the `[1, fh, fw, batch·c·m]` result is summed over the batch.
 */
function depthwiseConv2dBackpropFilter(args: {
  inputs: DepthwiseConv2dNativeBackpropFilterInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const [fh, fw, channels, multiplier] = filterShape;
  const [batch, inH, inW] = x.shape;
  const [, outH, outW] = dy.shape;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const xSpatialFirst = transposeInfo(backend, x, [1, 2, 0, 3]);
  const xAsChannels = reshapeInfo(backend, xSpatialFirst, [1, inH, inW, batch * channels]);
  const dySpatialFirst = transposeInfo(backend, dy, [1, 2, 0, 3]);
  const dyAsFilter = reshapeInfo(backend, dySpatialFirst, [
    outH,
    outW,
    batch * channels,
    multiplier,
  ]);
  const perImage = filterGradientConvolution(
    backend,
    'DepthwiseConv2dNative',
    xAsChannels,
    dyAsFilter,
    info,
  );
  disposeIntermediate(backend, xSpatialFirst, xAsChannels, dySpatialFirst, dyAsFilter);
  const byImage = reshapeInfo(backend, perImage, [fh, fw, batch, channels * multiplier]);
  const summed = runOriginal('Sum', backend, { x: byImage }, { axis: [2], keepDims: false });
  const dw = reshapeInfo(backend, summed, [fh, fw, channels, multiplier]);
  disposeIntermediate(backend, perImage, byImage, summed);
  return dw;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as unknown as KernelFunc,
};
