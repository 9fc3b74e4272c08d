/**
 * @packageDocumentation
 * Metrics of saliency maps and models. Every metric is a plugin made by
 * `defineMetric` and kept in `metricRegistry`; `evaluate(ctx)` returns
 * per-sample values, their mean and a bootstrap 95% confidence interval.
 */
export { cleanAccuracy, correctPredictions, robustAccuracy } from './accuracy/accuracy';
export {
  type CorrectlyClassified,
  correctlyClassified,
} from './accuracy/correctly-classified';
export {
  type AdversarialClassRetrievalOptions,
  adversarialClassRetrieval,
} from './adversarial/adversarial-class-retrieval';
export {
  type CompletenessOptions,
  completeness,
  completenessValues,
} from './axiomatic/completeness';
export {
  type InputInvarianceOptions,
  inputInvariance,
  inputInvarianceValues,
} from './axiomatic/input-invariance';
export { attributionEntropy, complexity } from './complexity/complexity-entropy';
export { giniIndex, giniSparsity } from './complexity/gini-sparsity';
export {
  type GroupSparsityOptions,
  groupSparsity,
  topPatchEnergyShare,
} from './complexity/group-sparsity';
export { backgroundMask } from './consistency/background-mask';
export {
  type BackgroundAttack,
  type ExplanationConsistencyOptions,
  explanationConsistency,
} from './consistency/explanation-consistency';
export { MAP_SIMILARITIES, type MapSimilarity, mapSimilarity } from './consistency/map-similarity';
export {
  type GradientCurvatureOptions,
  gradientCurvature,
  type HessianEigenvalueOptions,
  hessianEigenvalue,
} from './curvature/gradient-curvature';
export {
  type DeletionInsertionOptions,
  deletionAuc,
  deletionInsertionAuc,
  insertionAuc,
} from './faithfulness/deletion-insertion';
export {
  type FaithfulnessCorrelationOptions,
  faithfulnessCorrelation,
  faithfulnessCorrelationValues,
} from './faithfulness/faithfulness-correlation';
export { type InfidelityOptions, infidelity, squareMasks } from './faithfulness/infidelity';
export {
  type MonotonicityOptions,
  monotonicity,
  monotonicityValues,
} from './faithfulness/monotonicity';
export {
  type MonotonicityCorrelationOptions,
  monotonicityCorrelation,
  monotonicityCorrelationValues,
} from './faithfulness/monotonicity-correlation';
export {
  type PixelFlippingOptions,
  pixelFlipping,
  pixelFlippingValues,
} from './faithfulness/pixel-flipping';
export { type RoadOptions, roadAopc, roadAopcValues } from './faithfulness/road';
export {
  type SufficiencyOptions,
  sufficiency,
  sufficiencyValues,
} from './faithfulness/sufficiency';
export {
  defineLocalisationMetric,
  type LocalisationMetricSpec,
} from './localisation/define-localisation-metric';
export type { LocalisationSample } from './localisation/ground-truth-mask';
export { type PointingGameOptions, pointingGame } from './localisation/pointing-game';
export { relevanceMass } from './localisation/relevance-mass-accuracy';
export { relevanceRank } from './localisation/relevance-rank-accuracy';
export { builtinMetrics } from './metric/builtin-metrics';
export {
  type AnyMetric,
  defineMetric,
  evaluateMetric,
  LOG10_FLOOR,
  type Metric,
  type MetricResult,
  type MetricSpec,
  type MetricValues,
  metricRegistry,
  metricResult,
  type PreparedMetric,
  prepareMetric,
} from './metric/define-metric';
export type { MetricContext, MetricInput, ResolvedMetricContext } from './metric/metric-context';
export {
  EmptyBatchError,
  MetricUndefinedError,
  MissingMetricInputError,
  NonFiniteExplanationError,
} from './metric/metric-errors';
export { inputGradient, vanillaGradientExplainer } from './model/input-gradient';
export {
  type AttackFn,
  batchedLogits,
  type Explainer,
  logitsOf,
  type ModelLike,
  predictClasses,
  representationModel,
} from './model/model-like';
export { type Baseline, baselineFill } from './perturbation/baseline-value';
export { noisyLinearImputation } from './perturbation/noisy-linear-imputation';
export {
  gaussianPerturbation,
  type Perturbation,
  repeatSamples,
  uniformIntervalPerturbation,
  uniformPerturbation,
} from './perturbation/perturbation';
export { mapSimilarities, type RandomisationSimilarity } from './randomisation/map-correlations';
export {
  type ModelParameterRandomisationOptions,
  modelParameterRandomisation,
  modelParameterRandomisationValues,
} from './randomisation/model-parameter-randomisation';
export {
  type RandomLogitOptions,
  randomLogit,
  randomLogitValues,
} from './randomisation/random-logit';
export type { PixelRelevance } from './relevance/pixel-relevance';
export {
  evaluateRelativeStabilities,
  type RelativeStabilityName,
} from './robustness/evaluate-relative-stabilities';
export { type LocalLipschitzOptions, localLipschitzEstimate } from './robustness/local-lipschitz';
export { log10OfMean, log10OfMeanOverBatches } from './robustness/log10-mean';
export {
  type RelativeStabilityKind,
  type RelativeStabilityOptions,
  type RelativeStabilityProtocol,
  relativeInputStability,
  relativeOutputStability,
  relativeRepresentationStability,
  relativeStabilities,
  relativeStability,
  type ScaleAwareStabilityOptions,
  scaleAwareInputStability,
  scaleAwareOutputStability,
  scaleAwareRepresentationStability,
} from './robustness/relative-stability';
export {
  avgSensitivity,
  maxSensitivity,
  type SensitivityNormalisation,
  type SensitivityOptions,
} from './robustness/sensitivity';
export {
  type SsimStabilityOptions,
  ssimInputStability,
  ssimStability,
} from './robustness/ssim-input-stability';
export { type SsimOptions, ssimPlane, ssimSignal, structuralSimilarity } from './similarity/ssim';
export {
  type BootstrapOptions,
  bootstrapMeanCi,
  type MeanWithCi,
  quantile,
} from './statistics/bootstrap';
export {
  averageRanks,
  type Correlation,
  pearson,
  spearman,
} from './statistics/correlation';
