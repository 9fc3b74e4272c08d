// Shared tsup build: one public entry (src/index.ts), ESM + CJS + .d.ts.
/** @param {Partial<import('tsup').Options>} [overrides] */
export function packageBuild(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // Workspace siblings and tfjs stay external so users share one tfjs-core instance.
    skipNodeModulesBundle: true,
    shims: true,
    ...overrides,
  };
}
