import { TrustgradError } from '@trustgrad/core-tensor';

/** A propagation method (DeepLIFT, LRP) met a layer it has no rule for. */
export class UnsupportedLayerError extends TrustgradError {
  override name = 'UnsupportedLayerError';
}
