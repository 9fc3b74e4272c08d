import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from '../../errors/trustgrad-error';

/**
 * trustgrad's own SIMD WebAssembly kernels, linked to tfjs-backend-wasm's heap
 * so they read and write tensors in place (arguments are byte addresses on
 * the heap, then sizes). Source: `heap-simd.wat` beside this file, assembled
 * with wabt 1.0.39 (`wat2wasm --enable-threads`; SIMD is on by default), once
 * importing the threaded build's shared heap (`memory 1 65536 shared`) and
 * once the single-threaded build's (`memory 1`), by
 * `node scripts/assemble-heap-simd.mjs` (a test checks they are current).
 */
export interface HeapSimd {
  /**
   * Non-overlapping max-pool gradient (stride = window, no padding, every
   * window inside the image), 4 channels at a time, then one at a time for the last `C mod 4`:
   * stores `dy` at the first maximum of each window (`v > best` in scan
   * order: cpu's tie rule; a window of only −∞/NaN routes nothing) and 0 at
   * its other taps.
   */
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    fh: number,
    fw: number,
  ): void;
  /**
   * `out[r, o] += Σ_{p0 ≤ p < p1} a[p, r] · b[p, o]` (float32, `a` `[pixels, R]`,
   * `b` `[pixels, O]`, `out` `[R, O]`, `O` a multiple of 4).
   */
  accumulateOuter(
    a: number,
    b: number,
    out: number,
    p0: number,
    p1: number,
    rows: number,
    cols: number,
  ): void;
  /**
   * Separable banded filter, `C` a multiple of 4: `tmp[b,h,:] = Σ_t rowWt[h,t] · x[b, rowIdx[h,t], :]`
   * (whole rows of `W·C` floats), then `y[b,h,w,:] = Σ_t colWt[w,t] · tmp[b, h, colIdx[w,t], :]`.
   * Index tables are int32, weights float32, `[H, Th]` and `[W, Tw]`.
   */
  bandedSeparable(
    x: number,
    tmp: number,
    y: number,
    batch: number,
    height: number,
    width: number,
    channels: number,
    rowIdx: number,
    rowWt: number,
    rowTaps: number,
    colIdx: number,
    colWt: number,
    colTaps: number,
  ): void;
  /**
   * Small-channel convolution on channel-planar data:
   * `out[n, q, y, x] = Σ_{p,a,b} P[n, p, y + a, x + b] · K[q, p, a, b]`, `P`
   * `[N, inPlanes, Hp, Wp]` (borders zero-padded), `K` `[outPlanes, inPlanes, fh, fw]`,
   * `out` `[N, outPlanes, outH, Wq]`; `Wq` a multiple of 4, `Hp ≥ outH + fh − 1`, `Wp ≥ Wq + fw − 1`.
   */
  planarCorrelate(
    planes: number,
    taps: number,
    out: number,
    batch: number,
    inPlanes: number,
    outPlanes: number,
    outH: number,
    rowLength: number,
    paddedH: number,
    paddedW: number,
    fh: number,
    fw: number,
  ): void;
  /**
   * NHWC → zero-bordered planes: `dst[n, c, top + h, left + w] = src[n, h, w, c]`
   * (`dst` `[N, C, Hp, Wp]`, zeroed by the caller; `top + H ≤ Hp`, `left + W ≤ Wp`).
   */
  toPlanes(
    src: number,
    dst: number,
    batch: number,
    height: number,
    width: number,
    channels: number,
    paddedH: number,
    paddedW: number,
    top: number,
    left: number,
  ): void;
  /** Planes with rows of `Wq ≥ W` floats → NHWC: `dst[n, h, w, c] = src[n, c, h, w]`. */
  fromPlanes(
    src: number,
    dst: number,
    batch: number,
    height: number,
    width: number,
    channels: number,
    rowLength: number,
  ): void;
  /**
   * One PGD-L∞ update: `out = clip_[lo,hi](x0 + min(max(xAdv + α_b·sign(g) − x0, −ε_b), ε_b))`
   * (`clip` 0 skips the clip), `[batch, perSample]` float32 tensors, `α`, `ε` `[batch]`;
   * bit-equal to the cpu composition `sign`, `mul`, `add`, `sub`, `maximum`, `minimum`, `add`, `clipByValue`.
   */
  pgdLinfStep(
    xAdv: number,
    gradient: number,
    x0: number,
    stepSize: number,
    epsilon: number,
    out: number,
    batch: number,
    perSample: number,
    clip: number,
    lo: number,
    hi: number,
  ): void;
  /**
   * One Adam step on `n` floats (`value`, `m`, `v`, `g` in; `outValue`,
   * `outM`, `outV` out), bit-equal to tfjs's `AdamOptimizer` composition on
   * the cpu backend: `m' = m·β₁ + g·(1−β₁)`, `v' = v·β₂ + g²·(1−β₂)`,
   * `value' = ((m'/c₁) / (√(v'/c₂) + ε))·(−lr) + value` (`c₁ = 1 − β₁ᵗ`, `c₂ = 1 − β₂ᵗ`).
   */
  adamUpdate(
    value: number,
    m: number,
    v: number,
    g: number,
    outValue: number,
    outM: number,
    outV: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    biasCorrection1: number,
    biasCorrection2: number,
    epsilon: number,
    negativeLearningRate: number,
  ): void;
  /**
   * Stride-1 convolution filter gradient on channel planes, summed in float32
   * over the images `n0 ≤ n < n1`: `out[o, c, a, b] = Σ_{n,i,j} P[n, c, i + a, j + b] · D[n, o, i, j]`,
   * `P` `[N, C, Hp, Wp]` (zero-bordered input), `D` `[N, O, outH, outW]`,
   * `out` `[O, C, fh, fw]`; taps 5 at a time, so `Hp ≥ outH + fh − 1`, `Wp ≥ outW + 5·⌈fw/5⌉ − 1`.
   */
  planarFilterGradient5(
    planes: number,
    gradientPlanes: number,
    out: number,
    n0: number,
    n1: number,
    inPlanes: number,
    outPlanes: number,
    outH: number,
    outW: number,
    paddedH: number,
    paddedW: number,
    fh: number,
    fw: number,
  ): void;
  /** {@link HeapSimd.planarFilterGradient5} with taps 3 at a time (3×3 filters): `Wp ≥ outW + 3·⌈fw/3⌉ − 1`. */
  planarFilterGradient3(
    planes: number,
    gradientPlanes: number,
    out: number,
    n0: number,
    n1: number,
    inPlanes: number,
    outPlanes: number,
    outH: number,
    outW: number,
    paddedH: number,
    paddedW: number,
    fh: number,
    fw: number,
  ): void;
}

