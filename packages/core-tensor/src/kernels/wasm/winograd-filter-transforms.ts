/**
 * The filter-side transforms of Winograd F(2×2, 3×3) (`scripts/conv-winograd-wat.mjs`),
 * on plain arrays: `U = G g Gᵀ` before a forward convolution and `dg = Gᵀ Ũ G`
 * after a filter gradient summed in the transformed domain, with
 * `G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]`. Both are per call and touch each filter
 * tap a few times (64 × 64 channels: ~4 k filters), so JavaScript's float64
 * arithmetic does them, rounded once to float32 on store.
 */

/** `G · [r0, r1, r2]` for one column of a 3-row operand: the 4 transformed rows. */
function gTimes(r0: number, r1: number, r2: number, out: Float64Array, at: number): void {
  out[at] = r0;
  out[at + 1] = 0.5 * (r0 + r1 + r2);
  out[at + 2] = 0.5 * (r0 - r1 + r2);
  out[at + 3] = r2;
}

/**
 * `U[p, i, o] = (G g_{i,o} Gᵀ)[p]` for each of the `inC × outC` 3×3 filters, where
 * `tap(a, b, i, o)` is the index in `source` of `g_{i,o}[a, b]`; `U` is written
 * `[16, inC, outC]` at `target` (float32).
 */
export function winogradFilter(
  source: Float32Array,
  target: Float32Array,
  targetOffset: number,
  inC: number,
  outC: number,
  tap: (a: number, b: number, i: number, o: number) => number,
): void {
  const columns = new Float64Array(12); // (G g)[row, b], 4 rows × 3 columns, column-major
  const transformed = new Float64Array(4);
  const plane = inC * outC;
  for (let i = 0; i < inC; i++) {
    for (let o = 0; o < outC; o++) {
      for (let b = 0; b < 3; b++) {
        gTimes(
          source[tap(0, b, i, o)],
          source[tap(1, b, i, o)],
          source[tap(2, b, i, o)],
          columns,
          4 * b,
        );
      }
      const at = targetOffset + i * outC + o;
      for (let row = 0; row < 4; row++) {
        gTimes(columns[row], columns[4 + row], columns[8 + row], transformed, 0);
        for (let column = 0; column < 4; column++) {
          target[at + (4 * row + column) * plane] = transformed[column];
        }
      }
    }
  }
}

/** `Gᵀ · [u0, u1, u2, u3]`: the 3 rows back. */
function gTransposeTimes(u0: number, u1: number, u2: number, u3: number, out: Float64Array): void {
  out[0] = u0 + 0.5 * (u1 + u2);
  out[1] = 0.5 * (u1 - u2);
  out[2] = 0.5 * (u1 + u2) + u3;
}

/**
 * `dw[a, b, c, o] = (Gᵀ Ũ_{c,o} G)[a, b]` from `Ũ` `[16, C, O]` at `sourceOffset`,
 * written `[3, 3, C, O]` at `targetOffset` (the filter gradient's layout).
 */
export function winogradFilterGradientBack(
  source: Float32Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  C: number,
  O: number,
): void {
  const plane = C * O;
  const rows = new Float64Array(12); // (Gᵀ Ũ)[a, column], 3 rows × 4 columns, column-major
  const back = new Float64Array(3);
  for (let k = 0; k < plane; k++) {
    const u = (p: number) => source[sourceOffset + p * plane + k];
    for (let column = 0; column < 4; column++) {
      gTransposeTimes(u(column), u(4 + column), u(8 + column), u(12 + column), back);
      rows[3 * column] = back[0];
      rows[3 * column + 1] = back[1];
      rows[3 * column + 2] = back[2];
    }
    for (let a = 0; a < 3; a++) {
      gTransposeTimes(rows[a], rows[3 + a], rows[6 + a], rows[9 + a], back);
      for (let b = 0; b < 3; b++) target[targetOffset + (3 * a + b) * plane + k] = back[b];
    }
  }
}
