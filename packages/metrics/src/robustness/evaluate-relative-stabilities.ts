import { InvalidOptionError } from '@trustgrad/core-tensor';
import { type MetricResult, metricResult, prepareMetric } from '../metric/define-metric';
import type { MetricContext } from '../metric/metric-context';
import {
  type RelativeStabilityKind,
  type RelativeStabilityOptions,
  relativeInputStability,
  relativeOutputStability,
  relativeRepresentationStability,
  relativeStabilities,
} from './relative-stability';

/** Results-table names of the three relative stability metrics. */
export type RelativeStabilityName = 'ris' | 'ros' | 'rrs';

const byName = {
  ris: { metric: relativeInputStability, kind: 'input' },
  ros: { metric: relativeOutputStability, kind: 'output' },
  rrs: { metric: relativeRepresentationStability, kind: 'representation' },
} as const satisfies Record<
  RelativeStabilityName,
  { metric: typeof relativeInputStability; kind: RelativeStabilityKind }
>;

const allNames: readonly RelativeStabilityName[] = ['ris', 'ros', 'rrs'];

/**
 * RIS, ROS and RRS (see `relativeStability`) of the same model, explainer and
 * samples in ONE pass: the seeded perturbed copies are drawn once and every
 * copy is explained once (`explain` runs once on the originals and once on
 * their copies per group, a third of the calls of three separate
 * evaluations), then each requested ratio is measured on the shared copies.
 *
 * Each result is exactly what `evaluateMetric(name, ctx, options)` returns
 * (same values, mean, bootstrap CI, `extra` with `log10`, `sampleIndex`,
 * `skipped`, `keptPerturbations`); the same seed gives bit-identical numbers.
 * Every requested metric's inputs are checked before any work: `rrs` without
 * `ctx.representation` fails with `MissingMetricInputError` as `evaluateMetric`
 * does, so pass `['ris', 'ros']` when there is no representation layer.
 *
 * @param options the options of {@link RelativeStabilityOptions}, shared by every kind.
 * @param names which metrics to compute; default all three.
 * @example
 * const { ris, ros } = await evaluateRelativeStabilities({ model, x, explain, seed: 0 }, {}, ['ris', 'ros']);
 */
export async function evaluateRelativeStabilities<
  N extends RelativeStabilityName = RelativeStabilityName,
>(
  ctx: MetricContext,
  options: Partial<RelativeStabilityOptions> = {},
  names: readonly N[] = allNames as readonly N[],
): Promise<Record<N, MetricResult>> {
  const unknown = names.filter((name) => !Object.hasOwn(byName, name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidOptionError(
      `evaluateRelativeStabilities: ${names.length === 0 ? 'no metric names given' : `unknown metric "${unknown[0]}"`}; ` +
        `expected a non-empty list of ${allNames.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  const unique = [...new Set(names)];
  // The checks of every requested metric run before any perturbation is explained.
  const prepared = unique.map((name) => prepareMetric(byName[name].metric, ctx, options));
  const { resolved, options: merged } = prepared[0];
  const computed = await relativeStabilities(
    resolved,
    merged,
    unique.map((name) => byName[name].kind),
  );
  const results = {} as Record<N, MetricResult>;
  unique.forEach((name, i) => {
    results[name] = metricResult(
      byName[name].metric,
      prepared[i].resolved,
      computed[byName[name].kind],
    );
  });
  return results;
}
