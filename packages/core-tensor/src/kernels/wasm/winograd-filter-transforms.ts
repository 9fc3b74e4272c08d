/**
 * The filter-side transforms of Winograd F(2×2, 3×3) and F(4×4, 3×3)
 * (`scripts/conv-winograd-wat.mjs`), on plain arrays: `U = G g Gᵀ` before a forward
 * convolution (either tile) and `dg = Gᵀ Ũ G` after a filter gradient summed in the
 * transformed domain (either tile), with F(2×2, 3×3)'s
 * `G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]`, in JavaScript's float64 arithmetic, rounded
 * once to float32 on store. The wasm path runs `U = G g Gᵀ` as the conv-fma module's
 * `winogradFilterTransform` (`scripts/winograd-filter-wat.mjs`), the same operations in the
 * same order: {@link winogradFilter} is its reference in the tests. `dg` stays here.
 *
 * The filters' 9 taps and 16 or 36 transformed values each lie a whole `[C, O]`
 * plane apart, 4–16 KiB for ResNet-20: reading or writing them filter by
 * filter puts them all in one L1 set (the gradient's transform took 2.8 ms on
 * 64 × 64 channels). So the taps are first gathered plane by plane into a
 * filter-major buffer, transformed there, and scattered back plane by plane.
 */

let buffer = new Float64Array(0);

/** A module-level float64 buffer of at least `size` values (grown, never shrunk). */
function scratch(size: number): Float64Array {
  if (buffer.length < size) buffer = new Float64Array(size);
  return buffer;
}

/** `[x0, x1, x2] Gᵀ` into `out[at…at + 3]`. */
function gTimes(out: Float64Array, at: number, x0: number, x1: number, x2: number): void {
  out[at] = x0;
  out[at + 1] = 0.5 * (x0 + x1 + x2);
  out[at + 2] = 0.5 * (x0 - x1 + x2);
  out[at + 3] = x2;
}

/** `[u0, u1, u2, u3] G` into `out[at…at + 2]`. */
function gTransposeTimes(
  out: Float64Array,
  at: number,
  u0: number,
  u1: number,
  u2: number,
  u3: number,
): void {
  const half = 0.5 * (u1 + u2);
  out[at] = u0 + half;
  out[at + 1] = 0.5 * (u1 - u2);
  out[at + 2] = half + u3;
}

/** The output tile of a Winograd algorithm: 2 for F(2×2, 3×3), 4 for F(4×4, 3×3). */
export type WinogradTile = 2 | 4;

/** The transformed planes of a filter for `tile`: 16 or 36. */
export const winogradPlanes = (tile: WinogradTile) => (tile + 2) * (tile + 2);

/**
 * `[x0, x1, x2] Gᵀ` of F(4×4, 3×3) into `out[at…at + 5]`, with
 * `G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]`.
 */
function g4Times(out: Float64Array, at: number, x0: number, x1: number, x2: number): void {
  const even = x0 + x2;
  const quarter = x0 / 24 + x2 / 6;
  out[at] = x0 / 4;
  out[at + 1] = -(even + x1) / 6;
  out[at + 2] = -(even - x1) / 6;
  out[at + 3] = quarter + x1 / 12;
  out[at + 4] = quarter - x1 / 12;
  out[at + 5] = x2;
}

/**
 * `[u0, …, u5] G` of F(4×4, 3×3) into `out[at…at + 2]` (G's columns
 * `[¼ −⅙ −⅙ 1/24 1/24 0]`, `[0 −⅙ ⅙ 1/12 −1/12 0]`, `[0 −⅙ −⅙ ⅙ ⅙ 1]`).
 */
function g4TransposeTimes(
  out: Float64Array,
  u: Float64Array,
  at: number,
  from: number,
  step: number,
): void {
  const [u0, u1, u2, u3, u4, u5] = [
    u[from],
    u[from + step],
    u[from + 2 * step],
    u[from + 3 * step],
    u[from + 4 * step],
    u[from + 5 * step],
  ];
  const s12 = u1 + u2;
  const s34 = u3 + u4;
  out[at] = u0 / 4 - s12 / 6 + s34 / 24;
  out[at + 1] = (u2 - u1) / 6 + (u3 - u4) / 12;
  out[at + 2] = (s34 - s12) / 6 + u5;
}

/** `G g Gᵀ` of F(2×2, 3×3) for the 3×3 filter at `work[g…g + 8]`, into `work[out…out + 15]`. */
function transform2x2(work: Float64Array, g: number, out: number, rows: Float64Array): void {
  // G g, one column b at a time: rows g0, ½(g0 + g1 + g2), ½(g0 − g1 + g2), g2.
  for (let b = 0; b < 3; b++) {
    const [g0, g1, g2] = [work[g + b], work[g + 3 + b], work[g + 6 + b]];
    rows[b] = g0;
    rows[3 + b] = 0.5 * (g0 + g1 + g2);
    rows[6 + b] = 0.5 * (g0 - g1 + g2);
    rows[9 + b] = g2;
  }
  for (let row = 0; row < 4; row++) {
    gTimes(work, out + 4 * row, rows[3 * row], rows[3 * row + 1], rows[3 * row + 2]);
  }
}

