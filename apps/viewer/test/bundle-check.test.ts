import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@trustgrad/core-tensor';
import { build, preview } from 'vite';
import { describe, expect, it } from 'vitest';
import { viteOptions } from '../build/vite-options';
import { type BundleCheckResult, bundleCheck } from './bundle-check/bundle-check';
import { CHROMIUM, canRunChromium, launchChromium } from './chromium';

const root = fileURLToPath(new URL('./bundle-check', import.meta.url));

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!canRunChromium)(`a vite bundle in headless Chromium (${CHROMIUM})`, () => {
  it('explains with VG, computes Gini and trains on wasm with trustgrad kernels, as Node does (1e-5)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'viewer-bundle-check-'));
    await build(viteOptions(root, outDir));
    const server = await preview({
      ...viteOptions(root, outDir),
      preview: { port: 0, host: '127.0.0.1' },
    });
    const browser = await launchChromium();
    let page: BundleCheckResult & { log: string[] };
    try {
      const tab = await browser.newPage();
      const external: string[] = [];
      const base = server.resolvedUrls!.local[0];
      tab.on('request', (r) => {
        if (!r.url().startsWith(base)) external.push(r.url());
      });
      await tab.goto(base);
      await tab.waitForFunction(
        () => 'bundleCheckResult' in window || 'bundleCheckError' in window,
        undefined,
        { timeout: 120_000 },
      );
      const error = await tab.evaluate(
        () => (window as { bundleCheckError?: string }).bundleCheckError,
      );
      expect(error).toBeUndefined();
      page = await tab.evaluate(
        () =>
          (window as unknown as { bundleCheckResult: BundleCheckResult & { log: string[] } })
            .bundleCheckResult,
      );
      expect(external).toEqual([]);
    } finally {
      await browser.close();
      await new Promise<void>((done) => server.httpServer.close(() => done()));
    }

    await initBackend({ backend: 'wasm', log: () => {} });
    const node = await bundleCheck();
    expect(page.backend).toBe('wasm');
    expect(page.log[0]).toBe('[trustgrad] backend: wasm (forced)');
    // Every trustgrad kernel is the registered wasm kernel in the page, as in Node.
    expect(page.trustgradKernels).toEqual(node.trustgradKernels);
    expect(page.trustgradKernels).toContain('Conv2DBackpropInput');
    expectClose(page.logits, node.logits, 1e-5);
    expectClose(page.vg, node.vg, 1e-5);
    expectClose(page.gini, node.gini, 1e-5);
    expectClose([page.lossBefore, page.lossAfter], [node.lossBefore, node.lossAfter], 1e-5);
    // The maps are not trivially equal: non-zero, and training moved the loss.
    expect(Math.max(...page.vg.map(Math.abs))).toBeGreaterThan(1e-4);
    expect(page.lossAfter).toBeLessThan(page.lossBefore);
    expect(page.numTensorsLeaked).toBe(0);
    expect(node.numTensorsLeaked).toBe(0);
  }, 240_000);
});
