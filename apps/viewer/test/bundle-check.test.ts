import { initBackend } from '@trustgrad/core-tensor';
import { CHROMIUM, canRunChromium } from '@trustgrad/tooling/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleCheckResult, bundleCheck } from '../src/check/bundle-check';
import { type TrainCheckResult, trainCheck } from '../src/check/train-check';
import { type BrowserSession, browserSession } from './browser-session';

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!canRunChromium)(`the vite bundle in headless Chromium (${CHROMIUM})`, () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await browserSession();
  });
  afterAll(() => session?.close());

  it('explains with VG, computes Gini, trains (plain SGD, then PGD-AT train() on parsed IDX bytes) on wasm with trustgrad kernels, as Node does (1e-5)', async () => {
    const tab = await session.open('check.html');
    await tab.waitForFunction(
      () => 'bundleCheckResult' in window || 'bundleCheckError' in window,
      undefined,
      { timeout: 120_000 },
    );
    const error = await tab.evaluate(
      () => (window as { bundleCheckError?: string }).bundleCheckError,
    );
    expect(error).toBeUndefined();
    const page = await tab.evaluate(
      () =>
        (
          window as unknown as {
            bundleCheckResult: BundleCheckResult & { train: TrainCheckResult; log: string[] };
          }
        ).bundleCheckResult,
    );
    expect(session.external).toEqual([]);

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
    // Not trivially equal: the maps are non-zero and training moved the loss.
    expect(Math.max(...page.vg.map(Math.abs))).toBeGreaterThan(1e-4);
    expect(page.lossAfter).toBeLessThan(page.lossBefore);
    expect(page.numTensorsLeaked).toBe(0);
    expect(node.numTensorsLeaked).toBe(0);
    await expect(tab.locator('#status').textContent()).resolves.toBe('done');

    // Then datasets parses gzipped IDX bytes and adversarial-trainer's browser train() runs PGD-AT.
    const trained = page.train;
    const nodeTrained = await trainCheck();
    expect(trained.labels).toEqual([9, 0, 3, 7]);
    expect(trained.pixel).toBeCloseTo(((7 * 3 + 3 * (3 * 784 + 400)) % 256) / 255, 6);
    expect(trained.steps).toBe(2);
    expect(trained.losses).toHaveLength(2);
    expect(trained.losses.every(Number.isFinite)).toBe(true);
    expect(trained.maxWeightChange).toBeGreaterThan(1e-4);
    expectClose(trained.losses, nodeTrained.losses, 1e-5);
    expect(trained.checkpointRejection?.invalidOption).toBe(true);
    expect(trained.checkpointRejection?.message).toMatch(
      /^train\(\): checkpoint needs Node: .*model\.save\('indexeddb:\/\/my-model'\)/,
    );
    // Node's train() has checkpoint folders: it got as far as checking everySteps.
    expect(nodeTrained.checkpointRejection?.invalidOption).toBe(true);
    expect(nodeTrained.checkpointRejection?.message).toMatch(
      /checkpoint\.everySteps must be an integer ≥ 1/,
    );
    expect(trained.numTensorsLeaked).toBe(0);
    expect(nodeTrained.numTensorsLeaked).toBe(0);
  });
});
