// Imported before any tfjs op test: the tests register their suites at import
// time, once per test environment declared here (one: the wasm backend).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { registerTrainingKernels } from '../../src/kernels/register-training-kernels';

declare const TFJS_WASM_DIR: string;

setWasmPaths(TFJS_WASM_DIR);
setTestEnvs([{ name: 'wasm', backendName: 'wasm', isDataSync: true }]);
if (process.env.TRUSTGRAD_OP_TESTS_KERNELS === 'trustgrad') registerTrainingKernels();
