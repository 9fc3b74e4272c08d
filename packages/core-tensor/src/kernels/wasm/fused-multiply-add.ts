/**
 * Whether trustgrad's WebAssembly kernels multiply-add with relaxed SIMD's
 * `f32x4.relaxed_madd` (one FMA instruction on x86-64 with FMA3 and on
 * arm64): the register-blocked convolutions (`conv-fma.wat`) and the planar
 * small-channel convolution kernels of `heap-simd.wat` come in a fused and an
 * unfused build, and the linkers ask here which to take.
 */

/** `(func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd)`. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0,
  32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

let fusedWanted = true;

/**
 * Whether the kernels may fuse multiply-adds where the engine has relaxed
 * SIMD (default true). Fused and unfused sums round differently in the last
 * bits; `TRUSTGRAD_RELAXED_SIMD=0` turns fusing off in Node. Takes effect for
 * heaps linked afterwards.
 */
export function setFusedMultiplyAdd(wanted: boolean): void {
  fusedWanted = wanted;
}

/** Whether this engine validates relaxed-SIMD instructions (Chrome ≥ 114, Node ≥ 22, or Node 20 with its flag). */
export function engineHasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Whether a module linked now should be the fused build. */
export function fusedMultiplyAddWanted(): boolean {
  return fusedWanted && engineHasRelaxedSimd();
}
