import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '@trustgrad/tooling/browser-bundle';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browserEntry from './browser';
import * as nodeEntry from './index';

const NODE_ONLY = [
  'fileSystemIO',
  'ModelFileError',
  'registerFileSystemRouters',
  'removeStaleTemps',
  'syncDirectory',
  'tempPathFor',
  'writeAtomic',
  'writeDurable',
];

describe('the browser entry', () => {
  it('bundles for the browser platform without any node: module or the file-system code', async () => {
    const result = await bundleForBrowser(new URL('./browser.ts', import.meta.url));
    const inputs = Object.keys(result.metafile.inputs);
    // The same esbuild run on the Node entry fails to resolve node:fs, so this check can fail.
    expect(
      inputs.filter((path) => /^node:|file-system-io|write-atomic|wasm-threads/.test(path)),
    ).toEqual([]);
    expect(inputs.some((path) => path.endsWith('kernels/wasm/heap-simd.ts'))).toBe(true);
    const own = inputs.filter((path) => path.startsWith('src/'));
    expect(own.length).toBeGreaterThan(20);
  }, 60_000);

  it('the Node entry does not bundle for the browser (what the browser entry leaves out)', async () => {
    await expect(
      build({
        entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:fs|node:module|node:os|node:path/);
  }, 60_000);

  it('exports the Node entry API minus exactly the file-system parts, with a browser initBackend', () => {
    const node = Object.keys(nodeEntry).sort();
    const browser = Object.keys(browserEntry).sort();
    expect(node.filter((name) => !browser.includes(name)).sort()).toEqual([...NODE_ONLY].sort());
    expect(browser.filter((name) => !node.includes(name))).toEqual([]);
    expect(browserEntry.initBackend).not.toBe(nodeEntry.initBackend);
    expect(browserEntry.InvalidOptionError).toBe(nodeEntry.InvalidOptionError);
  });

  it('its initBackend takes wasm with trustgrad kernels and names why tfjs-node was skipped', async () => {
    const lines: string[] = [];
    const choice = await browserEntry.initBackend({ log: (line) => lines.push(line) });
    expect(choice.name).toBe('wasm');
    expect(choice.skipped.map((s) => s.reason)).toEqual([
      '@tensorflow/tfjs-node-gpu runs only in Node, not in a browser',
      '@tensorflow/tfjs-node runs only in Node, not in a browser',
    ]);
    expect(lines[0]).toMatch(/^\[trustgrad\] backend: wasm \(skipped tensorflow-gpu/);
  });
});
