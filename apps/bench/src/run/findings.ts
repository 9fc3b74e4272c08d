import type { ResultRow } from '../results/results-types';

function row(
  rows: ResultRow[],
  training: string,
  smoothing: boolean,
  explainer: string,
): ResultRow | undefined {
  return rows.find(
    (r) => r.training === training && r.smoothing === smoothing && r.explainer === explainer,
  );
}

function overlaps(a?: [number, number], b?: [number, number]): boolean {
  return Boolean(a && b && a[0] <= b[1] && b[0] <= a[1]);
}

const fmt = (v: number | undefined) =>
  v === undefined ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3);

/**
 * Checks the directions the FMS paper expects on every explainer: AT sparser
 * than ST (Gini), AT+FMS as sparse as AT (within the 95% CIs or above), and
 * AT+FMS more stable than AT (lower RIS and ROS). Each check is reported with
 * its numbers, held or not: a direction that does not hold is a finding.
 */
export function checkPaperDirections(rows: ResultRow[]): string[] {
  const findings: string[] = [];
  const explainers = [...new Set(rows.map((r) => r.explainer))];
  for (const explainer of explainers) {
    const st = row(rows, 'standard', false, explainer);
    const at = row(rows, 'pgd-at', false, explainer);
    const atFms = row(rows, 'pgd-at', true, explainer);
    if (st && at && st.metrics.gini !== undefined && at.metrics.gini !== undefined) {
      const held = at.metrics.gini > st.metrics.gini;
      findings.push(
        `${explainer}: AT Gini ${fmt(at.metrics.gini)} ${held ? '>' : '≤'} ST Gini ${fmt(st.metrics.gini)} — expected AT sparser: ${held ? 'holds' : 'DOES NOT hold'}`,
      );
    }
    if (at && atFms && at.metrics.gini !== undefined && atFms.metrics.gini !== undefined) {
      const held = atFms.metrics.gini >= at.metrics.gini || overlaps(atFms.ci?.gini, at.ci?.gini);
      findings.push(
        `${explainer}: AT+FMS Gini ${fmt(atFms.metrics.gini)} vs AT ${fmt(at.metrics.gini)} — expected within noise or above: ${held ? 'holds' : 'DOES NOT hold'}`,
      );
    }
    for (const key of ['ris', 'ros'] as const) {
      if (at && atFms && at.metrics[key] !== undefined && atFms.metrics[key] !== undefined) {
        const held = atFms.metrics[key] < at.metrics[key];
        findings.push(
          `${explainer}: AT+FMS ${key.toUpperCase()} ${fmt(atFms.metrics[key])} ${held ? '<' : '≥'} AT ${fmt(at.metrics[key])} — expected AT+FMS more stable: ${held ? 'holds' : 'DOES NOT hold'}${overlaps(atFms.ci?.[key], at.ci?.[key]) ? ' (the 95% CIs overlap: the difference is within noise)' : ''}`,
        );
      }
    }
  }
  return findings;
}
