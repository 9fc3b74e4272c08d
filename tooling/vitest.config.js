// Shared vitest setup: tests sit next to the code (src/**/*.test.ts) and import
// workspace siblings from their sources, so `pnpm test` needs no build first.
import { fileURLToPath } from 'node:url';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

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

/** @param {Record<string, unknown>} [overrides] */
export function packageTests(overrides = {}) {
  return {
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // Two cores: tfjs kernels are single-threaded, two forks keep both busy.
      poolOptions: { forks: { maxForks: 2, minForks: 1 } },
      ...overrides,
    },
  };
}
