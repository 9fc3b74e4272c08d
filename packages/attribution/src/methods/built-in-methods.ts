import { registerAttribution } from '../core/attribution-registry';
import { gradCam } from './grad-cam';
import { gradientTimesInput } from './gradient-x-input';
import { integratedGradients } from './integrated-gradients';
import { locallySmoothExplanation } from './locally-smooth-explanation';
import { smoothGrad } from './smoothgrad';
import { smoothGradSquared } from './smoothgrad-squared';
import { vanillaGradient } from './vanilla-gradient';
import { varGrad } from './vargrad';

/** The methods that ship with the package, registered on import like any user plugin. */
export const builtInAttributions = [
  vanillaGradient,
  gradientTimesInput,
  integratedGradients,
  smoothGrad,
  smoothGradSquared,
  varGrad,
  gradCam,
  locallySmoothExplanation,
] as const;

/** Registers the built-ins (idempotent: an entry already there is left alone). */
export function registerBuiltInAttributions(): void {
  for (const method of builtInAttributions) {
    registerAttribution(method, { replace: true });
  }
}
