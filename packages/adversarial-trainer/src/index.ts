/**
 * @packageDocumentation
 * Attacks as plugins (FGSM, PGD-L∞, PGD-L2, masked PGD, group-norm PGD,
 * norm-regularised proximal attacks, per-pixel-budget PGD), training objectives
 * as plugins (standard, PGD-AT, TRADES, NRAT, SCAAT, explanation consistency), a trainer with schedules,
 * checkpoints and exact resume, and robust evaluation, for any tfjs model
 * that outputs logits.
 */
export {
  defineAttack,
  type Attack,
  type AttackContext,
  type AttackLoss,
  type AttackOptions,
  type AttackSpec,
} from './attacks/attack';
export { fgsm } from './attacks/fgsm';
export {
  assertPatchSize,
  groupL1Norm,
  groupLinfNorm,
  groupNorms,
  groupNormsCompact,
  normaliseGroups,
  projectGroup,
} from './attacks/group-norm';
export { maskedPgd } from './attacks/masked-pgd';
export { clipToRange, l2NormPerSample, normaliseL2, projectL2, projectLinf } from './attacks/norm-ball';
export { pgdL2 } from './attacks/pgd-l2';
export { pgdGroup, type PgdGroupOptions } from './attacks/pgd-group';
export { linfIteration, pgdLinf } from './attacks/pgd-linf';
export { pixelBudgetPgd, type PixelBudgetPgdOptions } from './attacks/pixel-budget-pgd';
export { proxRegularised, type ProxRegularisedOptions } from './attacks/prox-regularised';
export { pixelWeights } from './attacks/pixel-weights';
export { attacks, resolveAttack } from './attacks/registry';
export { toBatchSource, type Batch, type BatchFactory, type BatchSource } from './data/batch-source';
export {
  epochPermutation,
  inMemoryBatchSource,
  type InMemoryBatchSourceOptions,
} from './data/in-memory-batch-source';
export { CheckpointError, NonFiniteLossError } from './errors/trainer-errors';
export {
  backgroundConsistency,
  type BackgroundConsistency,
  type BackgroundConsistencyOptions,
} from './explanations/background-consistency';
export { backgroundMask } from './explanations/background-mask';
export { MAP_SIMILARITIES, mapSimilarity, type MapSimilarity } from './explanations/map-similarity';
export { saliencyMap } from './explanations/saliency-map';
export {
  evaluateRobustness,
  type AccuracyCount,
  type EvaluateRobustnessOptions,
  type RobustnessReport,
} from './evaluation/evaluate-robustness';
export { crossEntropy, crossEntropyPerSample } from './losses/cross-entropy';
export { klDivergencePerSample } from './losses/kl-divergence';
export {
  defineObjective,
  type Objective,
  type ObjectiveContext,
  type ObjectiveOutput,
} from './objectives/objective';
export { consistencyWeights } from './objectives/consistency-weights';
export {
  explanationConsistency,
  type ExplanationConsistencyOptions,
  type ExplanationConsistencyPrepared,
} from './objectives/explanation-consistency';
export { nrat, nratAttack, type NratNorm, type NratOptions, type NratStructure } from './objectives/nrat';
export { pgdAt } from './objectives/pgd-at';
export { objectives, resolveObjective } from './objectives/registry';
export { scaat, type ScaatOptions, type ScaatPrepared } from './objectives/scaat';
export { standard } from './objectives/standard';
export {
  elasticNetConjugateRegulariser,
  elasticNetRegulariser,
  groupRegulariser,
  l1Regulariser,
  l2Regulariser,
  softThreshold,
} from './regularisers/built-in-regularisers';
export {
  REGULARISER_DEFAULTS,
  defineRegulariser,
  type Regulariser,
  type RegulariserParams,
} from './regularisers/regulariser';
export { regularisers, resolveRegulariser } from './regularisers/registry';
export { trades, type TradesOptions } from './objectives/trades';
export { cosineDecay, type CosineDecayOptions } from './schedules/cosine-decay';
export {
  constantLr,
  type LearningRateSchedule,
  type ScheduleContext,
} from './schedules/learning-rate-schedule';
export { oneCycle, type OneCycleOptions } from './schedules/one-cycle';
export { stepDecay, type StepDecayOptions } from './schedules/step-decay';
export {
  latestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type TrainingPosition,
} from './training/checkpoint';
export { createOptimizer, setLearningRate, type OptimizerConfig } from './training/optimizer';
export {
  createProgressReporter,
  type ProgressMode,
  type ProgressOptions,
  type ProgressReporter,
  type ProgressUpdate,
} from './training/progress-reporter';
export {
  train,
  type CheckpointOptions,
  type EpochSummary,
  type EvaluationOptions,
  type StepInfo,
  type TrainOptions,
  type TrainResult,
} from './training/train';
export { trainStep, type TrainStepInput, type TrainStepResult } from './training/train-step';
