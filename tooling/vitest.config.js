// Shared vitest setup: tests sit next to the code (src/**/*.test.ts) and import
// workspace siblings from their sources, so `pnpm test` needs no build first.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function workspaceAliases() {
  const aliases = {};
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const entry = join(dir, name, 'src', 'index.ts');
      if (existsSync(entry)) aliases[`@trustgrad/${name}`] = entry;
    }
  }
  return aliases;
}

function packageName() {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  return pkg.name.replace('@trustgrad/', '');
}

/** @param {Record<string, unknown>} [overrides] */
export function packageTests(overrides = {}) {
  return {
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      // The [slow] end-to-end tests train real models; on a loaded 2-core machine they take minutes.
      testTimeout: 300_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // Two cores: tfjs kernels are single-threaded, two forks keep both busy.
      maxWorkers: 2,
      // Each package also writes a JSON report that scripts/summarise-tests.mjs sums up.
      reporters: ['default', 'json'],
      outputFile: { json: join(root, '.cache', 'test-results', `${packageName()}.json`) },
      ...overrides,
    },
  };
}
