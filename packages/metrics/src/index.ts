/**
 * @packageDocumentation
 * Metrics of saliency maps and models. Every metric is a plugin made by
 * `defineMetric` and kept in `metricRegistry`; `evaluate(ctx)` returns
 * per-sample values, their mean and a bootstrap 95% confidence interval.
 */
import { registerBuiltinMetrics } from './metric/builtin-metrics';

export {
  LOG10_FLOOR,
  defineMetric,
  evaluateMetric,
  metricRegistry,
  type AnyMetric,
  type Metric,
  type MetricResult,
  type MetricSpec,
  type MetricValues,
} from './metric/define-metric';
export type { MetricContext, MetricInput, ResolvedMetricContext } from './metric/metric-context';
export {
  EmptyBatchError,
  MetricUndefinedError,
  MissingMetricInputError,
  NonFiniteExplanationError,
} from './metric/metric-errors';
export { builtinMetrics, registerBuiltinMetrics } from './metric/builtin-metrics';
export {
  bootstrapMeanCi,
  quantile,
  type BootstrapOptions,
  type MeanWithCi,
} from './statistics/bootstrap';
export {
  batchedLogits,
  logitsOf,
  predictClasses,
  representationModel,
  type AttackFn,
  type Explainer,
  type ModelLike,
} from './model/model-like';
export { inputGradient, vanillaGradientExplainer } from './model/input-gradient';
export {
  gaussianPerturbation,
  repeatSamples,
  uniformPerturbation,
  type Perturbation,
} from './perturbation/perturbation';
export { giniIndex, giniSparsity } from './complexity/gini-sparsity';
export {
  groupSparsity,
  topPatchEnergyShare,
  type GroupSparsityOptions,
} from './complexity/group-sparsity';
export {
  relativeInputStability,
  relativeOutputStability,
  relativeRepresentationStability,
  relativeStability,
  type RelativeStabilityOptions,
} from './robustness/relative-stability';
export { avgSensitivity, maxSensitivity, type SensitivityOptions } from './robustness/sensitivity';
export { localLipschitzEstimate, type LocalLipschitzOptions } from './robustness/local-lipschitz';
export { infidelity, squareMasks, type InfidelityOptions } from './faithfulness/infidelity';
export {
  deletionAuc,
  deletionInsertionAuc,
  insertionAuc,
  type DeletionInsertionOptions,
} from './faithfulness/deletion-insertion';
export { pointingGame, type PointingGameOptions } from './localisation/pointing-game';
export { relevanceMassAccuracy } from './localisation/relevance-mass-accuracy';
export { relevanceRankAccuracy } from './localisation/relevance-rank-accuracy';
export type { PixelRelevance } from './internal/pixel-relevance';
export {
  explanationConsistency,
  maskedPgd,
  type BackgroundAttack,
  type ExplanationConsistencyOptions,
} from './consistency/explanation-consistency';
export { mapSimilarity, type MapSimilarity } from './consistency/map-similarity';
export {
  adversarialClassRetrieval,
  type AdversarialClassRetrievalOptions,
} from './adversarial/adversarial-class-retrieval';
export {
  gradientCurvature,
  hessianTopEigenvalue,
  type GradientCurvatureOptions,
  type HessianEigenvalueOptions,
} from './curvature/gradient-curvature';
export { cleanAccuracy, robustAccuracy } from './accuracy/accuracy';

registerBuiltinMetrics();
