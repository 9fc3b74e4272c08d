import { TrustgradError } from '@trustgrad/core-tensor';

/**
 * The training loss became NaN or ±Infinity. Thrown before the bad gradients
 * are applied, so the model still holds the weights of the last good step.
 */
export class NonFiniteLossError extends TrustgradError {
  override name = 'NonFiniteLossError';
  constructor(
    /** Global step (0-based) whose loss was not finite. */
    readonly step: number,
    /** Epoch (0-based) of that step. */
    readonly epoch: number,
    /** The loss value seen (NaN, Infinity or -Infinity). */
    readonly loss: number,
    /** Folder of the last checkpoint written before the failure, or null when none was. */
    readonly lastCheckpoint: string | null,
  ) {
    super(
      `training loss is ${loss} at step ${step} (epoch ${epoch}); the update was not applied. ` +
        (lastCheckpoint
          ? `Last good checkpoint: ${lastCheckpoint} (resume from it with { resume: true }). `
          : 'No checkpoint was written yet (set checkpoint.dir and checkpoint.everySteps to keep one). ') +
        'Lower the learning rate, check the inputs for NaN, or add gradient-friendly normalisation.',
    );
  }
}

/** A checkpoint folder is missing, incomplete or does not match the model being trained. */
export class CheckpointError extends TrustgradError {
  override name = 'CheckpointError';
}
