/** One row of the results table: a trained variant explained by one explainer (SPEC 4.1). */
export interface ResultRow {
  training: string;
  smoothing: boolean;
  explainer: string;
  /** The variant as the table shows it, options included: `NRAT [structure=group]`. */
  label?: string;
  /** The objective's options the variant set (over the objective's defaults). */
  objectiveOptions?: Record<string, unknown>;
  /** The FMS block when `smoothing` is on: `'gaussian'` (the bare layer) or `'paper'` (the authors' residual block). */
  block?: string;
  /** The FMS block's settings when `smoothing` is on. */
  smoothingOptions?: Record<string, unknown>;
  /** The attacks' radii: `train` (adversarial objectives only) and `eval`. */
  eps?: { train?: number; eval: number };
  /** Evaluated images the explanation metrics ran on: all of them, or those the model classified correctly. */
  samples?: { evaluated: number; measured: number; correctlyClassifiedOnly: boolean };
  /** Per metric, its whole-row figures beside the mean: ROS `log10Mean`, SSIM `bySigma` (per-σ means). */
  extra?: Record<string, Record<string, unknown>>;
  /** The attacks: `train` (adversarial objectives only) and `eval`, each a name and its resolved options. */
  attack?: {
    train?: { name: string; options: Record<string, unknown> };
    eval: { name: string; options: Record<string, unknown> };
  };
  /** Metric means, keyed as in the results contract (`cleanAcc`, `gini`, `ris`, …). */
  metrics: Record<string, number>;
  /** 95% bootstrap confidence interval of each metric mean, where one exists. */
  ci?: Record<string, [number, number]>;
  /** With `seeds`: 95% Student-t confidence interval of the mean over seeds (`ci` is then the per-sample CI averaged over seeds). */
  seedCi?: Record<string, [number, number]>;
  /** With `seeds`: each seed's mean, in the order of `Results.seeds`. */
  seedValues?: Record<string, number[]>;
  /** log10 of the stability ratios (RIS/ROS/RRS), as the metric reports them. */
  log10?: Record<string, number>;
}

/** `results.json` (SPEC 4.1), plus the run's timing. */
export interface Results {
  preset: string;
  dataset: string;
  backend: string;
  seed: number;
  /** The seeds each variant ran with, when the config gave `seeds`. */
  seeds?: number[];
  rows: ResultRow[];
  /** The registered model every variant was built from (`model.name`). */
  model?: string;
  /**
   * The test images measured: `images` drawn from the test split with `seed`
   * (a seeded random draw, so they mix every class), the same for every
   * variant and every seed of `seeds` (a paired comparison: the seeds vary
   * training, not the images); with `correctlyClassifiedOnly` each model's
   * explanation metrics use the ones it classifies correctly (`rows[i].samples`).
   */
  evaluation?: { images: number; seed: number; correctlyClassifiedOnly: boolean };
  /** Seconds the run took, per stage. */
  timings?: Record<string, number>;
  /** Per metric column: its one-line definition (with its reference) and direction, from the registry. */
  metricDefinitions?: Record<string, { description: string; higherIsBetter: boolean }>;
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

/** The label of a row: its own `label`, else the label of its training and smoothing. */
export function rowLabel(row: Pick<ResultRow, 'training' | 'smoothing' | 'label'>): string {
  return row.label ?? variantLabel(row.training, row.smoothing);
}

/** Whether higher is better for a column: the results' own definitions first (plugins), then the contract's. */
export function higherIsBetter(results: Pick<Results, 'metricDefinitions'>, key: string): boolean {
  return results.metricDefinitions?.[key]?.higherIsBetter ?? HIGHER_IS_BETTER[key] ?? true;
}

/**
 * The label of a variant as the table shows it: ST, ST+FMS, AT, AT+FMS, NRAT …,
 * with its objective options when it sets any (`NRAT [structure=group]`), so
 * two rows of one objective stay apart.
 */
export function variantLabel(
  training: string,
  smoothing: boolean,
  options: Record<string, unknown> = {},
): string {
  const short: Record<string, string> = {
    standard: 'ST',
    'pgd-at': 'AT',
    trades: 'TRADES',
    nrat: 'NRAT',
    scaat: 'SCAAT',
    'explanation-consistency': 'EC',
  };
  const set = Object.entries(options).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return `${short[training] ?? training}${smoothing ? '+FMS' : ''}${set.length ? ` [${set.join(', ')}]` : ''}`;
}
