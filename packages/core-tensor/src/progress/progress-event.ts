/**
 * One report of long work (a training epoch, a dataset read, a bench stage):
 * the one progress type of trustgrad. The trainer, the datasets and the bench
 * emit these; {@link createProgressRenderer} draws them.
 */
export interface ProgressEvent {
  /** What is running, e.g. `'train epoch 2/10'`, `'read'`, `'evaluate 3/4 AT'`. */
  readonly stage: string;
  /** Units done so far (batches, files, bytes, as the stage says). */
  readonly done: number;
  /** Units in all; `undefined` when unknown (a stream without a length). */
  readonly total: number | undefined;
  /** Short `key value` facts: loss, accuracy, images/s, learning rate. */
  readonly details?: Readonly<Record<string, string | number>>;
  /** The file being worked on, where there is one. */
  readonly file?: string;
}

/** Receives {@link ProgressEvent}s during long work. */
export type ProgressCallback = (event: ProgressEvent) => void;
