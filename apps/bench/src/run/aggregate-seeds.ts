import type { ResultRow } from '../results/results-types';

/** Two-sided 97.5% quantiles of Student's t for 1..10 degrees of freedom. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** The 97.5% quantile of Student's t with `df` degrees of freedom (table to 10, then Cornish–Fisher's first two terms). */
export function studentT975(df: number): number {
  if (df <= T_975.length) return T_975[df - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df);
}

/** Mean and 95% Student-t confidence interval of the mean of `values` (n ≥ 2): `m ± t₀.₉₇₅,ₙ₋₁ · s/√n`. */
export function meanWithTInterval(values: number[]): { mean: number; ci: [number, number] } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentT975(n - 1) * sd) / Math.sqrt(n);
  return { mean, ci: [mean - half, mean + half] };
}

/**
 * Folds the rows of several seeds (one list per seed, rows in the same order)
 * into one row per variant × explainer: `metrics` and `log10` are means over
 * seeds, `seedCi` the t-interval over the seeds' means, `seedValues` each
 * seed's mean, and `ci` the per-sample bootstrap CI averaged over seeds.
 */
export function aggregateSeeds(perSeed: ResultRow[][]): ResultRow[] {
  return perSeed[0].map((first, r) => {
    const rows = perSeed.map((seedRows) => seedRows[r]);
    const row: ResultRow = {
      ...first,
      metrics: {},
      ci: {},
      seedCi: {},
      seedValues: {},
      log10: {},
    };
    for (const key of Object.keys(first.metrics)) {
      const values = rows.map((x) => x.metrics[key]);
      const { mean, ci } = meanWithTInterval(values);
      row.metrics[key] = mean;
      row.seedCi![key] = ci;
      row.seedValues![key] = values;
      const cis = rows.map((x) => x.ci?.[key]).filter((c): c is [number, number] => Boolean(c));
      if (cis.length === rows.length)
        row.ci![key] = [avg(cis.map((c) => c[0])), avg(cis.map((c) => c[1]))];
      const logs = rows.map((x) => x.log10?.[key]);
      if (logs.every((v) => v !== undefined)) row.log10![key] = avg(logs as number[]);
    }
    if (first.extra) row.extra = foldExtras(rows);
    const sampleCounts = rows.map((x) => x.samples?.measured);
    if (first.samples && sampleCounts.every((c) => c !== undefined))
      row.samples = { ...first.samples, measured: avg(sampleCounts as number[]) };
    return row;
  });
}

/** One σ of SSIM's `extra.bySigma`. */
interface SigmaPoint {
  sigma: number;
  mean: number | null;
  count: number;
}

/**
 * The whole-row figures of each metric's `extra` over seeds: a number (ROS
 * `log10Mean`) becomes its mean over seeds, with `<key>SeedCi` (t-interval)
 * and `<key>SeedValues`; SSIM's `bySigma` becomes, per σ, the mean over the
 * seeds that kept a copy, with `seedCi` and `seedValues` (null where a seed kept none).
 */
function foldExtras(rows: ResultRow[]): NonNullable<ResultRow['extra']> {
  const out: NonNullable<ResultRow['extra']> = {};
  for (const [metric, first] of Object.entries(rows[0].extra ?? {})) {
    const folded: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(first)) {
      const values = rows.map((r) => r.extra?.[metric]?.[key]);
      if (typeof value === 'number' && values.every((v) => typeof v === 'number')) {
        const { mean, ci } = meanWithTInterval(values as number[]);
        folded[key] = mean;
        folded[`${key}SeedCi`] = ci;
        folded[`${key}SeedValues`] = values;
      } else if (key === 'bySigma' && Array.isArray(value)) {
        folded[key] = (value as SigmaPoint[]).map((point, k) => {
          const perSeed = values.map((v) => (v as SigmaPoint[] | undefined)?.[k]?.mean ?? null);
          const valued = perSeed.filter((v): v is number => v !== null);
          const fold = valued.length >= 2 ? meanWithTInterval(valued) : null;
          return {
            sigma: point.sigma,
            mean: fold ? fold.mean : (valued[0] ?? null),
            ...(fold ? { seedCi: fold.ci } : {}),
            seedValues: perSeed,
            count: values.reduce<number>(
              (a, v) => a + ((v as SigmaPoint[] | undefined)?.[k]?.count ?? 0),
              0,
            ),
          };
        });
      }
    }
    out[metric] = folded;
  }
  return out;
}

const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
