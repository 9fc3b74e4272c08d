import { createHash } from 'node:crypto';
import type { ProgressCallback } from '@trustgrad/core-tensor';
import { writeAtomic } from '@trustgrad/core-tensor';
import { DatasetChecksumError, DatasetDownloadError } from '../errors/dataset-errors';

/** A file to download: mirrors tried in order, and its published SHA-256. */
export interface VerifiedFile {
  /** URLs of the same file, tried in order until one succeeds. */
  readonly urls: readonly string[];
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** Options of {@link downloadVerified}. */
export interface DownloadOptions {
  /** The fetch to use (default `globalThis.fetch`); tests pass a fake. */
  readonly fetch?: typeof globalThis.fetch;
  readonly onProgress?: ProgressCallback;
  /** What to tell the user when every mirror fails. */
  readonly fallbackHint?: string;
}

/** Hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Downloads `file` into `destination`, trying each mirror, and keeps it only
 * when its SHA-256 matches (written atomically, so a failed download never
 * leaves a partial file). A checksum mismatch on every mirror raises
 * {@link DatasetChecksumError}; no mirror reachable raises
 * {@link DatasetDownloadError} with every mirror's failure and the fallback hint.
 */
export async function downloadVerified(
  file: VerifiedFile,
  destination: string,
  options: DownloadOptions = {},
): Promise<void> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const failures: string[] = [];
  let mismatch: string | null = null;
  for (const url of file.urls) {
    let bytes: Uint8Array;
    try {
      const response = await fetchImpl(url);
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message;
      failures.push(`${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
      continue;
    }
    options.onProgress?.({ stage: 'download', done: bytes.length, total: bytes.length, file: url });
    const actual = sha256Hex(bytes);
    if (actual !== file.sha256) {
      mismatch = `${url} has SHA-256 ${actual}, expected ${file.sha256}`;
      failures.push(mismatch);
      continue;
    }
    writeAtomic(destination, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return;
  }
  const hint = options.fallbackHint ? `; ${options.fallbackHint}` : '';
  if (mismatch && failures.every((f) => f.includes('SHA-256'))) {
    throw new DatasetChecksumError(
      destination,
      `the download failed its checksum (${mismatch}); the mirror serves a different file${hint}`,
    );
  }
  throw new DatasetDownloadError(
    destination,
    `could not be downloaded (${failures.join('; ')})${hint}`,
  );
}
