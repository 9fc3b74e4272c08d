import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from '../../ops/momentum-update';
import { momentumUpdateOnArrays } from '../cpu/momentum-update';
import { heapAddress, heapSimd } from './heap-simd';

/**
 * {@link MOMENTUM_UPDATE} for wasm: trustgrad's SIMD `momentumUpdate` (one
 * pass over the heap, 4 floats at a time) in place of tfjs momentum's 4
 * (Nesterov 6) kernel calls per variable; the cpu kernel's JavaScript loop
 * when the SIMD module is unavailable.
 */
function momentumUpdateWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const { useNesterov } = args.attrs as unknown as MomentumUpdateAttrs;
  const { value, accumulation, gradient } = inputs;
  const outputs = [0, 1].map(() => backend.makeOutput(value.shape, 'float32'));
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const momentum = view(inputs.momentum)[0];
  const negativeLearningRate = view(inputs.negativeLearningRate)[0];
  const kernels = heapSimd(backend);
  if (kernels) {
    const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
    kernels.momentumUpdate(
      at(value),
      at(accumulation),
      at(gradient),
      at(outputs[0]),
      at(outputs[1]),
      view(value).length,
      momentum,
      negativeLearningRate,
      useNesterov ? 1 : 0,
    );
    return outputs;
  }
  momentumUpdateOnArrays(
    view(value),
    view(accumulation),
    view(gradient),
    view(outputs[0]),
    view(outputs[1]),
    momentum,
    negativeLearningRate,
    useNesterov,
  );
  return outputs;
}

/**
 * Registered for `wasm` by {@link registerTrainingKernels}.
 *
 * @example
 * tf.registerKernel(momentumUpdateWasmConfig); // what registerTrainingKernels() does
 */
export const momentumUpdateWasmConfig: KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'wasm',
  kernelFunc: momentumUpdateWasm as unknown as KernelFunc,
};
