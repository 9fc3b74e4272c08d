import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * The headless Chromium of the workspace's browser tests (the bench's report test, the
 * viewer's tests and screenshots): Debian's chromium unless `CHROMIUM_PATH` names another;
 * CI installs it (scripts/test.sh). Plain JavaScript with `chromium.d.ts` beside it, like
 * the other shared configs here, so any package's tests import it without a build.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; in CI they must (a missing chromium then fails them). */
export const canRunChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Headless Chromium with nothing that reaches the network on its own. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
