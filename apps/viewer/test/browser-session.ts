import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServedResults, serveResults } from '@trustgrad/bench';
import { initBackend } from '@trustgrad/core-tensor';
import { launchChromium } from '@trustgrad/tooling/chromium';
import type { Browser, Page } from 'playwright-core';
import { writeResultsFixture } from './fixture/write-results-fixture';

/** The built viewer (test/build-viewer.ts builds it before the tests). */
export const VIEWER_DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** A fixture results folder served by `bench serve`'s server and a headless Chromium on it. */
export interface BrowserSession {
  dir: string;
  served: ServedResults;
  browser: Browser;
  /** Requests to anywhere but the server (the viewer must work offline). */
  external: string[];
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function browserSession(): Promise<BrowserSession> {
  await initBackend({ backend: 'wasm', log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'viewer-results-'));
  await writeResultsFixture(dir);
  const served = await serveResults({ dir, viewerDir: VIEWER_DIST, port: 0 });
  const browser = await launchChromium();
  const external: string[] = [];
  return {
    dir,
    served,
    browser,
    external,
    async open(path) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('request', (r) => {
        if (
          !r.url().startsWith(served.url) &&
          !r.url().startsWith('blob:') &&
          !r.url().startsWith('data:')
        )
          external.push(r.url());
      });
      page.on('pageerror', (error) => external.push(`page error: ${error.message}`));
      await page.goto(new URL(path, served.url).href);
      return page;
    },
    async close() {
      await browser.close();
      await served.close();
    },
  };
}

/**
 * The variance of the grey levels of a screenshot, decoded in the page
 * itself (no image library in Node): near 0 means a blank picture.
 */
export async function screenshotVariance(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    let squares = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      squares += grey * grey;
    }
    return squares / n - (sum / n) ** 2;
  }, png.toString('base64'));
}
