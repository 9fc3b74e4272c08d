import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadConfig,
  runExperiment,
  serveResults,
  tinyOverrides,
  writeStudyAnalysis,
} from '@trustgrad/bench';
import { createProgressRenderer } from '@trustgrad/core-tensor';
// The bench's test helpers (the viewer devDepends on the bench): its Chromium and tiny presets.
import { canRunChromium, launchChromium } from '@trustgrad/tooling/chromium';
import { afterAll, describe, expect, it } from 'vitest';
// The datasets package's writer of Fashion-MNIST's official IDX files (used by bench's every-preset test too).
import { writeFashionMnist } from '../../../packages/datasets/src/testing/fixtures';
import type { StudyAnswer } from '../src/study/study-answers';
import { VIEWER_DIST } from './browser-session';
import { byHand, download, participate, start } from './study-driver';

/**
 * A real `bench run` folder (e.g. results/fmnist-quick). Unset (as in CI), the test first makes one:
 * the real `fmnist-quick` preset (its four rows, VG and IG, every metric) shrunk by `--set` to seconds
 * on tiny IDX files, so the study runs end to end on what `bench run --preset fmnist-quick` writes.
 */
const RESULTS = process.env.TRUSTGRAD_VIEWER_RESULTS;
const STUDY = fileURLToPath(new URL('../studies/fms-paper.json', import.meta.url));

/** Runs the tiny fmnist-quick preset into a temp folder and returns that folder. */
async function tinyFmnistQuickResults(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'viewer-fmnist-quick-'));
  writeFashionMnist(join(root, 'fmnist'), { train: 60, test: 20, gzip: true });
  // Maps of two images, so the study's pairs are not all of one image.
  const set = tinyOverrides('fmnist-quick', [`dataset.path=${join(root, 'fmnist')}`], {
    heatmapSamples: 2,
  });
  const config = loadConfig({ preset: 'fmnist-quick', set });
  const out = join(root, 'results');
  const started = Date.now();
  await runExperiment(config, { out, progress: createProgressRenderer({ mode: 'off' }) });
  console.log(`tiny fmnist-quick results: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

describe.skipIf(!canRunChromium)(
  `the FMS paper study on ${RESULTS ?? 'tiny fmnist-quick results'}`,
  () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    it('runs end to end as two participants and the analysis reproduces the exported answers', async () => {
      const results = RESULTS ?? (await tinyFmnistQuickResults());
      expect(JSON.parse(readFileSync(join(results, 'results.json'), 'utf8')).preset).toBe(
        'fmnist-quick',
      );
      const dir = mkdtempSync(join(tmpdir(), 'viewer-real-'));
      cpSync(results, dir, { recursive: true });
      mkdirSync(join(dir, 'study', 'fms-paper'), { recursive: true });
      cpSync(STUDY, join(dir, 'study', 'fms-paper', 'study.json'));
      const served = await serveResults({ dir, viewerDir: VIEWER_DIST, port: 0 });
      const browser = await launchChromium();
      cleanups.push(async () => {
        await browser.close();
        await served.close();
      });
      const exported: StudyAnswer[] = [];
      for (const [n, participant] of ['r1', 'r2'].entries()) {
        const page = await browser.newPage();
        await page.goto(`${served.url}?study=fms-paper&participant=${participant}`);
        await start(page);
        await participate(page, (screen, question) =>
          (screen + n + (question === 'trust' ? 1 : 0)) % 3 ? 'left' : 'right',
        );
        exported.push(...(JSON.parse(await download(page, 'download-json')) as StudyAnswer[]));
        await page.close();
      }
      const { files } = await writeStudyAnalysis(join(dir, 'study', 'fms-paper', 'answers'));
      const analysis = JSON.parse(readFileSync(files[0], 'utf8'));
      expect(analysis.participants.sort()).toEqual(['r1', 'r2']);
      const judged = exported.filter((a) => a.question !== 'attention');
      expect(judged).toHaveLength(2 * 12 * 2);
      for (const question of ['sufficiency', 'trust'])
        for (const score of analysis.questions[question])
          expect(score.mean).toBeCloseTo(
            byHand(judged, question, score.variant, (a) => (a.chosen === score.variant ? 1 : 0)),
            12,
          );
    }, 120_000);
  },
);
