import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeIntermediate, reshapeInfo, runOriginal } from './original-kernels';

/** Explicit NHWC padding as tfjs kernels take it: `[[0,0],[top,bottom],[left,right],[0,0]]`. */
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/** A rank-4 NHWC tensor ready to be convolved with `pad`, and whether the caller must free it. */
export interface ConvSource {
  source: TensorInfo;
  pad: ExplicitPad;
  owned: boolean;
}

/**
 * Prepares `dy` `[batch, outH, outW, c]` so that a stride-1 convolution of it
 * with the forward filter rotated by 180° gives the gradient with respect to
 * the forward input (a transposed convolution):
 *
 * - stride `s > 1`: `s − 1` zeros go between neighbouring `dy` rows/columns
 *   (done as one pad of the `[b·outH, 1, outW, 1, c]` view, no gather);
 * - borders: `before = fe − 1 − padBefore`, `after = inH − (outH − 1)·s − 1 + padBefore`
 *   with `fe = (f − 1)·dilation + 1`; positive borders become the conv's
 *   explicit padding (no copy), negative ones crop.
 */
export function inputGradientSource(
  backend: BackendWasm,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): ConvSource {
  const [batch, outH, outW, channels] = dy.shape;
  const { strideHeight: sH, strideWidth: sW } = info;
  let source = dy;
  let owned = false;
  if (sH > 1 || sW > 1) {
    const view = reshapeInfo(backend, dy, [batch * outH, 1, outW, 1, channels]);
    const spread = runOriginal(
      'PadV2',
      backend,
      { x: view },
      {
        paddings: [
          [0, 0],
          [0, sH - 1],
          [0, 0],
          [0, sW - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    source = reshapeInfo(backend, spread, [batch, outH * sH, outW * sW, channels]);
    disposeIntermediate(backend, view, spread);
    owned = true;
  }
  // The spread tensor already ends with s − 1 zero rows/columns.
  const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const bottom = info.inHeight - (outH - 1) * sH - 1 + info.padInfo.top - (sH - 1);
  const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
  const right = info.inWidth - (outW - 1) * sW - 1 + info.padInfo.left - (sW - 1);
  return cropNegative({ source, owned, backend, top, bottom, left, right });
}

/**
 * Border of the forward input `x` `[batch, inH, inW, c]` for the convolution
 * that yields the filter gradient (`dy` as the filter, forward stride as its
 * dilation): `before = padBefore`, `after = (f − 1)·dilation + (outH − 1)·s + 1 − inH − padBefore`,
 * so the result has exactly `f` rows. Negative borders crop `x`.
 */
export function filterGradientSource(
  backend: BackendWasm,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
): ConvSource {
  const top = info.padInfo.top;
  const bottom =
    (info.filterHeight - 1) * info.dilationHeight +
    (info.outHeight - 1) * info.strideHeight +
    1 -
    info.inHeight -
    top;
  const left = info.padInfo.left;
  const right =
    (info.filterWidth - 1) * info.dilationWidth +
    (info.outWidth - 1) * info.strideWidth +
    1 -
    info.inWidth -
    left;
  return cropNegative({ source: x, owned: false, backend, top, bottom, left, right });
}

/**
 * The filter gradient as one convolution by tfjs-backend-wasm's own `kernel`:
 * `x` (bordered by {@link filterGradientSource}) convolved with `dy` laid out
 * as the filter, with the forward dilation as its stride and the forward
 * stride as its dilation. Frees the bordered copy it made.
 *
 * @param x `[n, inH, inW, c]`, the forward input with the axes the caller chose
 * @param dyAsFilter `dy` laid out as `[outH, outW, c, k]`
 */
export function filterGradientConvolution(
  backend: BackendWasm,
  kernel: 'Conv2D' | 'DepthwiseConv2dNative',
  x: TensorInfo,
  dyAsFilter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { source, pad, owned } = filterGradientSource(backend, x, info);
  const out = runOriginal(
    kernel,
    backend,
    { x: source, filter: dyAsFilter },
    {
      strides: [info.dilationHeight, info.dilationWidth],
      pad,
      dilations: [info.strideHeight, info.strideWidth],
      dataFormat: 'NHWC',
    },
  );
  if (owned) disposeIntermediate(backend, source);
  return out;
}

function cropNegative(args: {
  source: TensorInfo;
  owned: boolean;
  backend: BackendWasm;
  top: number;
  bottom: number;
  left: number;
  right: number;
}): ConvSource {
  const { backend, top, bottom, left, right } = args;
  const [hAxis, wAxis] = [1, 2];
  let { source, owned } = args;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const begin = source.shape.map(() => 0);
    const size = [...source.shape];
    begin[hAxis] = Math.max(-top, 0);
    begin[wAxis] = Math.max(-left, 0);
    size[hAxis] -= Math.max(-top, 0) + Math.max(-bottom, 0);
    size[wAxis] -= Math.max(-left, 0) + Math.max(-right, 0);
    const cropped = runOriginal('Slice', backend, { x: source }, { begin, size });
    if (owned) disposeIntermediate(backend, source);
    source = cropped;
    owned = true;
  }
  return {
    source,
    owned,
    pad: [
      [0, 0],
      [Math.max(top, 0), Math.max(bottom, 0)],
      [Math.max(left, 0), Math.max(right, 0)],
      [0, 0],
    ],
  };
}
