import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * Pearson's r of two equal-length series (scipy's `pearsonr` statistic),
 * in float64: `Σ(a − ā)(b − b̄) / √(Σ(a − ā)² Σ(b − b̄)²)`. A constant series
 * has no defined correlation (scipy: NaN with a warning); it gives 0 here, so
 * a metric stays finite and reads "no association".
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return 0;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** Ranks 1…n with ties given their average rank (scipy's `rankdata(method='average')`). */
export function averageRanks(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i] - a[j]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && a[order[end]] === a[order[start]]) end++;
    const rank = (start + end + 1) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's ρ (scipy's `spearmanr` statistic): {@link pearson} of the
 * average ranks. A constant series gives 0 (scipy: NaN).
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** A correlation of two series by name. */
export type Correlation = 'pearson' | 'spearman';

/** The correlation function named `kind`; fails with `InvalidOptionError` on another name. */
export function correlation(
  kind: Correlation,
  name = 'similarity',
): (a: ArrayLike<number>, b: ArrayLike<number>) => number {
  if (kind !== 'pearson' && kind !== 'spearman') {
    throw new InvalidOptionError(
      `${name} must be 'pearson' or 'spearman', got ${JSON.stringify(kind)}`,
    );
  }
  return kind === 'spearman' ? spearman : pearson;
}
