import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeStudyAnalysis } from '@trustgrad/bench';
import { CHROMIUM, canRunChromium } from '@trustgrad/tooling/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyAnswer } from '../src/study/study-answers';
import { resolveStudyConfig } from '../src/study/study-config';
import { studyPlan } from '../src/study/study-plan';
import { type BrowserSession, browserSession, screenshotVariance } from './browser-session';
import { FIXTURE_STUDIES, FIXTURE_VARIANTS } from './fixture/write-results-fixture';
import { byHand, download, participate, start } from './study-driver';

const MATERIAL = {
  variants: FIXTURE_VARIANTS.map((v) => v.label),
  explainers: ['vg', 'ig'],
  imageCount: 3,
};

describe.skipIf(!canRunChromium)(`a study in headless Chromium (${CHROMIUM})`, () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await browserSession();
  });
  afterAll(() => session?.close());

  it('runs a Likert study as two participants, resumes after a reload, exports, and the analysis matches a hand computation', async () => {
    const study = FIXTURE_STUDIES.likert;
    const answersDir = join(session.dir, 'study', study.id, 'answers');
    const rating = (participant: number) => (screen: number, question: string) =>
      String(1 + ((screen * 2 + (question === 'trust' ? 1 : 0) + participant) % 5));
    const exported: StudyAnswer[][] = [];
    for (const [n, participant] of ['p1', 'p2'].entries()) {
      const page = await session.open(`?study=${study.id}&participant=${participant}`);
      await start(page);
      if (n === 0) {
        await participate(page, rating(n), 2);
        // Saved as they go: on the server and in the browser; a reload resumes at screen 3.
        const saved = JSON.parse(readFileSync(join(answersDir, 'p1.json'), 'utf8'));
        expect(saved.answers.length).toBeGreaterThanOrEqual(2);
        const shot = await page.screenshot();
        expect(await screenshotVariance(page, shot)).toBeGreaterThan(200);
        await page.reload();
        await page.waitForSelector('#trial-form', { timeout: 120_000 });
        await expect(page.locator('#progress').textContent()).resolves.toBe('Screen 3 of 5');
      }
      await participate(page, rating(n));
      await expect(page.locator('#study-title').textContent()).resolves.toBe('Thank you');
      const json = JSON.parse(await download(page, 'download-json')) as StudyAnswer[];
      const csv = await download(page, 'download-csv');
      expect(csv.trim().split('\n')).toHaveLength(json.length + 1);
      exported.push(json);
      // The server holds what the participant exported.
      expect(
        JSON.parse(readFileSync(join(answersDir, `${participant}.json`), 'utf8')).answers,
      ).toEqual(json);
      await page.close();
    }

    const config = resolveStudyConfig({ ...study }, MATERIAL);
    for (const [n, participant] of ['p1', 'p2'].entries()) {
      const plan = studyPlan(config, participant);
      const answers = exported[n];
      // 4 trials × 2 questions + 1 attention check, in the participant's seeded order.
      expect(answers).toHaveLength(9);
      expect(answers.map((a) => [a.trial, a.image, a.variants[0]])).toEqual(
        plan.flatMap((t) =>
          (t.attention === undefined ? ['sufficiency', 'trust'] : ['attention']).map(() => [
            t.index,
            t.image,
            t.variants[0],
          ]),
        ),
      );
      expect(
        answers.filter((a) => a.question === 'attention').map((a) => a.attentionPassed),
      ).toEqual([true]);
    }
    expect(studyPlan(config, 'p1')).not.toEqual(studyPlan(config, 'p2'));

    const { files } = await writeStudyAnalysis(answersDir);
    const analysis = JSON.parse(readFileSync(files[0], 'utf8'));
    expect(analysis.participants.sort()).toEqual(['p1', 'p2']);
    const all = exported.flat().filter((a) => a.question !== 'attention');
    for (const question of ['sufficiency', 'trust']) {
      for (const score of analysis.questions[question]) {
        expect(score.mean).toBeCloseTo(
          byHand(all, question, score.variant, (a) => a.rating!),
          12,
        );
        expect(score.ci[0]).toBeLessThanOrEqual(score.mean);
        expect(score.ci[1]).toBeGreaterThanOrEqual(score.mean);
      }
    }
    expect(existsSync(files[2])).toBe(true);
    expect(session.external).toEqual([]);
  });

  it('runs a pairwise study: the chosen side is recorded as its variant, preference rates as by hand', async () => {
    const study = FIXTURE_STUDIES.pairwise;
    const page = await session.open(`?study=${study.id}&participant=p3`);
    await start(page);
    await participate(page, (screen, question) =>
      (screen + (question === 'trust' ? 1 : 0)) % 2 ? 'right' : 'left',
    );
    const answers = JSON.parse(await download(page, 'download-json')) as StudyAnswer[];
    const plan = studyPlan(resolveStudyConfig({ ...study }, MATERIAL), 'p3');
    for (const answer of answers) {
      const trial = plan[answer.trial];
      expect(answer.variants).toEqual(trial.variants);
      const side =
        answer.question === 'attention'
          ? trial.attention
          : (answer.trial + (answer.question === 'trust' ? 1 : 0)) % 2
            ? 'right'
            : 'left';
      expect(answer.chosen).toBe(trial.variants[side === 'left' ? 0 : 1]);
    }
    const { files } = await writeStudyAnalysis(join(session.dir, 'study', study.id, 'answers'));
    const analysis = JSON.parse(readFileSync(files[0], 'utf8'));
    const judged = answers.filter((a) => a.question !== 'attention');
    for (const question of ['sufficiency', 'trust'])
      for (const score of analysis.questions[question])
        expect(score.mean).toBeCloseTo(
          byHand(judged, question, score.variant, (a) => (a.chosen === score.variant ? 1 : 0)),
          12,
        );
    await page.close();
  });
});
