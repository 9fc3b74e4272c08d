import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  DatasetFormatError,
  DatasetNotFoundError,
  DatasetReadError,
} from '../errors/dataset-errors';

const gunzipAsync = promisify(gunzip);

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

/** Whether `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a file whole, gunzipping it when its content (not its name) is gzip.
 * Corrupt or truncated gzip streams become a {@link DatasetFormatError}.
 */
export async function readMaybeGzip(path: string, hint: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw fileSystemError(path, error, hint);
  }
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    throw new DatasetFormatError(
      path,
      `the gzip stream is corrupt or truncated (${(error as Error).message}); expected a complete .gz file — download it again`,
    );
  }
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
