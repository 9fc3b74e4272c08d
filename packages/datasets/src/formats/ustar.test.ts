import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../errors/dataset-errors';
import { tarGz, tempDir } from '../testing/fixtures';
import { readTarEntries, type TarEntry } from './ustar';

async function collect(archive: string, want: (name: string) => boolean): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const entry of readTarEntries(
    pipeline(createReadStream(archive), createGunzip(), () => {}),
    archive,
    want,
  ))
    out.push(entry);
  return out;
}

/** Splits a buffer into chunks of awkward sizes, to exercise header/data boundaries. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('readTarEntries (archives made by the system tar)', () => {
  const root = tempDir('tar');
  const longDir = `folder/${'d'.repeat(120)}`;
  mkdirSync(join(root, longDir), { recursive: true });
  const big = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) % 256);
  writeFileSync(join(root, 'folder', 'big.bin'), big);
  writeFileSync(join(root, 'folder', 'empty.txt'), '');
  writeFileSync(join(root, 'folder', 'skip.txt'), 'not wanted');
  writeFileSync(join(root, longDir, 'deep.txt'), 'deep file');
  const archive = tarGz(root, 'folder', join(root, 'a.tar.gz'));

  it('yields the wanted regular files with their bytes, long names included', async () => {
    const entries = await collect(archive, (name) => !name.endsWith('skip.txt'));
    const byName = new Map(entries.map((e) => [e.name, e.data]));
    expect([...byName.keys()].sort()).toEqual(
      ['folder/big.bin', 'folder/empty.txt', `${longDir}/deep.txt`].sort(),
    );
    expect(Buffer.from(byName.get('folder/big.bin')!).equals(Buffer.from(big))).toBe(true);
    expect(new TextDecoder().decode(byName.get(`${longDir}/deep.txt`))).toBe('deep file');
    expect(byName.get('folder/empty.txt')!.length).toBe(0);
  });

  it('gives the same entries whatever the chunking of the stream', async () => {
    const tar = gunzipSync(readFileSync(archive));
    for (const size of [1, 7, 511, 513, 4096]) {
      const entries: TarEntry[] = [];
      for await (const e of readTarEntries(chunked(tar, size), 'x', (n) => n.endsWith('big.bin')))
        entries.push(e);
      expect(entries.length).toBe(1);
      expect(Buffer.from(entries[0].data).equals(Buffer.from(big))).toBe(true);
    }
  });

  it('a truncated archive and a corrupt header are format errors', async () => {
    const tar = gunzipSync(readFileSync(archive));
    const bigAt = tar.indexOf('folder/big.bin');
    const cut = tar.subarray(0, bigAt + 512 + 1000);
    const drain = async (bytes: Uint8Array) => {
      for await (const _ of readTarEntries(chunked(bytes, 4096), 'a.tar', () => true)) void _;
    };
    await expect(drain(cut)).rejects.toThrow(
      /a\.tar: the tar archive is truncated inside "folder\/big\.bin"/,
    );
    const corrupt = Buffer.from(tar);
    corrupt[bigAt + 3] ^= 0xff;
    await expect(drain(corrupt)).rejects.toThrow(DatasetFormatError);
    await expect(drain(corrupt)).rejects.toThrow(/bad tar header checksum/);
  });
});
