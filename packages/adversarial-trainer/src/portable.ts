/**
 * The part of adversarial-trainer's API that runs in any JavaScript host; both
 * entries (`index.ts` for Node, `browser.ts` for browsers) export it, each with
 * its own `train()` over the one training loop. Nothing imported from here may
 * import a `node:` module (`src/browser-entry.test.ts` bundles the browser
 * entry to check).
 */
export {
  APGD_DEFAULTS,
  type ApgdCheckpoint,
  type ApgdLossFactory,
  type ApgdOptions,
  apgd,
  apgdCheckpoints,
  type CheckpointState,
  type LogitLoss,
  stepHalvings,
} from './attacks/apgd';
export { apgdCe } from './attacks/apgd-ce';
export { apgdDlr } from './attacks/apgd-dlr';
export { type ApgdTOptions, apgdT } from './attacks/apgd-t';
export {
  ATTACK_OPTION_KEYS,
  type Attack,
  type AttackContext,
  type AttackLabels,
  type AttackLoss,
  type AttackOptions,
  type AttackSpec,
  attackRegistry,
  defineAttack,
} from './attacks/attack';
export {
  AUTO_ATTACK_STANDARD,
  type AutoAttackOptions,
  type AutoAttackResult,
  autoAttack,
  runAutoAttack,
} from './attacks/auto-attack';
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
export {
  clipToRange,
  l2NormPerSample,
  normaliseL2,
  projectL2,
  projectLinf,
} from './attacks/norm-ball';
export { type PgdGroupOptions, pgdGroup } from './attacks/pgd-group';
export { pgdL2 } from './attacks/pgd-l2';
export { linfIteration, pgdLinf } from './attacks/pgd-linf';
export { type PixelBudgetPgdOptions, pixelBudgetPgd } from './attacks/pixel-budget-pgd';
export { pixelWeights } from './attacks/pixel-weights';
export { type ProxRegularisedOptions, proxRegularised } from './attacks/prox-regularised';
export { resolveAttack } from './attacks/registry';
export { type SquareOptions, square, squareP } from './attacks/square';
export {
  type Batch,
  type BatchFactory,
  type BatchSource,
  toBatchSource,
} from './data/batch-source';
export {
  epochPermutation,
  type InMemoryBatchSourceOptions,
  inMemoryBatchSource,
} from './data/in-memory-batch-source';
export { CheckpointError, NonFiniteLossError } from './errors/trainer-errors';
export {
  type AccuracyCount,
  type EvaluateRobustnessOptions,
  evaluateRobustness,
  type RobustnessReport,
} from './evaluation/evaluate-robustness';
export {
  type BackgroundConsistency,
  type BackgroundConsistencyOptions,
  backgroundAttack,
  backgroundConsistency,
} from './explanations/background-consistency';
export { saliencyMap } from './explanations/saliency-map';
export { crossEntropy, crossEntropyPerSample } from './losses/cross-entropy';
export { dlrLossPerSample, targetedDlrLossPerSample } from './losses/dlr';
export { klDivergencePerSample } from './losses/kl-divergence';
export { marginPerSample } from './losses/margin';
export { consistencyWeights } from './objectives/consistency-weights';
export {
  type ExplanationConsistencyOptions,
  type ExplanationConsistencyPrepared,
  explanationConsistency,
} from './objectives/explanation-consistency';
export {
  type NratNorm,
  type NratOptions,
  type NratStructure,
  nrat,
  nratAttack,
} from './objectives/nrat';
export {
  defineObjective,
  type Objective,
  type ObjectiveContext,
  type ObjectiveOutput,
  objectiveRegistry,
} from './objectives/objective';
export { pgdAt } from './objectives/pgd-at';
export { resolveObjective, resolveObjectiveOptions } from './objectives/registry';
export { type ScaatOptions, type ScaatPrepared, scaat } from './objectives/scaat';
export { standard } from './objectives/standard';
export { type TradesOptions, trades } from './objectives/trades';
export {
  type LookaheadConfig,
  RADAM_DEFAULTS,
  RANGER_DEFAULTS,
  RangerOptimizer,
  type RectifiedAdamConfig,
  RectifiedAdamOptimizer,
} from './optimizers/rectified-adam';
export {
  elasticNetConjugateRegulariser,
  elasticNetRegulariser,
  groupRegulariser,
  l1Regulariser,
  l2Regulariser,
  softThreshold,
} from './regularisers/built-in-regularisers';
export { resolveRegulariser } from './regularisers/registry';
export {
  defineRegulariser,
  REGULARISER_DEFAULTS,
  type Regulariser,
  type RegulariserParams,
  regulariserRegistry,
} from './regularisers/regulariser';
export { type CosineDecayOptions, cosineDecay } from './schedules/cosine-decay';
export {
  constantLr,
  type LearningRateSchedule,
  type ScheduleContext,
} from './schedules/learning-rate-schedule';
export { type OneCycleOptions, oneCycle } from './schedules/one-cycle';
export { type StepDecayOptions, stepDecay } from './schedules/step-decay';
export type { TrainingPosition } from './training/checkpoint-store';
export { createOptimizer, type OptimizerConfig, setLearningRate } from './training/optimizer';
export {
  createProgressReporter,
  type TrainingProgress,
  type TrainingProgressReporter,
  trainingProgressEvent,
} from './training/progress-reporter';
export type {
  CheckpointOptions,
  EpochSummary,
  EvaluationOptions,
  StepInfo,
  TrainOptions,
  TrainResult,
} from './training/train';
export { type TrainStepInput, type TrainStepResult, trainStep } from './training/train-step';
