import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { colormap, encodePng, explain, reduceChannels } from '@trustgrad/attribution';
import { initBackend } from '@trustgrad/core-tensor';
import { giniIndex } from '@trustgrad/metrics';
import { CHROMIUM, canRunChromium } from '@trustgrad/tooling/chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, browserSession, screenshotVariance } from './browser-session';
import {
  FIXTURE_EXPLAINER_OPTIONS,
  FIXTURE_VARIANTS,
  fixtureImage,
  fixtureModel,
} from './fixture/write-results-fixture';

/** Node's map of a fixture image (bytes 0–255) for a variant and explainer: channel-summed values and Gini. */
async function nodeMap(bytes: Uint8Array, variant: string, explainer: string) {
  const model = fixtureModel(FIXTURE_VARIANTS.find((v) => v.label === variant)!);
  const x = tf.tidy(() => tf.tensor4d(Float32Array.from(bytes), [1, 28, 28, 1]).div(255));
  const options = explainer === 'ig' ? FIXTURE_EXPLAINER_OPTIONS.ig : {};
  const attribution = explain(explainer, model, x, options);
  const summed = reduceChannels(attribution, 'sum');
  const gini = giniIndex(attribution);
  const result = { values: await summed.data(), gini: (await gini.data())[0] };
  tf.dispose([x, attribution, summed, gini]);
  model.dispose();
  return result;
}

/** The readout table: value of the selected pixel per variant × explainer. */
async function readout(page: Page): Promise<Record<string, number>> {
  return page
    .locator('#pixel-readout tr[data-variant]')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [
          `${row.getAttribute('data-variant')}|${row.getAttribute('data-explainer')}`,
          Number(row.querySelector('td.value')!.getAttribute('data-value')),
        ]),
      ),
    );
}

/** RGBA of one image pixel (its block's centre) of the map canvas for variant × explainer. */
async function canvasPixel(
  page: Page,
  variant: string,
  explainer: string,
  row: number,
  col: number,
) {
  return page
    .locator(`#maps canvas[data-variant="${variant}"][data-explainer="${explainer}"]`)
    .evaluate(
      (canvas: HTMLCanvasElement, [r, c]) => {
        const scale = canvas.width / 28;
        const x = Math.floor((c + 0.5) * scale);
        const y = Math.floor((r + 0.5) * scale);
        return Array.from(canvas.getContext('2d')!.getImageData(x, y, 1, 1).data);
      },
      [row, col],
    );
}

async function waitForMaps(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#maps canvas').length === n &&
      /on the wasm backend/.test(document.getElementById('status')?.textContent ?? ''),
    count,
    { timeout: 120_000 },
  );
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

