import type { KernelConfig } from '@tensorflow/tfjs-core';

/** Every kernel trustgrad registers for the `wasm` backend, one file each beside this one. */
export const wasmTrainingKernels: KernelConfig[] = [];
