import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { StudyAnswer } from '../src/study/study-answers';

/**
 * Answers every screen of a study as a participant would, with the keyboard
 * where it can: `pick(screen, question)` gives the option's value
 * (`1`…`5`, `left`, `right`); attention checks get the answer they ask for.
 * Stops after `stopAfter` screens when given. Returns what was picked.
 */
export async function participate(
  page: Page,
  pick: (screen: number, question: string) => string,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (let screen = 0; screen < stopAfter; screen++) {
    await page.waitForSelector('#trial-form, #download-json', { timeout: 120_000 });
    if (await page.locator('#download-json').count()) return;
    const progress = (await page.locator('#progress').textContent())!;
    const index = Number(/Screen (\d+) of/.exec(progress)![1]) - 1;
    // Blinded: no variant name anywhere on the screen, text or attributes (alt text included).
    const text = await page.evaluate(() => document.body.outerHTML);
    expect(text).not.toMatch(/\bST\b|FMS/);
    for (const fieldset of await page.locator('#trial-form fieldset').all()) {
      const question = (await fieldset.getAttribute('data-question'))!;
      let value = pick(index, question);
      if (question === 'attention') {
        const legend = (await fieldset.locator('legend').textContent())!;
        const asked = /“(\d+) –/.exec(legend)?.[1] ?? (/Map A/.test(legend) ? 'left' : 'right');
        value = asked;
      }
      await fieldset.locator(`input[value="${value}"]`).check();
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (p) => document.getElementById('progress')?.textContent !== p,
      progress,
      { timeout: 120_000 },
    );
  }
}

export async function start(page: Page): Promise<void> {
  await page.waitForSelector('#start', { timeout: 120_000 });
  await page.keyboard.press('Enter');
}

export async function download(page: Page, id: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`#${id}`).click()]);
  return readFileSync((await file.path())!, 'utf8');
}

/** Hand computation: mean over participants of each participant's mean score of a variant. */
export function byHand(
  answers: StudyAnswer[],
  question: string,
  variant: string,
  score: (a: StudyAnswer) => number,
) {
  const participants = [...new Set(answers.map((a) => a.participant))];
  const means = participants.flatMap((p) => {
    const own = answers.filter(
      (a) => a.participant === p && a.question === question && a.variants.includes(variant),
    );
    return own.length ? [own.reduce((s, a) => s + score(a), 0) / own.length] : [];
  });
  return means.reduce((s, m) => s + m, 0) / means.length;
}
