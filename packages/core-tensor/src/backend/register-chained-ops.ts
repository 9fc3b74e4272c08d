import * as tf from '@tensorflow/tfjs-core';
// Type-only: brings tfjs-core's `declare module` augmentations of Tensor (erased at runtime).
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

/**
 * Tensor methods (`x.add(y)`, `x.square()`…) as the `@tensorflow/tfjs` umbrella
 * registers them from `@tensorflow/tfjs-core/dist/public/chained_ops`. Those
 * files are extensionless ES modules that plain Node (tsx, the built package)
 * cannot load, so the same 137 methods are defined here, each calling the
 * public op exactly as tfjs-core's own file does. Taken from tfjs-core
 * 4.22.0's `register_all_chained_ops`: 120 of them only pass the tensor and
 * their own arguments on to the op of the same name ({@link FORWARDED}); the
 * other 17 are written out ({@link SPECIAL}).
 */
// biome-ignore lint/suspicious/noExplicitAny: tfjs-core's own .d.ts files type these methods on Tensor.
type Any = any;
type Method = (this: Any, ...args: Any[]) => unknown;
const ops = tf as Any;

/**
 * Methods that are `x.name(a, b, …) = tf.name(x, a, b, …)`, grouped by how many
 * arguments tfjs-core's method takes (only those are passed on, as there).
 */
const FORWARDED: Record<number, string[]> = {
  0: [
    'abs',
    'acos',
    'acosh',
    'asin',
    'asinh',
    'atan',
    'atanh',
    'ceil',
    'cos',
    'cosh',
    'elu',
    'erf',
    'exp',
    'expm1',
    'fft',
    'floor',
    'ifft',
    'irfft',
    'isFinite',
    'isInf',
    'isNaN',
    'log',
    'log1p',
    'logSigmoid',
    'logicalNot',
    'neg',
    'onesLike',
    'reciprocal',
    'relu',
    'relu6',
    'rfft',
    'round',
    'rsqrt',
    'selu',
    'sigmoid',
    'sign',
    'sin',
    'sinh',
    'softplus',
    'sqrt',
    'square',
    'tan',
    'tanh',
    'zerosLike',
  ],
  1: [
    'add',
    'argMax',
    'argMin',
    'atan2',
    'broadcastTo',
    'cast',
    'div',
    'divNoNan',
    'dot',
    'equal',
    'expandDims',
    'floorDiv',
    'greater',
    'greaterEqual',
    'leakyRelu',
    'less',
    'lessEqual',
    'logSoftmax',
    'logicalAnd',
    'logicalOr',
    'logicalXor',
    'maximum',
    'minimum',
    'mod',
    'mul',
    'notEqual',
    'pow',
    'prelu',
    'reshape',
    'reverse',
    'softmax',
    'squaredDifference',
    'squeeze',
    'step',
    'sub',
    'tile',
    'transpose',
    'unique',
    'unstack',
  ],
  2: [
    'all',
    'any',
    'batchToSpaceND',
    'clipByValue',
    'depthToSpace',
    'euclideanNorm',
    'logSumExp',
    'max',
    'mean',
    'min',
    'mirrorPad',
    'pad',
    'prod',
    'slice',
    'spaceToBatchND',
    'split',
    'sum',
    'topk',
    'unsortedSegmentSum',
  ],
  3: ['cumprod', 'cumsum', 'gather', 'matMul', 'norm', 'oneHot'],
  4: ['avgPool', 'localResponseNormalization', 'maxPool'],
  5: ['batchNorm', 'conv2dTranspose', 'dilation2d'],
  6: ['conv1d', 'conv2d', 'depthwiseConv2d', 'pool', 'separableConv2d'],
  8: ['stridedSlice'],
};

/** The methods whose body is more than the forwarding call. */
const SPECIAL: Record<string, Method> = {
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
  concat(this: Any, x?: Any, axis?: Any) {
    this.throwIfDisposed();
    if (x instanceof tf.Tensor) {
      x = [x];
    }
    return ops.concat([this, ...x], axis);
  },
  flatten(this: Any) {
    this.throwIfDisposed();
    return ops.reshape(this, [this.size]);
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
  stack(this: Any, x?: Any, axis?: Any) {
    this.throwIfDisposed();
    const tensorsToBeStacked = x instanceof tf.Tensor ? [this, x] : [this, ...x];
    return ops.stack(tensorsToBeStacked, axis);
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
  where(this: Any, condition?: Any, x?: Any) {
    this.throwIfDisposed();
    return ops.where(condition, this, x);
  },
};

function forwarding(name: string, arity: number): Method {
  return function (this: Any, ...args: Any[]) {
    this.throwIfDisposed();
    return ops[name](this, ...args.slice(0, arity));
  };
}

const METHODS: Record<string, Method> = {
  ...Object.fromEntries(
    Object.entries(FORWARDED).flatMap(([arity, names]) =>
      names.map((name) => [name, forwarding(name, Number(arity))]),
    ),
  ),
  ...SPECIAL,
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
