import {
  createProgressRenderer,
  type ProgressEvent,
  type ProgressMode,
  type ProgressRendererOptions,
} from '@trustgrad/core-tensor';

/** One training step's numbers, as the trainer reports them. */
export interface TrainingProgress {
  epoch: number;
  epochs: number;
  /** Batch (1-based) within the epoch and the epoch's batch count, when known. */
  batch: number;
  batchesPerEpoch: number | undefined;
  step: number;
  /** Running means over the epoch so far. */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  learningRate: number;
}

/** The trainer's progress output: step events and finished lines, drawn by core-tensor's renderer. */
export interface TrainingProgressReporter {
  step(update: TrainingProgress): void;
  /** A finished line (epoch summary, evaluation), printed on its own line. */
  line(text: string): void;
}

/**
 * The {@link ProgressEvent} of a training step: stage `train epoch e/E`,
 * batches done of the epoch, and loss, accuracy, images/s and learning rate as
 * details. `train()` emits it; any renderer (the bench's too) can draw it.
 */
export function trainingProgressEvent(u: TrainingProgress): ProgressEvent {
  return {
    stage: `train epoch ${u.epoch + 1}/${u.epochs}`,
    done: u.batch,
    total: u.batchesPerEpoch,
    details: {
      step: u.step,
      loss: u.loss,
      acc: u.accuracy,
      'img/s': Math.round(u.imagesPerSecond),
      lr: u.learningRate,
    },
  };
}

/**
 * Training progress through core-tensor's one renderer (`createProgressRenderer`):
 * a redrawn bar on a TTY, plain lines (at most one per `intervalMs`) otherwise.
 */
export function createProgressReporter(
  options: ProgressRendererOptions = {},
): TrainingProgressReporter {
  const renderer = createProgressRenderer(options);
  return {
    step: (update) => renderer.update(trainingProgressEvent(update)),
    line: (text) => renderer.log(`[train] ${text}`),
  };
}

export type { ProgressMode };
