import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveResults, writeStudyAnalysis } from '@trustgrad/bench';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudyAnswer } from '../src/study/study-answers';
import { VIEWER_DIST } from './browser-session';
import { canRunChromium, launchChromium } from './chromium';
import { byHand, download, participate, start } from './study-driver';

/** A real `bench run` folder (e.g. results/fmnist-quick); the test runs only when it is named. */
const RESULTS = process.env.TRUSTGRAD_VIEWER_RESULTS;
const STUDY = fileURLToPath(new URL('../studies/fms-paper.json', import.meta.url));

describe.skipIf(!RESULTS || !canRunChromium)(`the FMS paper study on ${RESULTS}`, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('runs end to end as two participants and the analysis reproduces the exported answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viewer-real-'));
    cpSync(RESULTS!, dir, { recursive: true });
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
  });
});
