import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render-report';
import type { Results } from '../src/results/results-types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's chromium (scripts/test.sh); elsewhere the test says why it did not run.
const canRun = existsSync(CHROMIUM) || process.env.CI === 'true';

/** A 2×2 RGB PNG (red, green / blue, white), made by hand so the test needs no encoder. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

function writeFixture(dir: string): void {
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
        ci: { gini: [0.48, 0.52] },
      },
      {
        training: 'pgd-at',
        smoothing: false,
        explainer: 'vg',
        metrics: { cleanAcc: 0.8, robustAcc: 0.6, gini: 0.7, ros: 20 },
        ci: { gini: [0.68, 0.72] },
      },
      {
        training: 'pgd-at',
        smoothing: true,
        explainer: 'vg',
        metrics: { cleanAcc: 0.79, robustAcc: 0.62, gini: 0.69, ros: 9 },
        ci: { gini: [0.67, 0.71] },
      },
    ],
    findings: ['vg: AT Gini 0.7 > ST Gini 0.5 — expected AT sparser: holds'],
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
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

describe.skipIf(!canRun)(`report.html in headless Chromium (${CHROMIUM})`, () => {
  it('shows the table with the best values marked, every heatmap, and both trade-off plots, offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    writeFixture(dir);
    const path = await renderReport(dir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(`file://${path}`);
      expect(await page.locator('#results-table tbody tr').count()).toBe(3);
      expect(await page.locator('#results-table td.best').count()).toBeGreaterThanOrEqual(4);
      await expect(page.locator('#results-table').innerText()).resolves.toContain('AT+FMS');
      const images = page.locator('#heatmap-grid img');
      expect(await images.count()).toBe(4);
      const loaded = await images.evaluateAll((imgs) =>
        imgs.every((img) => (img as HTMLImageElement).naturalWidth === 2),
      );
      expect(loaded).toBe(true);
      expect(await page.locator('figure.plot svg').count()).toBe(2);
      expect(
        await page.locator('figure.plot svg .mark-symbol path').count(),
      ).toBeGreaterThanOrEqual(3);
      await expect(page.locator('#findings').innerText()).resolves.toContain('holds');
      const shot = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, 'report.png'), shot);
      expect(shot.length).toBeGreaterThan(10_000);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
