import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The headless Chromium of the browser tests (bench's report test, the viewer's tests and
 * screenshots; the viewer imports this file, as it devDepends on the bench). Debian's chromium
 * unless `CHROMIUM_PATH` names another; CI installs it (scripts/test.sh).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; in CI they must (a missing chromium then fails them). */
export const canRunChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Headless Chromium with nothing that reaches the network on its own. */
export function launchChromium(): Promise<Browser> {
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
