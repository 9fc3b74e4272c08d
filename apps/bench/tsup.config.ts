import { packageBuild } from '@trustgrad/tooling/tsup';
import { defineConfig } from 'tsup';

// The library entry and the CLI (`trustgrad-bench`, the package's bin; tsup keeps its shebang).
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] }));
