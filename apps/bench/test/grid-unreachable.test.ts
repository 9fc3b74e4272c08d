import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgressRenderer } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { GridError } from '../src/grid/grid-error';
import { runOnGrid } from '../src/grid/run-on-grid';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe('bench run --queue without Redis', () => {
  it('stops with a GridError naming the URL once Redis stays unreachable, instead of hanging', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const out = mkdtempSync(join(tmpdir(), 'grid-no-redis-'));
    const quiet = createProgressRenderer({ mode: 'off' });
    const started = Date.now();
    const run = runOnGrid(loadConfig({ preset: 'smoke' }), {
      queue: url,
      out,
      redisTimeoutMs: 1500,
      progress: quiet,
    });
    await expect(run).rejects.toThrow(GridError);
    await expect(run).rejects.toThrow(new RegExp(`cannot reach Redis at ${url} \\(.*ECONNREFUSED`));
    // The dataset loads first; the wait for Redis itself is bounded by redisTimeoutMs.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
