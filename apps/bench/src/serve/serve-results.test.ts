import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustgradError } from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedResults, serveResults } from './serve-results';

/** A raw GET/POST (fetch would normalise `..` away before it reaches the server). */
function call(url: string, path: string, method = 'GET', body?: string) {
  return new Promise<{ status: number; type: string; text: string }>((done, fail) => {
    const req = request(new URL(url), { method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({
          status: res.statusCode!,
          type: String(res.headers['content-type']),
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('bench serve', () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const dir = join(root, 'results');
  const viewer = join(root, 'viewer');
  let served: ServedResults;
  beforeAll(async () => {
    mkdirSync(join(dir, 'heatmaps'), { recursive: true });
    mkdirSync(viewer);
    writeFileSync(join(dir, 'results.json'), '{"rows":[]}');
    writeFileSync(join(root, 'secret.txt'), 'not served');
    writeFileSync(join(viewer, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(viewer, 'kernel.wasm'), Buffer.from([0, 97, 115, 109]));
    served = await serveResults({ dir, viewerDir: viewer, port: 0 });
  });
  afterAll(() => served?.close());

  it('serves the viewer at / and the folder under /results/, with the right types', async () => {
    expect(await call(served.url, '/')).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
    expect(await call(served.url, '/kernel.wasm')).toMatchObject({
      status: 200,
      type: 'application/wasm',
    });
    expect(await call(served.url, '/results/results.json')).toMatchObject({
      status: 200,
      text: '{"rows":[]}',
    });
    expect((await call(served.url, '/results/none.json')).status).toBe(404);
  });

  it('serves nothing outside the two folders and takes no writes but answers', async () => {
    for (const path of [
      '/results/../secret.txt',
      '/results/%2e%2e/secret.txt',
      '/../secret.txt',
      '/results/..%2fsecret.txt',
    ])
      expect((await call(served.url, path)).text).not.toBe('not served');
    expect((await call(served.url, '/results/results.json', 'PUT', 'x')).status).toBe(405);
  });

  it('saves a participant’s answers atomically under study/<id>/answers and rejects bad ids or bodies', async () => {
    const body = { study: 's1', participant: 'p_1', answers: [{ trial: 0 }] };
    const saved = await call(served.url, '/api/answers', 'POST', JSON.stringify(body));
    expect(saved).toMatchObject({ status: 200, text: '{"saved":1}' });
    expect(
      JSON.parse(readFileSync(join(dir, 'study', 's1', 'answers', 'p_1.json'), 'utf8')),
    ).toEqual(body);
    const bad = await call(
      served.url,
      '/api/answers',
      'POST',
      JSON.stringify({ ...body, participant: '../x' }),
    );
    expect(bad.status).toBe(400);
    expect((await call(served.url, '/api/answers', 'POST', 'not json')).status).toBe(400);
    expect((await call(served.url, '/api/answers')).status).toBe(405);
  });

  it('fails clearly on a folder that is not a results folder or an unbuilt viewer', async () => {
    await expect(serveResults({ dir: root, viewerDir: viewer, port: 0 })).rejects.toThrow(
      TrustgradError,
    );
    await expect(serveResults({ dir, viewerDir: join(root, 'nowhere'), port: 0 })).rejects.toThrow(
      /pnpm --filter @trustgrad\/viewer build/,
    );
  });
});
