import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../src/grid/s3-store';
import { startS3rverBucket } from './fixtures/s3rver-bucket';

describe('S3Store against s3rver', () => {
  /** A checkpoint folder as the trainer writes it: files, then the manifest listing them. */
  function writeCheckpoint(steps: string, name: string): void {
    mkdirSync(join(steps, name), { recursive: true });
    writeFileSync(join(steps, name, 'weights.bin'), name);
    writeFileSync(
      join(steps, name, 'manifest.json'),
      JSON.stringify({ files: { 'weights.bin': { bytes: name.length } } }),
    );
    writeFileSync(join(steps, 'latest.json'), JSON.stringify({ checkpoint: name }));
  }

  it('deletes from the bucket the checkpoints the trainer pruned, never the live one', async () => {
    const s3 = await startS3rverBucket();
    const { port } = s3;
    const env = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    const local = mkdtempSync(join(tmpdir(), 's3-prune-local-'));
    try {
      const store = new S3Store(`s3://grid/run?endpoint=http://127.0.0.1:${port}`, local);
      const steps = join(local, 'checkpoints', 'AT', 'steps');
      const listed = async () => {
        const xml = await (
          await fetch(`http://127.0.0.1:${port}/grid?list-type=2&prefix=run/checkpoints/`)
        ).text();
        return [...xml.matchAll(/<Key>run\/checkpoints\/AT\/steps\/([^<]+)<\/Key>/g)]
          .map((m) => m[1])
          .sort();
      };
      writeCheckpoint(steps, 'step-000000002');
      await store.pushCheckpoints('AT');
      writeCheckpoint(steps, 'step-000000004');
      await store.pushCheckpoints('AT');
      expect(await listed()).toEqual([
        'latest.json',
        'step-000000002/manifest.json',
        'step-000000002/weights.bin',
        'step-000000004/manifest.json',
        'step-000000004/weights.bin',
      ]);
      // The trainer keeps the newest two: step 2 goes locally, and so from the bucket.
      writeCheckpoint(steps, 'step-000000006');
      rmSync(join(steps, 'step-000000002'), { recursive: true });
      await store.pushCheckpoints('AT');
      expect(await listed()).toEqual([
        'latest.json',
        'step-000000004/manifest.json',
        'step-000000004/weights.bin',
        'step-000000006/manifest.json',
        'step-000000006/weights.bin',
      ]);
      // A worker taking the job over downloads exactly those, and the pointer names the live one.
      const other = new S3Store(
        `s3://grid/run?endpoint=http://127.0.0.1:${port}`,
        mkdtempSync(join(tmpdir(), 's3-prune-other-')),
      );
      await other.pullCheckpoints('AT');
      const pulled = join(other.localRoot, 'checkpoints', 'AT', 'steps');
      expect(readdirSync(pulled).sort()).toEqual([
        'latest.json',
        'step-000000004',
        'step-000000006',
      ]);
      expect(JSON.parse(readFileSync(join(pulled, 'latest.json'), 'utf8'))).toEqual({
        checkpoint: 'step-000000006',
      });
      rmSync(other.localRoot, { recursive: true, force: true });
    } finally {
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const)
        if (env[key] === undefined) delete process.env[key];
        else process.env[key] = env[key];
      await s3.close();
      rmSync(local, { recursive: true, force: true });
    }
  }, 60_000);
});
