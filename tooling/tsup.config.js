// Shared tsup build: one public entry (src/index.ts), ESM + CJS + .d.ts.
/** @param {Partial<import('tsup').Options>} [overrides] */
export function packageBuild(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps in the published packages: dist is unminified ESM/CJS that reads like the
    // source, and maps that embed the sources were 60% of every tarball (tests and the bench run
    // from src/, so nothing in the workspace reads them).
    sourcemap: false,
    clean: true,
    target: 'node20',
    // Workspace siblings and tfjs stay external so users share one tfjs-core instance.
    skipNodeModulesBundle: true,
    shims: true,
    ...overrides,
  };
}
