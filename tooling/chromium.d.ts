import type { Browser } from 'playwright-core';

/** The Chromium executable the browser tests launch (`CHROMIUM_PATH`, default Debian's). */
export declare const CHROMIUM: string;
/** Whether the browser tests can run here; in CI they must. */
export declare const canRunChromium: boolean;
/** Headless Chromium with nothing that reaches the network on its own. */
export declare function launchChromium(): Promise<Browser>;
