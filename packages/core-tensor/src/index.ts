/**
 * @packageDocumentation
 * The foundation of trustgrad: backend selection, training kernels for the
 * embedded wasm backend (registered on import), seeded randomness, the plugin
 * registry, shape checks, a tensor-leak guard, file IO and the model zoo.
 * This is the Node entry; bundlers for the web get `browser.ts` (the same
 * API without the file-system parts) through the `browser` export condition.
 */
import { registerFileSystemRouters } from './io/file-system-io';
import { registerTrainingKernels } from './kernels/register-training-kernels';

export { initBackend } from './backend/init-backend';
export {
  fileSystemIO,
  ModelFileError,
  registerFileSystemRouters,
} from './io/file-system-io';
export {
  removeStaleTemps,
  syncDirectory,
  tempPathFor,
  writeAtomic,
  writeDurable,
} from './io/write-atomic';
export * from './portable';

registerTrainingKernels();
registerFileSystemRouters();
