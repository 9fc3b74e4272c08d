import { cleanAccuracy, robustAccuracy } from '../accuracy/accuracy';
import { adversarialClassRetrieval } from '../adversarial/adversarial-class-retrieval';
import { giniSparsity } from '../complexity/gini-sparsity';
import { groupSparsity } from '../complexity/group-sparsity';
import { explanationConsistency } from '../consistency/explanation-consistency';
import { gradientCurvature, hessianTopEigenvalue } from '../curvature/gradient-curvature';
import { deletionAuc, insertionAuc } from '../faithfulness/deletion-insertion';
import { infidelity } from '../faithfulness/infidelity';
import { roadAopc } from '../faithfulness/road';
import { pointingGame } from '../localisation/pointing-game';
import { relevanceMassAccuracy } from '../localisation/relevance-mass-accuracy';
import { relevanceRankAccuracy } from '../localisation/relevance-rank-accuracy';
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
import { type AnyMetric, metricRegistry } from './define-metric';

/** Every metric trustgrad ships, in the order of SPEC 2.7. */
export const builtinMetrics: readonly AnyMetric[] = [
  giniSparsity,
  groupSparsity,
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
  pointingGame,
  relevanceMassAccuracy,
  relevanceRankAccuracy,
  explanationConsistency,
  adversarialClassRetrieval,
  gradientCurvature,
  hessianTopEigenvalue,
  cleanAccuracy,
  robustAccuracy,
];

/** Registers the built-ins in {@link metricRegistry} (idempotent: same objects replace themselves). */
export function registerBuiltinMetrics(): void {
  for (const metric of builtinMetrics) metricRegistry.register(metric, { replace: true });
}
