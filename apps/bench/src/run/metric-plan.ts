import type { AnyMetric } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { explanationConsistencyAttack } from './attack-settings';

/**
 * Metrics that need no explanation but cost many passes per image (finite
 * differences, power iteration), so they run on the stability subset too.
 */
const COSTLY_MODEL_METRICS = new Set(['curvature', 'hessianEigenvalue']);

/** How the bench runs one metric. */
export interface MetricPlan {
  /** Needs no explanation: computed once per model and repeated on each explainer's row. */
  perModel: boolean;
  /**
   * Runs on the first `evaluation.stabilitySamples` images: metrics that
   * explain new inputs (`requires` holds `explain`: stability, sensitivity,
   * consistency, …) and the costly model metrics.
   */
  costly: boolean;
}

/** Where and how often the bench computes `metric`, read from what it `requires`. */
export function metricPlan(metric: AnyMetric): MetricPlan {
  const explains = metric.requires.includes('explain');
  const perModel = !explains && !metric.requires.includes('explanations');
  return { perModel, costly: explains || COSTLY_MODEL_METRICS.has(metric.name) };
}

/**
 * The options a metric gets: the bench's run-wide defaults where the metric
 * has such an option, then the config's `metricOptions[name]`, which win.
 * Run-wide defaults: `perturbations` = `evaluation.perturbations`; the
 * explanation-consistency `attack` = {@link explanationConsistencyAttack}
 * (the EC objective's background attack at the evaluation ε and steps; a
 * config cannot give a function, so it is not taken from `metricOptions`).
 */
export function metricOptions(
  config: ExperimentConfig,
  metric: AnyMetric,
  range: readonly [number, number],
): Record<string, unknown> {
  const runWide: Record<string, unknown> = {
    perturbations: config.evaluation.perturbations,
    ...(metric.name === 'explanationConsistency'
      ? { attack: explanationConsistencyAttack(config, range) }
      : {}),
  };
  const defaults = Object.fromEntries(
    Object.entries(runWide).filter(([key]) => Object.hasOwn(metric.defaults, key)),
  );
  return { ...defaults, ...config.metricOptions[metric.name] };
}
