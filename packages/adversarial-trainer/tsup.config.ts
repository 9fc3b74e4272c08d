import { packageBuild } from '@trustgrad/tooling/tsup';
import { defineConfig } from 'tsup';

// Two entries: Node's (index) and the browser's (the `browser` export condition), sharing chunks in ESM.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/browser.ts'] }));