describe.skipIf(!canRunChromium)(`the explorer in headless Chromium (${CHROMIUM})`, () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await browserSession();
    await initBackend({ backend: 'wasm', log: () => {} });
  });
  afterAll(() => session?.close());

  it('selects, overlays and reads out pixels with the values Node computes; explains a dropped image live', async () => {
    const page = await session.open('');
    await waitForMaps(page, 2);
    expect(await page.locator('#image-select option').count()).toBe(3);
    expect(await page.locator('#variant-choices input').count()).toBe(2);
    expect(await page.locator('#explainer-choices input').count()).toBe(2);

    // Both explainers: four maps, each with alt text naming what it shows.
    await page.locator('#explainer-choices input[value="ig"]').check();
    await waitForMaps(page, 4);
    await expect(
      page
        .locator('#maps canvas[data-variant="ST+FMS"][data-explainer="ig"]')
        .getAttribute('aria-label'),
    ).resolves.toMatch(
      /^ig saliency map of model ST\+FMS for image 0: Ankle boot: strongest at row \d+, column \d+; Gini sparsity 0\.\d+/,
    );

    // Click pixel (row 10, column 14) on one map: the readout shows it in every map, equal to Node's.
    const canvas = page.locator('#maps canvas[data-variant="ST"][data-explainer="vg"]');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: (14.5 / 28) * box.width, y: (10.5 / 28) * box.height } });
    await expect(page.locator('#pixel-readout caption').textContent()).resolves.toBe(
      'Pixel row 10, column 14 of 0: Ankle boot',
    );
    const image0 = fixtureImage(0);
    const expected: Record<
      string,
      { values: Float32Array | Int32Array | Uint8Array; gini: number }
    > = {};
    for (const variant of ['ST', 'ST+FMS'])
      for (const explainer of ['vg', 'ig'])
        expected[`${variant}|${explainer}`] = await nodeMap(image0, variant, explainer);
    let values = await readout(page);
    expect(Object.keys(values).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, map] of Object.entries(expected)) {
      expect(
        close(values[key], map.values[10 * 28 + 14]),
        `${key}: ${values[key]} vs ${map.values[10 * 28 + 14]}`,
      ).toBe(true);
    }
    // The maps differ from each other, so equal readouts are not an accident.
    expect(new Set(Object.values(values).map((v) => v.toPrecision(4))).size).toBe(4);

    // Keyboard: the arrow key on a focused map moves the pixel.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    values = await readout(page);
    for (const [key, map] of Object.entries(expected))
      expect(close(values[key], map.values[11 * 28 + 15])).toBe(true);

    // Metrics of the image: each map's Gini as Node's giniIndex gives it.
    const ginis = await page
      .locator('#image-metrics tr[data-variant]')
      .evaluateAll((rows) =>
        rows.map((row) => [
          `${row.getAttribute('data-variant')}|${row.getAttribute('data-explainer')}`,
          Number(row.querySelector('td.gini')!.getAttribute('data-value')),
        ]),
      );
    for (const [key, gini] of ginis)
      expect(close(gini as number, expected[key as string].gini)).toBe(true);
    expect(await page.locator('#folder-metrics tr').count()).toBe(5);

    // Opacity 0 shows the image alone; opacity 1 shows the colour scale alone (cividis, its top at the peak).
    await page.locator('#opacity').fill('0');
    const grey = image0[5 * 28 + 5];
    expect((await canvasPixel(page, 'ST', 'vg', 5, 5)).slice(0, 3)).toEqual([grey, grey, grey]);
    await page.locator('#opacity').fill('100');
    await page.locator('#colormap-select').selectOption('cividis');
    const vg = expected['ST|vg'].values;
    let peak = 0;
    for (let p = 0; p < vg.length; p++) if (Math.abs(vg[p]) > Math.abs(vg[peak])) peak = p;
    expect(
      (await canvasPixel(page, 'ST', 'vg', Math.floor(peak / 28), peak % 28)).slice(0, 3),
    ).toEqual(colormap('cividis', 1).map((c) => Math.round(255 * c)));
    await page.locator('#opacity').fill('70');
    await page.locator('#colormap-select').selectOption('viridis');

    const shot = await page.screenshot({ fullPage: true });
    expect(await screenshotVariance(page, shot)).toBeGreaterThan(200);
    const maps = await page.locator('#maps').screenshot();
    expect(await screenshotVariance(page, maps)).toBeGreaterThan(200);
    writeFileSync(join(session.dir, 'explorer.png'), shot);

    // A dropped image (56×56, another size than the folder's) is explained live, as Node does at 28×28.
    const dropped = fixtureImage(7);
    const rgb = new Uint8Array(28 * 28 * 3);
    for (let p = 0; p < dropped.length; p++) rgb.fill(dropped[p], p * 3, p * 3 + 3);
    const png = await encodePng({ width: 28, height: 28, data: rgb }, 2);
    await page
      .locator('#image-file')
      .setInputFiles({ name: 'boot.png', mimeType: 'image/png', buffer: png });
    await page.waitForFunction(
      () =>
        /^dropped: boot\.png: 4 maps/.test(document.getElementById('status')?.textContent ?? ''),
      undefined,
      { timeout: 120_000 },
    );
    await expect(page.locator('#image-select').inputValue()).resolves.toBe('3');
    values = await readout(page);
    for (const key of Object.keys(expected)) {
      const [variant, explainer] = key.split('|');
      const map = await nodeMap(dropped, variant, explainer);
      expect(close(values[key], map.values[11 * 28 + 15])).toBe(true);
    }
    expect(session.external).toEqual([]);
  });
});
