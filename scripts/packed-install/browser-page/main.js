// The page: tfjs's wasm backend from the .wasm files vite emits, trustgrad's kernels registered by
// core-tensor's `browser` entry, then compute() and trainInPage(); the results go on window for the
// test to read.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend } from '@trustgrad/core-tensor';
import { compute } from './compute.js';
import { trainInPage } from './train.js';

const status = document.getElementById('status');
setWasmPaths({
  'tfjs-backend-wasm.wasm': plainWasm,
  'tfjs-backend-wasm-simd.wasm': simdWasm,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
});
initBackend({ backend: 'wasm', log: () => {} })
  .then(async () => ({ ...(await compute()), train: await trainInPage() }))
  .then(
    (result) => {
      window.trustgradResult = result;
      status.textContent = 'done';
    },
    (error) => {
      window.trustgradError = `${error.name}: ${error.message}\n${error.stack}`;
      status.textContent = 'failed';
    },
  );