const MODULE_BASE64 = {
  shared:
    'AGFzbQEAAAABZgdgC39/f39/f39/f39/AGAHf39/f39/fwBgDX9/f39/f39/f39/f38AYAx/f39/f39/f39/f38AYAp/f39/f39/f39/AGALf39/f39/f39/fX0AYBB/f39/f39/f319fX19fX19AAISAQNlbnYGbWVtb3J5AgMBgIAEAwsKAAECAwQBBQYCAgeoAQoLbWF4UG9vbEdyYWQAAA9hY2N1bXVsYXRlT3V0ZXIAAQ9iYW5kZWRTZXBhcmFibGUAAg9wbGFuYXJDb3JyZWxhdGUAAwh0b1BsYW5lcwAECmZyb21QbGFuZXMABQtwZ2RMaW5mU3RlcAAGCmFkYW1VcGRhdGUABxVwbGFuYXJGaWx0ZXJHcmFkaWVudDUACBVwbGFuYXJGaWx0ZXJHcmFkaWVudDMACQr7LgqlBQUJfwV7An0BfwF9QQAhCwJAA0AgCyADTg0BQQAhDAJAA0AgDCAHTg0BQQAhDQJAA0AgDSAITg0BIAsgBGwgDCAJbGogBWwgDSAKbGogBmwhESALIAdsIAxqIAhsIA1qIAZsIRJBACEOAkADQCAOQQRqIAZKDQFDAACA//0TIRZBf/0RIRdBACETQQAhDwJAA0AgDyAJTg0BQQAhEAJAA0AgECAKTg0BIAAgESAPIAVsIBBqIAZsaiAOakECdGr9AAQAIRQgFCAW/UQhFSAUIBYgFf1SIRYgE/0RIBcgFf1SIRcgE0EBaiETIBBBAWohEAwACwsgD0EBaiEPDAALCyABIBIgDmpBAnRq/QAEACEYQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASACIBEgDyAFbCAQaiAGbGogDmpBAnRqIBggFyAT/RH9N/1O/QsEACATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIA5BBGohDgwACwsCQANAIA4gBk4NAUMAAID/IRpBfyEbQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASAAIBEgDyAFbCAQaiAGbGogDmpBAnRqKgIAIRkgGSAaXgRAIBkhGiATIRsLIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgASASIA5qQQJ0aioCACEcQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASACIBEgDyAFbCAQaiAGbGogDmpBAnRqIBxDAAAAACATIBtGGzgCACATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIA5BAWohDgwACwsgDUEBaiENDAALCyAMQQFqIQwMAAsLIAtBAWohCwwACwsLtgQCCH8FeyAFQQJ0IQ0gBkECdCEOQQAhCAJAA0AgCCAFTg0BQQAhCQJAA0AgCUEQaiAGSg0BIAAgAyAFbCAIakECdGohCiABIAMgBmwgCWpBAnRqIQsgAiAIIAZsIAlqQQJ0aiEM/QwAAAAAAAAAAAAAAAAAAAAAIRD9DAAAAAAAAAAAAAAAAAAAAAAhEf0MAAAAAAAAAAAAAAAAAAAAACES/QwAAAAAAAAAAAAAAAAAAAAAIRMgAyEHAkADQCAHIARODQEgCioCAP0TIQ8gECAPIAv9AAQA/eYB/eQBIRAgESAPIAv9AAQQ/eYB/eQBIREgEiAPIAv9AAQg/eYB/eQBIRIgEyAPIAv9AAQw/eYB/eQBIRMgCiANaiEKIAsgDmohCyAHQQFqIQcMAAsLIAwgDP0ABAAgEP3kAf0LBAAgDCAM/QAEECAR/eQB/QsEECAMIAz9AAQgIBL95AH9CwQgIAwgDP0ABDAgE/3kAf0LBDAgCUEQaiEJDAALCwJAA0AgCSAGTg0BIAAgAyAFbCAIakECdGohCiABIAMgBmwgCWpBAnRqIQsgAiAIIAZsIAlqQQJ0aiEM/QwAAAAAAAAAAAAAAAAAAAAAIRAgAyEHAkADQCAHIARODQEgCioCAP0TIQ8gECAPIAv9AAQA/eYB/eQBIRAgCiANaiEKIAsgDmohCyAHQQFqIQcMAAsLIAwgDP0ABAAgEP3kAf0LBAAgCUEEaiEJDAALCyAIQQFqIQgMAAsLC6QIAgt/BXsgBSAGbCETIAQgE2whFEEAIQ0CQANAIA0gA04NASAAIA0gFGxBAnRqIRdBACEOAkADQCAOIARODQEgASANIBRsIA4gE2xqQQJ0aiEVQQAhEAJAA0AgEEEQaiATSg0B/QwAAAAAAAAAAAAAAAAAAAAAIRn9DAAAAAAAAAAAAAAAAAAAAAAhGv0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRxBACERAkADQCARIAlODQEgDiAJbCARakECdCESIAggEmoqAgD9EyEYIBcgByASaigCACATbCAQakECdGohFiAZIBggFv0ABAD95gH95AEhGSAaIBggFv0ABBD95gH95AEhGiAbIBggFv0ABCD95gH95AEhGyAcIBggFv0ABDD95gH95AEhHCARQQFqIREMAAsLIBUgGf0LBAAgFSAa/QsEECAVIBv9CwQgIBUgHP0LBDAgFUHAAGohFSAQQRBqIRAMAAsLAkADQCAQIBNODQH9DAAAAAAAAAAAAAAAAAAAAAAhGUEAIRECQANAIBEgCU4NASAOIAlsIBFqQQJ0IRIgCCASaioCAP0TIRggFyAHIBJqKAIAIBNsIBBqQQJ0aiEWIBkgGCAW/QAEAP3mAf3kASEZIBFBAWohEQwACwsgFSAZ/QsEACAVQRBqIRUgEEEEaiEQDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsgAiEVQQAhDQJAA0AgDSADIARsTg0BIAEgDSATbEECdGohF0EAIQ8CQANAIA8gBU4NAUEAIRACQANAIBBBEGogBkoNAf0MAAAAAAAAAAAAAAAAAAAAACEZ/QwAAAAAAAAAAAAAAAAAAAAAIRr9DAAAAAAAAAAAAAAAAAAAAAAhG/0MAAAAAAAAAAAAAAAAAAAAACEcQQAhEQJAA0AgESAMTg0BIA8gDGwgEWpBAnQhEiALIBJqKgIA/RMhGCAXIAogEmooAgAgBmwgEGpBAnRqIRYgGSAYIBb9AAQA/eYB/eQBIRkgGiAYIBb9AAQQ/eYB/eQBIRogGyAYIBb9AAQg/eYB/eQBIRsgHCAYIBb9AAQw/eYB/eQBIRwgEUEBaiERDAALCyAVIBn9CwQAIBUgGv0LBBAgFSAb/QsEICAVIBz9CwQwIBVBwABqIRUgEEEQaiEQDAALCwJAA0AgECAGTg0B/QwAAAAAAAAAAAAAAAAAAAAAIRlBACERAkADQCARIAxODQEgDyAMbCARakECdCESIAsgEmoqAgD9EyEYIBcgCiASaigCACAGbCAQakECdGohFiAZIBggFv0ABAD95gH95AEhGSARQQFqIREMAAsLIBUgGf0LBAAgFUEQaiEVIBBBBGohEAwACwsgD0EBaiEPDAALCyANQQFqIQ0MAAsLC6kHAg5/BXsgCUECdCEZIAggGWwhGCACIRNBACEMAkADQCAMIANODQEgACAMIARsIBhsaiEXQQAhDQJAA0AgDSAFTg0BIAEgDSAEbCAKbCALbEECdGohFkEAIQ4CQANAIA4gBk4NAUEAIQ8CQANAIA9BEGogB0oNAf0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRz9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEeIBYhFUEAIRACQANAIBAgBE4NAUEAIRECQANAIBEgCk4NASAXIBAgGGxqIA4gEWogGWwgD0ECdGpqIRRBACESAkADQCASIAtODQEgFf0JAgAhGiAbIBogFP0ABAD95gH95AEhGyAcIBogFP0ABBD95gH95AEhHCAdIBogFP0ABCD95gH95AEhHSAeIBogFP0ABDD95gH95AEhHiAUQQRqIRQgFUEEaiEVIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLIBMgG/0LBAAgEyAc/QsEECATIB39CwQgIBMgHv0LBDAgE0HAAGohEyAPQRBqIQ8MAAsLAkADQCAPQQhqIAdKDQH9DAAAAAAAAAAAAAAAAAAAAAAhG/0MAAAAAAAAAAAAAAAAAAAAACEcIBYhFUEAIRACQANAIBAgBE4NAUEAIRECQANAIBEgCk4NASAXIBAgGGxqIA4gEWogGWwgD0ECdGpqIRRBACESAkADQCASIAtODQEgFf0JAgAhGiAbIBogFP0ABAD95gH95AEhGyAcIBogFP0ABBD95gH95AEhHCAUQQRqIRQgFUEEaiEVIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLIBMgG/0LBAAgEyAc/QsEECATQSBqIRMgD0EIaiEPDAALCwJAA0AgDyAHTg0B/QwAAAAAAAAAAAAAAAAAAAAAIRsgFiEVQQAhEAJAA0AgECAETg0BQQAhEQJAA0AgESAKTg0BIBcgECAYbGogDiARaiAZbCAPQQJ0amohFEEAIRICQANAIBIgC04NASAbIBX9CQIAIBT9AAQA/eYB/eQBIRsgFEEEaiEUIBVBBGohFSASQQFqIRIMAAsLIBFBAWohEQwACwsgEEEBaiEQDAALCyATIBv9CwQAIBNBEGohEyAPQQRqIQ8MAAsLIA5BAWohDgwACwsgDUEBaiENDAALCyAMQQFqIQwMAAsLC7EBAQd/IAYgB2xBAnQhECAAIQ5BACEKAkADQCAKIAJODQFBACELAkADQCALIANODQFBACEMAkADQCAMIARODQEgASAKIAVsIAZsIAggC2pqIAdsIAkgDGpqQQJ0aiEPQQAhDQJAA0AgDSAFTg0BIA8gDioCADgCACAOQQRqIQ4gDyAQaiEPIA1BAWohDQwACwsgDEEBaiEMDAALCyALQQFqIQsMAAsLIApBAWohCgwACwsLqwEBB38gAyAGbEECdCENIAEhDEEAIQcCQANAIAcgAk4NAUEAIQgCQANAIAggA04NAUEAIQkCQANAIAkgBE4NASAAIAcgBWwgA2wgCGogBmwgCWpBAnRqIQtBACEKAkADQCAKIAVODQEgDCALKgIAOAIAIAxBBGohDCALIA1qIQsgCkEBaiEKDAALCyAJQQFqIQkMAAsLIAhBAWohCAwACwsgB0EBaiEHDAALCwveAwMDfwh7BX0gCf0TIREgCv0TIRJBACENQQAhCwJAA0AgCyAGTg0BIAMgC0ECdGoqAgAhFiAEIAtBAnRqKgIAIRcgFv0TIQ4gF/0TIQ8gD/3hASEQQQAhDAJAA0AgDEEEaiAHSg0BIAEgDWr9AAQAIRMgAiANav0ABAAhFCAAIA1q/QAEACAO/QwAAIA/AACAPwAAgD8AAIA/IBP9DAAAAAAAAAAAAAAAAAAAAAD9RP1O/QwAAIC/AACAvwAAgL8AAIC/IBP9DAAAAAAAAAAAAAAAAAAAAAD9Q/1O/VD95gH95AEhFSAUIBUgFP3lASAQ/ekBIA/96AH95AEhFSAIBEAgEiAVIBUgEv1E/VIhFSARIBUgFSAR/UP9UiEVCyAFIA1qIBX9CwQAIA1BEGohDSAMQQRqIQwMAAsLAkADQCAMIAdODQEgASANaioCACEYIAIgDWoqAgAhGSAAIA1qKgIAIBZDAACAP0MAAIC/QwAAAAAgGEMAAAAAXRsgGEMAAAAAXhuUkiEaIBkgGiAZkyAXjJcgF5aSIRogCARAIAogGiAaIApeGyEaIAkgGiAaIAldGyEaCyAFIA1qIBo4AgAgDUEEaiENIAxBAWohDAwACwsgC0EBaiELDAALCwv0AgMCfwt7A30gCP0TIRIgCf0TIRMgCv0TIRQgC/0TIRUgDP0TIRYgDf0TIRcgDv0TIRggD/0TIRlBACEQQQAhEQJAA0AgEEEEaiAHSg0BIAMgEWr9AAQAIRogASARav0ABAAgEv3mASAaIBP95gH95AEhGyACIBFq/QAEACAU/eYBIBogGv3mASAV/eYB/eQBIRwgBSARaiAb/QsEACAGIBFqIBz9CwQAIAQgEWogGyAW/ecBIBwgF/3nAf3jASAY/eQB/ecBIBn95gEgACARav0ABAD95AH9CwQAIBFBEGohESAQQQRqIRAMAAsLAkADQCAQIAdODQEgAyARaioCACEdIAEgEWoqAgAgCJQgHSAJlJIhHiACIBFqKgIAIAqUIB0gHZQgC5SSIR8gBSARaiAeOAIAIAYgEWogHzgCACAEIBFqIB4gDJUgHyANlZEgDpKVIA+UIAAgEWoqAgCSOAIAIBFBBGohESAQQQFqIRAMAAsLC+wGAw9/BnsGfSAKQQJ0IRggCEECdCEZIAkgGGwhGiAHIBlsIRsgAiEXQQAhDQJAA0AgDSAGTg0BQQAhDgJAA0AgDiAFTg0BQQAhDwJAA0AgDyALTg0BQQAhEAJAA0AgECAMTg0B/QwAAAAAAAAAAAAAAAAAAAAAIR1DAAAAACEj/QwAAAAAAAAAAAAAAAAAAAAAIR5DAAAAACEk/QwAAAAAAAAAAAAAAAAAAAAAIR9DAAAAACEl/QwAAAAAAAAAAAAAAAAAAAAAISBDAAAAACEm/QwAAAAAAAAAAAAAAAAAAAAAISFDAAAAACEnIAMhEQJAA0AgESAETg0BIAAgESAFbCAOaiAabCAPIBhsamohFCABIBEgBmwgDWogG2xqIRVBACESAkADQCASIAdODQFBACETAkADQCATQQRqIAhKDQEgFSATQQJ0av0ABAAhHCAUIBMgEGpBAnRqIRYgHSAW/QAEACAc/eYB/eQBIR0gHiAW/QAEBCAc/eYB/eQBIR4gHyAW/QAECCAc/eYB/eQBIR8gICAW/QAEDCAc/eYB/eQBISAgISAW/QAEECAc/eYB/eQBISEgE0EEaiETDAALCwJAA0AgEyAITg0BIBUgE0ECdGoqAgAhIiAUIBMgEGpBAnRqIRYgIyAWKgIAICKUkiEjICQgFioCBCAilJIhJCAlIBYqAgggIpSSISUgJiAWKgIMICKUkiEmICcgFioCECAilJIhJyATQQFqIRMMAAsLIBQgGGohFCAVIBlqIRUgEkEBaiESDAALCyARQQFqIREMAAsLIBcgHf0fACAd/R8BkiAd/R8CIB39HwOSkiAjkjgCACAQQQFqIAxIBEAgFyAe/R8AIB79HwGSIB79HwIgHv0fA5KSICSSOAIECyAQQQJqIAxIBEAgFyAf/R8AIB/9HwGSIB/9HwIgH/0fA5KSICWSOAIICyAQQQNqIAxIBEAgFyAg/R8AICD9HwGSICD9HwIgIP0fA5KSICaSOAIMCyAQQQRqIAxIBEAgFyAh/R8AICH9HwGSICH9HwIgIf0fA5KSICeSOAIQCyAXQRRqIRcgEEEFaiEQDAALCyACIA0gBWwgDmogC2wgD0EBamogDGxBAnRqIRcgD0EBaiEPDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsLpAUDD38EewR9IApBAnQhGCAIQQJ0IRkgCSAYbCEaIAcgGWwhGyACIRdBACENAkADQCANIAZODQFBACEOAkADQCAOIAVODQFBACEPAkADQCAPIAtODQFBACEQAkADQCAQIAxODQH9DAAAAAAAAAAAAAAAAAAAAAAhHUMAAAAAISH9DAAAAAAAAAAAAAAAAAAAAAAhHkMAAAAAISL9DAAAAAAAAAAAAAAAAAAAAAAhH0MAAAAAISMgAyERAkADQCARIARODQEgACARIAVsIA5qIBpsIA8gGGxqaiEUIAEgESAGbCANaiAbbGohFUEAIRICQANAIBIgB04NAUEAIRMCQANAIBNBBGogCEoNASAVIBNBAnRq/QAEACEcIBQgEyAQakECdGohFiAdIBb9AAQAIBz95gH95AEhHSAeIBb9AAQEIBz95gH95AEhHiAfIBb9AAQIIBz95gH95AEhHyATQQRqIRMMAAsLAkADQCATIAhODQEgFSATQQJ0aioCACEgIBQgEyAQakECdGohFiAhIBYqAgAgIJSSISEgIiAWKgIEICCUkiEiICMgFioCCCAglJIhIyATQQFqIRMMAAsLIBQgGGohFCAVIBlqIRUgEkEBaiESDAALCyARQQFqIREMAAsLIBcgHf0fACAd/R8BkiAd/R8CIB39HwOSkiAhkjgCACAQQQFqIAxIBEAgFyAe/R8AIB79HwGSIB79HwIgHv0fA5KSICKSOAIECyAQQQJqIAxIBEAgFyAf/R8AIB/9HwGSIB/9HwIgH/0fA5KSICOSOAIICyAXQQxqIRcgEEEDaiEQDAALCyACIA0gBWwgDmogC2wgD0EBamogDGxBAnRqIRcgD0EBaiEPDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsL',
  unshared:
    'AGFzbQEAAAABZgdgC39/f39/f39/f39/AGAHf39/f39/fwBgDX9/f39/f39/f39/f38AYAx/f39/f39/f39/f38AYAp/f39/f39/f39/AGALf39/f39/f39/fX0AYBB/f39/f39/f319fX19fX19AAIPAQNlbnYGbWVtb3J5AgABAwsKAAECAwQBBQYCAgeoAQoLbWF4UG9vbEdyYWQAAA9hY2N1bXVsYXRlT3V0ZXIAAQ9iYW5kZWRTZXBhcmFibGUAAg9wbGFuYXJDb3JyZWxhdGUAAwh0b1BsYW5lcwAECmZyb21QbGFuZXMABQtwZ2RMaW5mU3RlcAAGCmFkYW1VcGRhdGUABxVwbGFuYXJGaWx0ZXJHcmFkaWVudDUACBVwbGFuYXJGaWx0ZXJHcmFkaWVudDMACQr7LgqlBQUJfwV7An0BfwF9QQAhCwJAA0AgCyADTg0BQQAhDAJAA0AgDCAHTg0BQQAhDQJAA0AgDSAITg0BIAsgBGwgDCAJbGogBWwgDSAKbGogBmwhESALIAdsIAxqIAhsIA1qIAZsIRJBACEOAkADQCAOQQRqIAZKDQFDAACA//0TIRZBf/0RIRdBACETQQAhDwJAA0AgDyAJTg0BQQAhEAJAA0AgECAKTg0BIAAgESAPIAVsIBBqIAZsaiAOakECdGr9AAQAIRQgFCAW/UQhFSAUIBYgFf1SIRYgE/0RIBcgFf1SIRcgE0EBaiETIBBBAWohEAwACwsgD0EBaiEPDAALCyABIBIgDmpBAnRq/QAEACEYQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASACIBEgDyAFbCAQaiAGbGogDmpBAnRqIBggFyAT/RH9N/1O/QsEACATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIA5BBGohDgwACwsCQANAIA4gBk4NAUMAAID/IRpBfyEbQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASAAIBEgDyAFbCAQaiAGbGogDmpBAnRqKgIAIRkgGSAaXgRAIBkhGiATIRsLIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgASASIA5qQQJ0aioCACEcQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASACIBEgDyAFbCAQaiAGbGogDmpBAnRqIBxDAAAAACATIBtGGzgCACATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIA5BAWohDgwACwsgDUEBaiENDAALCyAMQQFqIQwMAAsLIAtBAWohCwwACwsLtgQCCH8FeyAFQQJ0IQ0gBkECdCEOQQAhCAJAA0AgCCAFTg0BQQAhCQJAA0AgCUEQaiAGSg0BIAAgAyAFbCAIakECdGohCiABIAMgBmwgCWpBAnRqIQsgAiAIIAZsIAlqQQJ0aiEM/QwAAAAAAAAAAAAAAAAAAAAAIRD9DAAAAAAAAAAAAAAAAAAAAAAhEf0MAAAAAAAAAAAAAAAAAAAAACES/QwAAAAAAAAAAAAAAAAAAAAAIRMgAyEHAkADQCAHIARODQEgCioCAP0TIQ8gECAPIAv9AAQA/eYB/eQBIRAgESAPIAv9AAQQ/eYB/eQBIREgEiAPIAv9AAQg/eYB/eQBIRIgEyAPIAv9AAQw/eYB/eQBIRMgCiANaiEKIAsgDmohCyAHQQFqIQcMAAsLIAwgDP0ABAAgEP3kAf0LBAAgDCAM/QAEECAR/eQB/QsEECAMIAz9AAQgIBL95AH9CwQgIAwgDP0ABDAgE/3kAf0LBDAgCUEQaiEJDAALCwJAA0AgCSAGTg0BIAAgAyAFbCAIakECdGohCiABIAMgBmwgCWpBAnRqIQsgAiAIIAZsIAlqQQJ0aiEM/QwAAAAAAAAAAAAAAAAAAAAAIRAgAyEHAkADQCAHIARODQEgCioCAP0TIQ8gECAPIAv9AAQA/eYB/eQBIRAgCiANaiEKIAsgDmohCyAHQQFqIQcMAAsLIAwgDP0ABAAgEP3kAf0LBAAgCUEEaiEJDAALCyAIQQFqIQgMAAsLC6QIAgt/BXsgBSAGbCETIAQgE2whFEEAIQ0CQANAIA0gA04NASAAIA0gFGxBAnRqIRdBACEOAkADQCAOIARODQEgASANIBRsIA4gE2xqQQJ0aiEVQQAhEAJAA0AgEEEQaiATSg0B/QwAAAAAAAAAAAAAAAAAAAAAIRn9DAAAAAAAAAAAAAAAAAAAAAAhGv0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRxBACERAkADQCARIAlODQEgDiAJbCARakECdCESIAggEmoqAgD9EyEYIBcgByASaigCACATbCAQakECdGohFiAZIBggFv0ABAD95gH95AEhGSAaIBggFv0ABBD95gH95AEhGiAbIBggFv0ABCD95gH95AEhGyAcIBggFv0ABDD95gH95AEhHCARQQFqIREMAAsLIBUgGf0LBAAgFSAa/QsEECAVIBv9CwQgIBUgHP0LBDAgFUHAAGohFSAQQRBqIRAMAAsLAkADQCAQIBNODQH9DAAAAAAAAAAAAAAAAAAAAAAhGUEAIRECQANAIBEgCU4NASAOIAlsIBFqQQJ0IRIgCCASaioCAP0TIRggFyAHIBJqKAIAIBNsIBBqQQJ0aiEWIBkgGCAW/QAEAP3mAf3kASEZIBFBAWohEQwACwsgFSAZ/QsEACAVQRBqIRUgEEEEaiEQDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsgAiEVQQAhDQJAA0AgDSADIARsTg0BIAEgDSATbEECdGohF0EAIQ8CQANAIA8gBU4NAUEAIRACQANAIBBBEGogBkoNAf0MAAAAAAAAAAAAAAAAAAAAACEZ/QwAAAAAAAAAAAAAAAAAAAAAIRr9DAAAAAAAAAAAAAAAAAAAAAAhG/0MAAAAAAAAAAAAAAAAAAAAACEcQQAhEQJAA0AgESAMTg0BIA8gDGwgEWpBAnQhEiALIBJqKgIA/RMhGCAXIAogEmooAgAgBmwgEGpBAnRqIRYgGSAYIBb9AAQA/eYB/eQBIRkgGiAYIBb9AAQQ/eYB/eQBIRogGyAYIBb9AAQg/eYB/eQBIRsgHCAYIBb9AAQw/eYB/eQBIRwgEUEBaiERDAALCyAVIBn9CwQAIBUgGv0LBBAgFSAb/QsEICAVIBz9CwQwIBVBwABqIRUgEEEQaiEQDAALCwJAA0AgECAGTg0B/QwAAAAAAAAAAAAAAAAAAAAAIRlBACERAkADQCARIAxODQEgDyAMbCARakECdCESIAsgEmoqAgD9EyEYIBcgCiASaigCACAGbCAQakECdGohFiAZIBggFv0ABAD95gH95AEhGSARQQFqIREMAAsLIBUgGf0LBAAgFUEQaiEVIBBBBGohEAwACwsgD0EBaiEPDAALCyANQQFqIQ0MAAsLC6kHAg5/BXsgCUECdCEZIAggGWwhGCACIRNBACEMAkADQCAMIANODQEgACAMIARsIBhsaiEXQQAhDQJAA0AgDSAFTg0BIAEgDSAEbCAKbCALbEECdGohFkEAIQ4CQANAIA4gBk4NAUEAIQ8CQANAIA9BEGogB0oNAf0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRz9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEeIBYhFUEAIRACQANAIBAgBE4NAUEAIRECQANAIBEgCk4NASAXIBAgGGxqIA4gEWogGWwgD0ECdGpqIRRBACESAkADQCASIAtODQEgFf0JAgAhGiAbIBogFP0ABAD95gH95AEhGyAcIBogFP0ABBD95gH95AEhHCAdIBogFP0ABCD95gH95AEhHSAeIBogFP0ABDD95gH95AEhHiAUQQRqIRQgFUEEaiEVIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLIBMgG/0LBAAgEyAc/QsEECATIB39CwQgIBMgHv0LBDAgE0HAAGohEyAPQRBqIQ8MAAsLAkADQCAPQQhqIAdKDQH9DAAAAAAAAAAAAAAAAAAAAAAhG/0MAAAAAAAAAAAAAAAAAAAAACEcIBYhFUEAIRACQANAIBAgBE4NAUEAIRECQANAIBEgCk4NASAXIBAgGGxqIA4gEWogGWwgD0ECdGpqIRRBACESAkADQCASIAtODQEgFf0JAgAhGiAbIBogFP0ABAD95gH95AEhGyAcIBogFP0ABBD95gH95AEhHCAUQQRqIRQgFUEEaiEVIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLIBMgG/0LBAAgEyAc/QsEECATQSBqIRMgD0EIaiEPDAALCwJAA0AgDyAHTg0B/QwAAAAAAAAAAAAAAAAAAAAAIRsgFiEVQQAhEAJAA0AgECAETg0BQQAhEQJAA0AgESAKTg0BIBcgECAYbGogDiARaiAZbCAPQQJ0amohFEEAIRICQANAIBIgC04NASAbIBX9CQIAIBT9AAQA/eYB/eQBIRsgFEEEaiEUIBVBBGohFSASQQFqIRIMAAsLIBFBAWohEQwACwsgEEEBaiEQDAALCyATIBv9CwQAIBNBEGohEyAPQQRqIQ8MAAsLIA5BAWohDgwACwsgDUEBaiENDAALCyAMQQFqIQwMAAsLC7EBAQd/IAYgB2xBAnQhECAAIQ5BACEKAkADQCAKIAJODQFBACELAkADQCALIANODQFBACEMAkADQCAMIARODQEgASAKIAVsIAZsIAggC2pqIAdsIAkgDGpqQQJ0aiEPQQAhDQJAA0AgDSAFTg0BIA8gDioCADgCACAOQQRqIQ4gDyAQaiEPIA1BAWohDQwACwsgDEEBaiEMDAALCyALQQFqIQsMAAsLIApBAWohCgwACwsLqwEBB38gAyAGbEECdCENIAEhDEEAIQcCQANAIAcgAk4NAUEAIQgCQANAIAggA04NAUEAIQkCQANAIAkgBE4NASAAIAcgBWwgA2wgCGogBmwgCWpBAnRqIQtBACEKAkADQCAKIAVODQEgDCALKgIAOAIAIAxBBGohDCALIA1qIQsgCkEBaiEKDAALCyAJQQFqIQkMAAsLIAhBAWohCAwACwsgB0EBaiEHDAALCwveAwMDfwh7BX0gCf0TIREgCv0TIRJBACENQQAhCwJAA0AgCyAGTg0BIAMgC0ECdGoqAgAhFiAEIAtBAnRqKgIAIRcgFv0TIQ4gF/0TIQ8gD/3hASEQQQAhDAJAA0AgDEEEaiAHSg0BIAEgDWr9AAQAIRMgAiANav0ABAAhFCAAIA1q/QAEACAO/QwAAIA/AACAPwAAgD8AAIA/IBP9DAAAAAAAAAAAAAAAAAAAAAD9RP1O/QwAAIC/AACAvwAAgL8AAIC/IBP9DAAAAAAAAAAAAAAAAAAAAAD9Q/1O/VD95gH95AEhFSAUIBUgFP3lASAQ/ekBIA/96AH95AEhFSAIBEAgEiAVIBUgEv1E/VIhFSARIBUgFSAR/UP9UiEVCyAFIA1qIBX9CwQAIA1BEGohDSAMQQRqIQwMAAsLAkADQCAMIAdODQEgASANaioCACEYIAIgDWoqAgAhGSAAIA1qKgIAIBZDAACAP0MAAIC/QwAAAAAgGEMAAAAAXRsgGEMAAAAAXhuUkiEaIBkgGiAZkyAXjJcgF5aSIRogCARAIAogGiAaIApeGyEaIAkgGiAaIAldGyEaCyAFIA1qIBo4AgAgDUEEaiENIAxBAWohDAwACwsgC0EBaiELDAALCwv0AgMCfwt7A30gCP0TIRIgCf0TIRMgCv0TIRQgC/0TIRUgDP0TIRYgDf0TIRcgDv0TIRggD/0TIRlBACEQQQAhEQJAA0AgEEEEaiAHSg0BIAMgEWr9AAQAIRogASARav0ABAAgEv3mASAaIBP95gH95AEhGyACIBFq/QAEACAU/eYBIBogGv3mASAV/eYB/eQBIRwgBSARaiAb/QsEACAGIBFqIBz9CwQAIAQgEWogGyAW/ecBIBwgF/3nAf3jASAY/eQB/ecBIBn95gEgACARav0ABAD95AH9CwQAIBFBEGohESAQQQRqIRAMAAsLAkADQCAQIAdODQEgAyARaioCACEdIAEgEWoqAgAgCJQgHSAJlJIhHiACIBFqKgIAIAqUIB0gHZQgC5SSIR8gBSARaiAeOAIAIAYgEWogHzgCACAEIBFqIB4gDJUgHyANlZEgDpKVIA+UIAAgEWoqAgCSOAIAIBFBBGohESAQQQFqIRAMAAsLC+wGAw9/BnsGfSAKQQJ0IRggCEECdCEZIAkgGGwhGiAHIBlsIRsgAiEXQQAhDQJAA0AgDSAGTg0BQQAhDgJAA0AgDiAFTg0BQQAhDwJAA0AgDyALTg0BQQAhEAJAA0AgECAMTg0B/QwAAAAAAAAAAAAAAAAAAAAAIR1DAAAAACEj/QwAAAAAAAAAAAAAAAAAAAAAIR5DAAAAACEk/QwAAAAAAAAAAAAAAAAAAAAAIR9DAAAAACEl/QwAAAAAAAAAAAAAAAAAAAAAISBDAAAAACEm/QwAAAAAAAAAAAAAAAAAAAAAISFDAAAAACEnIAMhEQJAA0AgESAETg0BIAAgESAFbCAOaiAabCAPIBhsamohFCABIBEgBmwgDWogG2xqIRVBACESAkADQCASIAdODQFBACETAkADQCATQQRqIAhKDQEgFSATQQJ0av0ABAAhHCAUIBMgEGpBAnRqIRYgHSAW/QAEACAc/eYB/eQBIR0gHiAW/QAEBCAc/eYB/eQBIR4gHyAW/QAECCAc/eYB/eQBIR8gICAW/QAEDCAc/eYB/eQBISAgISAW/QAEECAc/eYB/eQBISEgE0EEaiETDAALCwJAA0AgEyAITg0BIBUgE0ECdGoqAgAhIiAUIBMgEGpBAnRqIRYgIyAWKgIAICKUkiEjICQgFioCBCAilJIhJCAlIBYqAgggIpSSISUgJiAWKgIMICKUkiEmICcgFioCECAilJIhJyATQQFqIRMMAAsLIBQgGGohFCAVIBlqIRUgEkEBaiESDAALCyARQQFqIREMAAsLIBcgHf0fACAd/R8BkiAd/R8CIB39HwOSkiAjkjgCACAQQQFqIAxIBEAgFyAe/R8AIB79HwGSIB79HwIgHv0fA5KSICSSOAIECyAQQQJqIAxIBEAgFyAf/R8AIB/9HwGSIB/9HwIgH/0fA5KSICWSOAIICyAQQQNqIAxIBEAgFyAg/R8AICD9HwGSICD9HwIgIP0fA5KSICaSOAIMCyAQQQRqIAxIBEAgFyAh/R8AICH9HwGSICH9HwIgIf0fA5KSICeSOAIQCyAXQRRqIRcgEEEFaiEQDAALCyACIA0gBWwgDmogC2wgD0EBamogDGxBAnRqIRcgD0EBaiEPDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsLpAUDD38EewR9IApBAnQhGCAIQQJ0IRkgCSAYbCEaIAcgGWwhGyACIRdBACENAkADQCANIAZODQFBACEOAkADQCAOIAVODQFBACEPAkADQCAPIAtODQFBACEQAkADQCAQIAxODQH9DAAAAAAAAAAAAAAAAAAAAAAhHUMAAAAAISH9DAAAAAAAAAAAAAAAAAAAAAAhHkMAAAAAISL9DAAAAAAAAAAAAAAAAAAAAAAhH0MAAAAAISMgAyERAkADQCARIARODQEgACARIAVsIA5qIBpsIA8gGGxqaiEUIAEgESAGbCANaiAbbGohFUEAIRICQANAIBIgB04NAUEAIRMCQANAIBNBBGogCEoNASAVIBNBAnRq/QAEACEcIBQgEyAQakECdGohFiAdIBb9AAQAIBz95gH95AEhHSAeIBb9AAQEIBz95gH95AEhHiAfIBb9AAQIIBz95gH95AEhHyATQQRqIRMMAAsLAkADQCATIAhODQEgFSATQQJ0aioCACEgIBQgEyAQakECdGohFiAhIBYqAgAgIJSSISEgIiAWKgIEICCUkiEiICMgFioCCCAglJIhIyATQQFqIRMMAAsLIBQgGGohFCAVIBlqIRUgEkEBaiESDAALCyARQQFqIREMAAsLIBcgHf0fACAd/R8BkiAd/R8CIB39HwOSkiAhkjgCACAQQQFqIAxIBEAgFyAe/R8AIB79HwGSIB79HwIgHv0fA5KSICKSOAIECyAQQQJqIAxIBEAgFyAf/R8AIB/9HwGSIB/9HwIgH/0fA5KSICOSOAIICyAXQQxqIRcgEEEDaiEQDAALCyACIA0gBWwgDmogC2wgD0EBamogDGxBAnRqIRcgD0EBaiEPDAALCyAOQQFqIQ4MAAsLIA1BAWohDQwACwsL',
};

