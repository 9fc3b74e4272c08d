import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// CI installs Debian's chromium (scripts/test.sh); elsewhere the test says why it did not run.
import { CHROMIUM, canRunChromium, launchChromium } from '@trustgrad/tooling/chromium';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render-report';
import type { Results } from '../src/results/results-types';

/** A 2×2 RGB PNG (red, green / blue, white), made by hand so the test needs no encoder. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

function writeFixture(dir: string): void {
  // The FMS authors' eight noise levels; SSIM falling with σ from `start`.
  const sigmaCurve = (start: number) =>
    [0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2].map((sigma) => ({
      sigma,
      mean: start - sigma,
      count: 10,
    }));
  const results: Results = {
    preset: 'fixture',
    dataset: 'fashion-mnist',
    backend: 'wasm',
    seed: 0,
    rows: [
      {
        training: 'standard',
        smoothing: false,
        explainer: 'vg',
        metrics: { cleanAcc: 0.9, robustAcc: 0.05, gini: 0.5, ros: 40 },
        ci: { cleanAcc: [0.88, 0.92], robustAcc: [0.03, 0.07], gini: [0.48, 0.52], ros: [35, 45] },
        log10: { ros: 1.6 },
      },
      {
        training: 'pgd-at',
        smoothing: false,
        explainer: 'vg',
        metrics: { cleanAcc: 0.8, robustAcc: 0.6, gini: 0.7, ros: 20 },
        ci: { cleanAcc: [0.78, 0.82], robustAcc: [0.55, 0.61], gini: [0.68, 0.72], ros: [18, 22] },
        log10: { ros: 1.3 },
        extra: { ssim: { bySigma: sigmaCurve(0.9) } },
      },
      {
        training: 'pgd-at',
        smoothing: true,
        explainer: 'vg',
        metrics: { cleanAcc: 0.79, robustAcc: 0.62, gini: 0.69, ros: 9 },
        ci: { cleanAcc: [0.77, 0.81], robustAcc: [0.6, 0.64], gini: [0.67, 0.71], ros: [8, 10] },
        log10: { ros: 0.95 },
        extra: { ssim: { bySigma: sigmaCurve(0.95) } },
      },
    ],
    metricDefinitions: {
      cleanAcc: {
        description: 'clean accuracy: share of samples whose predicted class is the label',
        higherIsBetter: true,
      },
      robustAcc: {
        description: 'robust accuracy: share still classified as the label after the attack',
        higherIsBetter: true,
      },
      gini: {
        description: 'Gini sparsity (Chalasani et al. 2020) of |attribution|',
        higherIsBetter: true,
      },
      ros: {
        description: 'relative output stability (Agarwal et al. 2022)',
        higherIsBetter: false,
      },
    },
    findings: ['vg: AT Gini 0.7 > ST Gini 0.5 — expected AT sparser: holds'],
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ preset: 'fixture', model: { name: 'fmnist-cnn' } }),
  );
  writeFileSync(
    join(dir, 'timings.json'),
    JSON.stringify({ 'train ST': 12.5, 'evaluate ST': 3.25, total: 15.75 }),
  );
  const curve = (loss: number) =>
    [1, 2, 3].map((epoch) => ({
      epoch,
      loss: loss / epoch,
      trainAccuracy: 0.5 + 0.1 * epoch,
      cleanAccuracy: 0.45 + 0.1 * epoch,
      robustAccuracy: 0.05 * epoch,
    }));
  writeFileSync(
    join(dir, 'curves.json'),
    JSON.stringify({ ST: curve(1), AT: curve(2), 'AT+FMS': curve(2.2) }),
  );
  mkdirSync(join(dir, 'heatmaps'));
  writeFileSync(join(dir, 'heatmaps', 'input_0.png'), TINY_PNG);
  const entries = ['ST', 'AT', 'AT+FMS'].map((variant, i) => {
    writeFileSync(join(dir, 'heatmaps', `v${i}.png`), TINY_PNG);
    return { variant, explainer: 'vg', files: [`heatmaps/v${i}.png`] };
  });
  writeFileSync(
    join(dir, 'heatmaps', 'index.json'),
    JSON.stringify({ inputs: ['heatmaps/input_0.png'], labels: ['Ankle boot'], entries }),
  );
}

describe.skipIf(!canRunChromium)(`report.html in headless Chromium (${CHROMIUM})`, () => {
  it('shows the table with the best values marked, every heatmap, and both trade-off plots, offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    writeFixture(dir);
    const path = await renderReport(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(`file://${path}`);
      expect(await page.locator('#results-table tbody tr').count()).toBe(3);
      // Best where the CIs separate: cleanAcc (ST), robustAcc (none: AT and AT+FMS overlap), gini (none), ros (AT+FMS).
      expect(await page.locator('#results-table td.best').count()).toBe(2);
      expect(await page.locator('#results-table th.log10').textContent()).toBe('log10 ros');
      await expect(page.locator('#definitions li').count()).resolves.toBe(4);
      await expect(page.locator('#definitions').textContent()).resolves.toMatch(
        /ros ↓ lower is better: relative output stability \(Agarwal et al\. 2022\)/,
      );
      await expect(page.locator('#config').textContent()).resolves.toContain('"preset": "fixture"');
      expect(await page.locator('#timings tbody tr').count()).toBe(3);
      await expect(page.locator('#timings').textContent()).resolves.toContain('12.5 s');
      expect(await page.locator('#curves figure.curve svg').count()).toBe(3);
      expect(
        await page.locator('#curves figure.curve[data-panel="loss"] svg .mark-line path').count(),
      ).toBe(3);
      await expect(page.locator('#results-table').textContent()).resolves.toContain('AT+FMS');
      const images = page.locator('#heatmap-grid img');
      expect(await images.count()).toBe(4);
      const loaded = await images.evaluateAll((imgs) =>
        imgs.every((img) => (img as HTMLImageElement).naturalWidth === 2),
      );
      expect(loaded).toBe(true);
      expect(await page.locator('figure.plot:not(.curve) svg').count()).toBe(3);
      // SSIM against σ: one line per variant that measured it (AT, AT+FMS), 8 σ each.
      expect(await page.locator('#ssim-sigma svg .mark-line path').count()).toBe(2);
      expect(await page.locator('#ssim-sigma svg .mark-symbol.role-mark path').count()).toBe(16);
      expect(
        await page.locator('figure.plot:not(.curve) svg .mark-symbol path').count(),
      ).toBeGreaterThanOrEqual(3);
      await expect(page.locator('#findings').textContent()).resolves.toContain('holds');
      const shot = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, 'report.png'), shot);
      expect(shot.length).toBeGreaterThan(10_000);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
