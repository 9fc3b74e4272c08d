import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetChecksumError, DatasetDownloadError } from '../errors/dataset-errors';
import { tempDir } from '../testing/fixtures';
import { downloadVerified, sha256Hex } from './download-verified';

describe('downloadVerified', () => {
  const payload = new TextEncoder().encode('hello idx');
  const sha256 = sha256Hex(payload);

  it('tries mirrors in order and keeps the first whose checksum matches', async () => {
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      if (url.includes('down')) return new Response('nope', { status: 503 });
      if (url.includes('evil')) return new Response(new Uint8Array([9]));
      return new Response(payload);
    }) as unknown as typeof fetch;
    const destination = join(tempDir('dl'), 'sub', 'file.gz');
    await downloadVerified(
      { urls: ['http://down/a', 'http://evil/a', 'http://good/a'], sha256 },
      destination,
      { fetch: fake },
    );
    expect(seen).toEqual(['http://down/a', 'http://evil/a', 'http://good/a']);
    expect(readFileSync(destination).toString()).toBe('hello idx');
  });

  it('reports every failure, and a checksum-only failure as a checksum error', async () => {
    const destination = join(tempDir('dl2'), 'f');
    const http = (async () => new Response('x', { status: 404 })) as unknown as typeof fetch;
    await expect(
      downloadVerified({ urls: ['http://a/f'], sha256 }, destination, {
        fetch: http,
        fallbackHint: 'pass a path',
      }),
    ).rejects.toThrow(/http:\/\/a\/f: HTTP 404\); pass a path/);
    const wrong = (async () => new Response(new Uint8Array([1]))) as unknown as typeof fetch;
    const error = await downloadVerified({ urls: ['http://a/f'], sha256 }, destination, {
      fetch: wrong,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetChecksumError);
    expect(error).toBeInstanceOf(DatasetDownloadError);
    expect(existsSync(destination)).toBe(false);
  });
});
