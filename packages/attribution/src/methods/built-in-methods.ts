import { deepLift } from './deeplift';
import { deepLiftShap } from './deeplift-shap';
import { featureAblation } from './feature-ablation';
import { gradCam } from './grad-cam';
import { gradientShap } from './gradient-shap';
import { gradientTimesInput } from './gradient-x-input';
import { deconvolution, guidedBackprop } from './guided-backprop';
import { guidedGradCam } from './guided-grad-cam';
import { integratedGradients } from './integrated-gradients';
import { kernelShap } from './kernel-shap';
import { locallySmoothExplanation } from './locally-smooth-explanation';
import { lrp } from './lrp';
import { noiseTunnel } from './noise-tunnel';
import { occlusion } from './occlusion';
import { shapleyValueSampling } from './shapley-value-sampling';
import { smoothGrad } from './smoothgrad';
import { smoothGradSquared } from './smoothgrad-squared';
import { vanillaGradient } from './vanilla-gradient';
import { varGrad } from './vargrad';

/**
 * The methods that ship with the package. Each registered itself with
 * `defineAttribution` when its module was evaluated, like any user plugin.
 * Exported names are the usual spelling of each method (`vanillaGradient` for
 * key `vg`, `integratedGradients` for `ig`, `gradCam` for `gradcam`,
 * `locallySmoothExplanation` for `lse`, `gradientTimesInput` for
 * `gradient-x-input`), not the camelCase of the contract's short keys.
 */
export const builtInAttributions = [
  vanillaGradient,
  gradientTimesInput,
  integratedGradients,
  smoothGrad,
  smoothGradSquared,
  varGrad,
  gradCam,
  locallySmoothExplanation,
  occlusion,
  featureAblation,
  shapleyValueSampling,
  kernelShap,
  gradientShap,
  noiseTunnel,
  guidedBackprop,
  deconvolution,
  guidedGradCam,
  deepLift,
  deepLiftShap,
  lrp,
] as const;
