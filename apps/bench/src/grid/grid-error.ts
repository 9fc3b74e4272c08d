import { TrustgradError } from '@trustgrad/core-tensor';

/**
 * The distributed grid cannot go on: Redis is unreachable, a job failed on a
 * worker, or the queue holds something this version cannot read. The message
 * says what happened and how to continue (usually `bench run --queue … --resume`).
 */
export class GridError extends TrustgradError {
  override name = 'GridError';
}
