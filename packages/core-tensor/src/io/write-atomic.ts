import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** Matches the temporary names made here: `<name>.tmp-<pid>`. */
const TEMP_NAME = /\.tmp-(\d+)$/;

/** The temporary name {@link writeAtomic} and {@link removeStaleTemps} agree on. */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/**
 * Flushes a folder's entry table to disk, so a rename inside it survives a
 * power cut, not just a kill. Platforms that cannot open a folder (Windows)
 * skip it.
 */
export function syncDirectory(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EINVAL/EISDIR on filesystems that do not sync folders; the rename itself is still atomic.
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` and flushes it to disk before returning. */
export function writeDurable(path: string, data: Buffer | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `path` so that a kill (or power cut) at any instant leaves
 * either the old file or the new one, never a mix: the bytes go to
 * `<path>.tmp-<pid>`, are flushed, renamed over `path`, and the folder is flushed.
 */
export function writeAtomic(path: string, data: Buffer | string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const tmp = tempPathFor(path);
  writeDurable(tmp, data);
  renameSync(tmp, path);
  syncDirectory(folder);
}

/**
 * Deletes the `*.tmp-<pid>` files and folders a killed process left in
 * `folder` (not recursive). Entries of a process that is still running are
 * kept, unless it is this one (nothing of ours is in flight when a run starts).
 *
 * @returns the names removed.
 */
export function removeStaleTemps(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && processIsAlive(pid)) continue;
    rmSync(join(folder, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
