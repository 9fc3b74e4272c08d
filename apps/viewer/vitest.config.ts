import { packageTests } from '@trustgrad/tooling/vitest';
import { defineConfig } from 'vitest/config';

// The browser tests need the built viewer: built once per run, before any test file.
export default defineConfig(packageTests({ globalSetup: ['test/build-viewer.ts'] }));