/** `G g Gᵀ` of F(4×4, 3×3) for the 3×3 filter at `work[g…g + 8]`, into `work[out…out + 35]`. */
function transform4x4(work: Float64Array, g: number, out: number, columns: Float64Array): void {
  // G g, column b into columns[6b…6b + 5]; then each of its 6 rows times Gᵀ.
  for (let b = 0; b < 3; b++)
    g4Times(columns, 6 * b, work[g + b], work[g + 3 + b], work[g + 6 + b]);
  for (let row = 0; row < 6; row++) {
    g4Times(work, out + 6 * row, columns[row], columns[6 + row], columns[12 + row]);
  }
}

/**
 * `U[p, i, o] = (G g_{i,o} Gᵀ)[p]` for each of the `inC × outC` 3×3 filters, with
 * `g_{i,o}[a, b]` at `source[tap(a, b) + i·inStride + o·outStride]`; `U` is written
 * `[planes, targetInC, outC]` at `target` (float32; 16 planes for `tile` 2, 36 for 4), its
 * rows `inC ≤ i < targetInC` zero (the kernels' input channels rounded up to 4). The
 * reference that `winogradFilterTransform` (conv-fma) equals bit for bit.
 */
export function winogradFilter(
  source: Float32Array,
  target: Float32Array,
  targetOffset: number,
  inC: number,
  outC: number,
  tap: (a: number, b: number) => number,
  inStride: number,
  outStride: number,
  targetInC = inC,
  tile: WinogradTile = 2,
): void {
  const filters = inC * outC;
  const targetPlane = targetInC * outC;
  const planes = winogradPlanes(tile);
  const work = scratch((9 + planes) * filters);
  // Gather: work[f·9 + t] = tap t of filter f = i·outC + o.
  for (let t = 0; t < 9; t++) {
    const base = tap(Math.floor(t / 3), t % 3);
    for (let i = 0; i < inC; i++) {
      for (let o = 0; o < outC; o++) {
        work[(i * outC + o) * 9 + t] = source[base + i * inStride + o * outStride];
      }
    }
  }
  // Transform: work[9·filters + f·planes + p].
  const partial = new Float64Array(18);
  const transform = tile === 2 ? transform2x2 : transform4x4;
  for (let f = 0; f < filters; f++) transform(work, f * 9, 9 * filters + f * planes, partial);
  // Scatter plane by plane.
  for (let p = 0; p < planes; p++) {
    const to = targetOffset + p * targetPlane;
    for (let f = 0; f < filters; f++) target[to + f] = work[9 * filters + f * planes + p];
    target.fill(0, to + filters, to + targetPlane);
  }
}

/**
 * `dw[a, b, c, o] = (Gᵀ Ũ_{c,o} G)[a, b]` from `Ũ` `[planes, sourceC, O]` at `sourceOffset`
 * (its first `C` rows; 16 planes for `tile` 2, 36 for 4), written `[3, 3, C, O]` at
 * `targetOffset` (the filter gradient's layout).
 */
export function winogradFilterGradientBack(
  source: Float32Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  C: number,
  O: number,
  sourceC = C,
  tile: WinogradTile = 2,
): void {
  const filters = C * O;
  const planes = winogradPlanes(tile);
  const work = scratch((planes + 9) * filters);
  // Gather: work[f·planes + p].
  for (let p = 0; p < planes; p++) {
    const from = sourceOffset + p * sourceC * O;
    for (let f = 0; f < filters; f++) work[f * planes + p] = source[from + f];
  }
  // Transform: work[planes·filters + f·9 + 3a + b].
  const rows = new Float64Array(18);
  for (let f = 0; f < filters; f++) {
    const u = f * planes;
    const out = planes * filters + f * 9;
    if (tile === 2) {
      // Gᵀ Ũ down each column j: 3 rows, stored rows[3j + a].
      for (let j = 0; j < 4; j++) {
        gTransposeTimes(
          rows,
          3 * j,
          work[u + j],
          work[u + 4 + j],
          work[u + 8 + j],
          work[u + 12 + j],
        );
      }
      // Then · G across each row a.
      for (let a = 0; a < 3; a++) {
        gTransposeTimes(work, out + 3 * a, rows[a], rows[3 + a], rows[6 + a], rows[9 + a]);
      }
    } else {
      // Gᵀ Ũ down each of the six columns j (values 6 apart), rows[3j + a]; then · G across each row a.
      for (let j = 0; j < 6; j++) g4TransposeTimes(rows, work, 3 * j, u + j, 6);
      for (let a = 0; a < 3; a++) g4TransposeTimes(work, rows, out + 3 * a, a, 3);
    }
  }
  // Scatter plane by plane.
  for (let t = 0; t < 9; t++) {
    const to = targetOffset + t * filters;
    for (let f = 0; f < filters; f++) target[to + f] = work[planes * filters + f * 9 + t];
  }
}
