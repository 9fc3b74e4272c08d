import * as tf from '@tensorflow/tfjs-core';
// Type-only: brings tfjs-core's `declare module` augmentations of Tensor (erased at runtime).
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

/**
 * Tensor methods (`x.add(y)`, `x.square()`…) as the `@tensorflow/tfjs` umbrella
 * registers them from `@tensorflow/tfjs-core/dist/public/chained_ops`. Those
 * files are extensionless ES modules that plain Node (tsx, the built package)
 * cannot load, so the same 137 one-line methods are defined here, each calling
 * the public op exactly as tfjs-core's own file does. Generated from
 * tfjs-core 4.22.0's `register_all_chained_ops`.
 */
// biome-ignore lint/suspicious/noExplicitAny: tfjs-core's own .d.ts files type these methods on Tensor.
type Any = any;
type Method = (this: Any, ...args: Any[]) => unknown;
const ops = tf as Any;

const METHODS: Record<string, Method> = {
  abs(this: Any) {
    this.throwIfDisposed();
    return ops.abs(this);
  },
  acos(this: Any) {
    this.throwIfDisposed();
    return ops.acos(this);
  },
  acosh(this: Any) {
    this.throwIfDisposed();
    return ops.acosh(this);
  },
  add(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.add(this, b);
  },
  all(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.all(this, axis, keepDims);
  },
  any(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.any(this, axis, keepDims);
  },
  argMax(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.argMax(this, axis);
  },
  argMin(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.argMin(this, axis);
  },
  as1D(this: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [this.size]);
  },
  as2D(this: Any, rows?: Any, columns?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [rows, columns]);
  },
  as3D(this: Any, rows?: Any, columns?: Any, depth?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [rows, columns, depth]);
  },
  as4D(this: Any, rows?: Any, columns?: Any, depth?: Any, depth2?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [rows, columns, depth, depth2]);
  },
  as5D(this: Any, rows?: Any, columns?: Any, depth?: Any, depth2?: Any, depth3?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [rows, columns, depth, depth2, depth3]);
  },
  asScalar(this: Any) {
    this.throwIfDisposed();
    tf.util.assert(this.size === 1, () => 'The array must have only 1 element.');
    return ops.reshape(this, []);
  },
  asType(this: Any, dtype?: Any) {
    this.throwIfDisposed();
    return ops.cast(this, dtype);
  },
  asin(this: Any) {
    this.throwIfDisposed();
    return ops.asin(this);
  },
  asinh(this: Any) {
    this.throwIfDisposed();
    return ops.asinh(this);
  },
  atan(this: Any) {
    this.throwIfDisposed();
    return ops.atan(this);
  },
  atan2(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.atan2(this, b);
  },
  atanh(this: Any) {
    this.throwIfDisposed();
    return ops.atanh(this);
  },
  avgPool(this: Any, filterSize?: Any, strides?: Any, pad?: Any, dimRoundingMode?: Any) {
    this.throwIfDisposed();
    return ops.avgPool(this, filterSize, strides, pad, dimRoundingMode);
  },
  batchToSpaceND(this: Any, blockShape?: Any, crops?: Any) {
    this.throwIfDisposed();
    return ops.batchToSpaceND(this, blockShape, crops);
  },
  batchNorm(
    this: Any,
    mean?: Any,
    variance?: Any,
    offset?: Any,
    scale?: Any,
    varianceEpsilon?: Any,
  ) {
    this.throwIfDisposed();
    return ops.batchNorm(this, mean, variance, offset, scale, varianceEpsilon);
  },
  broadcastTo(this: Any, shape?: Any) {
    this.throwIfDisposed();
    return ops.broadcastTo(this, shape);
  },
  cast(this: Any, dtype?: Any) {
    this.throwIfDisposed();
    return ops.cast(this, dtype);
  },
  ceil(this: Any) {
    this.throwIfDisposed();
    return ops.ceil(this);
  },
  clipByValue(this: Any, min?: Any, max?: Any) {
    this.throwIfDisposed();
    return ops.clipByValue(this, min, max);
  },
  concat(this: Any, x?: Any, axis?: Any) {
    this.throwIfDisposed();
    if (x instanceof tf.Tensor) {
      x = [x];
    }
    return ops.concat([this, ...x], axis);
  },
  conv1d(
    this: Any,
    filter?: Any,
    stride?: Any,
    pad?: Any,
    dataFormat?: Any,
    dilation?: Any,
    dimRoundingMode?: Any,
  ) {
    this.throwIfDisposed();
    return ops.conv1d(this, filter, stride, pad, dataFormat, dilation, dimRoundingMode);
  },
  conv2d(
    this: Any,
    filter?: Any,
    strides?: Any,
    pad?: Any,
    dataFormat?: Any,
    dilations?: Any,
    dimRoundingMode?: Any,
  ) {
    this.throwIfDisposed();
    return ops.conv2d(this, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  },
  conv2dTranspose(
    this: Any,
    filter?: Any,
    outputShape?: Any,
    strides?: Any,
    pad?: Any,
    dimRoundingMode?: Any,
  ) {
    this.throwIfDisposed();
    return ops.conv2dTranspose(this, filter, outputShape, strides, pad, dimRoundingMode);
  },
  cos(this: Any) {
    this.throwIfDisposed();
    return ops.cos(this);
  },
  cosh(this: Any) {
    this.throwIfDisposed();
    return ops.cosh(this);
  },
  cumprod(this: Any, axis?: Any, exclusive?: Any, reverse?: Any) {
    this.throwIfDisposed();
    return ops.cumprod(this, axis, exclusive, reverse);
  },
  cumsum(this: Any, axis?: Any, exclusive?: Any, reverse?: Any) {
    this.throwIfDisposed();
    return ops.cumsum(this, axis, exclusive, reverse);
  },
  depthToSpace(this: Any, blockSize?: Any, dataFormat?: Any) {
    this.throwIfDisposed();
    return ops.depthToSpace(this, blockSize, dataFormat);
  },
  depthwiseConv2d(
    this: Any,
    filter?: Any,
    strides?: Any,
    pad?: Any,
    dataFormat?: Any,
    dilations?: Any,
    dimRoundingMode?: Any,
  ) {
    this.throwIfDisposed();
    return ops.depthwiseConv2d(this, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  },
  dilation2d(this: Any, filter?: Any, strides?: Any, pad?: Any, dilations?: Any, dataFormat?: Any) {
    this.throwIfDisposed();
    return ops.dilation2d(this, filter, strides, pad, dilations, dataFormat);
  },
  div(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.div(this, b);
  },
  divNoNan(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.divNoNan(this, b);
  },
  dot(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.dot(this, b);
  },
  elu(this: Any) {
    this.throwIfDisposed();
    return ops.elu(this);
  },
  equal(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.equal(this, b);
  },
  erf(this: Any) {
    this.throwIfDisposed();
    return ops.erf(this);
  },
  euclideanNorm(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.euclideanNorm(this, axis, keepDims);
  },
  exp(this: Any) {
    this.throwIfDisposed();
    return ops.exp(this);
  },
  expandDims(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.expandDims(this, axis);
  },
  expm1(this: Any) {
    this.throwIfDisposed();
    return ops.expm1(this);
  },
  fft(this: Any) {
    this.throwIfDisposed();
    return ops.fft(this);
  },
  flatten(this: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [this.size]);
  },
  floor(this: Any) {
    this.throwIfDisposed();
    return ops.floor(this);
  },
  floorDiv(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.floorDiv(this, b);
  },
  gather(this: Any, indices?: Any, axis?: Any, batchDims?: Any) {
    this.throwIfDisposed();
    return ops.gather(this, indices, axis, batchDims);
  },
  greater(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.greater(this, b);
  },
  greaterEqual(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.greaterEqual(this, b);
  },
  ifft(this: Any) {
    this.throwIfDisposed();
    return ops.ifft(this);
  },
  irfft(this: Any) {
    this.throwIfDisposed();
    return ops.irfft(this);
  },
  isFinite(this: Any) {
    this.throwIfDisposed();
    return ops.isFinite(this);
  },
  isInf(this: Any) {
    this.throwIfDisposed();
    return ops.isInf(this);
  },
  isNaN(this: Any) {
    this.throwIfDisposed();
    return ops.isNaN(this);
  },
  leakyRelu(this: Any, alpha?: Any) {
    this.throwIfDisposed();
    return ops.leakyRelu(this, alpha);
  },
  less(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.less(this, b);
  },
  lessEqual(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.lessEqual(this, b);
  },
  localResponseNormalization(this: Any, depthRadius?: Any, bias?: Any, alpha?: Any, beta?: Any) {
    this.throwIfDisposed();
    return ops.localResponseNormalization(this, depthRadius, bias, alpha, beta);
  },
  log(this: Any) {
    this.throwIfDisposed();
    return ops.log(this);
  },
  log1p(this: Any) {
    this.throwIfDisposed();
    return ops.log1p(this);
  },
  logSigmoid(this: Any) {
    this.throwIfDisposed();
    return ops.logSigmoid(this);
  },
  logSoftmax(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.logSoftmax(this, axis);
  },
  logSumExp(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.logSumExp(this, axis, keepDims);
  },
  logicalAnd(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.logicalAnd(this, b);
  },
  logicalNot(this: Any) {
    this.throwIfDisposed();
    return ops.logicalNot(this);
  },
  logicalOr(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.logicalOr(this, b);
  },
  logicalXor(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.logicalXor(this, b);
  },
  matMul(this: Any, b?: Any, transposeA?: Any, transposeB?: Any) {
    this.throwIfDisposed();
    return ops.matMul(this, b, transposeA, transposeB);
  },
  max(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.max(this, axis, keepDims);
  },
  maxPool(this: Any, filterSize?: Any, strides?: Any, pad?: Any, dimRoundingMode?: Any) {
    this.throwIfDisposed();
    return ops.maxPool(this, filterSize, strides, pad, dimRoundingMode);
  },
  maximum(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.maximum(this, b);
  },
  mean(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.mean(this, axis, keepDims);
  },
  min(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.min(this, axis, keepDims);
  },
  minimum(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.minimum(this, b);
  },
  mirrorPad(this: Any, paddings?: Any, mode?: Any) {
    this.throwIfDisposed();
    return ops.mirrorPad(this, paddings, mode);
  },
  mod(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.mod(this, b);
  },
  mul(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.mul(this, b);
  },
  neg(this: Any) {
    this.throwIfDisposed();
    return ops.neg(this);
  },
  norm(this: Any, ord?: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.norm(this, ord, axis, keepDims);
  },
  notEqual(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.notEqual(this, b);
  },
  oneHot(this: Any, depth?: Any, onValue: Any = 1, offValue: Any = 0) {
    this.throwIfDisposed();
    return ops.oneHot(this, depth, onValue, offValue);
  },
  onesLike(this: Any) {
    this.throwIfDisposed();
    return ops.onesLike(this);
  },
  pad(this: Any, paddings?: Any, constantValue?: Any) {
    this.throwIfDisposed();
    return ops.pad(this, paddings, constantValue);
  },
  pool(
    this: Any,
    windowShape?: Any,
    poolingType?: Any,
    padding?: Any,
    dilationRate?: Any,
    strides?: Any,
    dimRoundingMode?: Any,
  ) {
    this.throwIfDisposed();
    return ops.pool(
      this,
      windowShape,
      poolingType,
      padding,
      dilationRate,
      strides,
      dimRoundingMode,
    );
  },
  pow(this: Any, exp?: Any) {
    this.throwIfDisposed();
    return ops.pow(this, exp);
  },
  prelu(this: Any, alpha?: Any) {
    this.throwIfDisposed();
    return ops.prelu(this, alpha);
  },
  prod(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.prod(this, axis, keepDims);
  },
  reciprocal(this: Any) {
    this.throwIfDisposed();
    return ops.reciprocal(this);
  },
  relu(this: Any) {
    this.throwIfDisposed();
    return ops.relu(this);
  },
  relu6(this: Any) {
    this.throwIfDisposed();
    return ops.relu6(this);
  },
  reshape(this: Any, shape?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, shape);
  },
  reshapeAs(this: Any, x?: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, x.shape);
  },
  resizeBilinear(this: Any, newShape2D?: Any, alignCorners?: Any, halfPixelCenters?: Any) {
    this.throwIfDisposed();
    return ops.image.resizeBilinear(this, newShape2D, alignCorners, halfPixelCenters);
  },
  resizeNearestNeighbor(this: Any, newShape2D?: Any, alignCorners?: Any, halfFloatCenters?: Any) {
    this.throwIfDisposed();
    return ops.image.resizeNearestNeighbor(this, newShape2D, alignCorners, halfFloatCenters);
  },
  reverse(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.reverse(this, axis);
  },
  rfft(this: Any) {
    this.throwIfDisposed();
    return ops.rfft(this);
  },
  round(this: Any) {
    this.throwIfDisposed();
    return ops.round(this);
  },
  rsqrt(this: Any) {
    this.throwIfDisposed();
    return ops.rsqrt(this);
  },
  selu(this: Any) {
    this.throwIfDisposed();
    return ops.selu(this);
  },
  separableConv2d(
    this: Any,
    depthwiseFilter?: Any,
    pointwiseFilter?: Any,
    strides?: Any,
    pad?: Any,
    dilation?: Any,
    dataFormat?: Any,
  ) {
    this.throwIfDisposed();
    return ops.separableConv2d(
      this,
      depthwiseFilter,
      pointwiseFilter,
      strides,
      pad,
      dilation,
      dataFormat,
    );
  },
  sigmoid(this: Any) {
    this.throwIfDisposed();
    return ops.sigmoid(this);
  },
  sign(this: Any) {
    this.throwIfDisposed();
    return ops.sign(this);
  },
  sin(this: Any) {
    this.throwIfDisposed();
    return ops.sin(this);
  },
  sinh(this: Any) {
    this.throwIfDisposed();
    return ops.sinh(this);
  },
  slice(this: Any, begin?: Any, size?: Any) {
    this.throwIfDisposed();
    return ops.slice(this, begin, size);
  },
  softmax(this: Any, dim?: Any) {
    this.throwIfDisposed();
    return ops.softmax(this, dim);
  },
  softplus(this: Any) {
    this.throwIfDisposed();
    return ops.softplus(this);
  },
  spaceToBatchND(this: Any, blockShape?: Any, paddings?: Any) {
    this.throwIfDisposed();
    return ops.spaceToBatchND(this, blockShape, paddings);
  },
  split(this: Any, numOrSizeSplits?: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.split(this, numOrSizeSplits, axis);
  },
  sqrt(this: Any) {
    this.throwIfDisposed();
    return ops.sqrt(this);
  },
  square(this: Any) {
    this.throwIfDisposed();
    return ops.square(this);
  },
  squaredDifference(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.squaredDifference(this, b);
  },
  squeeze(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.squeeze(this, axis);
  },
  stack(this: Any, x?: Any, axis?: Any) {
    this.throwIfDisposed();
    const tensorsToBeStacked = x instanceof tf.Tensor ? [this, x] : [this, ...x];
    return ops.stack(tensorsToBeStacked, axis);
  },
  step(this: Any, alpha?: Any) {
    this.throwIfDisposed();
    return ops.step(this, alpha);
  },
  stridedSlice(
    this: Any,
    begin?: Any,
    end?: Any,
    strides?: Any,
    beginMask?: Any,
    endMask?: Any,
    ellipsisMask?: Any,
    newAxisMask?: Any,
    shrinkAxisMask?: Any,
  ) {
    this.throwIfDisposed();
    return ops.stridedSlice(
      this,
      begin,
      end,
      strides,
      beginMask,
      endMask,
      ellipsisMask,
      newAxisMask,
      shrinkAxisMask,
    );
  },
  sub(this: Any, b?: Any) {
    this.throwIfDisposed();
    return ops.sub(this, b);
  },
  sum(this: Any, axis?: Any, keepDims?: Any) {
    this.throwIfDisposed();
    return ops.sum(this, axis, keepDims);
  },
  tan(this: Any) {
    this.throwIfDisposed();
    return ops.tan(this);
  },
  tanh(this: Any) {
    this.throwIfDisposed();
    return ops.tanh(this);
  },
  tile(this: Any, reps?: Any) {
    this.throwIfDisposed();
    return ops.tile(this, reps);
  },
  toBool(this: Any) {
    this.throwIfDisposed();
    return ops.cast(this, 'bool');
  },
  toFloat(this: Any) {
    this.throwIfDisposed();
    return ops.cast(this, 'float32');
  },
  toInt(this: Any) {
    this.throwIfDisposed();
    return ops.cast(this, 'int32');
  },
  topk(this: Any, k?: Any, sorted?: Any) {
    this.throwIfDisposed();
    return ops.topk(this, k, sorted);
  },
  transpose(this: Any, perm?: Any) {
    this.throwIfDisposed();
    return ops.transpose(this, perm);
  },
  unique(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.unique(this, axis);
  },
  unsortedSegmentSum(this: Any, segmentIds?: Any, numSegments?: Any) {
    this.throwIfDisposed();
    return ops.unsortedSegmentSum(this, segmentIds, numSegments);
  },
  unstack(this: Any, axis?: Any) {
    this.throwIfDisposed();
    return ops.unstack(this, axis);
  },
  where(this: Any, condition?: Any, x?: Any) {
    this.throwIfDisposed();
    return ops.where(condition, this, x);
  },
  zerosLike(this: Any) {
    this.throwIfDisposed();
    return ops.zerosLike(this);
  },
};

let registered = false;

/** Defines the chained tensor methods on `tf.Tensor.prototype` (idempotent). */
export function registerChainedOps(): void {
  if (registered) return;
  registered = true;
  const proto = tf.Tensor.prototype as unknown as Record<string, Method>;
  for (const [name, method] of Object.entries(METHODS)) {
    if (typeof proto[name] !== 'function') proto[name] = method;
  }
}
