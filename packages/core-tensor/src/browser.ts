/**
 * @packageDocumentation
 * The browser entry of `@trustgrad/core-tensor` (export condition `browser`):
 * the Node entry's API without what needs a file system or Node (`fileSystemIO`,
 * `file://` model routers, `writeAtomic` and its helpers, tfjs-node, threaded
 * wasm in Node). `initBackend` takes `wasm` with trustgrad's kernels, else `cpu`.
 */
import { registerTrainingKernels } from './kernels/register-training-kernels';

export { initBackend } from './backend/init-backend-browser';
export * from './portable';

registerTrainingKernels();
