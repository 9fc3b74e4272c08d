/** Types of `assemble-heap-simd.mjs` for the tests that import it. */
export const FUSED_FUNCTIONS: string[];
export function fuseMultiplyAdds(source: string): string;
export function assembleHeapSimd(): Record<'shared' | 'unshared' | 'fusedShared' | 'fusedUnshared', string>;