const instances = new WeakMap<WebAssembly.Memory, HeapSimd | null>();

/** The kernels' names, as exported by the module and counted by {@link heapSimdCalls}. */
export type HeapSimdKernel = keyof HeapSimd;

const KERNEL_NAMES: HeapSimdKernel[] = [
  'maxPoolGrad',
  'accumulateOuter',
  'bandedSeparable',
  'planarCorrelate',
  'toPlanes',
  'fromPlanes',
  'pgdLinfStep',
  'adamUpdate',
  'planarFilterGradient5',
  'planarFilterGradient3',
];
const calls = Object.fromEntries(KERNEL_NAMES.map((name) => [name, 0])) as Record<
  HeapSimdKernel,
  number
>;
let fallbackReason: string | null = null;

/**
 * The kernels linked to the backend's heap (the threaded build exposes it as
 * `wasmMemory`, the single-threaded one as `asm.memory`), or null, and the
 * callers run their JavaScript paths. A null is never silent: the first one
 * warns once on `console.warn` and sets {@link heapSimdFallbackReason}, so a
 * broken `.wat` or an engine without WebAssembly SIMD shows in logs and tests.
 */
export function heapSimd(backend: BackendWasm): HeapSimd | null {
  const module = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    return fallBack(
      'tfjs-backend-wasm exposes no WebAssembly.Memory (neither wasmMemory nor asm.memory); is it 4.22?',
    );
  }
  let kernels = instances.get(memory);
  if (kernels !== undefined) return kernels;
  kernels = linkHeapSimd(memory);
  instances.set(memory, kernels);
  return kernels;
}

