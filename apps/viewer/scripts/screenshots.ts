/**
 * Makes the README's screenshots from a real results folder:
 * `pnpm --filter @trustgrad/viewer screenshots <results folder>` (after
 * `pnpm --filter @trustgrad/viewer build`). The folder is copied to a temp
 * folder with studies/fms-paper.json added, served as `bench serve` does,
 * and photographed in headless Chromium: docs/explorer.png and docs/study.png.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveResults } from '@trustgrad/bench';
import { launchChromium } from '@trustgrad/tooling/chromium';

const results = process.argv[2];
if (!results) throw new Error('usage: screenshots <results folder>');
const here = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'viewer-shots-'));
cpSync(results, dir, { recursive: true });
mkdirSync(join(dir, 'study', 'fms-paper'), { recursive: true });
cpSync(join(here, 'studies', 'fms-paper.json'), join(dir, 'study', 'fms-paper', 'study.json'));
const served = await serveResults({ dir, viewerDir: join(here, 'dist'), port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  await page.goto(served.url);
  await page.waitForFunction(
    () => /on the wasm backend/.test(document.getElementById('status')?.textContent ?? ''),
    undefined,
    {
      timeout: 300_000,
    },
  );
  await page.locator('#explainer-choices input[value="ig"]').check();
  await page.waitForFunction(
    () => /: 8 maps on the wasm backend/.test(document.getElementById('status')?.textContent ?? ''),
    undefined,
    {
      timeout: 300_000,
    },
  );
  const canvas = page.locator('#maps canvas').first();
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.45 } });
  writeFileSync(join(here, 'docs', 'explorer.png'), await page.screenshot({ fullPage: true }));

  await page.goto(`${served.url}?study=fms-paper&participant=demo`);
  await page.locator('#start').click();
  await page.waitForSelector('#trial-form', { timeout: 300_000 });
  await page.locator('#trial-form input').first().check();
  writeFileSync(join(here, 'docs', 'study.png'), await page.screenshot({ fullPage: true }));
  console.log(`wrote docs/explorer.png and docs/study.png from ${results}`);
} finally {
  await browser.close();
  await served.close();
}
