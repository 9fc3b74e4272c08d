import { readFile, stat } from 'node:fs/promises';
import { DatasetNotFoundError, DatasetReadError } from '../errors/dataset-errors';
import { gunzipIfGzip } from './gunzip-bytes';

/** Turns a file-system error about `path` into a dataset error with a fix. */
export function fileSystemError(path: string, error: unknown, hint: string): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new DatasetNotFoundError(path, `does not exist; ${hint}`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new DatasetReadError(
      path,
      `cannot be read (permission denied); make it readable (chmod a+r) or copy it somewhere readable`,
    );
  }
  if (code === 'EISDIR') return new DatasetReadError(path, `is a folder, expected a file; ${hint}`);
  return new DatasetReadError(
    path,
    `cannot be read (${(error as Error)?.message ?? String(error)})`,
  );
}

/** Reads a file whole, as it is on disk; file-system errors become dataset errors with `hint`. */
export async function readFileBytes(path: string, hint: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw fileSystemError(path, error, hint);
  }
}

/**
 * Reads a file whole, gunzipping it when its content (not its name) is gzip
 * ({@link gunzipIfGzip}, which a browser uses on fetched bytes too).
 */
export async function readMaybeGzip(path: string, hint: string): Promise<Uint8Array> {
  return gunzipIfGzip(await readFileBytes(path, hint), path);
}

/** Whether `path` is an existing folder (false when missing; other errors are raised). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fileSystemError(path, error, 'check the path');
  }
}
