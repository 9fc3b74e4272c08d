import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError, InvalidOptionError } from '../errors/trustgrad-error';
import { registerTrainingKernels } from '../kernels/register-training-kernels';
import { registerChainedOps } from './register-chained-ops';

// Chained ops (x.add(y)) as the @tensorflow/tfjs umbrella provides them.
registerChainedOps();

/** The engines trustgrad can run on, best first. */
export const BACKEND_PREFERENCE = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** A backend name as users give it (`TRUSTGRAD_BACKEND`, `initBackend({ backend })`). */
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

/** What {@link initBackend} picked, and why the better ones were skipped. */
export interface BackendChoice {
  /** The name users asked for or that was picked. */
  name: BackendName;
  /** The tfjs backend name now active (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: string;
  /** Each better backend that was not taken, with the reason. */
  skipped: Array<{ name: BackendName; reason: string }>;
  /** Whether `TRUSTGRAD_BACKEND` or the `backend` option forced the choice. */
  forced: boolean;
  /** For `wasm` in Node: XNNPACK threads in use (`TRUSTGRAD_WASM_THREADS`, default every core), and why fewer if so. */
  wasmThreads?: { count: number; note?: string };
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Force this backend; fails if it is not installed. Default: `TRUSTGRAD_BACKEND`, else the best available. */
  backend?: BackendName;
  /** Where the one-line report goes. Default `console.error`; pass `() => {}` to silence. */
  log?: (line: string) => void;
}

/**
 * What starting a backend needs from the host: Node (`init-backend.ts`:
 * environment variables, tfjs-node, threaded wasm) or a browser
 * (`init-backend-browser.ts`: none of those). Kept apart so a browser bundle
 * never imports `node:` modules.
 */
export interface BackendHost {
  /** An environment variable, or undefined (always, in a browser). */
  env(name: string): string | undefined;
  /** Loads an optional tfjs package (tfjs-node); null when loaded, else why not. */
  loadPackage(pkg: string): string | null;
  /** Whether a CUDA device may be visible (only asked after tfjs-node-gpu loaded). */
  hasCudaDevice(): boolean;
  /** Runs once before wasm first starts; returns the thread count to report, or null to report none. */
  prepareWasm(): Promise<{ count: number; note?: string } | null>;
}

const NODE_PACKAGES: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: BackendChoice | null = null;
let wasmThreads: { count: number; note?: string } | null | undefined;

/** {@link initBackend}'s logic for any host; the entries bind their host. */
export async function startBackend(
  host: BackendHost,
  options: InitBackendOptions = {},
): Promise<BackendChoice> {
  const log = options.log ?? ((line: string) => console.error(line));
  const requested = options.backend ?? readEnvBackend(host);
  registerTrainingKernels();

  if (requested) {
    const failure = await tryStart(host, requested);
    if (failure) {
      throw new BackendUnavailableError(
        `backend "${requested}" was requested${options.backend ? '' : ' by TRUSTGRAD_BACKEND'} but could not start: ${failure}` +
          (NODE_PACKAGES[requested]
            ? `; install it with \`pnpm add ${NODE_PACKAGES[requested]}\``
            : ''),
      );
    }
    current = {
      name: requested,
      tfjsBackend: tf.getBackend(),
      skipped: [],
      forced: true,
      ...threadInfo(),
    };
    log(`[trustgrad] backend: ${requested}${threadText()} (forced)`);
    return current;
  }

  const skipped: BackendChoice['skipped'] = [];
  for (const name of BACKEND_PREFERENCE) {
    const failure = await tryStart(host, name);
    if (failure === null) {
      current = { name, tfjsBackend: tf.getBackend(), skipped, forced: false, ...threadInfo() };
      const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      log(`[trustgrad] backend: ${name}${threadText()}${why ? ` (skipped ${why})` : ''}`);
      return current;
    }
    skipped.push({ name, reason: failure });
  }
  throw new BackendUnavailableError(
    `no tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`,
  );
}

/** The backend chosen by the last {@link initBackend}, or null before it ran. */
export function currentBackend(): BackendChoice | null {
  return current;
}

function readEnvBackend(host: BackendHost): BackendName | undefined {
  const value = host.env('TRUSTGRAD_BACKEND')?.trim();
  if (!value) return undefined;
  if (!(BACKEND_PREFERENCE as readonly string[]).includes(value)) {
    throw new InvalidOptionError(
      `TRUSTGRAD_BACKEND="${value}" is not a backend; use one of ${BACKEND_PREFERENCE.join(', ')}`,
    );
  }
  return value as BackendName;
}

/** Tries to make `name` the active backend; returns null on success, else the reason. */
async function tryStart(host: BackendHost, name: BackendName): Promise<string | null> {
  const pkg = NODE_PACKAGES[name];
  if (pkg) {
    const loaded = host.loadPackage(pkg);
    if (loaded) return loaded;
    if (name === 'tensorflow-gpu' && !host.hasCudaDevice()) return 'no CUDA device visible';
  }
  const tfjsName = pkg ? 'tensorflow' : name;
  if (name === 'wasm' && wasmThreads === undefined) wasmThreads = await host.prepareWasm();
  try {
    const ok = await tf.setBackend(tfjsName);
    if (!ok) return `tf.setBackend('${tfjsName}') returned false`;
    await tf.ready();
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

function threadInfo(): Pick<BackendChoice, 'wasmThreads'> {
  return tf.getBackend() === 'wasm' && wasmThreads ? { wasmThreads } : {};
}

function threadText(): string {
  if (tf.getBackend() !== 'wasm' || !wasmThreads) return '';
  const note = wasmThreads.note ? `; ${wasmThreads.note}` : '';
  return `, ${wasmThreads.count} thread${wasmThreads.count === 1 ? '' : 's'}${note}`;
}
