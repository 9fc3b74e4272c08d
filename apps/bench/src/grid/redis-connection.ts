import { InvalidOptionError } from '@trustgrad/core-tensor';
import type { ConnectionOptions } from 'bullmq';

/** The BullMQ queue every coordinator and worker of a grid shares on one Redis. */
export const GRID_QUEUE = 'trustgrad-grid';

/**
 * ioredis options for `redis://[user:password@]host[:port][/db]` (or
 * `rediss://` for TLS). `maxRetriesPerRequest: null` is what BullMQ workers
 * require: a command waits for Redis to come back instead of failing after 20
 * retries, so a restarted Redis is a pause, not a crash.
 *
 * @example connectionFor('redis://127.0.0.1:6379/0') // { host: '127.0.0.1', port: 6379, db: 0, ... }
 */
export function connectionFor(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(
      `--queue "${url}" is not a URL; expected redis://host:port (e.g. redis://127.0.0.1:6379)`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new InvalidOptionError(
      `--queue "${url}": scheme ${parsed.protocol} is not supported; expected redis://host:port or rediss://host:port`,
    );
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new InvalidOptionError(
      `--queue "${url}": the path must be a database number (redis://host:port/0), got "/${db}"`,
    );
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
