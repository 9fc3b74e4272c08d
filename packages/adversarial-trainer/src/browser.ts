/**
 * @packageDocumentation
 * The browser entry of `@trustgrad/adversarial-trainer` (export condition
 * `browser`): the Node entry's API without the checkpoint folders on disk
 * (`saveCheckpoint`, `loadCheckpoint`, `latestCheckpoint`, `checkpointDefect`,
 * `clearCheckpoints`). `train()` runs the same loop; its `checkpoint` and
 * `resume` options throw, saying to keep the model with `model.save('indexeddb://…')`.
 */
export * from './portable';
export { train } from './training/train-browser';
