/**
 * @packageDocumentation
 * Attacks as plugins (FGSM, PGD-L∞, PGD-L2, masked PGD, group-norm PGD,
 * norm-regularised proximal attacks, per-pixel-budget PGD, APGD-CE/-DLR/-T,
 * Square, the AutoAttack ensemble), training objectives
 * as plugins (standard, PGD-AT, TRADES, NRAT, SCAAT, explanation consistency), a trainer with schedules,
 * checkpoints and exact resume, and robust evaluation, for any tfjs model
 * that outputs logits.
 * This is the Node entry; bundlers for the web get `browser.ts` (the same
 * API without the checkpoint folders on disk) through the `browser` export condition.
 */

export * from './portable';
export {
  checkpointDefect,
  clearCheckpoints,
  type LatestCheckpointOptions,
  latestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from './training/checkpoint';
export { train } from './training/train-node';
