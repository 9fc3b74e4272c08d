import { startWasm } from '../../src/backend/start-wasm';
import { bundleCheck } from './bundle-check';

const status = document.getElementById('status')!;
const log: string[] = [];
startWasm((line) => log.push(line))
  .then(() => bundleCheck())
  .then(
    (result) => {
      Object.assign(window, { bundleCheckResult: { ...result, log } });
      status.textContent = 'done';
    },
    (error: Error) => {
      Object.assign(window, {
        bundleCheckError: `${error.name}: ${error.message}\n${error.stack}`,
      });
      status.textContent = 'failed';
    },
  );
