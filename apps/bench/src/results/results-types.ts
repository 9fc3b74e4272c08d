/** One row of the results table: a trained variant explained by one explainer (SPEC 4.1). */
export interface ResultRow {
  training: string;
  smoothing: boolean;
  explainer: string;
  /** Metric means, keyed as in the results contract (`cleanAcc`, `gini`, `ris`, …). */
  metrics: Record<string, number>;
  /** 95% bootstrap confidence interval of each metric mean, where one exists. */
  ci?: Record<string, [number, number]>;
  /** log10 of the stability ratios (RIS/ROS/RRS), as the metric reports them. */
  log10?: Record<string, number>;
}

/** `results.json` (SPEC 4.1), plus the run's timing. */
export interface Results {
  preset: string;
  dataset: string;
  backend: string;
  seed: number;
  rows: ResultRow[];
  /** Seconds the run took, per stage. */
  timings?: Record<string, number>;
  /** Findings where a direction the FMS paper expects does not hold. */
  findings?: string[];
}

/** Whether a higher value of each contract metric is better. */
export const HIGHER_IS_BETTER: Record<string, boolean> = {
  cleanAcc: true,
  robustAcc: true,
  gini: true,
  ris: false,
  ros: false,
  rrs: false,
  maxSensitivity: false,
  infidelity: false,
  deletionAuc: false,
  insertionAuc: true,
  pointingGame: true,
  relevanceMass: true,
  curvature: false,
  explanationConsistency: true,
  advClassRetrieval: true,
};

/** The label of a variant as the table shows it: ST, ST+FMS, AT, AT+FMS, NRAT … */
export function variantLabel(training: string, smoothing: boolean): string {
  const short: Record<string, string> = {
    standard: 'ST',
    'pgd-at': 'AT',
    trades: 'TRADES',
    nrat: 'NRAT',
    scaat: 'SCAAT',
    'explanation-consistency': 'EC',
  };
  return `${short[training] ?? training}${smoothing ? '+FMS' : ''}`;
}
