import { build } from 'esbuild';

/**
 * Bundles `entry` (a URL or path of a package's `browser.ts` or `index.ts`) for the
 * browser platform the way a web bundler resolves the workspace (`source` and
 * `browser` export conditions), in memory, with a metafile: the browser-entry tests
 * of core-tensor, datasets and adversarial-trainer read its `inputs` to prove that no
 * `node:` module or Node-only file is in the bundle, and expect the Node entry to fail.
 */
export function bundleForBrowser(entry, { external = [] } = {}) {
  return build({
    entryPoints: [entry instanceof URL ? entry.pathname : entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['source', 'browser'],
    metafile: true,
    logLevel: 'silent',
    external,
  });
}
