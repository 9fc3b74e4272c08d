import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  CastAttrs,
  CastInputs,
  IdentityInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { Cast, Identity } from '@tensorflow/tfjs-core';
import { originalKernel } from './original-kernels';

/**
 * `Identity` for wasm by reference, as the cpu and webgl backends do it: the
 * output shares the input's buffer (reference-counted, as wasm's own
 * `Reshape` already shares it), instead of tfjs-backend-wasm's copy. tfjs
 * kernels never write into their inputs, so sharing is safe. Gradients go
 * through it everywhere (`tf.clone`, `customGrad`, the layers' `training`
 * paths): 230 copies per CIFAR ResNet-20 step, 136 ms at 1 thread. Strings
 * keep the original kernel.
 */
function identity(args: { inputs: IdentityInputs; backend: BackendWasm }): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string')
    return originalKernel('Identity').kernelFunc(args as never) as TensorInfo;
  return sharing(args.backend, x);
}

/** `x` again, on the same reference-counted buffer. */
function sharing(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Cast` to the dtype the tensor already has is an {@link identity}. A cast to
 * `bool` is `x ≠ 0` (NaN → true), as on the cpu backend: tfjs-backend-wasm's
 * kernel copies the numbers into the byte array, so 2 stays 2 and −1 becomes
 * 255. Every other cast is the original kernel.
 */
function cast(args: { inputs: CastInputs; backend: BackendWasm; attrs: CastAttrs }): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const { backend } = args;
  if (x.dtype === args.attrs.dtype && x.dtype !== 'string') return sharing(backend, x);
  if (args.attrs.dtype === 'bool' && x.dtype !== 'string' && x.dtype !== 'complex64') {
    const out = backend.makeOutput(x.shape, 'bool');
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
    return out;
  }
  return originalKernel('Cast').kernelFunc(args as never) as TensorInfo;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
