import { type AxisOperator, axisOperatorFromMatrix } from '@trustgrad/core-tensor';
import type { SmoothingPadding } from '../options/smoothing-options';

/** How many operators stay cached; the oldest is dropped beyond it. */
const MAX_ENTRIES = 64;
const cache = new Map<string, AxisOperator>();

/**
 * The 1-D smoothing of one axis of `n` pixels with its border rule as one
 * matrix: `A[i][s] = Σ_{t ∈ [-r, r]} g(t) · [pad(i + t) = s]`, where `pad`
 * maps a position outside `[0, n)` to the pixel the padding copies
 * (`'reflect'`: mirror without repeating the edge, `'replicate'`: the edge,
 * `'same'`: none, the zero contributes nothing). The 2-D smoothing is this
 * operator along the height axis and along the width axis. Cached by
 * (taps, padding, n); reflect needs `r < n` (the caller checks).
 *
 * @param taps the normalised 1-D Gaussian, `2r+1` values
 */
export function smoothingAxisOperator(
  taps: number[],
  n: number,
  padding: SmoothingPadding,
): AxisOperator {
  const key = `${taps.join(',')}|${padding}|${n}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = (taps.length - 1) / 2;
  const source = (p: number): number | null => {
    if (p >= 0 && p < n) return p;
    if (padding === 'same') return null;
    if (padding === 'replicate') return p < 0 ? 0 : n - 1;
    return p < 0 ? -p : 2 * (n - 1) - p;
  };
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let t = -r; t <= r; t++) {
      const s = source(i + t);
      if (s !== null) matrix[i][s] += taps[t + r];
    }
  }
  const op = axisOperatorFromMatrix(matrix);
  cache.set(key, op);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return op;
}
