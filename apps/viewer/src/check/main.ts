import { startWasm } from '../backend/start-wasm';
import { bundleCheck } from './bundle-check';
import { trainCheck } from './train-check';

const status = document.getElementById('status')!;
const log: string[] = [];
startWasm((line) => log.push(line))
  .then(async () => ({ ...(await bundleCheck()), train: await trainCheck() }))
  .then(
    (result) => {
      Object.assign(window, { bundleCheckResult: { ...result, log } });
      status.textContent = 'done';
      document.body.append(
        Object.assign(document.createElement('pre'), {
          id: 'numbers',
          textContent: JSON.stringify(result, null, 1),
        }),
      );
    },
    (error: Error) => {
      Object.assign(window, {
        bundleCheckError: `${error.name}: ${error.message}\n${error.stack}`,
      });
      status.textContent = 'failed';
    },
  );
