import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Default folder for downloads and packed caches:
 * `$TRUSTGRAD_CACHE_DIR`, else `$XDG_CACHE_HOME/trustgrad/datasets`, else
 * `~/.cache/trustgrad/datasets`.
 */
export function defaultCacheDir(): string {
  if (process.env.TRUSTGRAD_CACHE_DIR) return process.env.TRUSTGRAD_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'trustgrad', 'datasets');
}
