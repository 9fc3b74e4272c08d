/**
 * Central finite differences of a scalar function of a flat vector, for
 * gradient tests: `∂f/∂v_k ≈ (f(v + εe_k) − f(v − εe_k)) / 2ε` at the given
 * coordinates (all of them by default).
 */
export function centralDifferences(
  f: (values: Float32Array) => number,
  at: Float32Array,
  epsilon: number,
  coordinates: number[] = Array.from({ length: at.length }, (_, k) => k),
): number[] {
  return coordinates.map((k) => {
    const plus = Float32Array.from(at);
    const minus = Float32Array.from(at);
    plus[k] += epsilon;
    minus[k] -= epsilon;
    return (f(plus) - f(minus)) / (2 * epsilon);
  });
}

/** The largest |a_k − b_k| / max(1, |b_k|). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  }
  return worst;
}
