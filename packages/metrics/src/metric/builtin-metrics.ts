import { cleanAccuracy, robustAccuracy } from '../accuracy/accuracy';
import { adversarialClassRetrieval } from '../adversarial/adversarial-class-retrieval';
import { completeness } from '../axiomatic/completeness';
import { inputInvariance } from '../axiomatic/input-invariance';
import { complexity } from '../complexity/complexity-entropy';
import { giniSparsity } from '../complexity/gini-sparsity';
import { groupSparsity } from '../complexity/group-sparsity';
import { explanationConsistency } from '../consistency/explanation-consistency';
import { gradientCurvature, hessianEigenvalue } from '../curvature/gradient-curvature';
import { deletionAuc, insertionAuc } from '../faithfulness/deletion-insertion';
import { faithfulnessCorrelation } from '../faithfulness/faithfulness-correlation';
import { infidelity } from '../faithfulness/infidelity';
import { monotonicity } from '../faithfulness/monotonicity';
import { monotonicityCorrelation } from '../faithfulness/monotonicity-correlation';
import { pixelFlipping } from '../faithfulness/pixel-flipping';
import { roadAopc } from '../faithfulness/road';
import { sufficiency } from '../faithfulness/sufficiency';
import { pointingGame } from '../localisation/pointing-game';
import { relevanceMass } from '../localisation/relevance-mass-accuracy';
import { relevanceRank } from '../localisation/relevance-rank-accuracy';
import { modelParameterRandomisation } from '../randomisation/model-parameter-randomisation';
import { randomLogit } from '../randomisation/random-logit';
import { localLipschitzEstimate } from '../robustness/local-lipschitz';
import {
  relativeInputStability,
  relativeOutputStability,
  relativeRepresentationStability,
  scaleAwareInputStability,
  scaleAwareOutputStability,
  scaleAwareRepresentationStability,
} from '../robustness/relative-stability';
import { avgSensitivity, maxSensitivity } from '../robustness/sensitivity';
import { ssimStability } from '../robustness/ssim-input-stability';
import type { AnyMetric } from './define-metric';

/**
 * Every metric trustgrad ships, in the order of SPEC 2.7, with the Quantus
 * families of issue 20 beside their kin (complexity after the sparsities,
 * faithfulness after ROAD, randomisation and axiomatic after them). Each registered
 * itself in `metricRegistry` through `defineMetric` when its module was
 * evaluated, like a user's. Exported names are the camelCase keys except
 * where the key abbreviates: `giniSparsity` (gini), `relativeInputStability` /
 * `relativeRepresentationStability` / `relativeOutputStability` (ris, rrs, ros),
 * `localLipschitzEstimate` (localLipschitz), `adversarialClassRetrieval`
 * (advClassRetrieval), `gradientCurvature` (curvature), `cleanAccuracy`
 * (cleanAcc), `robustAccuracy` (robustAcc).
 */
export const builtinMetrics: readonly AnyMetric[] = [
  giniSparsity,
  groupSparsity,
  complexity,
  relativeInputStability,
  relativeRepresentationStability,
  relativeOutputStability,
  scaleAwareInputStability,
  scaleAwareRepresentationStability,
  scaleAwareOutputStability,
  ssimStability,
  maxSensitivity,
  avgSensitivity,
  localLipschitzEstimate,
  infidelity,
  deletionAuc,
  insertionAuc,
  roadAopc,
  faithfulnessCorrelation,
  monotonicity,
  monotonicityCorrelation,
  pixelFlipping,
  sufficiency,
  modelParameterRandomisation,
  randomLogit,
  completeness,
  inputInvariance,
  pointingGame,
  relevanceMass,
  relevanceRank,
  explanationConsistency,
  adversarialClassRetrieval,
  gradientCurvature,
  hessianEigenvalue,
  cleanAccuracy,
  robustAccuracy,
];
