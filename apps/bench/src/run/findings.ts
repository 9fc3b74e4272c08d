import { type ResultRow, rowLabel } from '../results/results-types';

function overlaps(a?: [number, number], b?: [number, number]): boolean {
  return Boolean(a && b && a[0] <= b[1] && b[0] <= a[1]);
}

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? 'n/a'
    : Math.abs(v) >= 100
      ? v.toFixed(1)
      : v.toPrecision(3);

const OVERLAP = ' (the 95% CIs overlap: the difference is within noise)';

/** A row's figure for one comparison: its value and 95% CI. */
interface Figure {
  name: string;
  value: number;
  ci?: [number, number];
}

/**
 * ROS as the FMS authors report it when the row has it: log10 of the mean
 * (`extra.ros.log10Mean`), its CI the t-interval over seeds when there are
 * seeds, else the log10 of the bootstrap CI of the mean (log10 is monotone);
 * otherwise the mean ROS itself.
 */
function rosFigure(row: ResultRow): Figure | undefined {
  const value = row.metrics.ros;
  if (value === undefined) return undefined;
  const log10Mean = row.extra?.ros?.log10Mean;
  if (typeof log10Mean !== 'number') return { name: 'ROS', value, ci: row.ci?.ros };
  const seedCi = row.extra?.ros?.log10MeanSeedCi as [number, number] | undefined;
  const ci = row.ci?.ros;
  return {
    name: 'log10 ROS',
    value: log10Mean,
    ci: seedCi ?? (ci && ci[0] > 0 ? [Math.log10(ci[0]), Math.log10(ci[1])] : undefined),
  };
}

const metricFigure =
  (key: string, name: string) =>
  (row: ResultRow): Figure | undefined =>
    row.metrics[key] === undefined
      ? undefined
      : { name, value: row.metrics[key], ci: row.ci?.[key] };

/**
 * Checks the directions the FMS paper expects on every explainer, each
 * reported with its numbers, held or not (a direction that does not hold is a
 * finding): AT sparser than ST (Gini); AT+FMS keeps AT's sparsity (within the
 * 95% CIs or above); AT+FMS more stable than AT — lower RIS, lower ROS
 * (log10 of the mean where the row has it, as the paper reports it), higher
 * SSIM of maps under input noise. Every AT+FMS row (an ε sweep has several)
 * is compared with AT. Across seeds the caller passes the CIs over seeds.
 */
export function checkPaperDirections(rows: ResultRow[]): string[] {
  const findings: string[] = [];
  const explainers = [...new Set(rows.map((r) => r.explainer))];
  for (const explainer of explainers) {
    const of = rows.filter((r) => r.explainer === explainer);
    const st = of.find((r) => r.training === 'standard' && !r.smoothing);
    const at = of.find((r) => r.training === 'pgd-at' && !r.smoothing);
    const atFms = of.filter((r) => r.training === 'pgd-at' && r.smoothing);
    const gini = metricFigure('gini', 'Gini');
    if (st && at) {
      const [a, s] = [gini(at), gini(st)];
      if (a && s) {
        const held = a.value > s.value;
        findings.push(
          `${explainer}: AT Gini ${fmt(a.value)} ${held ? '>' : '≤'} ST Gini ${fmt(s.value)} — expected AT sparser: ${held ? 'holds' : 'DOES NOT hold'}${overlaps(a.ci, s.ci) ? OVERLAP : ''}`,
        );
      }
    }
    if (!at) continue;
    for (const fms of atFms) {
      const label = rowLabel(fms);
      const [f, a] = [gini(fms), gini(at)];
      if (f && a) {
        const held = f.value >= a.value || overlaps(f.ci, a.ci);
        findings.push(
          `${explainer}: ${label} Gini ${fmt(f.value)} vs AT ${fmt(a.value)} — expected within noise or above: ${held ? 'holds' : 'DOES NOT hold'}`,
        );
      }
      const stability: [(r: ResultRow) => Figure | undefined, boolean][] = [
        [metricFigure('ris', 'RIS'), false],
        [rosFigure, false],
        [metricFigure('ssim', 'SSIM'), true],
      ];
      for (const [figure, higher] of stability) {
        const [fv, av] = [figure(fms), figure(at)];
        if (!fv || !av) continue;
        if (!Number.isFinite(fv.value) || !Number.isFinite(av.value)) {
          findings.push(
            `${explainer}: ${label} ${fv.name} ${fmt(fv.value)} vs AT ${fmt(av.value)} — cannot be judged: the metric has no value on ${Number.isFinite(fv.value) ? 'AT' : label} (reason in results.json)`,
          );
          continue;
        }
        const held = higher ? fv.value > av.value : fv.value < av.value;
        const sign = held ? (higher ? '>' : '<') : higher ? '≤' : '≥';
        findings.push(
          `${explainer}: ${label} ${fv.name} ${fmt(fv.value)} ${sign} AT ${fmt(av.value)} — expected AT+FMS more stable: ${held ? 'holds' : 'DOES NOT hold'}${overlaps(fv.ci, av.ci) ? OVERLAP : ''}`,
        );
      }
    }
  }
  return findings;
}