/**
 * Instantiates the module (`base64`, default: the embedded build matching
 * `memory`, shared or not) on `memory`; null, with the one-time warning, when
 * that fails. Exposed for tests, which feed it a broken module.
 */
export function linkHeapSimd(memory: WebAssembly.Memory, base64?: string): HeapSimd | null {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const bytes = decodeBase64(base64 ?? (shared ? MODULE_BASE64.shared : MODULE_BASE64.unshared));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return countingCalls(instance.exports as unknown as HeapSimd);
  } catch (error) {
    return fallBack(
      `heap-simd.wat did not instantiate (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Why trustgrad's SIMD kernels fell back to JavaScript (the first failure in
 * this process), or null while they never did.
 */
export function heapSimdFallbackReason(): string | null {
  return fallbackReason;
}

/** How often each SIMD kernel ran in this process (a test checks the fast paths are taken). */
export function heapSimdCalls(): Readonly<Record<HeapSimdKernel, number>> {
  return { ...calls };
}

function fallBack(reason: string): null {
  if (fallbackReason === null) {
    fallbackReason = reason;
    console.warn(
      `[trustgrad] SIMD training kernels unavailable, the slower JavaScript paths run instead: ${reason}`,
    );
  }
  return null;
}

function countingCalls(exports: HeapSimd): HeapSimd {
  const wrapped = {} as Record<HeapSimdKernel, (...args: number[]) => void>;
  for (const name of KERNEL_NAMES) {
    const kernel = exports[name] as (...args: number[]) => void;
    wrapped[name] = (...args: number[]) => {
      calls[name]++;
      kernel(...args);
    };
  }
  return wrapped as unknown as HeapSimd;
}

/** Base64 → bytes with `atob` (browsers, Node ≥ 16), not Node's `Buffer`, so bundles for browsers keep SIMD. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Byte address of a tensor's data on the wasm heap. */
export function heapAddress(backend: BackendWasm, dataId: object): number {
  // has() first: get() of an unknown id asks the engine to move the data and throws a TypeError.
  const data = backend.dataIdMap.has(dataId) ? backend.dataIdMap.get(dataId) : undefined;
  if (!data) {
    throw new BackendUnavailableError(
      'trustgrad wasm kernel: a tensor’s data is not on the wasm backend (disposed, or made on another backend); pass tensors of the active wasm backend, created after tf.setBackend("wasm")',
    );
  }
  return data.memoryOffset;
}
