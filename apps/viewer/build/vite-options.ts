import { join } from 'node:path';
import type { InlineConfig } from 'vite';

/**
 * The viewer's vite settings. Two pages: `index.html` (explorer and study)
 * and `check.html` (runs trustgrad in the browser and shows the numbers a
 * test compares with Node's).
 * workspace packages from their sources through the `source` condition, and
 * core-tensor's `browser` entry (nested under `source`), so the page bundles
 * what a web user of the published packages gets; one tfjs instance; sharp,
 * which attribution loads only to write PNG files in Node, left out.
 * `root` is apps/viewer.
 */
export function viteOptions(root: string, outDir: string): InlineConfig {
  return {
    root,
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: {
      conditions: ['source', 'browser', 'module', 'import', 'default'],
      dedupe: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-layers',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-backend-wasm',
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // tfjs is large; one chunk keeps the offline folder simple.
      chunkSizeWarningLimit: 8_000,
      rollupOptions: {
        external: ['sharp'],
        input: { main: join(root, 'index.html'), check: join(root, 'check.html') },
      },
    },
  };
}
