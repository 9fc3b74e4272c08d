import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { filterGradientSource } from './conv-gradient-geometry';
import {
  disposeIntermediate,
  originalKernel,
  reshapeInfo,
  runOriginal,
  transposeInfo,
} from './original-kernels';

/**
 * `Conv2DBackpropFilter` for wasm (tfjs-backend-wasm ships none): the gradient
 * of `conv2d(x, w)` with respect to `w` `[fh, fw, inC, outC]`,
 *
 * `dw[a, b, c, o] = Σ_{n,i,j} x[n, i·s + a·d − top, j·s + b·d − left, c] · dy[n, i, j, o]`,
 *
 * computed as one XNNPACK `Conv2D` in which the batch becomes the channel axis:
 * input `x` as `[inC, inH, inW, batch]`, filter `dy` as `[outH, outW, batch, outC]`,
 * stride = the forward dilation, dilation = the forward stride; the result
 * `[inC, fh, fw, outC]` is transposed back.
 */
function conv2dBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const channelsLast = dataFormat !== 'NCHW';
  const xNhwc = channelsLast ? x : transposeInfo(backend, x, [0, 2, 3, 1]);
  const dyNhwc = channelsLast ? dy : transposeInfo(backend, dy, [0, 2, 3, 1]);
  const info = backend_util.computeConv2DInfo(
    xNhwc.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (prefersPatches(info)) {
    const dw = filterGradientByPatches(backend, xNhwc, dyNhwc, info);
    if (!channelsLast) disposeIntermediate(backend, xNhwc, dyNhwc);
    return dw;
  }
  const xByChannel = transposeInfo(backend, xNhwc, [3, 1, 2, 0]);
  const dyAsFilter = transposeInfo(backend, dyNhwc, [1, 2, 0, 3]);
  const { source, pad: explicitPad, owned } = filterGradientSource(backend, xByChannel, info);
  const dwByChannel = runOriginal(
    'Conv2D',
    backend,
    { x: source, filter: dyAsFilter },
    {
      strides: [info.dilationHeight, info.dilationWidth],
      pad: explicitPad,
      dilations: [info.strideHeight, info.strideWidth],
      dataFormat: 'NHWC',
    },
  );
  const dw = transposeInfo(backend, dwByChannel, [1, 2, 0, 3]);
  disposeIntermediate(backend, xByChannel, dyAsFilter, dwByChannel);
  if (owned) disposeIntermediate(backend, source);
  if (!channelsLast) disposeIntermediate(backend, xNhwc, dyNhwc);
  return dw;
}

/**
 * Few filter rows (`fh·fw·inC`, e.g. the first conv of a network on 1–3
 * channel images) make the conv formulation a badly shaped GEMM (9 output
 * pixels); an im2col matrix product is then up to ~8× faster. Strided cases stay on
 * the conv formulation (wasm's strided slice is slow).
 */
/** Measured crossover on [64, 28, 28, c] inputs: patches win up to c = 8 (72 rows), lose at c = 16. */
const PATCH_ROWS_LIMIT = 72;

function prefersPatches(info: backend_util.Conv2DInfo): boolean {
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  return rows <= PATCH_ROWS_LIMIT && info.strideHeight === 1 && info.strideWidth === 1;
}

/**
 * `dw` as one matrix product `Pᵀ·dy`: `Pᵀ` `[fh·fw·inC, batch·outH·outW]` holds,
 * for every filter tap, the input pixels that tap sees (im2col, built from
 * slices of the channel-first padded input, so no transposes of the big
 * matrix), `dy` is `[batch·outH·outW, outC]`.
 */
function filterGradientByPatches(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } =
    info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(
    0,
    (outHeight - 1) * sH + (filterHeight - 1) * dH + 1 - info.inHeight - top,
  );
  const right = Math.max(0, (outWidth - 1) * sW + (filterWidth - 1) * dW + 1 - info.inWidth - left);
  const channelFirst = transposeInfo(backend, x, [3, 0, 1, 2]);
  const padded =
    top || bottom || left || right
      ? runOriginal(
          'PadV2',
          backend,
          { x: channelFirst },
          {
            paddings: [
              [0, 0],
              [0, 0],
              [top, bottom],
              [left, right],
            ],
            constantValue: 0,
          },
        )
      : channelFirst;
  const taps: TensorInfo[] = [];
  for (let a = 0; a < filterHeight; a++) {
    for (let b = 0; b < filterWidth; b++) {
      const begin = [0, 0, a * dH, b * dW];
      taps.push(
        sH === 1 && sW === 1
          ? runOriginal(
              'Slice',
              backend,
              { x: padded },
              { begin, size: [inChannels, batchSize, outHeight, outWidth] },
            )
          : runOriginal(
              'StridedSlice',
              backend,
              { x: padded },
              {
                begin,
                end: [
                  inChannels,
                  batchSize,
                  a * dH + (outHeight - 1) * sH + 1,
                  b * dW + (outWidth - 1) * sW + 1,
                ],
                strides: [1, 1, sH, sW],
                beginMask: 0,
                endMask: 0,
                ellipsisMask: 0,
                newAxisMask: 0,
                shrinkAxisMask: 0,
              },
            ),
      );
    }
  }
  const stacked = originalKernel('Concat').kernelFunc({
    inputs: taps as never,
    backend,
    attrs: { axis: 0 },
  }) as TensorInfo;
  const rows = filterHeight * filterWidth * inChannels;
  const pixels = batchSize * outHeight * outWidth;
  const patchesT = reshapeInfo(backend, stacked, [1, rows, pixels]);
  const dy2d = reshapeInfo(backend, dy, [1, pixels, outChannels]);
  const product = runOriginal(
    'BatchMatMul',
    backend,
    { a: patchesT, b: dy2d },
    { transposeA: false, transposeB: false },
  );
  const dw = reshapeInfo(backend, product, [filterHeight, filterWidth, inChannels, outChannels]);
  disposeIntermediate(backend, channelFirst, ...taps, stacked, patchesT, dy2d, product);
  if (padded !== channelFirst) disposeIntermediate(backend, padded);
  return dw;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
