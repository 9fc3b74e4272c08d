import { TrustgradError } from '@trustgrad/core-tensor';

/** `insertSmoothing` was asked to insert after a layer the model does not have. */
export class LayerNotFoundError extends TrustgradError {}
