import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import type { VariantOutcome } from '../run/variant-steps';

/** A measured cell as a worker leaves it in the store. */
export interface StoredOutcome {
  /** The backend the worker computed it on (results.json names it). */
  backend: string;
  outcome: VariantOutcome;
}

/**
 * Where a grid's artefacts live: checkpoints and trained models
 * (`checkpoints/<key>/`), heatmaps (`heatmaps/<key>_*.png`) and each measured
 * cell (`grid/<evaluate job id>.json`). Jobs read and write a local folder,
 * {@link ArtefactStore.localRoot}, laid out like a local run's results
 * folder; a store that is not that folder copies to and from it around and
 * during jobs.
 */
export interface ArtefactStore {
  /** The local folder a worker's jobs use as their results folder. */
  readonly localRoot: string;
  /** Before a job: the cell's checkpoints and trained model into `localRoot`. */
  pullCheckpoints(key: string): Promise<void>;
  /** During and after training: what is new under `localRoot/checkpoints/<key>/`, the latest checkpoint last. */
  pushCheckpoints(key: string): Promise<void>;
  /** After an evaluate job: its heatmaps and its outcome. */
  writeOutcome(jobId: string, stored: StoredOutcome): Promise<void>;
  /** The stored outcome, or null when the cell has not been measured into this store. */
  readOutcome(jobId: string): Promise<StoredOutcome | null>;
  /** At the end of a run: the cells' heatmaps into the coordinator's results folder. */
  pullHeatmaps(keys: string[], into: string): Promise<void>;
}

/**
 * The default store: the results folder itself, mounted at the same path on
 * every machine (NFS, a cluster file system, or one machine's disk). Workers
 * write where a local run does, so nothing is copied. Every file is written
 * atomically (temp + rename), so a worker killed mid-write leaves the old file or none.
 */
export class SharedFolderStore implements ArtefactStore {
  constructor(readonly localRoot: string) {}

  private outcomePath(jobId: string): string {
    return join(this.localRoot, 'grid', `${jobId}.json`);
  }

  async pullCheckpoints(): Promise<void> {}

  async pushCheckpoints(): Promise<void> {}

  async writeOutcome(jobId: string, stored: StoredOutcome): Promise<void> {
    mkdirSync(join(this.localRoot, 'grid'), { recursive: true });
    writeAtomic(this.outcomePath(jobId), JSON.stringify(stored));
  }

  async readOutcome(jobId: string): Promise<StoredOutcome | null> {
    try {
      return JSON.parse(readFileSync(this.outcomePath(jobId), 'utf8')) as StoredOutcome;
    } catch {
      return null;
    }
  }

  async pullHeatmaps(): Promise<void> {}
}

/** The store a job names: its S3 URL, or else the shared results folder. */
export async function storeFor(job: { out: string; store?: string }): Promise<ArtefactStore> {
  if (!job.store) return new SharedFolderStore(job.out);
  const { S3Store } = await import('./s3-store');
  return new S3Store(job.store);
}
