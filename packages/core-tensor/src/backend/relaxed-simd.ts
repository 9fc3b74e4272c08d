import v8 from 'node:v8';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { engineHasRelaxedSimd, setFusedMultiplyAdd } from '../kernels/wasm/fused-multiply-add';

/**
 * Lets trustgrad's convolution kernels fuse multiply-adds (WebAssembly
 * relaxed SIMD's `f32x4.relaxed_madd`, one FMA instruction on x86-64 with FMA3
 * and on arm64: twice the multiply-add rate of `f32x4.mul` + `f32x4.add`).
 * Node ≥ 22 validates relaxed SIMD by default; Node 20 only behind V8's
 * `--experimental-wasm-relaxed-simd`, which is set here, before any of
 * trustgrad's modules compile (the flag only gates validation of modules
 * compiled afterwards). `TRUSTGRAD_RELAXED_SIMD=0` keeps multiply-adds
 * unfused, and the flag unset.
 *
 * Returns whether multiply-adds are fused, and why not if they are not.
 */
export function enableFusedMultiplyAdd(): { fused: boolean; note?: string } {
  const raw = process.env.TRUSTGRAD_RELAXED_SIMD?.trim();
  if (raw !== undefined && raw !== '' && raw !== '0' && raw !== '1') {
    throw new InvalidOptionError(
      `TRUSTGRAD_RELAXED_SIMD="${raw}" is not 0 or 1; use 0 to keep multiply-adds unfused, 1 (the default) to fuse them`,
    );
  }
  if (raw === '0') {
    setFusedMultiplyAdd(false);
    return { fused: false, note: 'multiply-adds unfused (TRUSTGRAD_RELAXED_SIMD=0)' };
  }
  if (!engineHasRelaxedSimd()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (!engineHasRelaxedSimd()) {
    setFusedMultiplyAdd(false);
    return { fused: false, note: 'multiply-adds unfused (this engine has no relaxed SIMD)' };
  }
  setFusedMultiplyAdd(true);
  return { fused: true };
}
