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
 * The grid's shared-folder artefact store: the results folder itself, mounted
 * at the same path on every machine (NFS, a cluster file system, or one
 * machine's disk). Workers write checkpoints and trained models to
 * `checkpoints/<key>/` and heatmaps to `heatmaps/` exactly where a local run
 * does, and each measured cell to `grid/<evaluate job id>.json`, where the
 * coordinator reads it. Every file is written atomically (temp + rename), so a
 * worker killed mid-write leaves the old file or none.
 */
export class SharedFolderStore {
  constructor(readonly root: string) {}

  private outcomePath(jobId: string): string {
    return join(this.root, 'grid', `${jobId}.json`);
  }

  writeOutcome(jobId: string, stored: StoredOutcome): void {
    mkdirSync(join(this.root, 'grid'), { recursive: true });
    writeAtomic(this.outcomePath(jobId), JSON.stringify(stored));
  }

  /** The stored outcome, or null when the cell has not been measured into this store. */
  readOutcome(jobId: string): StoredOutcome | null {
    try {
      return JSON.parse(readFileSync(this.outcomePath(jobId), 'utf8')) as StoredOutcome;
    } catch {
      return null;
    }
  }
}
